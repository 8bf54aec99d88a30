"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/providers/trpc";
import { Card } from "@/components/ui/Card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { PageHeader } from "@/components/ui/PageHeader";
import { ProvisionedBadge } from "@/components/ui/ProvisionedNote";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import { formatBytes, formatCount } from "@/server/lib/units";
import { SendLogsHelp, type SyslogConfig } from "./SendLogsHelp";
import { compressionRatio, formatByteRate, formatEventRate } from "./source-format";
import type { SourceRow } from "./types";

const REFRESH_MS = 5000;
const COLUMNS = 9;

const buttonLink =
  "inline-flex h-8 items-center rounded border border-blue-600 bg-blue-600 px-3 text-sm font-medium text-white hover:border-blue-700 hover:bg-blue-700 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-500 dark:hover:bg-blue-500";

/** Settings → Sources: every source with its live rate, stored totals, senders and retention; refreshed every 5 s. */
export function SourcesList({ canWrite, syslog }: { canWrite: boolean; syslog: SyslogConfig }) {
  const trpc = useTRPC();
  const sources = useQuery(trpc.sources.list.queryOptions(undefined, { refetchInterval: REFRESH_MS, refetchIntervalInBackground: false, staleTime: 0 }));
  const names = sources.data?.map((s) => s.name) ?? [];
  // The example names a source of the user's own before the catch-all one.
  const exampleSources = [...names.filter((n) => n !== "default"), ...names.filter((n) => n === "default")];

  return (
    <div className="space-y-4">
      <PageHeader
        title="Sources"
        description="Where logs arrive. Each source has a pipeline that parses and shapes its events, and its own retention."
        actions={
          <>
            <span className="text-xs text-slate-500 dark:text-slate-400" aria-live="polite">
              {sources.dataUpdatedAt ? (
                <>
                  Updated <Timestamp value={new Date(sources.dataUpdatedAt)} /> · refreshes every 5 s
                </>
              ) : null}
            </span>
            {canWrite && (
              <Link href="/settings/sources/new" className={buttonLink}>
                New source
              </Link>
            )}
          </>
        }
      />
      {sources.error && <ErrorMessage title="Could not load the sources">{sources.error.message}</ErrorMessage>}
      {sources.data?.length === 0 ? (
        <EmptyState
          title="No sources yet"
          action={
            canWrite && (
              <Link href="/settings/sources/new" className={buttonLink}>
                New source
              </Link>
            )
          }
        >
          A source groups the events of one kind (nginx access logs, an application, syslog) with the pipeline that parses them.
        </EmptyState>
      ) : (
        !sources.error && (
          <Card>
            <Table aria-label="Sources">
              <THead>
                <tr>
                  <Th>Name</Th>
                  <Th>Description</Th>
                  <Th className="text-right" title="Average over the last 10 seconds">
                    Now
                  </Th>
                  <Th className="text-right">Events stored</Th>
                  <Th className="text-right" title="Compressed size, and raw size with the ratio">
                    Stored
                  </Th>
                  <Th className="text-right" title="Total since the source was created">
                    Dead letters
                  </Th>
                  <Th>Last event</Th>
                  <Th title="API keys that sent to this source in the last 24 hours">Sent by</Th>
                  <Th>Retention</Th>
                </tr>
              </THead>
              <TBody>
                {sources.isPending && (
                  <tr>
                    <Td colSpan={COLUMNS} className="py-6 text-center text-slate-500">
                      Loading sources…
                    </Td>
                  </tr>
                )}
                {sources.data?.map((s) => <SourceTableRow key={s.id} source={s} canWrite={canWrite} />)}
              </TBody>
            </Table>
          </Card>
        )
      )}
      <SendLogsHelp sources={exampleSources} syslog={syslog} />
    </div>
  );
}

