"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/Dialog";
import { formatBytes } from "@/server/lib/units";
import type { ArchiveDaySummary } from "@/server/logs/search/contract";
import { archiveBannerText, progressOf, scanOrder, summarizeArchive } from "./archive-merge";
import type { ArchiveScanState } from "./useArchiveScan";

/**
 * Shown when the range reaches archived (cold tier) days: what is archived, "Include archive",
 * the scan's progress with Cancel, and per day "Restore to hot" for users with sources:write.
 */
export function ArchiveBanner({
  days,
  included,
  onInclude,
  scan,
  onCancel,
  canRestore,
}: {
  days: readonly ArchiveDaySummary[];
  included: boolean;
  onInclude: (on: boolean) => void;
  scan: ArchiveScanState;
  onCancel: () => void;
  canRestore: boolean;
}) {
  const [showDays, setShowDays] = useState(false);
  const summary = summarizeArchive(days);
  return (
    <div role="region" aria-label="Archived days" data-testid="archive-banner" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100">
      <div className="flex flex-wrap items-center gap-2">
        <span className="min-w-0 flex-1">{archiveBannerText(summary)}</span>
        <Button size="sm" onClick={() => setShowDays((v) => !v)} aria-expanded={showDays}>
          {showDays ? "Hide days" : "Days"}
        </Button>
        <Button size="sm" variant={included ? "secondary" : "primary"} aria-pressed={included} onClick={() => onInclude(!included)}>
          {included ? "Hot tier only" : "Include archive"}
        </Button>
      </div>
      {included && <ArchiveProgress scan={scan} summary={summary} onCancel={onCancel} />}
      {showDays && <ArchiveDayList days={days} canRestore={canRestore} />}
    </div>
  );
}

function ArchiveProgress({ scan, summary, onCancel }: { scan: ArchiveScanState; summary: ReturnType<typeof summarizeArchive>; onCancel: () => void }) {
  const p = progressOf({ days: scan.daysDone, bytes: scan.bytesDone }, summary);
  const label = scan.status === "running" ? "Reading archive" : scan.status === "done" ? "Archive included" : scan.status === "cancelled" ? "Archive search cancelled" : scan.status === "error" ? "Archive search failed" : "Waiting";
  return (
    <div className="mt-2 flex flex-wrap items-center gap-3" data-testid="archive-progress">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(p.fraction * 100)}
        className="h-2 w-48 overflow-hidden rounded bg-amber-200 dark:bg-amber-900"
      >
        <div className="h-full bg-amber-600 transition-[width]" style={{ width: `${p.fraction * 100}%` }} />
      </div>
      <span className="text-xs tabular-nums">
        {label}: {p.text}
        {scan.total > 0 && ` · ${scan.total.toLocaleString("en-US")} archived hits`}
      </span>
      {scan.status === "running" && (
        <Button size="sm" onClick={onCancel}>
          Cancel
        </Button>
      )}
      {scan.error && <span className="text-xs text-red-700 dark:text-red-300">{scan.error}</span>}
    </div>
  );
}

function ArchiveDayList({ days, canRestore }: { days: readonly ArchiveDaySummary[]; canRestore: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState<ArchiveDaySummary | null>(null);
  const [requested, setRequested] = useState<Set<string>>(() => new Set());
  const restore = useMutation(
    trpc.logs.restoreArchivedDay.mutationOptions({
      onSuccess: (_res, v) => {
        setRequested((s) => new Set(s).add(`${v.sourceId}/${v.day}`));
        setConfirm(null);
        void queryClient.invalidateQueries({ queryKey: trpc.logs.archiveDays.queryKey() });
      },
    }),
  );
  return (
    <>
      <ul className="mt-2 divide-y divide-amber-200 text-xs dark:divide-amber-900" aria-label="Archived days in this range">
        {scanOrder(days).map((d) => {
          const key = `${d.sourceId}/${d.day}`;
          return (
            <li key={key} className="flex items-center gap-3 py-1">
              <span className="w-24 font-mono">{d.day}</span>
              <span className="min-w-0 flex-1 truncate">{d.source}</span>
              <span className="tabular-nums">
                {d.events.toLocaleString("en-US")} events · {formatBytes(d.bytes)}
              </span>
              {canRestore &&
                (requested.has(key) ? (
                  <span className="text-emerald-700 dark:text-emerald-300">Restore requested</span>
                ) : (
                  <Button size="sm" onClick={() => setConfirm(d)}>
                    Restore to hot
                  </Button>
                ))}
            </li>
          );
        })}
      </ul>
      <ConfirmDialog
        open={confirm !== null}
        title={confirm ? `Restore ${confirm.source} ${confirm.day} to the hot tier?` : ""}
        confirmLabel="Restore for 24 h"
        danger={false}
        busy={restore.isPending}
        error={restore.error?.message}
        onConfirm={() => confirm && restore.mutate({ sourceId: confirm.sourceId, day: confirm.day, hours: 24 })}
        onClose={() => {
          setConfirm(null);
          restore.reset();
        }}
      >
        The retention worker loads this day&apos;s {confirm?.events.toLocaleString("en-US")} events back into the hot tier for 24 hours, where they are searched at full
        speed; afterwards the day is read from the archive again.
      </ConfirmDialog>
    </>
  );
}
