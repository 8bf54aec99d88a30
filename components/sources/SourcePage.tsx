"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Card } from "@/components/ui/Card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { ProvisionedNote } from "@/components/ui/ProvisionedNote";
import { Timestamp } from "@/components/ui/Timestamp";
import { formatBytes, formatCount } from "@/server/lib/units";
import { DeadLetters } from "./DeadLetters";
import { SendLogsHelp, type SyslogConfig } from "./SendLogsHelp";
import { SourceEditor } from "./SourceEditor";
import { compressionRatio, formatByteRate, formatEventRate } from "./source-format";

const REFRESH_MS = 5000;

function BackLink() {
  return (
    <Link href="/settings/sources" className="text-sm font-medium text-blue-700 underline-offset-2 hover:underline dark:text-blue-400">
      ← All sources
    </Link>
  );
}

/** Settings → Sources → one source: its totals, the editor with the test panel, dead letters and sending help. */
export function SourcePage({ id, canWrite, created, syslog }: { id: string; canWrite: boolean; created: boolean; syslog: SyslogConfig }) {
  const trpc = useTRPC();
  const sources = useQuery(trpc.sources.list.queryOptions(undefined, { refetchInterval: REFRESH_MS, refetchIntervalInBackground: false, staleTime: 0 }));
  const source = sources.data?.find((s) => s.id === id) ?? null;
  const [dirty, setDirty] = useState(false);
  const [showCreated, setShowCreated] = useState(created);

  if (sources.error) {
    return (
      <div className="space-y-4">
        <PageHeader title="Source" actions={<BackLink />} />
        <ErrorMessage title="Could not load the source">{sources.error.message}</ErrorMessage>
      </div>
    );
  }
  if (sources.isPending) {
    return (
      <div>
        <PageHeader title="Source" actions={<BackLink />} />
        <p className="text-sm text-slate-500 dark:text-slate-400">Loading the source…</p>
      </div>
    );
  }
  if (!source) {
    return (
      <div className="space-y-4">
        <PageHeader title="Source not found" actions={<BackLink />} />
        <EmptyState title="This source does not exist">It may have been renamed or deleted. Pick one from the list of sources.</EmptyState>
      </div>
    );
  }

  const s = source.stats;
  const editable = canWrite && !source.provisioned;
  return (
    <div className="space-y-4">
      <PageHeader
        title={source.name}
        description={source.description || (editable ? "Edit the source's pipeline and retention; test the pipeline on sample lines." : "The source's pipeline and retention (read-only).")}
        actions={<BackLink />}
      />
      {source.provisioned && <ProvisionedNote what="source" />}
      {!canWrite && (
        <p className="rounded border border-slate-300 bg-slate-100 px-3 py-2 text-sm text-slate-700 dark:border-slate-700 dark:bg-slate-800/60 dark:text-slate-300">
          Read-only: changing sources needs the <code className="font-mono">sources:write</code> permission. You can still test the pipeline.
        </p>
      )}
      {showCreated && (
        <Notice onDismiss={() => setShowCreated(false)}>
          Source {source.name} created. Send events to it with <code className="font-mono">?source={source.name}</code>; see &ldquo;How to send logs&rdquo; below.
        </Notice>
      )}

      <Card>
        <dl className="grid grid-cols-2 divide-slate-200 sm:grid-cols-3 lg:grid-cols-6 lg:divide-x dark:divide-slate-800" aria-label="Source totals">
          <Stat label="Events stored" testId="source-stat-events">
            {formatCount(s.events)}
          </Stat>
          <Stat label="Stored" hint={`of ${formatBytes(s.rawBytes)} raw · ${compressionRatio(s.rawBytes, s.storedBytes)}`}>
            {formatBytes(s.storedBytes)}
          </Stat>
          <Stat label="Dead letters waiting" testId="source-stat-dead-letters" alert={s.deadLettersWaiting > 0} hint={`${formatCount(s.deadLetters)} in total`}>
            {formatCount(s.deadLettersWaiting)}
          </Stat>
          <Stat label="Now" hint={formatByteRate(source.live.bytesPerSecond)}>
            {formatEventRate(source.live.eventsPerSecond)} ev/s
          </Stat>
          <Stat label="Last event">
            <Timestamp value={s.lastEventAt} relative />
          </Stat>
          <Stat label="Retention" hint={`${source.archiveDays} d in total with the archive`}>
            {source.hotDays} d hot
          </Stat>
        </dl>
      </Card>

      <SourceEditor key={source.id} source={source} canWrite={editable} onDirtyChange={setDirty} />
      <DeadLetters source={source} canWrite={canWrite} unsavedChanges={dirty} />
      <SendLogsHelp sources={[source.name]} syslog={syslog} />
    </div>
  );
}

function Stat({ label, hint, children, testId, alert }: { label: string; hint?: string; children: ReactNode; testId?: string; alert?: boolean }) {
  return (
    <div className="px-4 py-2.5">
      <dt className="text-[11px] font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">{label}</dt>
      <dd data-testid={testId} className={cn("mt-0.5 text-base font-semibold tabular-nums", alert && "text-red-700 dark:text-red-300")}>
        {children}
      </dd>
      {hint && <dd className="text-[11px] text-slate-500 dark:text-slate-400">{hint}</dd>}
    </div>
  );
}

/** Settings → Sources → New source. */
export function NewSourcePage() {
  return (
    <div className="space-y-4">
      <PageHeader title="New source" description="Name the source, set its retention and build its pipeline; test it on sample lines before saving." actions={<BackLink />} />
      <SourceEditor source={null} canWrite />
    </div>
  );
}
