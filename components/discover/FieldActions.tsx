import { cn } from "@/components/ui/cn";

const iconButton =
  "inline-flex size-5 items-center justify-center rounded text-slate-500 hover:bg-slate-200 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-blue-500 dark:hover:bg-slate-700 dark:hover:text-slate-100";

/** Filter for (+) / filter out (−) a field's value, and add/remove the field as a column. */
export function FieldActions({
  field,
  value,
  filterable = true,
  isColumn,
  onFilter,
  onToggleColumn,
  className,
}: {
  field: string;
  value: string | null;
  filterable?: boolean;
  isColumn: boolean;
  onFilter: (field: string, value: string, negate: boolean) => void;
  onToggleColumn?: (field: string) => void;
  className?: string;
}) {
  return (
    <span className={cn("inline-flex items-center gap-0.5", className)}>
      {filterable && value !== null && (
        <>
          <button type="button" className={iconButton} aria-label={`Filter for ${field}: ${value}`} title={`Filter for ${field}:${value}`} onClick={() => onFilter(field, value, false)}>
            <svg viewBox="0 0 16 16" className="size-3.5" aria-hidden>
              <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
              <path d="M10.5 10.5L14 14M5 7h4M7 5v4" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
            </svg>
          </button>
          <button type="button" className={iconButton} aria-label={`Filter out ${field}: ${value}`} title={`Filter out ${field}:${value}`} onClick={() => onFilter(field, value, true)}>
            <svg viewBox="0 0 16 16" className="size-3.5" aria-hidden>
              <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
              <path d="M10.5 10.5L14 14M5 7h4" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
            </svg>
          </button>
        </>
      )}
      {onToggleColumn && (
        <button
          type="button"
          className={iconButton}
          aria-label={isColumn ? `Remove column ${field}` : `Add column ${field}`}
          aria-pressed={isColumn}
          title={isColumn ? "Remove column" : "Add as column"}
          onClick={() => onToggleColumn(field)}
        >
          <svg viewBox="0 0 16 16" className="size-3.5" aria-hidden>
            <rect x="2" y="2.5" width="12" height="11" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
            <path d={isColumn ? "M6 2.5v11M8.5 8h3.5" : "M6 2.5v11M10.25 6v4M8.25 8h4"} stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
          </svg>
        </button>
      )}
    </span>
  );
}
