"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/Dialog";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { Input } from "@/components/ui/Input";
import { PageHeader } from "@/components/ui/PageHeader";
import { ProvisionedBadge } from "@/components/ui/ProvisionedNote";
import { Select } from "@/components/ui/Select";
import { TBody, THead, Table, Td, Th, ThActions, Tr } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import { useDebounced } from "@/components/ui/useDebounced";
import type { AlertState } from "@/server/alerting/model";
import { LabelChips, linkClass, Loading, primaryLinkClass, smallLinkClass, StateBadge } from "./bits";
import { ImportRulesDialog } from "./ImportRulesDialog";
import { RuleGroupDialog } from "./RuleGroupDialog";
import { ALERT_STATES, countsText, durationMsText, healthLabel, healthTone, stateLabel } from "./state";
import type { RuleGroupSummary, RuleSummary } from "./types";
import { FolderIcon } from "@/components/ui/FolderIcon";

const REFRESH_MS = 10_000;

/** Alerting → Alert rules: every rule group by folder, each rule's state and last evaluation. */
export function RulesList({ canWrite }: { canWrite: boolean }) {
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [state, setState] = useState<AlertState | "">("");
  const query = useDebounced(search.trim(), 250);
  const input = { ...(query ? { query } : {}), ...(state ? { states: [state] } : {}) };
  const groups = useQuery(trpc.alertRules.list.queryOptions(input, { refetchInterval: REFRESH_MS, placeholderData: (prev) => prev }));
  const [importing, setImporting] = useState(false);
  const [editing, setEditing] = useState<RuleGroupSummary | null>(null);
  const [deleting, setDeleting] = useState<RuleGroupSummary | null>(null);

  const folders = new Map<string, RuleGroupSummary[]>();
  for (const g of groups.data ?? []) {
    const key = g.folderTitle ?? "General";
    folders.set(key, [...(folders.get(key) ?? []), g]);
  }
  const filtered = !!(query || state);

  return (
    <div className="space-y-4">
      <PageHeader
        title="Alert rules"
        description="Rules evaluated on their group's interval; each label set a rule returns is an alert instance (normal, pending, firing, no data, error)."
        actions={
          canWrite && (
            <>
              <Button onClick={() => setImporting(true)}>Import rule file</Button>
              <Link href="/alerting/rules/new" className={primaryLinkClass}>
                New rule
              </Link>
            </>
          )
        }
      />
      <div role="search" aria-label="Filter rules" className="flex flex-wrap items-center gap-2">
        <Input aria-label="Search rules" placeholder="Search by rule or group name" className="w-72" value={search} onChange={(e) => setSearch(e.target.value)} />
        <Select aria-label="State" className="w-40" value={state} onChange={(e) => setState(e.target.value as AlertState | "")}>
          <option value="">Any state</option>
          {ALERT_STATES.map((s) => (
            <option key={s} value={s}>
              {stateLabel(s)}
            </option>
          ))}
        </Select>
        <span className="text-xs text-slate-500 dark:text-slate-400" aria-live="polite">
          {groups.dataUpdatedAt ? (
            <>
              Updated <Timestamp value={new Date(groups.dataUpdatedAt)} /> · refreshes every 10 s
            </>
          ) : null}
        </span>
      </div>
      {groups.error && <ErrorMessage title="Could not load the alert rules">{groups.error.message}</ErrorMessage>}
      {groups.isPending && <Loading what="alert rules" />}
      {groups.data?.length === 0 &&
        (filtered ? (
          <EmptyState title="No rules match">Change the search or the state filter.</EmptyState>
        ) : (
          <EmptyState
            title="No alert rules yet"
            action={
              canWrite && (
                <Link href="/alerting/rules/new" className={primaryLinkClass}>
                  New rule
                </Link>
              )
            }
          >
            A rule is a PromQL expression or a log query with a condition; it fires when the condition has held for its pending period. Prometheus rule files can be imported.
          </EmptyState>
        ))}
      {[...folders.entries()].map(([folder, list]) => (
        <section key={folder} aria-label={`Folder ${folder}`} className="space-y-3">
          <h2 className="flex items-center gap-2 text-sm font-semibold text-slate-700 dark:text-slate-300">
            <FolderIcon className="size-4 text-slate-400" /> {folder}
          </h2>
          {list.map((g) => (
            <GroupCard key={g.id} group={g} canWrite={canWrite} onEdit={() => setEditing(g)} onDelete={() => setDeleting(g)} />
          ))}
        </section>
      ))}
      {importing && <ImportRulesDialog onClose={() => setImporting(false)} />}
      {editing && <RuleGroupDialog group={editing} onClose={() => setEditing(null)} />}
      {deleting && <DeleteGroupDialog group={deleting} onClose={() => setDeleting(null)} />}
    </div>
  );
}

