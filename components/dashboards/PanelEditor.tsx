"use client";

import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useEffect, useId, useRef, useState, type RefObject } from "react";
import { PANEL_DEFINITIONS, PanelOptionsEditor } from "@/components/panels/registry";
import { UNITS } from "@/components/charts/value-format";
import { OverridesEditor, ValueMappingsEditor } from "@/components/panels/common/FieldConfigEditors";
import { useTRPC, useTRPCClient } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Checkbox } from "@/components/ui/Checkbox";
import { Field, SelectField, TextareaField, TextField } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { Select } from "@/components/ui/Select";
import type { QuerySuggestions } from "@/components/discover/LogQueryEditor";
import type { FieldInfo } from "@/server/logs/query/ast";
import type { FieldDefaults, LogTarget, PanelType, PromTarget, Target, Variable, VisualPanel } from "@/server/dashboards/model";
import { DashboardPanel, type PanelContext } from "./DashboardPanel";
import { addTarget, addThreshold, changePanelType, removeTarget, sortThresholds, updateTarget } from "./panel-edit";

const PromQLEditor = dynamic(() => import("@/components/metrics/PromQLEditor"), { ssr: false, loading: () => <div className="h-9 rounded border border-slate-300 dark:border-slate-700" /> });
const LogQueryEditor = dynamic(() => import("@/components/discover/LogQueryEditor"), { ssr: false, loading: () => <div className="h-9 rounded border border-slate-300 dark:border-slate-700" /> });

const optionalNumber = (s: string): number | undefined => (s.trim() === "" || !Number.isFinite(Number(s)) ? undefined : Number(s));
const optionalText = (s: string): string | undefined => (s.trim() === "" ? undefined : s.trim());

function PromTargetEditor({ target, onChange, onRun }: { target: PromTarget; onChange: (t: PromTarget) => void; onRun: () => void }) {
  const idp = useId();
  return (
    <div className="space-y-2">
      <PromQLEditor value={target.expr} onChange={(expr) => onChange({ ...target, expr })} onRun={onRun} label={`Query ${target.refId}`} placeholder="PromQL, e.g. sum by (job) (rate(http_requests_total[$__rate_interval]))" />
      <div className="flex flex-wrap items-end gap-3">
        <TextField id={`${idp}-legend`} label="Legend" value={target.legendFormat ?? ""} placeholder="{{instance}}" onChange={(e) => onChange({ ...target, legendFormat: optionalText(e.target.value) })} />
        <TextField id={`${idp}-min-interval`} label="Min interval" value={target.interval ?? ""} placeholder="15s" onChange={(e) => onChange({ ...target, interval: optionalText(e.target.value) })} />
        <Checkbox label="Instant" checked={target.instant} onChange={(e) => onChange({ ...target, instant: e.target.checked })} />
      </div>
    </div>
  );
}

function LogTargetEditor({ target, onChange, onRun, suggestions }: { target: LogTarget; onChange: (t: LogTarget) => void; onRun: () => void; suggestions: RefObject<QuerySuggestions> }) {
  const idp = useId();
  return (
    <div className="space-y-2">
      <LogQueryEditor value={target.query} onChange={(query) => onChange({ ...target, query })} onRun={onRun} suggestions={suggestions} label={`Log query ${target.refId}`} placeholder="Log query, e.g. level:error AND service:$service" />
      <div className="flex flex-wrap items-end gap-3">
        <SelectField id={`${idp}-shows`} label="Shows" value={target.mode} onChange={(e) => onChange({ ...target, mode: e.target.value as LogTarget["mode"] })}>
          <option value="lines">Newest lines</option>
          <option value="volume">Volume by level</option>
          <option value="count">Count per interval</option>
        </SelectField>
        <TextField id={`${idp}-lines`} label="Lines" type="number" min={1} max={1000} value={target.limit} onChange={(e) => onChange({ ...target, limit: Math.min(1000, Math.max(1, Number(e.target.value) || 100)) })} />
      </div>
    </div>
  );
}

