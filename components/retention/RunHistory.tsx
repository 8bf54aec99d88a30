"use client";

import { Fragment, useState } from "react";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import { formatBytes, formatCount } from "@/server/lib/units";
import { runActor, runDuration, runOutcome, type RunRow } from "./retention-format";

const STATUS_TONE: Record<RunRow["status"], BadgeTone> = { running: "blue", success: "green", failed: "red" };
const COLUMNS = 8;

/** Retention runs, newest first; a row expands to what the run archived, dropped and failed on. */
export function RunHistory({ runs }: { runs: RunRow[] }) {
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (id: number) => setOpen((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  if (runs.length === 0) return <p className="px-4 py-6 text-center text-sm text-slate-500 dark:text-slate-400">No retention run yet.</p>;
  return (
    <Table aria-label="Retention runs">
      <THead>
        <tr>
          <Th>Started</Th>
          <Th>Trigger</Th>
          <Th>By</Th>
          <Th>Status</Th>
          <Th className="text-right">Duration</Th>
          <Th>Outcome</Th>
          <Th className="text-right">Errors</Th>
          <Th className="sr-only">Details</Th>
        </tr>
      </THead>
      <TBody>
        {runs.map((r) => {
          const errors = r.summary?.errors.length ?? (r.error ? 1 : 0);
          return (
            <Fragment key={r.id}>
              <Tr data-testid="retention-run-row">
                <Td className="py-2 whitespace-nowrap">
                  <Timestamp value={r.startedAt} />
                </Td>
                <Td className="py-2">{r.trigger}</Td>
                <Td className="py-2">{runActor(r)}</Td>
                <Td className="py-2">
                  <Badge tone={STATUS_TONE[r.status]}>{r.status}</Badge>
                </Td>
                <Td className="py-2 text-right tabular-nums">{runDuration(r)}</Td>
                <Td className="py-2">{runOutcome(r.summary)}</Td>
                <Td className={errors ? "py-2 text-right font-semibold text-red-700 tabular-nums dark:text-red-400" : "py-2 text-right text-slate-500 tabular-nums"}>{errors}</Td>
                <Td className="py-1.5 text-right">
                  <Button size="sm" variant="ghost" aria-expanded={open.has(r.id)} aria-label={`Details of run ${r.id}`} onClick={() => toggle(r.id)}>
                    {open.has(r.id) ? "Hide" : "Details"}
                  </Button>
                </Td>
              </Tr>
              {open.has(r.id) && (
                <tr>
                  <td colSpan={COLUMNS} className="bg-slate-50 px-4 py-3 text-xs dark:bg-slate-950/40">
                    <RunDetails run={r} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </TBody>
    </Table>
  );
}

function RunDetails({ run }: { run: RunRow }) {
  const s = run.summary;
  return (
    <div className="space-y-2">
      {run.error && <p className="text-red-700 dark:text-red-400">Run failed: {run.error}</p>}
      {!s ? (
        <p className="text-slate-500 dark:text-slate-400">{run.status === "running" ? "Still running." : "No summary recorded."}</p>
      ) : (
        <>
          <p>
            Archived {formatBytes(s.bytesArchived)}, dropped {formatBytes(s.bytesDropped)}; {formatCount(s.rolledUp)} hours rolled up; {formatCount(s.orphansRemoved)} leftover objects removed.
          </p>
          <Detail title="Archived days" items={s.archived.map((a) => `${a.source} ${a.day}: ${formatCount(a.events)} events, ${formatBytes(a.bytes)} (of ${formatBytes(a.rawBytes)} raw), generation ${a.generation}`)} />
          <Detail title="Dropped partitions" items={s.dropped.map((d) => `${d.partition} (${d.table}): ${formatBytes(d.bytes)}`)} />
          <Detail title="Expired archives" items={s.expiredArchives.map((e) => `${e.source} ${e.day}: ${formatBytes(e.bytes)}`)} />
          <Detail title="Partitions created" items={s.created} />
          <Detail title="Errors" tone="error" items={s.errors.map((e) => `${e.item}: ${e.error}`)} />
        </>
      )}
    </div>
  );
}

function Detail({ title, items, tone }: { title: string; items: string[]; tone?: "error" }) {
  if (!items.length) return null;
  return (
    <div>
      <h4 className="font-semibold">
        {title} ({items.length})
      </h4>
      <ul className={tone === "error" ? "mt-0.5 list-disc pl-5 text-red-700 dark:text-red-400" : "mt-0.5 list-disc pl-5 font-mono text-[11px]"}>
        {items.slice(0, 200).map((i, n) => (
          <li key={n}>{i}</li>
        ))}
        {items.length > 200 && <li>and {items.length - 200} more</li>}
      </ul>
    </div>
  );
}
