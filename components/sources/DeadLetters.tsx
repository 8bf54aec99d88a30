"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { Notice } from "@/components/ui/Notice";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import { formatCount } from "@/server/lib/units";
import { stepName } from "./explain-display";
import { JsonDetails } from "./JsonDetails";
import type { SourceRow } from "./types";

/** The API returns at most this many; a full page means "at least". */
const FETCH_LIMIT = 200;
const SHOWN = 20;
const REFRESH_MS = 5000;

/**
 * A source's dead letters waiting for replay: the count, the newest samples (time, step, reason,
 * the event as received) and "Replay dead letters", which sends them through the saved pipeline again.
 */
export function DeadLetters({ source, canWrite, unsavedChanges }: { source: SourceRow; canWrite: boolean; unsavedChanges: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const headingId = useId();
  const letters = useQuery(
    trpc.sources.deadLetters.queryOptions({ sourceId: source.id, limit: FETCH_LIMIT }, { refetchInterval: REFRESH_MS, refetchIntervalInBackground: false, staleTime: 0 }),
  );
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const replay = useMutation(
    trpc.sources.replayDeadLetters.mutationOptions({
      onSuccess: (r) => {
        setConfirming(false);
        setNotice(
          r.events === 0
            ? "Nothing to replay: no dead letters are waiting."
            : `Re-queued ${formatCount(r.events)} dead ${r.events === 1 ? "letter" : "letters"} through the current pipeline. Events that fail again become new dead letters.`,
        );
        void queryClient.invalidateQueries({ queryKey: trpc.sources.deadLetters.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.sources.list.queryKey() });
      },
    }),
  );
  const rows = letters.data ?? [];
  const waiting = rows.length >= FETCH_LIMIT ? `${formatCount(FETCH_LIMIT)}+` : formatCount(rows.length);
  const stepCount = source.pipeline.length;

  return (
    <section aria-labelledby={headingId}>
      <Card>
        <CardHeader
          title={
            <span id={headingId} className="inline-flex items-center gap-2">
              Dead letters
              {letters.data && (
                <Badge tone={rows.length > 0 ? "red" : "neutral"}>
                  <span data-testid="dead-letter-count">{waiting}</span>&nbsp;waiting
                </Badge>
              )}
            </span>
          }
          actions={
            canWrite && (
              <Button
                size="sm"
                disabled={rows.length === 0}
                onClick={() => {
                  replay.reset();
                  setNotice(null);
                  setConfirming(true);
                }}
              >
                Replay dead letters
              </Button>
            )
          }
        >
          Events a required step could not process. Fix the pipeline, save it, then replay them. {formatCount(source.stats.deadLetters)} in total since the
          source was created.
        </CardHeader>
        {notice && (
          <div className="px-4 pt-3">
            <Notice onDismiss={() => setNotice(null)}>{notice}</Notice>
          </div>
        )}
        {letters.error ? (
          <div className="p-4">
            <ErrorMessage title="Could not load the dead letters">{letters.error.message}</ErrorMessage>
          </div>
        ) : letters.isPending ? (
          <p className="px-4 py-3 text-sm text-slate-500 dark:text-slate-400">Loading dead letters…</p>
        ) : rows.length === 0 ? (
          <p className="px-4 py-3 text-sm text-slate-500 dark:text-slate-400">No dead letters waiting. Every event sent to this source was stored, dropped on purpose or replayed.</p>
        ) : (
          <>
            <Table aria-label={`Dead letters of ${source.name}`}>
              <THead>
                <tr>
                  <Th>Received</Th>
                  <Th>Step</Th>
                  <Th>Reason</Th>
                  <Th>Event</Th>
                </tr>
              </THead>
              <TBody>
                {rows.slice(0, SHOWN).map((d) => (
                  <Tr key={d.id} data-testid="dead-letter-row" className="align-top">
                    <Td className="py-2">
                      <Timestamp value={d.receivedAt} relative />
                    </Td>
                    <Td className="py-2 font-mono text-xs whitespace-nowrap">{stepName(d.step, d.stepType, stepCount)}</Td>
                    <Td className="py-2 text-red-700 dark:text-red-300">{d.error}</Td>
                    <Td className="w-1/2 py-2">
                      <JsonDetails summary="Raw event" value={d.event} />
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
            {rows.length > SHOWN && (
              <p className="border-t border-slate-200 px-4 py-2 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400">
                Showing the newest {SHOWN} of {waiting}.
              </p>
            )}
          </>
        )}
      </Card>
      <ConfirmDialog
        open={confirming}
        title={`Replay the dead letters of ${source.name}?`}
        confirmLabel="Replay"
        danger={false}
        busy={replay.isPending}
        error={replay.error && <ErrorMessage>{replay.error.message}</ErrorMessage>}
        onClose={() => setConfirming(false)}
        onConfirm={() => replay.mutate({ sourceId: source.id })}
      >
        <p>
          {waiting} waiting {rows.length === 1 ? "event goes" : "events go"} through the source&apos;s saved pipeline again. Those that still fail become new
          dead letters with the new reason.
        </p>
        {unsavedChanges && (
          <p className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-200">
            The pipeline has unsaved changes. Replay uses the saved pipeline: save first if the fix is among them.
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}
