"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { TextField } from "@/components/ui/Field";
import { Notice } from "@/components/ui/Notice";
import { formatCount } from "@/server/lib/units";
import { gdprExportUrl, plural } from "./retention-format";

/**
 * Data requests (GDPR): a query selecting one person's events (e.g. `user_id:12345`), counted in
 * the hot tier and the archive, exported as NDJSON, or deleted from both after typing the query
 * again. Only for logs:gdpr.
 */
export function GdprRequests() {
  const trpc = useTRPC();
  const id = useId();
  const [text, setText] = useState("");
  const [q, setQ] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState("");
  const preview = useQuery({ ...trpc.retention.gdprPreview.queryOptions({ q: q ?? "" }), enabled: q !== null, staleTime: 0, gcTime: 0 });
  const remove = useMutation(
    trpc.retention.gdprDelete.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        setTyped("");
        void preview.refetch();
      },
    }),
  );
  const counts = preview.data;
  const total = counts ? counts.hot.events + counts.archived.events : 0;

  function submit(e: FormEvent) {
    e.preventDefault();
    remove.reset();
    const t = text.trim();
    if (!t) return;
    if (t === q) void preview.refetch();
    else setQ(t);
  }

  return (
    <div className="space-y-3">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
        <div className="min-w-72 flex-1">
          <TextField
            id={`${id}-q`}
            label="Query selecting the person's events"
            placeholder="user_id:12345"
            className="font-mono"
            value={text}
            onChange={(e) => setText(e.target.value)}
            hint="The log query language, over every hot and archived day of every source."
          />
        </div>
        <Button type="submit" busy={preview.isFetching} disabled={!text.trim()}>
          Preview
        </Button>
      </form>
      {preview.error && <ErrorMessage title="Could not count the matches">{preview.error.message}</ErrorMessage>}
      {remove.data && (
        <Notice>
          Deleted {plural(remove.data.hot.events, "event")} from {plural(remove.data.hot.days, "hot day")} and {plural(remove.data.archived.events, "event")} from{" "}
          {plural(remove.data.archived.days, "archived day")}. The deletion is in the audit log.
        </Notice>
      )}
      {counts && q !== null && (
        <div className="flex flex-wrap items-center gap-4 rounded border border-slate-200 px-3 py-2 text-sm dark:border-slate-800" data-testid="gdpr-preview">
          <span>
            <strong className="tabular-nums">{formatCount(counts.hot.events)}</strong> in the hot tier ({plural(counts.hot.days, "day")})
          </span>
          <span>
            <strong className="tabular-nums">{formatCount(counts.archived.events)}</strong> in the archive ({plural(counts.archived.days, "day")})
          </span>
          <span className="ml-auto flex gap-2">
            <a
              href={gdprExportUrl(q)}
              download
              className="inline-flex h-8 items-center rounded border border-slate-300 bg-white px-3 text-sm font-medium text-slate-800 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700"
            >
              Export NDJSON
            </a>
            <Button variant="danger" disabled={total === 0} onClick={() => setConfirming(true)}>
              Delete…
            </Button>
          </span>
        </div>
      )}
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Delete these events for good?"
        size="sm"
        footer={
          <>
            <Button onClick={() => setConfirming(false)}>Cancel</Button>
            <Button variant="danger" busy={remove.isPending} disabled={typed.trim() !== q} onClick={() => q && remove.mutate({ q, confirm: typed })}>
              Delete {formatCount(total)} events
            </Button>
          </>
        }
      >
        <div className="space-y-3 text-sm">
          <p>
            Every event matching <code className="font-mono">{q}</code> is removed from the hot tier and rewritten out of the archived days. This cannot be undone: export first if the
            person asked for their data.
          </p>
          <TextField id={`${id}-confirm`} label="Type the query again to confirm" className="font-mono" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
          {remove.error && <ErrorMessage title="Not deleted">{remove.error.message}</ErrorMessage>}
        </div>
      </Dialog>
    </div>
  );
}
