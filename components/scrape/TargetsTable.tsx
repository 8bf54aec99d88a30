"use client";

import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import { formatCount, formatMs } from "@/server/lib/units";
import type { ScrapeTargetRow } from "./types";

const HEALTH_TONE: Record<string, BadgeTone> = { up: "green", down: "red", unknown: "neutral" };

/** The targets of one job: URL and labels, health, last scrape, its duration, samples and error. */
export function TargetsTable({ targets, jobName, enabled }: { targets: ScrapeTargetRow[]; jobName: string; enabled: boolean }) {
  if (targets.length === 0) {
    return <p className="px-4 py-3 text-sm text-slate-500 dark:text-slate-400">No targets: add host:port lines to the job.</p>;
  }
  return (
    <Table aria-label={`Targets of ${jobName}`}>
      <THead>
        <tr>
          <Th>Endpoint</Th>
          <Th>State</Th>
          <Th>Labels</Th>
          <Th>Last scrape</Th>
          <Th className="text-right">Duration</Th>
          <Th className="text-right" title="Samples after metric relabelling">
            Samples
          </Th>
          <Th>Error</Th>
        </tr>
      </THead>
      <TBody>
        {targets.map((t) => (
          <Tr key={t.url} data-testid="target-row" className="align-top">
            <Td className="py-2 font-mono text-xs break-all">{t.url}</Td>
            <Td className="py-2">
              <span data-testid="target-health">
                <Badge tone={HEALTH_TONE[t.health] ?? "neutral"} title={enabled ? undefined : "The job is disabled"}>
                  {enabled ? t.health : "disabled"}
                </Badge>
              </span>
            </Td>
            <Td className="py-2">
              <div className="flex max-w-md flex-wrap gap-1">
                {Object.entries(t.labels).map(([k, v]) => (
                  <code key={k} className="rounded bg-slate-100 px-1 font-mono text-[11px] text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                    {k}=&quot;{v}&quot;
                  </code>
                ))}
              </div>
            </Td>
            <Td className="py-2">
              <Timestamp value={t.lastScrapeAt} relative />
            </Td>
            <Td className="py-2 text-right tabular-nums">{formatMs(t.lastDurationMs)}</Td>
            <Td className="py-2 text-right tabular-nums">{t.lastSamples === null ? "—" : formatCount(t.lastSamples)}</Td>
            <Td className="max-w-sm py-2 text-xs break-words text-red-700 dark:text-red-300" data-testid="target-error">
              {t.lastError ?? <span className="text-slate-400 dark:text-slate-500">—</span>}
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
