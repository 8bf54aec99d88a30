"use client";

import { useRef, useState } from "react";
import { Checkbox } from "@/components/ui/Checkbox";
import { Input } from "@/components/ui/Input";
import { Select } from "@/components/ui/Select";
import { useDismiss } from "@/components/ui/useDismiss";
import { ALL_VALUE, type Variable } from "@/server/dashboards/model";
import type { VariableOption } from "@/server/dashboards/variables";

export type { VariableOption };

/** A variable as the bar shows it: its options (All first when included) and selection. */
export interface VariableView {
  variable: Variable;
  options: VariableOption[];
  /** Selected values (`$__all` for All). */
  selected: string[];
  loading: boolean;
  error?: string;
}

function selectionText(v: VariableView): string {
  if (v.selected.includes(ALL_VALUE)) return "All";
  if (v.selected.length === 0) return "None";
  return v.selected.map((s) => v.options.find((o) => o.value === s)?.text ?? s).join(" + ");
}

function MultiSelect({ view, onChange }: { view: VariableView; onChange: (values: string[]) => void }) {
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState("");
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useDismiss(open, wrap, () => setOpen(false), () => button.current?.focus());
  const name = view.variable.label || view.variable.name;
  const shown = view.options.filter((o) => o.text.toLowerCase().includes(filter.toLowerCase()));

  function toggle(value: string) {
    if (value === ALL_VALUE) return onChange([ALL_VALUE]);
    const base = view.selected.filter((s) => s !== ALL_VALUE);
    const next = base.includes(value) ? base.filter((s) => s !== value) : [...base, value];
    onChange(next.length === 0 && view.options.some((o) => o.value === ALL_VALUE) ? [ALL_VALUE] : next);
  }

  return (
    <div ref={wrap} className="relative">
      <button
        ref={button}
        type="button"
        aria-label={`${name}: ${selectionText(view)}`}
        aria-expanded={open}
        aria-haspopup="listbox"
        onClick={() => setOpen((o) => !o)}
        className="h-8 max-w-72 truncate rounded border border-slate-300 bg-white px-2 text-left text-sm dark:border-slate-700 dark:bg-slate-800"
      >
        {selectionText(view)} ▾
      </button>
      {open && (
        <div className="absolute z-30 mt-1 w-64 rounded border border-slate-200 bg-white p-2 shadow-lg dark:border-slate-700 dark:bg-slate-800">
          <Input aria-label={`Filter ${name} values`} value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Filter…" className="mb-2 w-full" />
          <ul role="listbox" aria-multiselectable aria-label={name} className="max-h-64 overflow-auto">
            {shown.map((o) => (
              <li key={o.value} role="option" aria-selected={view.selected.includes(o.value)}>
                <Checkbox label={o.text} checked={view.selected.includes(o.value)} onChange={() => toggle(o.value)} />
              </li>
            ))}
            {shown.length === 0 && <li className="px-1 py-2 text-xs text-slate-500">No values</li>}
          </ul>
        </div>
      )}
    </div>
  );
}

/** The variable pickers above the grid, Grafana-style. */
export function VariablesBar({ views, onChange }: { views: VariableView[]; onChange: (name: string, values: string[]) => void }) {
  // Constants are never shown (as Grafana): they are settings, not choices.
  const visible = views.filter((v) => v.variable.hide !== "variable" && v.variable.type !== "constant");
  if (visible.length === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-3" role="group" aria-label="Dashboard variables">
      {visible.map((v) => {
        const id = `var-${v.variable.name}`;
        const name = v.variable.label || v.variable.name;
        const multi = "multi" in v.variable && v.variable.multi;
        return (
          <div key={v.variable.name} className="flex items-center gap-1.5 text-sm" data-testid={id}>
            {v.variable.hide !== "label" && (
              <label htmlFor={id} className="rounded bg-slate-100 px-2 py-1 text-xs font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                {name}
              </label>
            )}
            {v.variable.type === "textbox" ? (
              <Input key={v.selected[0] ?? ""} id={id} defaultValue={v.selected[0] ?? ""} className="w-40" onBlur={(e) => onChange(v.variable.name, [e.target.value])} onKeyDown={(e) => e.key === "Enter" && onChange(v.variable.name, [(e.target as HTMLInputElement).value])} />
            ) : v.variable.type === "constant" ? null : multi ? (
              <MultiSelect view={v} onChange={(vals) => onChange(v.variable.name, vals)} />
            ) : (
              <Select id={id} value={v.selected[0] ?? ""} onChange={(e) => onChange(v.variable.name, [e.target.value])} className="max-w-72">
                {v.options.length === 0 && <option value="">{v.loading ? "Loading…" : "No values"}</option>}
                {v.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.text}
                  </option>
                ))}
              </Select>
            )}
            {v.error && (
              <span className="text-xs text-red-600" role="alert">
                {v.error}
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}
