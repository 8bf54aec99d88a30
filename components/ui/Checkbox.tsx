import { useId, type InputHTMLAttributes, type ReactNode } from "react";
import { cn } from "./cn";

/** A checkbox whose label is `label`; `description` is linked with aria-describedby. */
export function Checkbox({
  label,
  description,
  className,
  id,
  ...rest
}: Omit<InputHTMLAttributes<HTMLInputElement>, "type"> & { label: ReactNode; description?: ReactNode }) {
  const auto = useId();
  const inputId = id ?? auto;
  const descId = `${inputId}-desc`;
  return (
    <div className={cn("flex items-start gap-2", className)}>
      <input
        id={inputId}
        type="checkbox"
        aria-describedby={description ? descId : undefined}
        className="mt-0.5 size-3.5 shrink-0 rounded border-slate-300 accent-blue-600 dark:border-slate-600"
        {...rest}
      />
      <div className="min-w-0 text-sm leading-tight">
        <label htmlFor={inputId} className="font-mono text-xs font-medium text-slate-800 dark:text-slate-200">
          {label}
        </label>
        {description && (
          <p id={descId} className="text-xs text-slate-500 dark:text-slate-400">
            {description}
          </p>
        )}
      </div>
    </div>
  );
}
