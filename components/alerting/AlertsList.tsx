"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { Input } from "@/components/ui/Input";
import { PageHeader } from "@/components/ui/PageHeader";
import { Select } from "@/components/ui/Select";
import { TBody, THead, Table, Td, Th, ThActions, Tr } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import { useDebounced } from "@/components/ui/useDebounced";
import type { AlertState } from "@/server/alerting/model";
import { alertRows, filterRows, type AlertRow, type SuppressionFilter } from "./alert-rows";
import { LabelChips, linkClass, Loading, StateBadge } from "./bits";
import { parseMatcherText, rowToSilenceMatcher } from "./matcher-rows";
import { newSilenceForm, type SilenceForm } from "./silence-form";
import { SilenceDialog } from "./SilenceDialog";
import { ALERT_STATES, stateLabel, valueText } from "./state";

const REFRESH_MS = 10_000;
type StateFilter = "active" | "any" | AlertState;

/** Alerting → Alerts: every rule instance that is not normal and every external alert, with silences and inhibitions. */
export function AlertsList({ canSilence, user }: { canSilence: boolean; user: string }) {
  const trpc = useTRPC();
  const [text, setText] = useState("");
  const [state, setState] = useState<StateFilter>("active");
  const [suppression, setSuppression] = useState<SuppressionFilter>("all");
  const [silencing, setSilencing] = useState<SilenceForm | null>(null);
  const debounced = useDebounced(text, 300);
  const parsed = parseMatcherText(debounced);
  const matchers = parsed.ok ? parsed.rows.map(rowToSilenceMatcher) : [];
  const instances = useQuery(trpc.alerts.instances.queryOptions({ matchers, limit: 5000 }, { refetchInterval: REFRESH_MS, placeholderData: (p) => p, enabled: parsed.ok }));
  const alerts = useQuery(trpc.alerts.list.queryOptions({ matchers }, { refetchInterval: REFRESH_MS, placeholderData: (p) => p, enabled: parsed.ok }));
  const states: AlertState[] = state === "any" ? [] : state === "active" ? ["firing", "pending", "nodata", "error"] : [state];
  const rows = instances.data && alerts.data ? filterRows(alertRows(instances.data, alerts.data), { states, suppression }) : null;
  const error = instances.error ?? alerts.error;

  return (
    <div className="space-y-4">
      <PageHeader title="Alerts" description="Alert instances of the rules you can see and alerts sent by external Prometheus servers, with what silences or inhibits them." />
      <div role="search" aria-label="Filter alerts" className="flex flex-wrap items-start gap-2">
        <div className="w-96 max-w-full">
          <Input aria-label="Filter by labels" placeholder='{severity="critical", team=~"db|web"}' className="font-mono text-xs" spellCheck={false} value={text} invalid={!parsed.ok} onChange={(e) => setText(e.target.value)} />
          {!parsed.ok && <p className="mt-0.5 text-xs text-red-600 dark:text-red-400">{parsed.error}</p>}
        </div>
        <Select aria-label="State" className="w-44" value={state} onChange={(e) => setState(e.target.value as StateFilter)}>
          <option value="active">Not normal</option>
          <option value="any">Any state</option>
          {ALERT_STATES.map((s) => (
            <option key={s} value={s}>
              {stateLabel(s)}
            </option>
          ))}
        </Select>
        <Select aria-label="Silenced or inhibited" className="w-52" value={suppression} onChange={(e) => setSuppression(e.target.value as SuppressionFilter)}>
          <option value="all">Silenced or not</option>
          <option value="active">Not silenced or inhibited</option>
          <option value="suppressed">Silenced or inhibited only</option>
        </Select>
      </div>
      {error && <ErrorMessage title="Could not load the alerts">{error.message}</ErrorMessage>}
      {!rows && !error && <Loading what="alerts" />}
      {rows && rows.length === 0 && <EmptyState title="No alerts">Nothing matches: no rule instance is in these states and no external alert is firing.</EmptyState>}
      {rows && rows.length > 0 && (
        <Card>
          <Table aria-label="Alerts">
            <THead>
              <tr>
                <Th>State</Th>
                <Th>Alert</Th>
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
              {rows.map((r) => (
                <AlertRowView key={r.key} row={r} canSilence={canSilence} onSilence={() => setSilencing(newSilenceForm({ now: Date.now(), createdBy: user, labels: r.labels }))} />
              ))}
            </TBody>
          </Table>
        </Card>
      )}
      {silencing && <SilenceDialog initial={silencing} title="Silence alert" onClose={() => setSilencing(null)} />}
    </div>
  );
}

function AlertRowView({ row: r, canSilence, onSilence }: { row: AlertRow; canSilence: boolean; onSilence: () => void }) {
  const name = r.ruleTitle ?? r.labels.alertname ?? "(external alert)";
  return (
    <Tr data-testid="alert-row" aria-label={`Alert ${name}`}>
      <Td>
        <div className="flex flex-wrap items-center gap-1">
          <StateBadge state={r.state} />
          {r.silencedBy.length > 0 && (
            <Badge tone="neutral" title={`Silenced by ${r.silencedBy.join(", ")}`}>
              <Link href="/alerting/silences" className="hover:underline">
                silenced
              </Link>
            </Badge>
          )}
          {r.inhibitedBy.length > 0 && (
            <Badge tone="neutral" title={`Inhibited by ${r.inhibitedBy.join(", ")}`}>
              inhibited
            </Badge>
          )}
          {r.mutedBy.length > 0 && (
            <Badge tone="neutral" title={`Muted by ${r.mutedBy.join(", ")}`}>
              muted
            </Badge>
          )}
        </div>
      </Td>
      <Td className="min-w-44">
        {r.ruleUid ? (
          <Link href={`/alerting/rules/${encodeURIComponent(r.ruleUid)}`} className={`${linkClass} font-medium`}>
            {name}
          </Link>
        ) : (
          <span className="font-medium">{name}</span>
        )}
        {r.source === "external" && (
          <span className="ml-1 text-[11px] text-slate-500 dark:text-slate-400">
            external
            {r.generatorURL && (
              <>
                {" · "}
                <a href={r.generatorURL} className={linkClass} target="_blank" rel="noreferrer">
                  source
                </a>
              </>
            )}
          </span>
        )}
      </Td>
      <Td>
        <LabelChips labels={r.labels} hide={["alertname"]} />
      </Td>
      <Td className="text-right font-mono text-xs tabular-nums">{valueText(r.value)}</Td>
      <Td>
        <Timestamp value={new Date(r.since)} relative />
      </Td>
      <Td className="max-w-sm text-xs">{r.error ?? r.annotations.summary ?? ""}</Td>
      {canSilence && (
        <Td className="text-right">
          {r.silencedBy.length === 0 && r.state !== "normal" && (
            <Button size="sm" onClick={onSilence} aria-label={`Silence ${name}`}>
              Silence
            </Button>
          )}
        </Td>
      )}
    </Tr>
  );
}
