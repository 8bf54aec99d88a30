"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { TextField } from "@/components/ui/Field";
import { TimeRangePicker } from "@/components/ui/TimeRangePicker";
import { useTimeRange } from "@/components/ui/useTimeRange";
import { canonicalJson } from "@/server/lib/canonical-json";
import { type Dashboard, type RowPanel, type VisualPanel } from "@/server/dashboards/model";
import { DashboardGrid } from "./DashboardGrid";
import { DashboardPanel, type PanelContext } from "./DashboardPanel";
import { DashboardSettings } from "./DashboardSettings";
import { alertAnnotationsTitle } from "./alert-annotations";
import { addPanel, addRow, applyGridLayout, duplicatePanel, expandRepeats, findPanel, removePanel, replacePanel, toggleRow, type RenderItem } from "./layout";
import { newPanel } from "./panel-edit";
import { PanelEditor } from "./PanelEditor";
import { RefreshPicker } from "./RefreshPicker";
import { useAlertAnnotations } from "./useAlertAnnotations";
import { useAutoRefresh } from "./useAutoRefresh";
import { useDashboardVariables } from "./useDashboardVariables";
import { VariablesBar } from "./VariablesBar";

/** What the page loads (or a new dashboard's starting point). */
export interface LoadedDashboard {
  uid: string | null;
  version: number;
  folderUid: string | null;
  folderTitle: string | null;
  dashboard: Dashboard;
  canEdit: boolean;
  provisioned: boolean;
  starred: boolean;
}

function downloadJson(name: string, value: unknown) {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `${name.replace(/[^\w.-]+/g, "_") || "dashboard"}.json`;
  a.click();
  URL.revokeObjectURL(a.href);
}

function RowHeader({ row, title, editing, canEdit, onToggle, onRemove, onRename }: { row: RowPanel; title: string; editing: boolean; canEdit: boolean; onToggle: () => void; onRemove: () => void; onRename: (t: string) => void }) {
  return (
    <div className="panel-drag-handle flex h-full items-center gap-2 border-b border-slate-200 text-sm dark:border-slate-800" data-testid={`row-${row.id}`}>
      <button type="button" className="panel-no-drag flex items-center gap-1.5 font-semibold text-slate-800 dark:text-slate-100" aria-expanded={!row.collapsed} onClick={onToggle}>
        <span aria-hidden>{row.collapsed ? "▸" : "▾"}</span>
        {title || "Row"}
        {row.collapsed && row.panels.length > 0 && <span className="text-xs font-normal text-slate-500">({row.panels.length} panels)</span>}
      </button>
      {editing && canEdit && (
        <span className="panel-no-drag flex gap-1">
          <Button
            size="sm"
            variant="ghost"
            aria-label={`Rename row ${title}`}
            onClick={() => {
              const t = window.prompt("Row title", row.title);
              if (t !== null) onRename(t);
            }}
          >
            ✎
          </Button>
          <Button size="sm" variant="ghost" aria-label={`Remove row ${title}`} onClick={onRemove}>
            ✕
          </Button>
        </span>
      )}
    </div>
  );
}

/**
 * The dashboard page: toolbar, variables, the grid, and the panel editor and settings overlays.
 * `canReadAlerts`: whether the viewer has alerts:read (undefined: unknown, asked and learnt).
 */
