"use client";

import { UNITS } from "@/components/charts/value-format";
import { Button } from "@/components/ui/Button";
import { Input } from "@/components/ui/Input";
import { Select } from "@/components/ui/Select";
import type { FieldOverride, ValueMapping } from "@/server/dashboards/model";
import { newMapping, newOverride, nextFreeProperty, OVERRIDE_PROPERTIES, overridePropertyText, rangeBound, setOverrideProperty, type OverridePropertyKey } from "./field-config-edit";

/** Value mappings (Grafana's): a value or a range shown as text and/or a colour; first match wins. */
export function ValueMappingsEditor({ mappings, onChange }: { mappings: readonly ValueMapping[]; onChange: (next: ValueMapping[] | undefined) => void }) {
  const set = (i: number, m: ValueMapping) => onChange(mappings.map((x, j) => (j === i ? m : x)));
  return (
    <fieldset className="space-y-1.5">
      <legend className="text-xs font-medium text-slate-600 dark:text-slate-400">Value mappings</legend>
      {mappings.map((m, i) => (
        <div key={i} className="flex items-center gap-1.5">
          {m.type === "value" ? (
            <Input aria-label={`Mapping ${i + 1} value`} placeholder="value" className="w-20" value={m.value} onChange={(e) => set(i, { ...m, value: e.target.value })} />
          ) : (
            <>
              <Input aria-label={`Mapping ${i + 1} from`} placeholder="from" type="number" className="w-16" value={m.from ?? ""} onChange={(e) => set(i, { ...m, from: rangeBound(e.target.value) })} />
              <Input aria-label={`Mapping ${i + 1} to`} placeholder="to" type="number" className="w-16" value={m.to ?? ""} onChange={(e) => set(i, { ...m, to: rangeBound(e.target.value) })} />
            </>
          )}
          <span aria-hidden className="text-slate-400">→</span>
          <Input aria-label={`Mapping ${i + 1} text`} placeholder="text" className="min-w-0 flex-1" value={m.text} onChange={(e) => set(i, { ...m, text: e.target.value })} />
          <Input aria-label={`Mapping ${i + 1} colour`} placeholder="colour" className="w-20" value={m.color ?? ""} onChange={(e) => set(i, { ...m, color: e.target.value.trim() ? e.target.value : undefined })} />
          <Button size="sm" variant="ghost" aria-label={`Remove mapping ${i + 1}`} onClick={() => onChange(mappings.length > 1 ? mappings.filter((_, j) => j !== i) : undefined)}>
            ✕
          </Button>
        </div>
      ))}
      <div className="flex gap-2">
        <Button size="sm" onClick={() => onChange([...mappings, newMapping("value")])}>
          + Value
        </Button>
        <Button size="sm" onClick={() => onChange([...mappings, newMapping("range")])}>
          + Range
        </Button>
      </div>
    </fieldset>
  );
}

const MATCHERS: readonly (readonly [FieldOverride["matcher"]["id"], string, string])[] = [
  ["byName", "Series named", "series name"],
  ["byRegexp", "Series matching", "regex, e.g. web-.*"],
  ["byQuery", "Series of query", "A"],
];

/** Field overrides: per-series unit, decimals, min/max, name, colour, by name, regex or query. */
export function OverridesEditor({ overrides, onChange }: { overrides: readonly FieldOverride[]; onChange: (next: FieldOverride[]) => void }) {
  const set = (i: number, o: FieldOverride) => onChange(overrides.map((x, j) => (j === i ? o : x)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-xs font-medium text-slate-600 dark:text-slate-400">Overrides</legend>
      {overrides.map((o, i) => {
        const keys = OVERRIDE_PROPERTIES.filter((p) => o.properties[p.key] !== undefined);
        const free = nextFreeProperty(o.properties);
        return (
          <div key={i} className="space-y-1.5 rounded border border-slate-200 p-2 dark:border-slate-700">
            <div className="flex items-center gap-1.5">
              <Select aria-label={`Override ${i + 1} matcher`} className="w-36" value={o.matcher.id} onChange={(e) => set(i, { ...o, matcher: { ...o.matcher, id: e.target.value as FieldOverride["matcher"]["id"] } })}>
                {MATCHERS.map(([id, label]) => (
                  <option key={id} value={id}>
                    {label}
                  </option>
                ))}
              </Select>
              <Input
                aria-label={`Override ${i + 1} matches`}
                className="min-w-0 flex-1"
                placeholder={MATCHERS.find(([id]) => id === o.matcher.id)?.[2]}
                value={o.matcher.options}
                onChange={(e) => set(i, { ...o, matcher: { ...o.matcher, options: e.target.value } })}
              />
              <Button size="sm" variant="ghost" aria-label={`Remove override ${i + 1}`} onClick={() => onChange(overrides.filter((_, j) => j !== i))}>
                ✕
              </Button>
            </div>
            {keys.map((p) => (
              <div key={p.key} className="flex items-center gap-1.5 pl-2">
                <span className="w-24 shrink-0 text-xs text-slate-600 dark:text-slate-400">{p.label}</span>
                {p.kind === "unit" ? (
                  <Select aria-label={`Override ${i + 1} ${p.label}`} className="min-w-0 flex-1" value={overridePropertyText(o.properties, p.key)} onChange={(e) => set(i, { ...o, properties: setOverrideProperty(o.properties, p.key, e.target.value) })}>
                    {UNITS.map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.label}
                      </option>
                    ))}
                  </Select>
                ) : p.kind === "text" ? (
                  <Input
                    aria-label={`Override ${i + 1} ${p.label}`}
                    className="min-w-0 flex-1"
                    value={overridePropertyText(o.properties, p.key)}
                    onChange={(e) => e.target.value !== "" && set(i, { ...o, properties: setOverrideProperty(o.properties, p.key, e.target.value) })}
                  />
                ) : (
                  // Numbers are read when the field is left ("1." must survive typing); the key
                  // refreshes the field when the value changes elsewhere.
                  <Input
                    key={overridePropertyText(o.properties, p.key)}
                    aria-label={`Override ${i + 1} ${p.label}`}
                    className="min-w-0 flex-1"
                    type="number"
                    defaultValue={overridePropertyText(o.properties, p.key)}
                    onBlur={(e) => set(i, { ...o, properties: setOverrideProperty(o.properties, p.key, e.target.value) })}
                  />
                )}
                <Button size="sm" variant="ghost" aria-label={`Remove ${p.label} of override ${i + 1}`} onClick={() => set(i, { ...o, properties: setOverrideProperty(o.properties, p.key, "") })}>
                  ✕
                </Button>
              </div>
            ))}
            {free && (
              <Select
                aria-label={`Add a property to override ${i + 1}`}
                className="ml-2 w-48"
                value=""
                onChange={(e) => {
                  const key = e.target.value as OverridePropertyKey;
                  if (!key) return;
                  set(i, { ...o, properties: setOverrideProperty(o.properties, key, key === "unit" ? "short" : key === "decimals" || key === "min" ? "0" : key === "max" ? "100" : key === "color" ? "red" : key === "displayName" ? o.matcher.options || "name" : "-") });
                }}
              >
                <option value="">+ Add property</option>
                {OVERRIDE_PROPERTIES.filter((p) => o.properties[p.key] === undefined).map((p) => (
                  <option key={p.key} value={p.key}>
                    {p.label}
                  </option>
                ))}
              </Select>
            )}
          </div>
        );
      })}
      <Button size="sm" onClick={() => onChange([...overrides, newOverride()])}>
        + Add override
      </Button>
    </fieldset>
  );
}
