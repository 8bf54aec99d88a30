"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useTRPC, useTRPCClient } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card, CardBody, CardHeader } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { PageHeader } from "@/components/ui/PageHeader";
import { ProvisionedNote } from "@/components/ui/ProvisionedNote";
import { Select } from "@/components/ui/Select";
import { TBody, THead, Table, Td, Th, ThActions, Tr } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import type { AlertInstance } from "@/server/alerting/model";
import { Facts, LabelChips, Loading, primaryLinkClass, StateBadge } from "./bits";
import { COMPARISONS, EXEC_ERR_OPTIONS, groupWithoutRule, NO_DATA_OPTIONS } from "./rule-form";
import { newSilenceForm, type SilenceForm } from "./silence-form";
import { SilenceDialog } from "./SilenceDialog";
import { countsText, durationMsText, healthLabel, healthTone, valueText } from "./state";
import { StateTimeline } from "./StateTimeline";
import { timelines } from "./timeline";
import type { RuleDetails } from "./types";

const REFRESH_MS = 10_000;
const RANGES = [
  { label: "Last hour", ms: 3_600_000 },
  { label: "Last 6 hours", ms: 6 * 3_600_000 },
  { label: "Last 24 hours", ms: 24 * 3_600_000 },
  { label: "Last 7 days", ms: 7 * 24 * 3_600_000 },
] as const;

/** A rule: its query and settings, current instances, state history and last evaluation. */
export function RuleDetail({ uid, canWrite, canSilence, user }: { uid: string; canWrite: boolean; canSilence: boolean; user: string }) {
  const trpc = useTRPC();
  const details = useQuery(trpc.alertRules.byUid.queryOptions({ uid }, { refetchInterval: REFRESH_MS }));
  const [silencing, setSilencing] = useState<SilenceForm | null>(null);
  if (details.error) return <ErrorMessage title="Could not load the rule">{details.error.message}</ErrorMessage>;
  if (!details.data) return <Loading what="the rule" />;
  const d = details.data;
  const editable = canWrite && d.canEdit;
  return (
    <div className="space-y-4">
      <PageHeader
        title={d.rule.title}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span data-testid="rule-state">
              <StateBadge state={d.summary.state} />
            </span>
            {d.rule.paused && <Badge>paused</Badge>}
            <span>
              {d.group.folderTitle ?? "General"} › {d.group.name} · every {d.group.interval} · {countsText(d.summary.counts)}
            </span>
          </span>
        }
        actions={editable && <RuleActions details={d} />}
      />
      {d.group.provisioned && <ProvisionedNote what="alert rule" />}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader title="Rule" />
          <CardBody>
            <RuleFacts details={d} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Evaluation" />
          <CardBody className="space-y-3">
            <Facts
              items={[
                ["Last evaluation", <Timestamp key="l" value={d.summary.lastEvaluation ? new Date(d.summary.lastEvaluation) : null} relative />],
                ["Duration", durationMsText(d.summary.evaluationDurationMs)],
                ["Health", <Badge key="h" tone={healthTone(d.summary.health)}>{healthLabel(d.summary.health)}</Badge>],
                ["Next evaluation", <Timestamp key="n" value={d.summary.nextEvaluation ? new Date(d.summary.nextEvaluation) : null} relative fallback="—" />],
                ["State since", <Timestamp key="s" value={d.summary.stateSince ? new Date(d.summary.stateSince) : null} relative fallback="—" />],
              ]}
            />
            {d.summary.lastError && <ErrorMessage title="Last evaluation failed">{d.summary.lastError}</ErrorMessage>}
            <div>
              <h3 className="mb-1 text-xs font-semibold text-slate-600 dark:text-slate-300">Labels</h3>
              <LabelChips labels={d.rule.labels} />
            </div>
            <div>
              <h3 className="mb-1 text-xs font-semibold text-slate-600 dark:text-slate-300">Annotations</h3>
              {Object.keys(d.rule.annotations).length === 0 ? (
                <p className="text-xs text-slate-500">none</p>
              ) : (
                <Facts items={Object.entries(d.rule.annotations).map(([k, v]) => [<span key={k} className="font-mono text-xs">{k}</span>, <span key={`${k}-v`} className="font-mono text-xs whitespace-pre-wrap">{v}</span>])} />
              )}
            </div>
          </CardBody>
        </Card>
      </div>
      <Card>
        <CardHeader title="Instances">Each label set the query returned, with its state and last value.</CardHeader>
        <InstancesTable instances={d.instances} canSilence={canSilence} onSilence={(labels) => setSilencing(newSilenceForm({ now: Date.now(), createdBy: user, labels }))} />
      </Card>
      <HistoryCard details={d} />
      {silencing && <SilenceDialog initial={silencing} title="Silence alert" onClose={() => setSilencing(null)} />}
    </div>
  );
}

