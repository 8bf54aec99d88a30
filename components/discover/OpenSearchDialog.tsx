"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog, Dialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { Input } from "@/components/ui/Input";
import { relativeText } from "@/components/ui/format";
import type { SavedSearch } from "@/server/logs/search/contract";

/** The saved searches the user may see: filter by name, open one, delete your own. */
export function OpenSearchDialog({ open, onClose, onOpen }: { open: boolean; onClose: () => void; onOpen: (s: SavedSearch) => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Open saved search" size="lg">
      <SavedList onOpen={onOpen} />
    </Dialog>
  );
}

function SavedList({ onOpen }: { onOpen: (s: SavedSearch) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.savedSearches.list.queryOptions());
  const [filter, setFilter] = useState("");
  const [deleting, setDeleting] = useState<SavedSearch | null>(null);
  const filterId = useId();
  const remove = useMutation(
    trpc.savedSearches.delete.mutationOptions({
      onSuccess: async () => {
        setDeleting(null);
        await queryClient.invalidateQueries({ queryKey: trpc.savedSearches.pathKey() });
      },
    }),
  );
  const items = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const all = (list.data ?? []) as SavedSearch[];
    return f ? all.filter((s) => s.name.toLowerCase().includes(f) || s.description.toLowerCase().includes(f) || s.query.toLowerCase().includes(f)) : all;
  }, [list.data, filter]);

  return (
    <div>
      <label htmlFor={filterId} className="sr-only">
        Filter saved searches
      </label>
      <Input id={filterId} type="search" placeholder="Filter by name, description or query" value={filter} onChange={(e) => setFilter(e.target.value)} className="mb-2" data-autofocus />
      {list.error && <ErrorMessage>{list.error.message}</ErrorMessage>}
      {list.isPending && <div className="h-32 animate-pulse rounded bg-slate-100 dark:bg-slate-800" aria-hidden />}
      {list.data && items.length === 0 && <p className="py-6 text-center text-sm text-slate-500">{filter ? "No saved search matches." : "No saved searches yet."}</p>}
      <ul aria-label="Saved searches" className="max-h-[50vh] divide-y divide-slate-100 overflow-y-auto dark:divide-slate-800">
        {items.map((s) => (
          <li key={s.id} className="flex items-start gap-3 py-2">
            <div className="min-w-0 flex-1">
              <button type="button" className="text-left text-sm font-medium text-blue-700 hover:underline dark:text-blue-300" onClick={() => onOpen(s)}>
                {s.name}
              </button>
              {!s.shared && (
                <Badge className="ml-2" tone="neutral">
                  private
                </Badge>
              )}
              {s.description && <p className="text-xs text-slate-600 dark:text-slate-400">{s.description}</p>}
              <p className="truncate font-mono text-xs text-slate-500" title={s.query}>
                {s.query || "all events"}
              </p>
              <p className="text-[11px] text-slate-400">
                {s.ownerName} · updated {relativeText(s.updatedAt)}
              </p>
            </div>
            {s.canEdit && (
              <Button size="sm" variant="ghost" onClick={() => setDeleting(s)} aria-label={`Delete ${s.name}`}>
                Delete
              </Button>
            )}
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={deleting !== null}
        title="Delete saved search"
        confirmLabel="Delete"
        busy={remove.isPending}
        error={remove.error ? <ErrorMessage>{remove.error.message}</ErrorMessage> : null}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
        onClose={() => setDeleting(null)}
      >
        Delete “{deleting?.name}”? Links to it stop working.
      </ConfirmDialog>
    </div>
  );
}
