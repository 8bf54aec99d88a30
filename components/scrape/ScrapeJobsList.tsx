"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/Badge";
import { ProvisionedBadge } from "@/components/ui/ProvisionedNote";
import { Card, CardHeader } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { PageHeader } from "@/components/ui/PageHeader";
import { Timestamp } from "@/components/ui/Timestamp";
import { formatDuration } from "@/server/metrics/duration";
import { TargetsTable } from "./TargetsTable";
import type { ScrapeJobRow } from "./types";

const REFRESH_MS = 5000;

export const buttonLink =
  "inline-flex h-8 items-center rounded border border-blue-600 bg-blue-600 px-3 text-sm font-medium text-white hover:border-blue-700 hover:bg-blue-700 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-500 dark:hover:bg-blue-500";

/** Settings → Scrape targets: every scrape job with its targets' health; refreshed every 5 s. */
export function ScrapeJobsList({ canWrite }: { canWrite: boolean }) {
  const trpc = useTRPC();
  const jobs = useQuery(trpc.scrapeJobs.list.queryOptions(undefined, { refetchInterval: REFRESH_MS, refetchIntervalInBackground: false, staleTime: 0 }));
  const newJob = canWrite && (
    <Link href="/settings/scrape-targets/new" className={buttonLink}>
      New scrape job
    </Link>
  );
  return (
    <div className="space-y-4">
      <PageHeader
        title="Scrape targets"
        description="Prometheus-style pull: each job scrapes its targets' /metrics on its interval and stores the samples with job and instance labels."
        actions={
          <>
            <span className="text-xs text-slate-500 dark:text-slate-400" aria-live="polite">
              {jobs.dataUpdatedAt ? (
                <>
                  Updated <Timestamp value={new Date(jobs.dataUpdatedAt)} /> · refreshes every 5 s
                </>
              ) : null}
            </span>
            {newJob}
          </>
        }
      />
      {jobs.error && <ErrorMessage title="Could not load the scrape jobs">{jobs.error.message}</ErrorMessage>}
      {jobs.isPending && <p className="text-sm text-slate-500 dark:text-slate-400">Loading scrape jobs…</p>}
      {jobs.data?.length === 0 && (
        <EmptyState title="No scrape jobs yet" action={newJob}>
          A scrape job lists targets (host:port) that expose metrics in the Prometheus text format or OpenMetrics.
        </EmptyState>
      )}
      {jobs.data?.map((job) => <JobCard key={job.id} job={job} canWrite={canWrite} />)}
    </div>
  );
}

export function JobBadges({ job }: { job: ScrapeJobRow }) {
  const up = job.targets.filter((t) => t.health === "up").length;
  return (
    <>
      {job.provisioned && <ProvisionedBadge />}
      {!job.enabled && <Badge tone="amber">disabled</Badge>}
      {job.enabled && job.targets.length > 0 && (
        <Badge tone={up === job.targets.length ? "green" : up === 0 ? "neutral" : "amber"}>
          {up}/{job.targets.length} up
        </Badge>
      )}
    </>
  );
}

function JobCard({ job, canWrite }: { job: ScrapeJobRow; canWrite: boolean }) {
  const editable = canWrite && !job.provisioned;
  return (
    <section aria-label={`Scrape job ${job.name}`} data-testid="scrape-job">
      <Card>
        <CardHeader
          title={
            <span className="flex flex-wrap items-center gap-2">
              <Link
                href={`/settings/scrape-targets/${job.id}`}
                className="font-mono text-[13px] font-medium text-blue-700 underline-offset-2 hover:underline dark:text-blue-400"
                aria-label={`${editable ? "Edit" : "View"} scrape job ${job.name}`}
              >
                {job.name}
              </Link>
              <JobBadges job={job} />
            </span>
          }
          actions={
            job.intervalMs !== null && (
              <span className="text-xs text-slate-500 dark:text-slate-400">
                every {formatDuration(job.intervalMs)} · timeout {formatDuration(job.timeoutMs ?? 0)}
              </span>
            )
          }
        >
          {job.configError ?? (job.droppedTargets > 0 ? `${job.droppedTargets} target(s) dropped by relabelling` : null)}
        </CardHeader>
        <TargetsTable targets={job.targets} jobName={job.name} enabled={job.enabled} />
        {job.invalidTargets.length > 0 && (
          <ul className="border-t border-slate-200 px-4 py-2 text-xs text-red-700 dark:border-slate-800 dark:text-red-300">
            {job.invalidTargets.map((t) => (
              <li key={t.address}>
                {t.address}: {t.error}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </section>
  );
}
