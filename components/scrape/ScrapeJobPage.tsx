"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/Dialog";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { ProvisionedNote } from "@/components/ui/ProvisionedNote";
import { formatDuration } from "@/server/metrics/duration";
import { JobBadges } from "./ScrapeJobsList";
import { ScrapeJobEditor } from "./ScrapeJobEditor";
import { TargetsTable } from "./TargetsTable";

const REFRESH_MS = 5000;

function BackLink() {
  return (
    <Link href="/settings/scrape-targets" className="text-sm font-medium text-blue-700 underline-offset-2 hover:underline dark:text-blue-400">
      ← All scrape jobs
    </Link>
  );
}

/** Settings → Scrape targets → one job: its targets' health, enable/disable, delete, and the editor. */
export function ScrapeJobPage({ id, canWrite, created }: { id: string; canWrite: boolean; created: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const job = useQuery(trpc.scrapeJobs.byId.queryOptions({ id }, { refetchInterval: REFRESH_MS, refetchIntervalInBackground: false, staleTime: 0, retry: false }));
  const [showCreated, setShowCreated] = useState(created);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.scrapeJobs.pathKey() });
  const setEnabled = useMutation(trpc.scrapeJobs.setEnabled.mutationOptions({ onSuccess: () => void invalidate() }));
  const remove = useMutation(
    trpc.scrapeJobs.delete.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        router.push("/settings/scrape-targets");
      },
    }),
  );

  if (job.error) {
    const missing = job.error.data?.code === "NOT_FOUND";
    return (
      <div className="space-y-4">
        <PageHeader title={missing ? "Scrape job not found" : "Scrape job"} actions={<BackLink />} />
        {missing ? <EmptyState title="This scrape job does not exist">It may have been deleted.</EmptyState> : <ErrorMessage title="Could not load the scrape job">{job.error.message}</ErrorMessage>}
      </div>
    );
  }
  if (!job.data) {
    return (
      <div>
        <PageHeader title="Scrape job" actions={<BackLink />} />
        <p className="text-sm text-slate-500 dark:text-slate-400">Loading the scrape job…</p>
      </div>
    );
  }
  const j = job.data;
  const editable = canWrite && !j.provisioned;
  return (
    <div className="space-y-4">
      <PageHeader
        title={j.name}
        description={j.intervalMs !== null ? `Scraped every ${formatDuration(j.intervalMs)} (timeout ${formatDuration(j.timeoutMs ?? 0)}).` : undefined}
        actions={
          <>
            {editable && (
              <>
                <Button busy={setEnabled.isPending} onClick={() => setEnabled.mutate({ id: j.id, enabled: !j.enabled })}>
                  {j.enabled ? "Disable" : "Enable"}
                </Button>
                <Button variant="danger" onClick={() => setConfirmDelete(true)}>
                  Delete
                </Button>
              </>
            )}
            <BackLink />
          </>
        }
      />
      {j.provisioned && <ProvisionedNote what="scrape job" />}
      {!canWrite && (
        <p className="rounded border border-slate-300 bg-slate-100 px-3 py-2 text-sm text-slate-700 dark:border-slate-700 dark:bg-slate-800/60 dark:text-slate-300">
          Read-only: changing scrape jobs needs the <code className="font-mono">targets:write</code> permission.
        </p>
      )}
      {showCreated && (
        <Notice onDismiss={() => setShowCreated(false)}>Scrape job {j.name} created. Its targets are scraped within a few seconds; their state shows below.</Notice>
      )}
      {setEnabled.error && <ErrorMessage>{setEnabled.error.message}</ErrorMessage>}
      <section aria-label={`Scrape job ${j.name}`} data-testid="scrape-job">
        <Card>
          <CardHeader
            title={
              <span className="flex items-center gap-2">
                Targets <JobBadges job={j} />
              </span>
            }
          >
            {j.configError}
          </CardHeader>
          <TargetsTable targets={j.targets} jobName={j.name} enabled={j.enabled} />
        </Card>
      </section>
      <ScrapeJobEditor key={j.updatedAt.toString()} job={j} readOnly={!editable} />
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete scrape job ${j.name}?`}
        confirmLabel="Delete scrape job"
        busy={remove.isPending}
        error={remove.error && <ErrorMessage>{remove.error.message}</ErrorMessage>}
        onClose={() => setConfirmDelete(false)}
        onConfirm={() => remove.mutate({ id: j.id })}
      >
        <p>Its targets stop being scraped and their series are marked stale. Stored samples stay until retention removes them.</p>
      </ConfirmDialog>
    </div>
  );
}

/** Settings → Scrape targets → New scrape job. */
export function NewScrapeJobPage() {
  return (
    <div className="space-y-4">
      <PageHeader title="New scrape job" description="Targets exposing Prometheus text or OpenMetrics, scraped on an interval." actions={<BackLink />} />
      <ScrapeJobEditor job={null} readOnly={false} />
    </div>
  );
}
