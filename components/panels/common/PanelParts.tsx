"use client";

import type { ReactNode } from "react";
import { SelectField } from "@/components/ui/Field";
import type { Reducer } from "@/server/dashboards/model";
import { REDUCER_LABELS, REDUCERS } from "./reduce";

/** The quiet "No data" of an empty result, centred in the panel body. */
export function NoData({ children = "No data" }: { children?: ReactNode }) {
  return (
    <div className="flex h-full w-full items-center justify-center text-sm text-slate-400 dark:text-slate-500" data-testid="panel-no-data">
      {children}
    </div>
  );
}

/** Picker of the reducer that turns a series into one value ("Calculation" in Grafana). */
export function ReducerField({ id, value, onChange, label = "Calculation" }: { id: string; value: Reducer; onChange: (r: Reducer) => void; label?: string }) {
  return (
    <SelectField id={id} label={label} value={value} onChange={(e) => onChange(e.target.value as Reducer)}>
      {REDUCERS.map((r) => (
        <option key={r} value={r}>
          {REDUCER_LABELS[r]}
        </option>
      ))}
    </SelectField>
  );
}

/** A group of a panel type's options in the editor's side bar. */
export function OptionsGroup({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-semibold">{title}</legend>
      {children}
    </fieldset>
  );
}

/** A select over a fixed list of `[value, label]` choices, typed by the value. */
export function ChoiceField<T extends string>({ id, label, value, choices, onChange }: { id: string; label: string; value: T; choices: readonly (readonly [T, string])[]; onChange: (v: T) => void }) {
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