export function DashboardScreen({ loaded, canReadAlerts }: { loaded: LoadedDashboard; canReadAlerts?: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [saved, setSaved] = useState({ uid: loaded.uid, version: loaded.version, json: canonicalJson(loaded.dashboard), folderUid: loaded.folderUid });
  const [draft, setDraft] = useState<Dashboard>(loaded.dashboard);
  const [folderUid, setFolderUid] = useState<string | null>(loaded.folderUid);
  const [editing, setEditing] = useState(loaded.uid === null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [saveOpen, setSaveOpen] = useState(false);
  /** "Save as": a copy under a new uid (the way to change a provisioned dashboard). */
  const [saveAs, setSaveAs] = useState(false);
  const [copyTitle, setCopyTitle] = useState("");
  const [starred, setStarred] = useState(loaded.starred);
  const canEdit = loaded.canEdit && !loaded.provisioned;
  const dirty = canonicalJson(draft) !== saved.json || folderUid !== saved.folderUid;

  // ---- URL: range, refresh, variables, panel being edited or viewed ----
  const setParams = useCallback(
    (edit: (p: URLSearchParams) => void) => {
      const next = new URLSearchParams(window.location.search);
      edit(next);
      router.replace(`${pathname}?${next.toString()}`, { scroll: false });
    },
    [pathname, router],
  );
  useEffect(() => {
    // A first visit takes the dashboard's own default range and refresh.
    if (params.has("from") || params.has("to")) return;
    setParams((p) => {
      p.set("from", loaded.dashboard.time.from);
      p.set("to", loaded.dashboard.time.to);
      if (loaded.dashboard.refresh && !p.has("refresh")) p.set("refresh", loaded.dashboard.refresh);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on arrival
  }, []);
  const { setRange, resolved, refresh } = useTimeRange();
  const refreshEvery = params.get("refresh") ?? "";
  useAutoRefresh(refreshEvery, refresh);
  const editPanelId = Number(params.get("editPanel")) || null;
  const viewPanelId = Number(params.get("viewPanel")) || null;

  const range = useMemo(() => (resolved.ok ? { start: resolved.start.getTime(), end: resolved.end.getTime() } : null), [resolved]);
  const vars = useDashboardVariables(draft, range, params, setParams);

  // Alert annotations: the saved setting, which the toolbar's toggle overrides for this view.
  const [alertsOverride, setAlertsOverride] = useState<boolean | null>(null);
  const showAlerts = alertsOverride ?? draft.annotations.alerts.enabled;
  const alerts = useAlertAnnotations({ range, dashboard: draft, shown: showAlerts, canReadAlerts });
  const annotations = alerts.periods;

  const ctx: PanelContext | null = useMemo(() => {
    if (!range) return null;
    return {
      range,
      timezone: draft.timezone,
      chartGroup: draft.graphTooltip === "default" ? undefined : `dashboard-${loaded.uid ?? "new"}`,
      onZoom: (start, end) => setRange({ from: new Date(Math.round(start)).toISOString(), to: new Date(Math.round(end)).toISOString() }),
      interpolateText: vars.interpolateText,
      prepareTargets: vars.prepareTargets,
      intervalFor: vars.intervalFor,
      annotations,
    };
  }, [range, draft.timezone, draft.graphTooltip, loaded.uid, setRange, vars.interpolateText, vars.prepareTargets, vars.intervalFor, annotations]);

  const items = useMemo(() => expandRepeats(draft, vars.repeatValues), [draft, vars.repeatValues]);

  // Leaving with unsaved changes asks first.
  const dirtyRef = useRef(dirty);
  useEffect(() => {
    dirtyRef.current = dirty;
  });
  useEffect(() => {
    const onUnload = (e: BeforeUnloadEvent) => {
      if (dirtyRef.current) e.preventDefault();
    };
    window.addEventListener("beforeunload", onUnload);
    return () => window.removeEventListener("beforeunload", onUnload);
  }, []);

  // ---- saving ----
  const [message, setMessage] = useState("");
  const save = useMutation(
    trpc.dashboards.save.mutationOptions({
      onSuccess: (r, input) => {
        setSaveOpen(false);
        setMessage("");
        void queryClient.invalidateQueries({ queryKey: trpc.dashboards.list.queryKey() });
        if (saveAs) {
          setSaveAs(false);
          router.push(`/dashboards/d/${r.uid}?${new URLSearchParams(window.location.search).toString()}`);
          return;
        }
        setSaved({ uid: r.uid, version: r.version, json: canonicalJson(input.dashboard), folderUid });
        if (!loaded.uid) router.replace(`/dashboards/d/${r.uid}?${new URLSearchParams(window.location.search).toString()}`);
      },
    }),
  );
  const conflict = save.error && /version|changed|exists/i.test(save.error.message);
  function doSave(overwrite = false) {
    if (saveAs) save.mutate({ folderUid, dashboard: { ...draft, title: copyTitle.trim() || draft.title }, version: 0, message: message || undefined, overwrite });
    else save.mutate({ uid: saved.uid ?? undefined, folderUid, dashboard: draft, version: saved.version, message: message || undefined, overwrite });
  }
  function openSave(copy: boolean) {
    setSaveAs(copy);
    if (copy) setCopyTitle(`${draft.title} (copy)`);
    save.reset();
    setSaveOpen(true);
  }
  const star = useMutation(trpc.dashboards.star.mutationOptions({ onSuccess: (_r, v) => setStarred(v.starred) }));

  // ---- editing actions ----
  function editPanel(id: number | null) {
    setParams((p) => (id === null ? p.delete("editPanel") : p.set("editPanel", String(id))));
  }
  function addVisualization() {
    const { dashboard, id } = addPanel(draft, (pid) => newPanel(pid));
    setDraft(dashboard);
    setEditing(true);
    editPanel(id);
  }
  const menuFor = (it: RenderItem, panel: VisualPanel) => [
    { label: "View", onSelect: () => setParams((p) => p.set("viewPanel", String(panel.id))) },
    ...(canEdit && !it.clone
      ? [
          { label: "Edit", onSelect: () => editPanel(panel.id) },
          { label: "Duplicate", onSelect: () => setDraft(duplicatePanel(draft, panel.id)) },
          { label: "Remove", danger: true, onSelect: () => setDraft(removePanel(draft, panel.id)) },
        ]
      : []),
  ];

  if (!ctx) return <ErrorMessage title="Invalid time range">{resolved.ok ? "" : resolved.message}</ErrorMessage>;

  const editingPanel = editPanelId ? findPanel(draft, editPanelId) : undefined;
  const viewing = viewPanelId ? findPanel(draft, viewPanelId) : undefined;

  return (
    <div className="space-y-3" data-testid="dashboard">
      <div className="flex flex-wrap items-center gap-2">
        <nav aria-label="Breadcrumb" className="flex min-w-0 items-center gap-1.5 text-sm text-slate-500">
          <Link href="/dashboards" className="hover:underline">
            Dashboards
          </Link>
          <span aria-hidden>/</span>
          {loaded.folderTitle && (
            <>
              <span>{loaded.folderTitle}</span>
              <span aria-hidden>/</span>
            </>
          )}
          <h1 className="truncate text-lg font-semibold text-slate-900 dark:text-slate-100">{vars.interpolateText(draft.title, {})}</h1>
        </nav>
        {saved.uid && (
          <Button size="sm" variant="ghost" aria-label={starred ? "Unstar dashboard" : "Star dashboard"} aria-pressed={starred} onClick={() => star.mutate({ uid: saved.uid!, starred: !starred })}>
            {starred ? "★" : "☆"}
          </Button>
        )}
        {loaded.provisioned && <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600 dark:bg-slate-800 dark:text-slate-300">Provisioned (read-only)</span>}
        {dirty && <span className="text-xs text-amber-700 dark:text-amber-400">Unsaved changes</span>}
        <span className="flex-1" />
        {canEdit && editing && (
          <>
            <Button onClick={addVisualization}>+ Add panel</Button>
            <Button onClick={() => setDraft(addRow(draft))}>+ Add row</Button>
          </>
        )}
        {canEdit && (
          <Button variant={editing ? "secondary" : "ghost"} aria-pressed={editing} onClick={() => setEditing((e) => !e)}>
            {editing ? "Exit edit" : "Edit"}
          </Button>
        )}
        {canEdit && (
          <Button variant="primary" disabled={!dirty && saved.uid !== null} onClick={() => openSave(false)}>
            Save
          </Button>
        )}
        {loaded.canEdit && saved.uid && (
          <Button variant="ghost" onClick={() => openSave(true)}>
            Save as…
          </Button>
        )}
        {alerts.status.state !== "unavailable" && (
          <Button
            variant="ghost"
            aria-pressed={showAlerts}
            title={alertAnnotationsTitle(alerts.status, showAlerts)}
            onClick={() => setAlertsOverride(!showAlerts)}
            data-testid="alert-annotations-toggle"
            className={showAlerts ? undefined : "opacity-60"}
          >
            <span aria-hidden className={alerts.status.state === "error" ? "text-amber-600 dark:text-amber-400" : showAlerts ? "text-red-500" : undefined}>
              {alerts.status.state === "error" ? "⚠" : "◆"}
            </span>
            Alert annotations
          </Button>
        )}
        <Button variant="ghost" aria-label="Dashboard settings" onClick={() => setSettingsOpen(true)}>
          ⚙ Settings
        </Button>
        <Button variant="ghost" onClick={() => downloadJson(draft.title, { ...draft, uid: saved.uid ?? undefined })}>
          Export
        </Button>
        <TimeRangePicker onRefresh={refresh} />
        <RefreshPicker value={refreshEvery} onChange={(v) => setParams((p) => (v ? p.set("refresh", v) : p.delete("refresh")))} />
      </div>

      <VariablesBar views={vars.views} onChange={vars.setValues} />

      {viewing ? (
        <div className="h-[calc(100vh-12rem)]">
          <div className="mb-2">
            <Button size="sm" onClick={() => setParams((p) => p.delete("viewPanel"))}>
              ← Back to dashboard
            </Button>
          </div>
          <DashboardPanel panel={viewing} scopedVars={{}} ctx={ctx} width={1200} height={600} editing={false} menu={[]} />
        </div>
      ) : items.length === 0 ? (
        <div className="rounded border border-dashed border-slate-300 p-10 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
          This dashboard is empty.
          {canEdit && (
            <div className="mt-3">
              <Button variant="primary" onClick={addVisualization}>
                + Add a panel
              </Button>
            </div>
          )}
        </div>
      ) : (
        <DashboardGrid
          items={items}
          editing={editing && canEdit}
          onLayout={(l) => setDraft((d) => applyGridLayout(d, l))}
          render={(it, size) =>
            it.item.kind === "row" ? (
              <RowHeader
                row={it.item.row}
                title={vars.interpolateText(it.item.row.title, it.scopedVars)}
                editing={editing}
                canEdit={canEdit && !it.clone}
                onToggle={() => setDraft((d) => toggleRow(d, (it.item as { row: RowPanel }).row.id))}
                onRemove={() => setDraft((d) => removePanel(d, (it.item as { row: RowPanel }).row.id))}
                onRename={(t) => setDraft((d) => ({ ...d, panels: d.panels.map((p) => (p.id === (it.item as { row: RowPanel }).row.id ? { ...p, title: t } : p)) }))}
              />
            ) : (
              <DashboardPanel panel={it.item.panel} scopedVars={it.scopedVars} ctx={ctx} width={size.width} height={size.height} editing={editing && canEdit && !it.clone} menu={menuFor(it, it.item.panel)} />
            )
          }
        />
      )}

      {editingPanel && canEdit && (
        <PanelEditor
          initial={editingPanel}
          ctx={ctx}
          variables={draft.variables}
          onApply={(p) => {
            setDraft(replacePanel(draft, p));
            editPanel(null);
          }}
          onDiscard={() => editPanel(null)}
        />
      )}

      {settingsOpen && (
        <DashboardSettings
          uid={saved.uid}
          version={saved.version}
          dashboard={draft}
          onChange={(d) => {
            // The saved setting changed: the view follows it again.
            if (d.annotations.alerts.enabled !== draft.annotations.alerts.enabled) setAlertsOverride(null);
            setDraft(d);
          }}
          folderUid={folderUid}
          onFolder={setFolderUid}
          canEdit={canEdit}
          onClose={() => setSettingsOpen(false)}
          onRestored={() => {
            void queryClient.invalidateQueries({ queryKey: trpc.dashboards.byUid.queryKey({ uid: saved.uid! }) });
            setSettingsOpen(false);
          }}
        />
      )}

      <Dialog
        open={saveOpen}
        onClose={() => setSaveOpen(false)}
        title={saveAs ? "Save a copy" : saved.uid ? "Save dashboard" : "Save new dashboard"}
        footer={
          <>
            <Button variant="ghost" onClick={() => setSaveOpen(false)}>
              Cancel
            </Button>
            {conflict && (
              <Button variant="danger" busy={save.isPending} onClick={() => doSave(true)}>
                Overwrite
              </Button>
            )}
            <Button variant="primary" busy={save.isPending} onClick={() => doSave(false)}>
              Save
            </Button>
          </>
        }
      >
        <div className="space-y-3">
          {saveAs ? (
            <TextField id="save-title" label="Title" value={copyTitle} onChange={(e) => setCopyTitle(e.target.value)} />
          ) : (
            !saved.uid && <TextField id="save-title" label="Title" value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} />
          )}
          <TextField id="save-message" label="Message (optional)" value={message} onChange={(e) => setMessage(e.target.value)} placeholder="What changed" />
          {save.error && <ErrorMessage>{save.error.message}</ErrorMessage>}
        </div>
      </Dialog>
    </div>
  );
}

/** Loads a saved dashboard by uid and shows it. */
export function DashboardView({ uid, canReadAlerts }: { uid: string; canReadAlerts?: boolean }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.dashboards.byUid.queryOptions({ uid }, { staleTime: Infinity, refetchOnWindowFocus: false }));
  if (q.error) return <ErrorMessage title="Cannot open this dashboard">{q.error.message}</ErrorMessage>;
  if (!q.data) return <div className="h-40 animate-pulse rounded-md bg-slate-100 dark:bg-slate-900" aria-hidden />;
  const d = q.data;
  return (
    <DashboardScreen
      key={`${d.uid}@${d.version}`}
      canReadAlerts={canReadAlerts}
      loaded={{ uid: d.uid, version: d.version, folderUid: d.folderUid, folderTitle: d.folderTitle, dashboard: d.dashboard, canEdit: d.canEdit, provisioned: d.provisioned, starred: d.starred }}
    />
  );
}