function ThresholdsEditor({ defaults, onChange }: { defaults: FieldDefaults; onChange: (d: FieldDefaults) => void }) {
  const th = defaults.thresholds ?? { mode: "absolute" as const, steps: [{ value: null, color: "green" }] };
  const steps = sortThresholds(th.steps);
  const set = (next: typeof steps) => onChange({ ...defaults, thresholds: { ...th, steps: next } });
  return (
    <fieldset className="space-y-1.5">
      <legend className="text-xs font-medium text-slate-600 dark:text-slate-400">Thresholds</legend>
      {[...steps].reverse().map((s, ri) => {
        const i = steps.length - 1 - ri;
        return (
          <div key={i} className="flex items-center gap-1.5">
            <Input aria-label={`Threshold ${i} colour`} value={s.color} className="w-24" onChange={(e) => set(steps.map((x, j) => (j === i ? { ...x, color: e.target.value } : x)))} />
            {s.value === null ? (
              <span className="text-xs text-slate-500">Base</span>
            ) : (
              <>
                <Input aria-label={`Threshold ${i} value`} type="number" value={s.value} className="w-24" onChange={(e) => set(steps.map((x, j) => (j === i ? { ...x, value: Number(e.target.value) } : x)))} />
                <Button size="sm" variant="ghost" aria-label={`Remove threshold ${i}`} onClick={() => set(steps.filter((_, j) => j !== i))}>
                  ✕
                </Button>
              </>
            )}
          </div>
        );
      })}
      <div className="flex items-center gap-2">
        <Button size="sm" onClick={() => set(addThreshold(steps))}>
          + Add threshold
        </Button>
        <Select aria-label="Threshold mode" value={th.mode} onChange={(e) => onChange({ ...defaults, thresholds: { ...th, mode: e.target.value as "absolute" | "percentage" } })} className="w-32">
          <option value="absolute">Absolute</option>
          <option value="percentage">Percentage</option>
        </Select>
      </div>
    </fieldset>
  );
}

/**
 * The panel editor (Grafana's): a live preview on top, the queries below, and the panel's
 * settings on the right. Nothing reaches the dashboard until Apply.
 */
