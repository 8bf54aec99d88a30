"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/Button";
import { Checkbox } from "@/components/ui/Checkbox";
import { SelectField, TextField } from "@/components/ui/Field";
import { VariableSchema, type Variable } from "@/server/dashboards/model";

const TYPE_NAMES: Record<Variable["type"], string> = {
  query: "Query",
  custom: "Custom",
  interval: "Interval",
  textbox: "Text box",
  constant: "Constant",
};

/** A variable of another type, keeping name, label and hide. */
function retype(v: Variable, type: Variable["type"]): Variable {
  const base = { name: v.name, label: v.label, hide: v.hide };
  const query = type === "interval" ? "1m,5m,10m,30m,1h" : type === "query" ? "label_values(job)" : "";
  return VariableSchema.parse({ ...base, type, query });
}

function freeName(vars: Variable[]): string {
  for (let i = 1; ; i++) if (!vars.some((v) => v.name === `var${i}`)) return `var${i}`;
}

function VariableForm({ v, onChange }: { v: Variable; onChange: (v: Variable) => void }) {
  const id = useId();
  return (
    <div className="grid grid-cols-2 gap-3">
      <TextField id={`${id}-name`} label="Name" value={v.name} onChange={(e) => onChange({ ...v, name: e.target.value })} hint="Used as $name in queries" />
      <TextField id={`${id}-label`} label="Label" value={v.label ?? ""} onChange={(e) => onChange({ ...v, label: e.target.value || undefined })} />
      <SelectField id={`${id}-type`} label="Type" value={v.type} onChange={(e) => onChange(retype(v, e.target.value as Variable["type"]))}>
        {Object.entries(TYPE_NAMES).map(([t, n]) => (
          <option key={t} value={t}>
            {n}
          </option>
        ))}
      </SelectField>
      <SelectField id={`${id}-hide`} label="Show" value={v.hide} onChange={(e) => onChange({ ...v, hide: e.target.value as Variable["hide"] })}>
        <option value="none">Label and value</option>
        <option value="label">Value only</option>
        <option value="variable">Nothing (hidden)</option>
      </SelectField>
      {v.type === "query" && (
        <>
          <SelectField id={`${id}-ds`} label="Values from" value={v.datasource} onChange={(e) => onChange({ ...v, datasource: e.target.value as "promql" | "logs" })}>
            <option value="promql">Metrics (PromQL)</option>
            <option value="logs">Logs (a field&apos;s values)</option>
          </SelectField>
          <SelectField id={`${id}-refresh`} label="Refresh" value={v.refresh} onChange={(e) => onChange({ ...v, refresh: e.target.value as "load" | "time" })}>
            <option value="load">On dashboard load</option>
            <option value="time">On time range change</option>
          </SelectField>
          <div className="col-span-2">
            <TextField
              id={`${id}-query`}
              label={v.datasource === "logs" ? "Field" : "Query"}
              value={v.query}
              onChange={(e) => onChange({ ...v, query: e.target.value })}
              hint={v.datasource === "logs" ? "A log field, e.g. service or attributes.http.status" : "label_values(up, job), label_values(job), label_names(), metrics(http_.*), query_result(expr)"}
              className="font-mono"
            />
          </div>
          {v.datasource === "logs" && (
            <div className="col-span-2">
              <TextField id={`${id}-lq`} label="Only events matching" value={v.logQuery ?? ""} onChange={(e) => onChange({ ...v, logQuery: e.target.value || undefined })} className="font-mono" />
            </div>
          )}
          <TextField id={`${id}-regex`} label="Regex" value={v.regex ?? ""} placeholder="/(.*)-prod/" onChange={(e) => onChange({ ...v, regex: e.target.value || undefined })} />
          <SelectField id={`${id}-sort`} label="Sort" value={v.sort} onChange={(e) => onChange({ ...v, sort: e.target.value as typeof v.sort })}>
            <option value="none">As returned</option>
            <option value="alpha-asc">Alphabetical (asc)</option>
            <option value="alpha-desc">Alphabetical (desc)</option>
            <option value="num-asc">Numerical (asc)</option>
            <option value="num-desc">Numerical (desc)</option>
          </SelectField>
        </>
      )}
      {v.type === "custom" && (
        <div className="col-span-2">
          <TextField id={`${id}-custom`} label="Values (comma-separated)" value={v.query} placeholder="prod, staging, dev : development" onChange={(e) => onChange({ ...v, query: e.target.value })} />
        </div>
      )}
      {v.type === "interval" && (
        <>
          <div className="col-span-2">
            <TextField id={`${id}-intervals`} label="Intervals" value={v.query} onChange={(e) => onChange({ ...v, query: e.target.value })} />
          </div>
          <Checkbox label="Auto option" checked={v.auto} onChange={(e) => onChange({ ...v, auto: e.target.checked })} />
        </>
      )}
      {(v.type === "textbox" || v.type === "constant") && (
        <div className="col-span-2">
          <TextField id={`${id}-value`} label={v.type === "textbox" ? "Default value" : "Value"} value={v.query} onChange={(e) => onChange({ ...v, query: e.target.value })} />
        </div>
      )}
      {(v.type === "query" || v.type === "custom") && (
        <div className="col-span-2 flex flex-wrap items-end gap-4">
          <Checkbox label="Multi-value" checked={v.multi} onChange={(e) => onChange({ ...v, multi: e.target.checked })} />
          <Checkbox label='Include "All"' checked={v.includeAll} onChange={(e) => onChange({ ...v, includeAll: e.target.checked })} />
          {v.includeAll && <TextField id={`${id}-all`} label="Custom all value" value={v.allValue ?? ""} placeholder=".*" onChange={(e) => onChange({ ...v, allValue: e.target.value || undefined })} />}
        </div>
      )}
    </div>
  );
}

