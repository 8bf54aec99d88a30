"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Checkbox } from "@/components/ui/Checkbox";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { SelectField, TextareaField, TextField } from "@/components/ui/Field";
import { Textarea } from "@/components/ui/Input";
import { Timestamp } from "@/components/ui/Timestamp";
import { cn } from "@/components/ui/cn";
import { DashboardSchema, REFRESH_CHOICES, type Dashboard } from "@/server/dashboards/model";
import { parseMatcherLines } from "./alert-annotations";
import { VariablesEditor } from "./VariablesEditor";

type Tab = "general" | "variables" | "json" | "versions";

function GeneralTab({ d, onChange, folderUid, onFolder }: { d: Dashboard; onChange: (d: Dashboard) => void; folderUid: string | null; onFolder: (uid: string | null) => void }) {
  const id = useId();
  const trpc = useTRPC();
  const folders = useQuery(trpc.folders.list.queryOptions());
  return (
    <div className="grid max-w-2xl grid-cols-2 gap-4">
      <div className="col-span-2">
        <TextField id={`${id}-title`} label="Title" value={d.title} onChange={(e) => onChange({ ...d, title: e.target.value })} />
      </div>
      <div className="col-span-2">
        <TextareaField id={`${id}-desc`} label="Description" rows={2} value={d.description} onChange={(e) => onChange({ ...d, description: e.target.value })} />
      </div>
      <TextField
        id={`${id}-tags`}
        label="Tags"
        hint="Comma-separated"
        defaultValue={d.tags.join(", ")}
        onBlur={(e) =>
          onChange({
            ...d,
            tags: e.target.value
              .split(",")
              .map((t) => t.trim())
              .filter(Boolean),
          })
        }
      />
      <SelectField id={`${id}-folder`} label="Folder" value={folderUid ?? ""} onChange={(e) => onFolder(e.target.value || null)}>
        <option value="">General</option>
        {(folders.data ?? []).map((f) => (
          <option key={f.uid} value={f.uid}>
            {f.title}
          </option>
        ))}
      </SelectField>
      <TextField id={`${id}-from`} label="Default time from" value={d.time.from} onChange={(e) => onChange({ ...d, time: { ...d.time, from: e.target.value } })} />
      <TextField id={`${id}-to`} label="Default time to" value={d.time.to} onChange={(e) => onChange({ ...d, time: { ...d.time, to: e.target.value } })} />
      <SelectField id={`${id}-refresh`} label="Default auto-refresh" value={d.refresh} onChange={(e) => onChange({ ...d, refresh: e.target.value as Dashboard["refresh"] })}>
        {REFRESH_CHOICES.map((c) => (
          <option key={c || "off"} value={c}>
            {c || "Off"}
          </option>
        ))}
      </SelectField>
      <SelectField id={`${id}-tz`} label="Time zone" value={d.timezone} onChange={(e) => onChange({ ...d, timezone: e.target.value as Dashboard["timezone"] })}>
        <option value="browser">Browser</option>
        <option value="utc">UTC</option>
      </SelectField>
      <SelectField id={`${id}-tooltip`} label="Graph tooltip" value={d.graphTooltip} onChange={(e) => onChange({ ...d, graphTooltip: e.target.value as Dashboard["graphTooltip"] })}>
        <option value="default">Default (per panel)</option>
        <option value="crosshair">Shared crosshair</option>
        <option value="tooltip">Shared tooltip</option>
      </SelectField>
      <AlertAnnotationsFields d={d} onChange={onChange} />
    </div>
  );
}

