"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { Input } from "@/components/ui/Input";
import { PageHeader } from "@/components/ui/PageHeader";
import { Select } from "@/components/ui/Select";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import { useDebounced } from "@/components/ui/useDebounced";
import type { AlertState } from "@/server/alerting/model";
import { filterHistory } from "./alert-rows";
import { LabelChips, linkClass, Loading, StateBadge } from "./bits";
import { parseMatcherText } from "./matcher-rows";
import { ALERT_STATES, stateLabel, valueText } from "./state";

const RANGES = [
  { label: "Last hour", ms: 3_600_000 },
  { label: "Last 6 hours", ms: 6 * 3_600_000 },
  { label: "Last 24 hours", ms: 24 * 3_600_000 },
  { label: "Last 7 days", ms: 7 * 24 * 3_600_000 },
  { label: "Last 30 days", ms: 30 * 24 * 3_600_000 },
] as const;
const LIMIT = 5000;

/** Alerting → History: state changes of every rule you can see, newest first. */
export function HistoryList() {
  const trpc = useTRPC();
  const rules = useQuery(trpc.alertRules.list.queryOptions(undefined, { staleTime: 60_000 }));
  const [ruleUid, setRuleUid] = useState("");
  const [rangeMs, setRangeMs] = useState<number>(RANGES[2].ms);
  const [to, setTo] = useState(() => Date.now());
  const [state, setState] = useState<AlertState | "">("");
  const [text, setText] = useState("");
  const parsed = parseMatcherText(useDebounced(text, 300));
  const history = useQuery(trpc.alerts.history.queryOptions({ ...(ruleUid ? { ruleUid } : {}), from: to - rangeMs, to, limit: LIMIT }, { placeholderData: (p) => p }));
  const items = history.data && parsed.ok ? filterHistory(history.data, { states: state ? [state] : [], matchers: parsed.rows }) : null;

  return (
    <div className="space-y-4">
      <PageHeader title="History" description="Every state change of alert instances: pending, firing, resolved to normal, no data and errors." />
      <div role="search" aria-label="Filter history" className="flex flex-wrap items-start gap-2">
        <Select aria-label="Rule" className="w-64" value={ruleUid} onChange={(e) => setRuleUid(e.target.value)}>
          <option value="">All rules</option>
          {(rules.data ?? []).flatMap((g) =>
            g.rules.map((r) => (
              <option key={r.uid} value={r.uid}>
                {r.title} ({g.name})
              </option>
            )),
          )}
        </Select>
        <Select aria-label="Period" className="w-40" value={rangeMs} onChange={(e) => setRangeMs(Number(e.target.value))}>
          {RANGES.map((r) => (
            <option key={r.ms} value={r.ms}>
              {r.label}
            </option>
          ))}
        </Select>
        <Select aria-label="New state" className="w-40" value={state} onChange={(e) => setState(e.target.value as AlertState | "")}>
          <option value="">Any new state</option>
          {ALERT_STATES.map((s) => (
            <option key={s} value={s}>
              to {stateLabel(s)}
            </option>
          ))}
        </Select>
        <div className="w-80 max-w-full">
          <Input aria-label="Filter by labels" placeholder='{instance=~"db-.*"}' className="font-mono text-xs" spellCheck={false} value={text} invalid={!parsed.ok} onChange={(e) => setText(e.target.value)} />
          {!parsed.ok && <p className="mt-0.5 text-xs text-red-600 dark:text-red-400">{parsed.error}</p>}
        </div>
        <Button onClick={() => setTo(Date.now())}>Refresh</Button>
      </div>
      {history.error && <ErrorMessage title="Could not load the history">{history.error.message}</ErrorMessage>}
      {!history.data && !history.error && <Loading what="history" />}
      {items && items.length === 0 && <EmptyState title="No state changes">Nothing changed state in this period with these filters.</EmptyState>}
      {items && items.length > 0 && (
        <Card>
          {history.data!.length >= LIMIT && <p className="px-4 pt-2 text-xs text-amber-700 dark:text-amber-300">Showing the newest {LIMIT} changes; narrow the period or pick a rule.</p>}
          <Table aria-label="State changes">
            <THead>
              <tr>
                <Th>Time</Th>
                <Th>Rule</Th>
                <Th>Labels</Th>
                <Th>Change</Th>
                <Th className="text-right">Value</Th>
                <Th>Error</Th>
              </tr>
            </THead>
            <TBody>
              {items.map((t) => (
                <Tr key={t.id} data-testid="history-row">
                  <Td>
                    <Timestamp value={new Date(t.at)} />
                  </Td>
                  <Td>
                    <Link href={`/alerting/rules/${encodeURIComponent(t.ruleUid)}`} className={linkClass}>
                      {t.ruleTitle}
                    </Link>
                  </Td>
                  <Td>
                    <LabelChips labels={t.labels} hide={["alertname"]} />
                  </Td>
                  <Td className="whitespace-nowrap">
                    <StateBadge state={t.from} /> → <StateBadge state={t.to} />
                  </Td>
                  <Td className="text-right font-mono text-xs">{valueText(t.value)}</Td>
                  <Td className="max-w-xs text-xs text-red-700 dark:text-red-300">{t.error ?? ""}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </Card>
      )}
    </div>
  );
}
