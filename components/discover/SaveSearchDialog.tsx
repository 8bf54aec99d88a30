"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Checkbox } from "@/components/ui/Checkbox";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { TextareaField, TextField } from "@/components/ui/Field";
import type { SavedSearch } from "@/server/logs/search/contract";

export type SaveTarget = { query: string; columns: string[]; timeFrom: string; timeTo: string };

/**
 * Saves the current search (query, columns, time range) with a name, a description and whether
 * others with logs:read see it. Editing your own open saved search overwrites it unless
 * "Save as new" is ticked.
 */
export function SaveSearchDialog({
  open,
  onClose,
  target,
  current,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  target: SaveTarget;
  current: SavedSearch | null;
  onSaved: (saved: SavedSearch) => void;
}) {
  return (
    <Dialog open={open} onClose={onClose} title={current?.canEdit ? `Save “${current.name}”` : "Save search"} size="md">
      <SaveForm target={target} current={current} onSaved={onSaved} onCancel={onClose} />
    </Dialog>
  );
}

function SaveForm({ target, current, onSaved, onCancel }: { target: SaveTarget; current: SavedSearch | null; onSaved: (s: SavedSearch) => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = { name: useId(), description: useId() };
  const editable = current?.canEdit ? current : null;
  const [name, setName] = useState(editable?.name ?? current?.name ?? "");
  const [description, setDescription] = useState(editable?.description ?? "");
  const [shared, setShared] = useState(editable?.shared ?? true);
  const [asNew, setAsNew] = useState(!editable);
  const save = useMutation(
    trpc.savedSearches.save.mutationOptions({
      onSuccess: async (saved) => {
        await queryClient.invalidateQueries({ queryKey: trpc.savedSearches.pathKey() });
        onSaved(saved as SavedSearch);
      },
    }),
  );
  const nameError = save.error?.data?.zodIssues?.find((i: { path: string[] }) => i.path[0] === "name")?.message ?? null;

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ ...(editable && !asNew ? { id: editable.id } : {}), name, description, shared, ...target });
  }

  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <TextField id={ids.name} label="Name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoFocus error={nameError} />
      <TextareaField id={ids.description} label="Description" value={description} onChange={(e) => setDescription(e.target.value)} rows={2} maxLength={2000} className="font-sans text-sm" />
      <Checkbox label="Shared" description="Everyone who can read logs sees it; otherwise only you." checked={shared} onChange={(e) => setShared(e.target.checked)} />
      {editable && <Checkbox label="Save as new search" description={`Leave “${editable.name}” as it is and create another.`} checked={asNew} onChange={(e) => setAsNew(e.target.checked)} />}
      <div className="rounded border border-slate-200 bg-slate-50 p-2 text-xs dark:border-slate-800 dark:bg-slate-950">
        <p className="font-mono break-all">{target.query || <em className="text-slate-400">all events</em>}</p>
        <p className="mt-1 text-slate-500">
          Columns: {target.columns.join(", ")} · Range: {target.timeFrom} → {target.timeTo}
        </p>
      </div>
      {save.error && !nameError && <ErrorMessage>{save.error.message}</ErrorMessage>}
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" busy={save.isPending} disabled={!name.trim()}>
          {editable && !asNew ? "Save changes" : "Save"}
        </Button>
      </div>
    </form>
  );
}
