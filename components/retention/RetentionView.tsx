"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Card, CardBody, CardHeader } from "@/components/ui/Card";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { Timestamp } from "@/components/ui/Timestamp";
import { GdprRequests } from "./GdprRequests";
import { RetentionSettingsForm } from "./RetentionSettingsForm";
import { RunHistory } from "./RunHistory";
import { SourcesRetentionTable } from "./SourcesRetentionTable";
import { WatermarkState } from "./WatermarkState";

const REFRESH_MS = 10_000;

/**
 * Settings → Retention: per-source days and sizes per tier, metrics and audit retention, where
 * the archive lives, watermarks, the next run and "Run now", the run history, and (logs:gdpr)
 * data requests.
 */
export function RetentionView({ canManage, canGdpr }: { canManage: boolean; canGdpr: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const overview = useQuery(trpc.retention.overview.queryOptions(undefined, { refetchInterval: REFRESH_MS, refetchIntervalInBackground: false }));
  const watermarks = useQuery(trpc.retention.watermarks.queryOptions(undefined, { refetchInterval: REFRESH_MS, refetchIntervalInBackground: false }));
  const [queued, setQueued] = useState(false);
  const runNow = useMutation(
    trpc.retention.runNow.mutationOptions({
      onSuccess: async () => {
        setQueued(true);
        await queryClient.invalidateQueries({ queryKey: trpc.retention.overview.queryKey() });
      },
    }),
  );
  const o = overview.data;

  return (
    <div className="space-y-4">
      <PageHeader
        title="Retention"
        description="How long logs stay hot (searchable at full speed) and archived (cold tier, searchable on demand), metrics tiers, the audit log, and data requests."
        actions={
          <>
            <span className="text-xs text-slate-500 dark:text-slate-400">
              Next run: {o ? o.nextRunAt ? <Timestamp value={o.nextRunAt} /> : "not scheduled" : "…"}
            </span>
            {canManage && (
              <Button variant="primary" busy={runNow.isPending} onClick={() => runNow.mutate()}>
                Run now
              </Button>
            )}
          </>
        }
      />
      {queued && <Notice onDismiss={() => setQueued(false)}>Retention run queued; it shows in the history when a worker starts it.</Notice>}
      {runNow.error && <ErrorMessage title="Could not queue the run">{runNow.error.message}</ErrorMessage>}
      {overview.error && <ErrorMessage title="Could not load retention">{overview.error.message}</ErrorMessage>}
      {overview.isPending && <p className="text-sm text-slate-500">Loading…</p>}
      {o && (
        <>
          <Card>
            <CardHeader title="Log sources">Hot days, then archive days in all (cold tier), then deleted. Sizes per tier and the oldest day held.</CardHeader>
            <SourcesRetentionTable sources={o.sources} canManage={canManage} />
          </Card>
          <Card>
            <CardHeader title="Metrics and audit log" />
            <CardBody>
              <RetentionSettingsForm key={o.settings.updatedAt} overview={o} canManage={canManage} />
            </CardBody>
          </Card>
          <div className="grid gap-4 lg:grid-cols-2">
            <Card>
              <CardHeader title="Cold tier" />
              <CardBody className="text-sm">
                {o.store.kind === "s3" ? "S3-compatible bucket" : "Local directory"}: <code className="font-mono text-[13px] break-all">{o.store.location}</code>
              </CardBody>
            </Card>
            <Card>
              <CardHeader title="Disk watermarks" />
              <CardBody>{watermarks.data ? <WatermarkState state={watermarks.data} /> : watermarks.error ? <ErrorMessage>{watermarks.error.message}</ErrorMessage> : "…"}</CardBody>
            </Card>
          </div>
          <Card>
            <CardHeader title="Runs">Newest first: what each run archived and dropped, and what failed.</CardHeader>
            <RunHistory runs={o.runs} />
          </Card>
        </>
      )}
      {canGdpr && (
        <Card>
          <CardHeader title="Data requests (GDPR)">Export or delete one person&apos;s events across the hot tier and the archive.</CardHeader>
          <CardBody>
            <GdprRequests />
          </CardBody>
        </Card>
      )}
    </div>
  );
}
