import type { ReactNode } from "react";
import { Input, Textarea, type InputProps, type TextareaProps } from "./Input";
import { Label } from "./Label";
import { Select, type SelectProps } from "./Select";

/**
 * A labelled form field: label, the control (give it `id` and `aria-describedby={errorId(id)}`),
 * an optional hint and the field's error. Prefer `TextField`, `TextareaField` and `SelectField`,
 * which wire the control themselves; use `Field` only for controls they do not cover.
 */
export function Field({ id, label, hint, error, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className="space-y-1">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint && !error && <p className="text-xs text-slate-500 dark:text-slate-400">{hint}</p>}
      {error && (
        <p id={errorId(id)} className="text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}

export const errorId = (id: string) => `${id}-error`;

/** What every field takes besides its control's own props. */
export type FieldProps = { id: string; label: ReactNode; hint?: ReactNode; error?: string | null };

/**
 * The control's side of a field: `invalid` (defaults to "has an error"; pass it to mark the
 * control for an error shown elsewhere) and `aria-describedby` pointing at the error text.
 */
function controlWiring(id: string, error: string | null | undefined, invalid: boolean | undefined, describedBy: string | undefined) {
  const ids = [error ? errorId(id) : null, describedBy].filter(Boolean).join(" ");
  return { invalid: invalid ?? !!error, "aria-describedby": ids || undefined };
}

/** Label + `Input` + hint + error, with `invalid` and `aria-describedby` wired. */
export function TextField({ id, label, hint, error, invalid, "aria-describedby": describedBy, ...rest }: FieldProps & Omit<InputProps, "id">) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <Input id={id} {...rest} {...controlWiring(id, error, invalid, describedBy)} />
    </Field>
  );
}

/** Label + `Textarea` + hint + error, with `invalid` and `aria-describedby` wired. */
export function TextareaField({ id, label, hint, error, invalid, "aria-describedby": describedBy, ...rest }: FieldProps & Omit<TextareaProps, "id">) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <Textarea id={id} {...rest} {...controlWiring(id, error, invalid, describedBy)} />
    </Field>
  );
}

/** Label + `Select` (children are its options) + hint + error, with `invalid` and `aria-describedby` wired. */
export function SelectField({ id, label, hint, error, invalid, "aria-describedby": describedBy, ...rest }: FieldProps & Omit<SelectProps, "id">) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <Select id={id} {...rest} {...controlWiring(id, error, invalid, describedBy)} />
    </Field>
  );
}
