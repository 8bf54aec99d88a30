"use client";

import type { ReactNode } from "react";
import { SelectField } from "@/components/ui/Field";

/** A group of a panel type's options in the editor's side bar. */
export function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-semibold">{title}</legend>
      {children}
    </fieldset>
  );
}

/** A select over fixed `[value, label]` choices. */
export function Choice<T extends string>({ id, label, value, choices, onChange }: { id: string; label: string; value: T; choices: readonly (readonly [T, string])[]; onChange: (v: T) => void }) {
  return (
    <SelectField id={id} label={label} value={value} onChange={(e) => onChange(e.target.value as T)}>
      {choices.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </SelectField>
  );
}