function RuleFacts({ details: d }: { details: RuleDetails }) {
  const q = d.rule.query;
  const cond = q.condition ? `${COMPARISONS.find((c) => c.op === q.condition!.op)?.label ?? q.condition.op} ${q.condition.threshold}` : "every series the expression returns";
  return (
    <div className="space-y-3">
      <div>
        <h3 className="mb-1 text-xs font-semibold text-slate-600 dark:text-slate-300">{q.kind === "promql" ? "PromQL expression" : "Log query"}</h3>
        <pre className="overflow-x-auto rounded bg-slate-50 px-2 py-1.5 font-mono text-xs whitespace-pre-wrap dark:bg-slate-950" data-testid="rule-query">
          {q.kind === "promql" ? q.expr : q.query || "(every event)"}
        </pre>
      </div>
      <Facts
        items={[
          ...(q.kind === "logs"
            ? ([
                ["Counted", `over the last ${q.window}${q.groupBy ? `, by ${q.groupBy}` : ""}`],
                ["Condition", `count ${cond}`],
              ] as [string, string][])
            : ([["Condition", q.condition ? `value ${cond}` : cond]] as [string, string][])),
          ["Pending period", d.rule.for],
          ["Keep firing for", d.rule.keepFiringFor ?? "—"],
          ["If no data", NO_DATA_OPTIONS.find((o) => o.value === d.rule.noDataState)?.label ?? d.rule.noDataState],
          ["If evaluation fails", EXEC_ERR_OPTIONS.find((o) => o.value === d.rule.execErrState)?.label ?? d.rule.execErrState],
        ]}
      />
    </div>
  );
}

function RuleActions({ details: d }: { details: RuleDetails }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [confirm, setConfirm] = useState(false);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.alertRules.pathKey() });
  const pause = useMutation(trpc.alertRules.setPaused.mutationOptions({ onSettled: invalidate }));
  const del = useMutation({
    mutationFn: async () => {
      const g = await client.alertRules.group.query({ id: d.group.id });
      await client.alertRules.save.mutate({ id: g.id, version: g.version, group: groupWithoutRule(g.group, d.rule.uid) });
    },
    onSuccess: async () => {
      await invalidate();
      router.push("/alerting/rules");
    },
  });
  return (
    <>
      {pause.error && <span className="text-xs text-red-600">{pause.error.message}</span>}
      <Button busy={pause.isPending} onClick={() => pause.mutate({ uid: d.rule.uid, paused: !d.rule.paused })}>
        {d.rule.paused ? "Resume" : "Pause"}
      </Button>
      <Button variant="ghost" onClick={() => setConfirm(true)}>
        Delete
      </Button>
      <Link href={`/alerting/rules/${encodeURIComponent(d.rule.uid)}/edit`} className={primaryLinkClass}>
        Edit
      </Link>
      <ConfirmDialog
        open={confirm}
        title={`Delete rule ${d.rule.title}?`}
        confirmLabel="Delete rule"
        busy={del.isPending}
        error={del.error && <ErrorMessage>{del.error.message}</ErrorMessage>}
        onClose={() => setConfirm(false)}
        onConfirm={() => del.mutate()}
      >
        <p>The rule is removed from the group {d.group.name}; its alerts resolve.</p>
      </ConfirmDialog>
    </>
  );
}