/** Alert annotations: on/off and the matchers narrowing them (one Alertmanager matcher list per line). */
function AlertAnnotationsFields({ d, onChange }: { d: Dashboard; onChange: (d: Dashboard) => void }) {
  const id = useId();
  const alerts = d.annotations.alerts;
  const [text, setText] = useState(() => (alerts.matchers ?? []).join("\n"));
  const [errors, setErrors] = useState<string[]>([]);
  const setAlerts = (next: Partial<typeof alerts>) => onChange({ ...d, annotations: { ...d.annotations, alerts: { ...alerts, ...next } } });
  return (
    <fieldset className="col-span-2 space-y-2 rounded border border-slate-200 p-3 dark:border-slate-800">
      <legend className="px-1 text-sm font-medium text-slate-700 dark:text-slate-300">Annotations</legend>
      <Checkbox
        id={`${id}-alerts`}
        label="Alert annotations"
        description="Shade the periods alerts were firing (red), pending (amber), without data or in error (grey) on time series and log volume panels."
        checked={alerts.enabled}
        onChange={(e) => setAlerts({ enabled: e.target.checked })}
      />
      <TextareaField
        id={`${id}-alert-matchers`}
        label="Only alerts matching"
        hint={'One Alertmanager matcher list per line, e.g. severity="critical" or {team="ops", env=~"prod.*"}; all lines must match. Empty: every alert you can see.'}
        rows={2}
        value={text}
        disabled={!alerts.enabled}
        error={errors.length ? errors.join("; ") : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          const r = parseMatcherLines(text);
          setErrors(r.errors);
          if (r.errors.length === 0) setAlerts({ matchers: r.matchers });
        }}
      />
    </fieldset>
  );
}

function JsonTab({ d, onChange, canEdit }: { d: Dashboard; onChange: (d: Dashboard) => void; canEdit: boolean }) {
  const [text, setText] = useState(() => JSON.stringify(d, null, 2));
  const [error, setError] = useState<string | null>(null);
  function apply() {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      return setError(`Not JSON: ${(e as Error).message}`);
    }
    const r = DashboardSchema.safeParse(raw);
    if (!r.success) {
      const i = r.error.issues[0];
      return setError(`${i?.path.join(".") || "(root)"}: ${i?.message}`);
    }
    setError(null);
    onChange(r.data);
  }
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600 dark:text-slate-400">The dashboard&apos;s JSON model. Edit it and apply, or copy it to another Lookout.</p>
      <Textarea aria-label="Dashboard JSON model" value={text} onChange={(e) => setText(e.target.value)} rows={28} spellCheck={false} readOnly={!canEdit} />
      {error && <ErrorMessage>{error}</ErrorMessage>}
      <div className="flex gap-2">
        {canEdit && (
          <Button variant="primary" onClick={apply}>
            Apply JSON
          </Button>
        )}
        <Button onClick={() => void navigator.clipboard?.writeText(text)}>Copy to clipboard</Button>
      </div>
    </div>
  );
}

function DiffView({ diff }: { diff: string }) {
  return (
    <pre className="max-h-[28rem] overflow-auto rounded border border-slate-200 bg-white p-2 font-mono text-xs dark:border-slate-800 dark:bg-slate-950" data-testid="version-diff">
      {diff.split("\n").map((line, i) => (
        <div key={i} className={cn(line.startsWith("+") && !line.startsWith("+++") && "bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300", line.startsWith("-") && !line.startsWith("---") && "bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-300", line.startsWith("@@") && "text-sky-700 dark:text-sky-400")}>
          {line || " "}
        </div>
      ))}
    </pre>
  );
}