function SourceTableRow({ source: s, canWrite }: { source: SourceRow; canWrite: boolean }) {
  const live = s.live.eventsPerSecond > 0;
  return (
    <Tr data-testid="source-row" className="align-top">
      <Td className="py-2 whitespace-nowrap">
        <Link
          href={`/settings/sources/${s.id}`}
          className="font-mono text-[13px] font-medium text-blue-700 underline-offset-2 hover:underline dark:text-blue-400"
          aria-label={`${canWrite && !s.provisioned ? "Edit" : "View"} source ${s.name}`}
        >
          {s.name}
        </Link>
        {s.provisioned && <ProvisionedBadge className="ml-2" />}
        <div className="mt-0.5 text-[11px] text-slate-500 dark:text-slate-400">
          {s.pipeline.length === 0 ? "no pipeline steps" : `${s.pipeline.length} pipeline ${s.pipeline.length === 1 ? "step" : "steps"}`}
        </div>
      </Td>
      <Td className="max-w-64 py-2 text-slate-600 dark:text-slate-400">
        <span className="line-clamp-2" title={s.description}>
          {s.description || <span className="text-slate-400 dark:text-slate-500">—</span>}
        </span>
      </Td>
      <Td className="py-2 text-right whitespace-nowrap tabular-nums">
        <div className={cn(live ? "font-medium text-emerald-700 dark:text-emerald-400" : "text-slate-500 dark:text-slate-400")}>{formatEventRate(s.live.eventsPerSecond)} ev/s</div>
        <div className="text-[11px] text-slate-500 dark:text-slate-400">{formatByteRate(s.live.bytesPerSecond)}</div>
      </Td>
      <Td className="py-2 text-right tabular-nums" data-testid="source-events">
        {formatCount(s.stats.events)}
      </Td>
      <Td className="py-2 text-right whitespace-nowrap tabular-nums">
        <div>{formatBytes(s.stats.storedBytes)}</div>
        <div className="text-[11px] text-slate-500 dark:text-slate-400" title={`${formatBytes(s.stats.rawBytes)} raw → ${formatBytes(s.stats.storedBytes)} stored`}>
          of {formatBytes(s.stats.rawBytes)} raw · {compressionRatio(s.stats.rawBytes, s.stats.storedBytes)}
        </div>
      </Td>
      <Td className="py-2 text-right tabular-nums">
        <span
          data-testid="source-dead-letters"
          title="Waiting for a replay"
          className={cn(s.stats.deadLettersWaiting > 0 ? "rounded bg-red-50 px-1.5 py-px font-semibold text-red-700 dark:bg-red-950/60 dark:text-red-300" : "text-slate-500 dark:text-slate-400")}
        >
          {formatCount(s.stats.deadLettersWaiting)}
        </span>
        {s.stats.deadLetters > s.stats.deadLettersWaiting && (
          <div className="text-[11px] text-slate-500 dark:text-slate-400">{formatCount(s.stats.deadLetters)} in total</div>
        )}
      </Td>
      <Td className="py-2">
        <Timestamp value={s.stats.lastEventAt} relative />
      </Td>
      <Td className="py-2">
        {s.senders.length === 0 ? (
          <span className="text-slate-400 dark:text-slate-500">—</span>
        ) : (
          <ul className="space-y-0.5">
            {s.senders.slice(0, 3).map((k) => (
              <li key={k.id} className="whitespace-nowrap">
                <span>
                  {k.serviceAccount} / {k.name}
                </span>{" "}
                <code className="font-mono text-[11px] text-slate-500 dark:text-slate-400">{k.prefix}…</code>
              </li>
            ))}
            {s.senders.length > 3 && <li className="text-[11px] text-slate-500 dark:text-slate-400">and {s.senders.length - 3} more</li>}
          </ul>
        )}
      </Td>
      <Td className="py-2 whitespace-nowrap">
        <span className="tabular-nums">{s.hotDays} d</span> <span className="text-slate-500 dark:text-slate-400">hot</span>
        <div className="text-[11px] text-slate-500 dark:text-slate-400">{s.archiveDays} d archive</div>
      </Td>
    </Tr>
  );
}