function GroupCard({ group, canWrite, onEdit, onDelete }: { group: RuleGroupSummary; canWrite: boolean; onEdit: () => void; onDelete: () => void }) {
  const editable = canWrite && group.canEdit;
  return (
    <section aria-label={`Rule group ${group.name}`} data-testid="rule-group">
      <Card>
        <CardHeader
          level={3}
          title={
            <span className="flex flex-wrap items-center gap-2">
              {group.name}
              {group.provisioned && <ProvisionedBadge />}
              <span className="text-xs font-normal text-slate-500 dark:text-slate-400">every {group.interval}</span>
            </span>
          }
          actions={
            editable && (
              <>
                <Link href={`/alerting/rules/new?group=${encodeURIComponent(group.id)}`} className={smallLinkClass} aria-label={`New rule in ${group.name}`}>
                  New rule
                </Link>
                <Button size="sm" onClick={onEdit} aria-label={`Edit group ${group.name}`}>
                  Edit group
                </Button>
                <Button size="sm" variant="ghost" onClick={onDelete} aria-label={`Delete group ${group.name}`}>
                  Delete
                </Button>
              </>
            )
          }
        />
        {group.rules.length === 0 ? (
          <p className="px-4 py-3 text-sm text-slate-500 dark:text-slate-400">No rules in this group.</p>
        ) : (
          <Table>
            <THead>
              <tr>
                <Th>State</Th>
                <Th>Rule</Th>
                <Th>Since</Th>
                <Th>Instances</Th>
                <Th>Last evaluation</Th>
                <Th>Health</Th>
                {editable && (
                  <ThActions />
                )}
              </tr>
            </THead>
            <TBody>
              {group.rules.map((r) => (
                <RuleRow key={r.uid} rule={r} editable={editable} />
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </section>
  );
}

function RuleRow({ rule, editable }: { rule: RuleSummary; editable: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pause = useMutation(trpc.alertRules.setPaused.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.alertRules.pathKey() }) }));
  return (
    <Tr data-testid="rule-row" aria-label={`Rule ${rule.title}`}>
      <Td>
        <span className="flex items-center gap-1">
          <StateBadge state={rule.state} />
          {rule.paused && <Badge tone="neutral">paused</Badge>}
        </span>
      </Td>
      <Td className="min-w-56">
        <Link href={`/alerting/rules/${encodeURIComponent(rule.uid)}`} className={`${linkClass} font-medium`}>
          {rule.title}
        </Link>
        <span className="ml-2 text-[11px] text-slate-500 uppercase dark:text-slate-400">{rule.kind === "promql" ? "PromQL" : "logs"}</span>
        <LabelChips labels={rule.labels} className="mt-1" />
      </Td>
      <Td>
        <Timestamp value={rule.stateSince ? new Date(rule.stateSince) : null} relative fallback="—" />
      </Td>
      <Td className="text-xs whitespace-nowrap">{countsText(rule.counts)}</Td>
      <Td className="text-xs">
        <Timestamp value={rule.lastEvaluation ? new Date(rule.lastEvaluation) : null} relative />
        {rule.evaluationDurationMs !== null && <span className="ml-1 text-slate-500 dark:text-slate-400">in {durationMsText(rule.evaluationDurationMs)}</span>}
      </Td>
      <Td className="max-w-72 text-xs">
        <Badge tone={healthTone(rule.health)}>{healthLabel(rule.health)}</Badge>
        {rule.lastError && <p className="mt-0.5 truncate text-red-700 dark:text-red-300" title={rule.lastError}>{rule.lastError}</p>}
      </Td>
      {editable && (
        <Td className="text-right whitespace-nowrap">
          <Button size="sm" variant="ghost" busy={pause.isPending} onClick={() => pause.mutate({ uid: rule.uid, paused: !rule.paused })} aria-label={`${rule.paused ? "Resume" : "Pause"} ${rule.title}`}>
            {rule.paused ? "Resume" : "Pause"}
          </Button>
          <Link href={`/alerting/rules/${encodeURIComponent(rule.uid)}/edit`} className={smallLinkClass} aria-label={`Edit ${rule.title}`}>
            Edit
          </Link>
          {pause.error && <span className="ml-2 text-xs text-red-600">{pause.error.message}</span>}
        </Td>
      )}
    </Tr>
  );
}

function DeleteGroupDialog({ group, onClose }: { group: RuleGroupSummary; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const del = useMutation(
    trpc.alertRules.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.alertRules.pathKey() });
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog
      open
      title={`Delete rule group ${group.name}?`}
      confirmLabel="Delete group"
      busy={del.isPending}
      error={del.error && <ErrorMessage>{del.error.message}</ErrorMessage>}
      onClose={onClose}
      onConfirm={() => del.mutate({ id: group.id })}
    >
      <p>
        Its {group.rules.length} rule{group.rules.length === 1 ? "" : "s"} stop being evaluated and their alerts resolve. The state history of its rules is kept.
      </p>
    </ConfirmDialog>
  );
}