/** Settings → Variables: the list, with add, edit, reorder and delete. */
export function VariablesEditor({ variables, onChange }: { variables: Variable[]; onChange: (v: Variable[]) => void }) {
  const [open, setOpen] = useState<number | null>(null);
  const move = (i: number, d: number) => {
    const next = [...variables];
    const [x] = next.splice(i, 1);
    next.splice(i + d, 0, x!);
    onChange(next);
    setOpen(null);
  };
  return (
    <div className="space-y-3">
      <ul className="divide-y divide-slate-200 rounded border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
        {variables.map((v, i) => (
          <li key={i} className="p-3">
            <div className="flex items-center gap-2 text-sm">
              <button type="button" className="font-mono font-medium text-blue-700 hover:underline dark:text-blue-400" onClick={() => setOpen(open === i ? null : i)} aria-expanded={open === i}>
                ${v.name}
              </button>
              <span className="text-xs text-slate-500">{TYPE_NAMES[v.type]}</span>
              <span className="min-w-0 flex-1 truncate font-mono text-xs text-slate-500">{"query" in v ? v.query : ""}</span>
              <Button size="sm" variant="ghost" disabled={i === 0} aria-label={`Move ${v.name} up`} onClick={() => move(i, -1)}>
                ↑
              </Button>
              <Button size="sm" variant="ghost" disabled={i === variables.length - 1} aria-label={`Move ${v.name} down`} onClick={() => move(i, 1)}>
                ↓
              </Button>
              <Button size="sm" variant="ghost" aria-label={`Delete variable ${v.name}`} onClick={() => onChange(variables.filter((_, j) => j !== i))}>
                ✕
              </Button>
            </div>
            {open === i && (
              <div className="mt-3">
                <VariableForm v={v} onChange={(n) => onChange(variables.map((x, j) => (j === i ? n : x)))} />
              </div>
            )}
          </li>
        ))}
        {variables.length === 0 && <li className="p-3 text-sm text-slate-500">No variables. Variables let one dashboard show any job, instance or service.</li>}
      </ul>
      <Button
        onClick={() => {
          onChange([...variables, VariableSchema.parse({ type: "query", name: freeName(variables), query: "label_values(job)" })]);
          setOpen(variables.length);
        }}
      >
        + Add variable
      </Button>
    </div>
  );
}
