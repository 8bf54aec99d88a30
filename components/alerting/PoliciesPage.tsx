"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card, CardBody, CardHeader } from "@/components/ui/Card";
import { Checkbox } from "@/components/ui/Checkbox";
import { ConfirmDialog, Dialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { SelectField, TextField } from "@/components/ui/Field";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { ProvisionedNote } from "@/components/ui/ProvisionedNote";
import { cn } from "@/components/ui/cn";
import { validateRoutingConfig } from "@/server/alerting/routing";
import type { RouteConfig, TimeInterval } from "@/server/alerting/model";
import { Loading } from "./bits";
import { InhibitRulesCard } from "./InhibitRulesCard";
import { MuteTimingsCard } from "./MuteTimingsCard";
import { StringListEditor } from "./RowEditors";
import {
  addChild,
  applyRouteNodeForm,
  effectiveSettings,
  groupByText,
  matcherStrings,
  moveRoute,
  policyName,
  problemRoutePath,
  removeRoute,
  routeAt,
  routeNodeForm,
  updateRoute,
  type RouteNodeErrors,
  type RouteNodeForm,
  type RoutePath,
} from "./route-tree";

/** Alerting → Notification policies: the route tree, mute timings and inhibition rules. */
export function PoliciesPage({ canWrite }: { canWrite: boolean }) {
  const trpc = useTRPC();
  // Not refetched behind the user's back: a new version would reset the tree being edited (a save against a stale version is refused with CONFLICT).
  const policies = useQuery(trpc.notificationPolicies.get.queryOptions(undefined, { staleTime: Infinity, refetchOnWindowFocus: false }));
  const points = useQuery(trpc.contactPoints.list.queryOptions());
  const timings = useQuery(trpc.notificationPolicies.muteTimings.queryOptions());
  const error = policies.error ?? points.error ?? timings.error;
  return (
    <div className="space-y-4">
      <PageHeader
        title="Notification policies"
        description="Each alert goes down the tree to the first matching policy (and to later siblings when a policy says continue); the policy picks the contact point, how alerts are grouped and how often they are sent."
      />
      {error && <ErrorMessage title="Could not load the notification policies">{error.message}</ErrorMessage>}
      {(!policies.data || !points.data || !timings.data) && !error && <Loading what="notification policies" />}
      {policies.data && points.data && timings.data && (
        <>
          {policies.data.provisioned && <ProvisionedNote what="notification configuration" />}
          <RouteTreeEditor
            key={policies.data.version}
            initial={policies.data.route}
            version={policies.data.version}
            receivers={points.data.map((p) => p.name)}
            timings={timings.data.map((t) => t.name)}
            timeIntervals={timings.data}
            readOnly={!canWrite || policies.data.provisioned}
          />
          <MuteTimingsCard timings={timings.data} readOnly={!canWrite || policies.data.provisioned} />
          <InhibitRulesCard readOnly={!canWrite || policies.data.provisioned} />
        </>
      )}
    </div>
  );
}

function RouteTreeEditor({
  initial,
  version,
  receivers,
  timings,
  timeIntervals,
  readOnly,
}: {
  initial: RouteConfig;
  version: number;
  receivers: string[];
  timings: string[];
  timeIntervals: TimeInterval[];
  readOnly: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [route, setRoute] = useState<RouteConfig>(initial);
  const [editing, setEditing] = useState<RoutePath | null>(null);
  const [removing, setRemoving] = useState<RoutePath | null>(null);
  const [saved, setSaved] = useState(false);
  const dirty = JSON.stringify(route) !== JSON.stringify(initial);
  const save = useMutation(
    trpc.notificationPolicies.save.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await queryClient.invalidateQueries({ queryKey: trpc.notificationPolicies.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.contactPoints.pathKey() });
      },
    }),
  );
  const problems = useMemo(
    () => validateRoutingConfig({ route, receivers: receivers.map((name) => ({ name })), time_intervals: timeIntervals }).filter((p) => p.path.startsWith("route")),
    [route, receivers, timeIntervals],
  );
  const badNodes = new Set(problems.map((p) => problemRoutePath(p.path)).filter((p): p is number[] => p !== null).map((p) => p.join(".")));
  const edit = (r: RouteConfig) => {
    setSaved(false);
    setRoute(r);
  };

  return (
    <section aria-label="Policy tree">
      <Card>
        <CardHeader
          title="Policy tree"
          actions={
            !readOnly && (
              <>
                {dirty && <Badge tone="amber">unsaved changes</Badge>}
                <Button size="sm" disabled={!dirty} onClick={() => edit(initial)}>
                  Discard changes
                </Button>
                <Button size="sm" variant="primary" disabled={!dirty || problems.length > 0} busy={save.isPending} onClick={() => save.mutate({ route, version })}>
                  Save policies
                </Button>
              </>
            )
          }
        >
          Child policies are tried in order; an alert matching none stays with its parent.
        </CardHeader>
        <CardBody className="space-y-3">
          {saved && !dirty && <Notice onDismiss={() => setSaved(false)}>Notification policies saved.</Notice>}
          {save.error && <ErrorMessage title="Could not save the policies">{save.error.message}</ErrorMessage>}
          {problems.length > 0 && (
            <ErrorMessage title="Fix these before saving">
              {problems.map((p) => `${describePath(p.path)}: ${p.message}`).join("\n")}
            </ErrorMessage>
          )}
          <PolicyNode root={route} path={[]} readOnly={readOnly} badNodes={badNodes} onEdit={setEditing} onAdd={(p) => {
            const next = addChild(route, p);
            edit(next.root);
            setEditing(next.path);
          }} onMove={(p, d) => edit(moveRoute(route, p, d).root)} onRemove={setRemoving} />
        </CardBody>
      </Card>
      {editing && routeAt(route, editing) && (
        <PolicyDialog
          path={editing}
          route={routeAt(route, editing)!}
          inherited={editing.length ? effectiveSettings(route, editing.slice(0, -1)) : null}
          receivers={receivers}
          timings={timings}
          onClose={() => setEditing(null)}
          onApply={(r) => {
            edit(updateRoute(route, editing, () => r));
            setEditing(null);
          }}
        />
      )}
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing ? policyName(removing) : ""}?`}
        confirmLabel="Remove policy"
        onClose={() => setRemoving(null)}
        onConfirm={() => {
          if (removing) edit(removeRoute(route, removing));
          setRemoving(null);
        }}
      >
        <p>The policy and its child policies are removed from the tree (saved with Save policies).</p>
      </ConfirmDialog>
    </section>
  );
}

/** `route.routes[0].matchers[1]` → `Policy 1: matchers[1]`. */
function describePath(path: string): string {
  const p = problemRoutePath(path);
  if (!p) return path;
  const rest = path.replace(/^route(\.routes\[\d+\])*\.?/, "");
  return `${policyName(p)}${rest ? ` (${rest})` : ""}`;
}

function PolicyNode({
  root,
  path,
  readOnly,
  badNodes,
  onEdit,
  onAdd,
  onMove,
  onRemove,
}: {
  root: RouteConfig;
  path: number[];
  readOnly: boolean;
  badNodes: Set<string>;
  onEdit: (p: RoutePath) => void;
  onAdd: (p: RoutePath) => void;
  onMove: (p: RoutePath, d: -1 | 1) => void;
  onRemove: (p: RoutePath) => void;
}) {
  const r = routeAt(root, path)!;
  const eff = effectiveSettings(root, path);
  const name = policyName(path);
  const matchers = matcherStrings(r);
  const siblings = path.length ? (routeAt(root, path.slice(0, -1))?.routes?.length ?? 0) : 0;
  const inherited = (k: "receiver" | "group_by" | "group_wait" | "group_interval" | "repeat_interval") => (!eff.own.has(k) && path.length > 0 ? <span className="text-slate-400"> (inherited)</span> : null);
  return (
    <section aria-label={name} className={cn(path.length === 0 ? "" : "border-l-2 border-slate-200 pl-4 dark:border-slate-700")} data-testid="policy">
      <div className={cn("rounded border px-3 py-2", badNodes.has(path.join(".")) ? "border-red-400 bg-red-50/50 dark:border-red-800 dark:bg-red-950/30" : "border-slate-200 dark:border-slate-800")}>
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div className="min-w-0 space-y-1">
            <div className="flex flex-wrap items-center gap-2">
              <span className="text-sm font-semibold">{name}</span>
              {path.length > 0 &&
                (matchers.length === 0 ? (
                  <Badge tone="neutral">matches every alert</Badge>
                ) : (
                  <ul className="flex flex-wrap gap-1" aria-label="Matchers">
                    {matchers.map((m, i) => (
                      <li key={i} className="rounded bg-blue-50 px-1.5 py-px font-mono text-[11px] text-blue-800 dark:bg-blue-950 dark:text-blue-200">
                        {m}
                      </li>
                    ))}
                  </ul>
                ))}
              {r.continue && <Badge tone="amber">continue</Badge>}
              {(r.mute_time_intervals ?? []).map((t) => (
                <Badge key={t} tone="purple" title="Mute timing">
                  muted: {t}
                </Badge>
              ))}
              {(r.active_time_intervals ?? []).map((t) => (
                <Badge key={t} tone="purple" title="Active only during">
                  active: {t}
                </Badge>
              ))}
            </div>
            <p className="text-xs text-slate-600 dark:text-slate-400">
              Contact point <span className="font-medium text-slate-800 dark:text-slate-200">{eff.receiver ?? "—"}</span>
              {inherited("receiver")} · group by {groupByText(eff.group_by)}
              {inherited("group_by")} · wait {eff.group_wait}
              {inherited("group_wait")} · interval {eff.group_interval}
              {inherited("group_interval")} · repeat {eff.repeat_interval}
              {inherited("repeat_interval")}
            </p>
          </div>
          {!readOnly && (
            <div className="flex shrink-0 flex-wrap items-center gap-1">
              <Button size="sm" onClick={() => onEdit(path)} aria-label={`Edit ${name}`}>
                Edit
              </Button>
              <Button size="sm" onClick={() => onAdd(path)} aria-label={`Add child policy to ${name}`}>
                Add child
              </Button>
              {path.length > 0 && (
                <>
                  <Button size="sm" variant="ghost" disabled={path[path.length - 1] === 0} onClick={() => onMove(path, -1)} aria-label={`Move ${name} up`}>
                    ↑
                  </Button>
                  <Button size="sm" variant="ghost" disabled={path[path.length - 1] === siblings - 1} onClick={() => onMove(path, 1)} aria-label={`Move ${name} down`}>
                    ↓
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => onRemove(path)} aria-label={`Remove ${name}`}>
                    Remove
                  </Button>
                </>
              )}
            </div>
          )}
        </div>
      </div>
      {r.routes && r.routes.length > 0 && (
        <div className="mt-2 space-y-2">
          {r.routes.map((_c, i) => (
            <PolicyNode key={i} root={root} path={[...path, i]} readOnly={readOnly} badNodes={badNodes} onEdit={onEdit} onAdd={onAdd} onMove={onMove} onRemove={onRemove} />
          ))}
        </div>
      )}
    </section>
  );
}

function PolicyDialog({
  path,
  route,
  inherited,
  receivers,
  timings,
  onClose,
  onApply,
}: {
  path: RoutePath;
  route: RouteConfig;
  inherited: ReturnType<typeof effectiveSettings> | null;
  receivers: string[];
  timings: string[];
  onClose: () => void;
  onApply: (r: RouteConfig) => void;
}) {
  const id = useId();
  const isRoot = path.length === 0;
  const [form, setForm] = useState<RouteNodeForm>(() => routeNodeForm(route));
  const [errors, setErrors] = useState<RouteNodeErrors>({});
  const set = <K extends keyof RouteNodeForm>(k: K, v: RouteNodeForm[K]) => setForm({ ...form, [k]: v });
  const f = (n: string) => `${id}-${n}`;
  const hint = (v: string | undefined, fallback: string) => (isRoot ? `Empty: ${fallback}.` : `Empty: inherited (${v ?? fallback}).`);

  function submit(e: FormEvent) {
    e.preventDefault();
    const r = applyRouteNodeForm(route, form, isRoot);
    setErrors(r.errors ?? {});
    if (r.route) onApply(r.route);
  }

  const toggle = (list: string[], name: string, on: boolean) => (on ? [...list, name] : list.filter((x) => x !== name));
  return (
    <Dialog
      open
      size="lg"
      onClose={onClose}
      title={`Edit ${policyName(path)}`}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form={f("form")} variant="primary">
            Apply
          </Button>
        </>
      }
    >
      <form id={f("form")} onSubmit={submit} noValidate className="space-y-3">
        {!isRoot && (
          <fieldset className="space-y-1">
            <legend className="text-xs font-medium text-slate-700 dark:text-slate-300">Matchers</legend>
            <p className="text-xs text-slate-500 dark:text-slate-400">Alertmanager matchers, one per row: severity=&quot;critical&quot;, team=~&quot;db|web&quot;, env!=&quot;dev&quot;. An alert must match all of them; none matches every alert.</p>
            <StringListEditor items={form.matchers} onChange={(m) => set("matchers", m)} noun="Matcher" placeholder='severity="critical"' errors={errors.matchers} />
          </fieldset>
        )}
        <SelectField id={f("receiver")} label="Contact point" value={form.receiver} error={errors.receiver} onChange={(e) => set("receiver", e.target.value)}>
          {isRoot ? <option value="">Choose…</option> : <option value="">Inherited ({inherited?.receiver ?? "none"})</option>}
          {receivers.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
          {form.receiver && !receivers.includes(form.receiver) && <option value={form.receiver}>{form.receiver} (not defined)</option>}
        </SelectField>
        <TextField id={f("group-by")} label="Group by" hint={`Label names separated by commas; ... groups by all labels. ${hint(inherited ? groupByText(inherited.group_by) : undefined, "one group")}`} value={form.groupBy} error={errors.groupBy} onChange={(e) => set("groupBy", e.target.value)} />
        <div className="grid gap-3 sm:grid-cols-3">
          <TextField id={f("wait")} label="Group wait" hint={hint(inherited?.group_wait, "30s")} value={form.groupWait} error={errors.groupWait} onChange={(e) => set("groupWait", e.target.value)} />
          <TextField id={f("interval")} label="Group interval" hint={hint(inherited?.group_interval, "5m")} value={form.groupInterval} error={errors.groupInterval} onChange={(e) => set("groupInterval", e.target.value)} />
          <TextField id={f("repeat")} label="Repeat interval" hint={hint(inherited?.repeat_interval, "4h")} value={form.repeatInterval} error={errors.repeatInterval} onChange={(e) => set("repeatInterval", e.target.value)} />
        </div>
        {!isRoot && (
          <>
            <Checkbox label="Continue matching sibling policies" description="Without it, the first matching sibling takes the alert." checked={form.continue} onChange={(e) => set("continue", e.target.checked)} />
            <fieldset className="space-y-1">
              <legend className="text-xs font-medium text-slate-700 dark:text-slate-300">Mute timings (no notifications during)</legend>
              {timings.length === 0 ? <p className="text-xs text-slate-500">No mute timings defined.</p> : timings.map((t) => <Checkbox key={t} label={t} checked={form.muteTimings.includes(t)} onChange={(e) => set("muteTimings", toggle(form.muteTimings, t, e.target.checked))} />)}
            </fieldset>
            <fieldset className="space-y-1">
              <legend className="text-xs font-medium text-slate-700 dark:text-slate-300">Active timings (notifications only during)</legend>
              {timings.length === 0 ? <p className="text-xs text-slate-500">No mute timings defined.</p> : timings.map((t) => <Checkbox key={t} label={t} checked={form.activeTimings.includes(t)} onChange={(e) => set("activeTimings", toggle(form.activeTimings, t, e.target.checked))} />)}
            </fieldset>
          </>
        )}
      </form>
    </Dialog>
  );
}
