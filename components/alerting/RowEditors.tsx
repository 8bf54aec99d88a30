"use client";

/**
 * Row editors: key/value rows (labels, annotations, headers), matcher rows (name, operator,
 * value) and lists of strings (matcher strings). Every control has its own accessible name
 * (`Label name 2`), so forms work with a screen reader and the e2e page objects.
 */
import { Button } from "@/components/ui/Button";
import { Input } from "@/components/ui/Input";
import { Select } from "@/components/ui/Select";
import { MATCH_OP_LABEL, MATCH_OPS, emptyMatcherRow, type MatchOp, type MatcherRow } from "./matcher-rows";
import type { KeyValueRow } from "./rule-form";

export function KeyValueRowsEditor({
  rows,
  onChange,
  noun,
  keyPlaceholder,
  valuePlaceholder,
  multilineValue,
  disabled,
}: {
  rows: KeyValueRow[];
  onChange: (rows: KeyValueRow[]) => void;
  /** `Label` → "Label name 1", "Label value 1", "Add label", "Remove label 1". */
  noun: string;
  keyPlaceholder?: string;
  valuePlaceholder?: string;
  multilineValue?: boolean;
  disabled?: boolean;
}) {
  const set = (i: number, r: KeyValueRow) => onChange(rows.map((x, j) => (j === i ? r : x)));
  const lower = noun.toLowerCase();
  return (
    <div className="space-y-1.5">
      {rows.map((r, i) => (
        <div key={i} className="flex items-start gap-2">
          <Input aria-label={`${noun} name ${i + 1}`} className="w-48 font-mono text-xs" placeholder={keyPlaceholder} spellCheck={false} value={r.key} disabled={disabled} onChange={(e) => set(i, { ...r, key: e.target.value })} />
          {multilineValue ? (
            <textarea
              aria-label={`${noun} value ${i + 1}`}
              rows={2}
              spellCheck={false}
              placeholder={valuePlaceholder}
              value={r.value}
              disabled={disabled}
              onChange={(e) => set(i, { ...r, value: e.target.value })}
              className="block min-h-8 flex-1 rounded border border-slate-300 bg-white px-2 py-1.5 font-mono text-xs dark:border-slate-700 dark:bg-slate-950"
            />
          ) : (
            <Input aria-label={`${noun} value ${i + 1}`} className="flex-1 font-mono text-xs" placeholder={valuePlaceholder} spellCheck={false} value={r.value} disabled={disabled} onChange={(e) => set(i, { ...r, value: e.target.value })} />
          )}
          {!disabled && (
            <Button variant="ghost" size="sm" aria-label={`Remove ${lower} ${i + 1}`} onClick={() => onChange(rows.filter((_x, j) => j !== i))}>
              ✕
            </Button>
          )}
        </div>
      ))}
      {!disabled && (
        <Button size="sm" onClick={() => onChange([...rows, { key: "", value: "" }])}>
          Add {lower}
        </Button>
      )}
    </div>
  );
}

export function MatcherRowsEditor({ rows, onChange, errors, disabled }: { rows: MatcherRow[]; onChange: (rows: MatcherRow[]) => void; errors?: (string | null)[]; disabled?: boolean }) {
  const set = (i: number, r: MatcherRow) => onChange(rows.map((x, j) => (j === i ? r : x)));
  return (
    <div className="space-y-1.5">
      {rows.map((r, i) => (
        <div key={i} data-testid="matcher-row">
          <div className="flex items-start gap-2">
            <Input aria-label={`Matcher label ${i + 1}`} className="w-44 font-mono text-xs" placeholder="alertname" spellCheck={false} value={r.name} disabled={disabled} invalid={!!errors?.[i]} onChange={(e) => set(i, { ...r, name: e.target.value })} />
            <Select aria-label={`Matcher operator ${i + 1}`} className="w-44 font-mono text-xs" value={r.op} disabled={disabled} onChange={(e) => set(i, { ...r, op: e.target.value as MatchOp })}>
              {MATCH_OPS.map((op) => (
                <option key={op} value={op}>
                  {MATCH_OP_LABEL[op]}
                </option>
              ))}
            </Select>
            <Input aria-label={`Matcher value ${i + 1}`} className="flex-1 font-mono text-xs" spellCheck={false} value={r.value} disabled={disabled} invalid={!!errors?.[i]} onChange={(e) => set(i, { ...r, value: e.target.value })} />
            {!disabled && (
              <Button variant="ghost" size="sm" aria-label={`Remove matcher ${i + 1}`} onClick={() => onChange(rows.filter((_x, j) => j !== i))}>
                ✕
              </Button>
            )}
          </div>
          {errors?.[i] && <p className="mt-0.5 text-xs text-red-600 dark:text-red-400">{errors[i]}</p>}
        </div>
      ))}
      {!disabled && (
        <Button size="sm" onClick={() => onChange([...rows, emptyMatcherRow()])}>
          Add matcher
        </Button>
      )}
    </div>
  );
}

/** Matcher strings (`severity="critical"`), one per row. */
export function StringListEditor({
  items,
  onChange,
  noun,
  placeholder,
  errors,
  disabled,
}: {
  items: string[];
  onChange: (items: string[]) => void;
  noun: string;
  placeholder?: string;
  errors?: (string | null)[];
  disabled?: boolean;
}) {
  const lower = noun.toLowerCase();
  return (
    <div className="space-y-1.5">
      {items.map((s, i) => (
        <div key={i}>
          <div className="flex items-center gap-2">
            <Input
              aria-label={`${noun} ${i + 1}`}
              className="flex-1 font-mono text-xs"
              placeholder={placeholder}
              spellCheck={false}
              value={s}
              disabled={disabled}
              invalid={!!errors?.[i]}
              onChange={(e) => onChange(items.map((x, j) => (j === i ? e.target.value : x)))}
            />
            {!disabled && (
              <Button variant="ghost" size="sm" aria-label={`Remove ${lower} ${i + 1}`} onClick={() => onChange(items.filter((_x, j) => j !== i))}>
                ✕
              </Button>
            )}
          </div>
          {errors?.[i] && <p className="mt-0.5 text-xs text-red-600 dark:text-red-400">{errors[i]}</p>}
        </div>
      ))}
      {!disabled && (
        <Button size="sm" onClick={() => onChange([...items, ""])}>
          Add {lower}
        </Button>
      )}
    </div>
  );
}