function InstancesTable({ instances, canSilence, onSilence }: { instances: AlertInstance[]; canSilence: boolean; onSilence: (labels: Record<string, string>) => void }) {
  if (instances.length === 0) return <p className="px-4 py-3 text-sm text-slate-500 dark:text-slate-400">No instances yet: the rule has not been evaluated, or its query returned nothing.</p>;
  return (
    <Table aria-label="Instances">
      <THead>
        <tr>
          <Th>State</Th>
          <Th>Labels</Th>
          <Th className="text-right">Value</Th>
          <Th>Since</Th>
          <Th>Summary</Th>
          {canSilence && (
            <ThActions />
          )}
        </tr>
      </THead>
      <TBody>
        {instances.map((i) => (
          <Tr key={i.fingerprint} data-testid="instance-row">
            <Td>
              <StateBadge state={i.state} />
            </Td>
            <Td>
              <LabelChips labels={i.labels} hide={["alertname"]} />
            </Td>
            <Td className="text-right font-mono text-xs tabular-nums">{valueText(i.value)}</Td>
            <Td>
              <Timestamp value={new Date(i.stateSince)} relative />
            </Td>
            <Td className="max-w-md text-xs">{i.error ?? i.annotations.summary ?? ""}</Td>
            {canSilence && (
              <Td className="text-right">
                {i.state !== "normal" && (
                  <Button size="sm" onClick={() => onSilence(i.labels)}>
                    Silence
                  </Button>
                )}
              </Td>
            )}
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

function HistoryCard({ details: d }: { details: RuleDetails }) {
  const trpc = useTRPC();
  const [rangeMs, setRangeMs] = useState<number>(RANGES[2].ms);
  // The range ends at the last refresh of the rule, so the query key stays stable between refreshes.
  const [to, setTo] = useState(() => Date.now());
  const from = to - rangeMs;
  const history = useQuery(trpc.alerts.history.queryOptions({ ruleUid: d.rule.uid, from, to, limit: 5000 }, { placeholderData: (p) => p }));
  const lines = useMemo(() => timelines(history.data ?? [], d.instances, { from, to }), [history.data, d.instances, from, to]);
  return (
    <Card>
      <CardHeader
        title="State history"
        actions={
          <>
            <Select aria-label="History period" className="w-40" value={rangeMs} onChange={(e) => setRangeMs(Number(e.target.value))}>
              {RANGES.map((r) => (
                <option key={r.ms} value={r.ms}>
                  {r.label}
                </option>
              ))}
            </Select>
            <Button size="sm" onClick={() => setTo(Date.now())}>
              Refresh
            </Button>
          </>
        }
      />
      <CardBody className="space-y-4">
        {history.error && <ErrorMessage>{history.error.message}</ErrorMessage>}
        <StateTimeline lines={lines} range={{ from, to }} hideLabels={["alertname"]} />
        {history.data && history.data.length > 0 && (
          <details>
            <summary className="cursor-pointer text-xs text-slate-600 dark:text-slate-300">{history.data.length} state changes</summary>
            <Table aria-label="State changes" className="mt-2">
              <THead>
                <tr>
                  <Th>Time</Th>
                  <Th>Labels</Th>
                  <Th>Change</Th>
                  <Th className="text-right">Value</Th>
                </tr>
              </THead>
              <TBody>
                {history.data.map((t) => (
                  <Tr key={t.id}>
                    <Td>
                      <Timestamp value={new Date(t.at)} />
                    </Td>
                    <Td>
                      <LabelChips labels={t.labels} hide={["alertname"]} />
                    </Td>
                    <Td className="whitespace-nowrap">
                      <StateBadge state={t.from} /> → <StateBadge state={t.to} />
                    </Td>
                    <Td className="text-right font-mono text-xs">{valueText(t.value)}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          </details>
        )}
      </CardBody>
    </Card>
  );
}