export function PanelEditor({
  initial,
  ctx,
  variables,
  onApply,
  onDiscard,
}: {
  initial: VisualPanel;
  ctx: PanelContext;
  variables: Variable[];
  onApply: (p: VisualPanel) => void;
  onDiscard: () => void;
}) {
  const idp = useId();
  const [panel, setPanel] = useState<VisualPanel>(initial);
  // The preview runs what was last "run" (Shift+Enter or the button), not every keystroke.
  const [preview, setPreview] = useState<VisualPanel>(initial);
  const run = () => setPreview(panel);
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const fields = useQuery(trpc.logs.fields.queryOptions(undefined, { staleTime: 60_000 }));
  const suggestions = useRef<QuerySuggestions>({ fields: () => [], values: async () => [] });
  useEffect(() => {
    const known: readonly FieldInfo[] = fields.data?.fields ?? [];
    suggestions.current = {
      fields: () => known,
      values: async (field, prefix, signal) => (await trpcClient.logs.values.query({ field, prefix, start: ctx.range.start, end: ctx.range.end }, { signal })).values,
    };
  }, [fields.data, trpcClient, ctx.range.start, ctx.range.end]);

  // Non-query settings apply to the preview at once.
  useEffect(() => {
    setPreview((p) => ({ ...panel, targets: p.targets }) as VisualPanel);
  }, [panel]);

  const defaults = panel.fieldConfig.defaults;
  const setDefaults = (d: FieldDefaults) => setPanel({ ...panel, fieldConfig: { ...panel.fieldConfig, defaults: d } });

  return (
    <div role="dialog" aria-modal="true" aria-label="Edit panel" className="fixed inset-0 z-40 flex flex-col bg-slate-50 dark:bg-slate-950">
      <div className="flex items-center gap-2 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <h2 className="text-base font-semibold">Edit panel</h2>
        <span className="flex-1" />
        <Button onClick={run}>Refresh preview</Button>
        <Button variant="ghost" onClick={onDiscard}>
          Discard
        </Button>
        <Button variant="primary" onClick={() => onApply(panel)}>
          Apply
        </Button>
      </div>
      <div className="flex min-h-0 flex-1">
        <div className="flex min-w-0 flex-1 flex-col gap-3 overflow-auto p-4">
          <div className="h-80 shrink-0" data-testid="panel-preview">
            <DashboardPanel panel={preview} scopedVars={{}} ctx={ctx} width={900} height={320} editing={false} menu={[]} />
          </div>
          {panel.type !== "text" && (
            <section aria-label="Queries" className="space-y-3">
              {panel.targets.map((t, i) => (
                <div key={t.refId} className="rounded border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900" data-testid={`query-${t.refId}`}>
                  <div className="mb-2 flex items-center gap-2 text-sm">
                    <span className="font-mono font-semibold">{t.refId}</span>
                    <Select
                      aria-label={`Query ${t.refId} language`}
                      value={t.kind}
                      className="w-36"
                      onChange={(e) => {
                        const kind = e.target.value as Target["kind"];
                        const fresh = addTarget({ ...panel, targets: [] }, kind).targets[0]!;
                        setPanel(updateTarget(panel, i, { ...fresh, refId: t.refId }));
                      }}
                    >
                      <option value="promql">PromQL</option>
                      <option value="logs">Logs</option>
                    </Select>
                    <span className="flex-1" />
                    <Checkbox label="Hide" checked={t.hide} onChange={(e) => setPanel(updateTarget(panel, i, { ...t, hide: e.target.checked }))} />
                    <Button size="sm" variant="ghost" aria-label={`Remove query ${t.refId}`} onClick={() => setPanel(removeTarget(panel, i))}>
                      ✕
                    </Button>
                  </div>
                  {t.kind === "promql" ? (
                    <PromTargetEditor target={t} onChange={(n) => setPanel(updateTarget(panel, i, n))} onRun={run} />
                  ) : (
                    <LogTargetEditor target={t} onChange={(n) => setPanel(updateTarget(panel, i, n))} onRun={run} suggestions={suggestions} />
                  )}
                </div>
              ))}
              <div className="flex gap-2">
                <Button onClick={() => setPanel(addTarget(panel, "promql"))}>+ PromQL query</Button>
                <Button onClick={() => setPanel(addTarget(panel, "logs"))}>+ Log query</Button>
              </div>
            </section>
          )}
        </div>
        <aside aria-label="Panel options" className="w-96 shrink-0 space-y-4 overflow-auto border-l border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <SelectField id={`${idp}-visualization`} label="Visualization" value={panel.type} onChange={(e) => setPanel(changePanelType(panel, e.target.value as PanelType))}>
            {PANEL_DEFINITIONS.map((d) => (
              <option key={d.type} value={d.type}>
                {d.name}
              </option>
            ))}
          </SelectField>
          <TextField id={`${idp}-title`} label="Title" value={panel.title} onChange={(e) => setPanel({ ...panel, title: e.target.value })} />
          <TextareaField id={`${idp}-description`} label="Description" value={panel.description ?? ""} rows={2} onChange={(e) => setPanel({ ...panel, description: optionalText(e.target.value) })} />
          <PanelOptionsEditor panel={panel} onChange={setPanel} />
          {panel.type !== "text" && panel.type !== "logs" && (
            <fieldset className="space-y-2">
              <legend className="text-sm font-semibold">Standard options</legend>
              <SelectField id={`${idp}-unit`} label="Unit" value={defaults.unit ?? ""} onChange={(e) => setDefaults({ ...defaults, unit: optionalText(e.target.value) })}>
                <option value="">Default</option>
                {UNITS.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.label}
                  </option>
                ))}
              </SelectField>
              <div className="grid grid-cols-3 gap-2">
                <TextField id={`${idp}-min`} label="Min" type="number" value={defaults.min ?? ""} onChange={(e) => setDefaults({ ...defaults, min: optionalNumber(e.target.value) })} />
                <TextField id={`${idp}-max`} label="Max" type="number" value={defaults.max ?? ""} onChange={(e) => setDefaults({ ...defaults, max: optionalNumber(e.target.value) })} />
                <TextField id={`${idp}-decimals`} label="Decimals" type="number" min={0} max={10} value={defaults.decimals ?? ""} onChange={(e) => setDefaults({ ...defaults, decimals: optionalNumber(e.target.value) })} />
              </div>
              <TextField id={`${idp}-display-name`} label="Display name" value={defaults.displayName ?? ""} placeholder="{{instance}}" onChange={(e) => setDefaults({ ...defaults, displayName: optionalText(e.target.value) })} />
              <TextField id={`${idp}-no-value`} label="No value" value={defaults.noValue ?? ""} onChange={(e) => setDefaults({ ...defaults, noValue: optionalText(e.target.value) })} />
              <ThresholdsEditor defaults={defaults} onChange={setDefaults} />
              <ValueMappingsEditor mappings={defaults.mappings ?? []} onChange={(mappings) => setDefaults({ ...defaults, mappings })} />
              <OverridesEditor overrides={panel.fieldConfig.overrides} onChange={(overrides) => setPanel({ ...panel, fieldConfig: { ...panel.fieldConfig, overrides } })} />
            </fieldset>
          )}
          <fieldset className="space-y-2">
            <legend className="text-sm font-semibold">Time and repeat</legend>
            <div className="grid grid-cols-2 gap-2">
              <TextField id={`${idp}-relative-time`} label="Relative time" placeholder="1h" value={panel.timeFrom ?? ""} onChange={(e) => setPanel({ ...panel, timeFrom: optionalText(e.target.value) })} />
              <TextField id={`${idp}-time-shift`} label="Time shift" placeholder="1d" value={panel.timeShift ?? ""} onChange={(e) => setPanel({ ...panel, timeShift: optionalText(e.target.value) })} />
              <TextField id={`${idp}-min-interval`} label="Min interval" placeholder="30s" value={panel.interval ?? ""} onChange={(e) => setPanel({ ...panel, interval: optionalText(e.target.value) })} />
              <TextField id={`${idp}-max-data-points`} label="Max data points" type="number" value={panel.maxDataPoints ?? ""} onChange={(e) => setPanel({ ...panel, maxDataPoints: optionalNumber(e.target.value) })} />
            </div>
            <Field id={`${idp}-repeat`} label="Repeat for">
              {(
                <Select id={`${idp}-repeat`} value={panel.repeat ?? ""} onChange={(e) => setPanel({ ...panel, repeat: optionalText(e.target.value) })}>
                  <option value="">Disabled</option>
                  {variables
                    .filter((v) => v.type === "query" || v.type === "custom")
                    .map((v) => (
                      <option key={v.name} value={v.name}>
                        {v.name}
                      </option>
                    ))}
                </Select>
              )}
            </Field>
            {panel.repeat && (
              <div className="grid grid-cols-2 gap-2">
                <SelectField id={`${idp}-direction`} label="Direction" value={panel.repeatDirection} onChange={(e) => setPanel({ ...panel, repeatDirection: e.target.value as "h" | "v" })}>
                  <option value="h">Horizontal</option>
                  <option value="v">Vertical</option>
                </SelectField>
                <TextField id={`${idp}-max-per-row`} label="Max per row" type="number" min={1} max={24} value={panel.maxPerRow ?? ""} onChange={(e) => setPanel({ ...panel, maxPerRow: optionalNumber(e.target.value) })} />
              </div>
            )}
          </fieldset>
        </aside>
      </div>
    </div>
  );
}
