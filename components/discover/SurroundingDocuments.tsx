"use client";

import { useQuery } from "@tanstack/react-query";
import { format } from "date-fns";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { cn } from "@/components/ui/cn";
import type { LogHit } from "@/server/logs/search/contract";
import { LevelBadge } from "./LevelBadge";

const STEP = 10;

/** The events just before and after `hit` from the same source and host, oldest first, the anchor marked. */
export function SurroundingDocuments({ hit, onClose }: { hit: LogHit | null; onClose: () => void }) {
  return (
    <Dialog open={hit !== null} onClose={onClose} title="Surrounding documents" size="lg" description={hit ? `Same source (${hit.source}) and host (${hit.host ?? "none"}), in time order.` : undefined}>
      {hit && <ContextList id={hit.id} />}
    </Dialog>
  );
}

function ContextList({ id }: { id: string }) {
  const trpc = useTRPC();
  const [before, setBefore] = useState(STEP);
  const [after, setAfter] = useState(STEP);
  const q = useQuery({ ...trpc.logs.context.queryOptions({ id, before, after }), placeholderData: (prev) => prev });

  if (q.error) return <ErrorMessage>{q.error.message}</ErrorMessage>;
  if (!q.data) return <div className="h-64 animate-pulse rounded bg-slate-100 dark:bg-slate-800" aria-hidden />;
  const { anchor } = q.data;
  const rows = [...q.data.before, anchor, ...q.data.after];
  return (
    <div>
      <div className="mb-2 flex justify-center">
        <Button size="sm" onClick={() => setBefore((n) => Math.min(200, n + STEP))} disabled={q.data.before.length < before || before >= 200} busy={q.isFetching}>
          Load {STEP} earlier
        </Button>
      </div>
      <ol aria-label="Surrounding events" className="max-h-[55vh] overflow-y-auto rounded border border-slate-200 dark:border-slate-800">
        {rows.map((h: LogHit) => {
          const isAnchor = h.id === anchor.id;
          return (
            <li
              key={h.id}
              aria-current={isAnchor || undefined}
              data-testid={isAnchor ? "context-anchor" : "context-row"}
              ref={isAnchor ? (el) => el?.scrollIntoView({ block: "center" }) : undefined}
              className={cn(
                "grid grid-cols-[11rem_4.5rem_1fr] items-start gap-2 border-b border-slate-100 px-2 py-1 text-xs last:border-0 dark:border-slate-800",
                isAnchor && "bg-amber-50 ring-1 ring-amber-300 ring-inset dark:bg-amber-950/40 dark:ring-amber-800",
              )}
            >
              <span className="font-mono text-slate-600 tabular-nums dark:text-slate-400">{format(new Date(h.ts), "MMM dd, HH:mm:ss.SSS")}</span>
              <LevelBadge level={h.level} />
              <span className="font-mono break-words whitespace-pre-wrap">{h.message}</span>
            </li>
          );
        })}
      </ol>
      <div className="mt-2 flex justify-center">
        <Button size="sm" onClick={() => setAfter((n) => Math.min(200, n + STEP))} disabled={q.data.after.length < after || after >= 200} busy={q.isFetching}>
          Load {STEP} later
        </Button>
      </div>
    </div>
  );
}