function VersionsTab({ uid, current, canEdit, onRestored }: { uid: string; current: number; canEdit: boolean; onRestored: () => void }) {
  const trpc = useTRPC();
  const versions = useQuery(trpc.dashboards.versions.queryOptions({ uid }));
  const [pick, setPick] = useState<number[]>([]);
  const [a, b] = [...pick].sort((x, y) => x - y);
  const diff = useQuery(trpc.dashboards.diff.queryOptions({ uid, from: a ?? 0, to: b ?? 0 }, { enabled: a !== undefined && b !== undefined }));
  const restore = useMutation(trpc.dashboards.restore.mutationOptions({ onSuccess: onRestored }));
  if (versions.error) return <ErrorMessage>{versions.error.message}</ErrorMessage>;
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600 dark:text-slate-400">Tick two versions to compare them.</p>
      <table className="w-full text-sm">
        <thead className="text-left text-xs text-slate-500">
          <tr>
            <th className="w-8" />
            <th>Version</th>
            <th>Saved</th>
            <th>By</th>
            <th>Message</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(versions.data ?? []).map((v) => (
            <tr key={v.version} className="border-t border-slate-200 dark:border-slate-800">
              <td>
                <input
                  type="checkbox"
                  aria-label={`Compare version ${v.version}`}
                  checked={pick.includes(v.version)}
                  onChange={(e) => setPick((p) => (e.target.checked ? [...p.slice(-1), v.version] : p.filter((x) => x !== v.version)))}
                />
              </td>
              <td className="py-1.5 font-mono">{v.version}</td>
              <td>
                <Timestamp value={v.createdAt} />
              </td>
              <td>{v.createdBy ?? "—"}</td>
              <td className="max-w-72 truncate">{v.message || (v.version === current ? "Latest" : "")}</td>
              <td className="text-right">
                {canEdit && v.version !== current && (
                  <Button size="sm" busy={restore.isPending && restore.variables?.version === v.version} onClick={() => restore.mutate({ uid, version: v.version })}>
                    Restore
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {restore.error && <ErrorMessage>{restore.error.message}</ErrorMessage>}
      {diff.data && <DiffView diff={diff.data.diff} />}
    </div>
  );
}

/** Dashboard settings: general, variables, JSON model, versions (Grafana's settings view). */
export function DashboardSettings({
  uid,
  version,
  dashboard,
  onChange,
  folderUid,
  onFolder,
  canEdit,
  onClose,
  onRestored,
}: {
  uid: string | null;
  version: number;
  dashboard: Dashboard;
  onChange: (d: Dashboard) => void;
  folderUid: string | null;
  onFolder: (uid: string | null) => void;
  canEdit: boolean;
  onClose: () => void;
  onRestored: () => void;
}) {
  const [tab, setTab] = useState<Tab>("general");
  const tabs: [Tab, string][] = [
    ["general", "General"],
    ["variables", "Variables"],
    ["json", "JSON model"],
    ...(uid ? ([["versions", "Versions"]] as [Tab, string][]) : []),
  ];
  return (
    <div role="dialog" aria-modal="true" aria-label="Dashboard settings" className="fixed inset-0 z-40 flex flex-col bg-slate-50 dark:bg-slate-950">
      <div className="flex items-center gap-2 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <h2 className="text-base font-semibold">Settings: {dashboard.title}</h2>
        <span className="flex-1" />
        <Button variant="primary" onClick={onClose}>
          Back to dashboard
        </Button>
      </div>
      <div className="flex min-h-0 flex-1">
        <nav aria-label="Settings sections" className="w-48 shrink-0 border-r border-slate-200 p-2 dark:border-slate-800">
          {tabs.map(([t, label]) => (
            <button
              key={t}
              type="button"
              aria-current={tab === t ? "page" : undefined}
              onClick={() => setTab(t)}
              className={cn("block w-full rounded px-3 py-1.5 text-left text-sm", tab === t ? "bg-blue-50 font-medium text-blue-800 dark:bg-blue-950 dark:text-blue-200" : "hover:bg-slate-100 dark:hover:bg-slate-800")}
            >
              {label}
            </button>
          ))}
        </nav>
        <div className="min-w-0 flex-1 overflow-auto p-6">
          {tab === "general" && <GeneralTab d={dashboard} onChange={onChange} folderUid={folderUid} onFolder={onFolder} />}
          {tab === "variables" && <VariablesEditor variables={dashboard.variables} onChange={(variables) => onChange({ ...dashboard, variables })} />}
          {tab === "json" && <JsonTab d={dashboard} onChange={onChange} canEdit={canEdit} />}
          {tab === "versions" && uid && <VersionsTab uid={uid} current={version} canEdit={canEdit} onRestored={onRestored} />}
        </div>
      </div>
    </div>
  );
}
