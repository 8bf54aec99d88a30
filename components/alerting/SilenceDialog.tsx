"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { TextareaField, TextField } from "@/components/ui/Field";
import { useDebounced } from "@/components/ui/useDebounced";
import { LabelChips } from "./bits";
import { rowProblem, rowToSilenceMatcher } from "./matcher-rows";
import { MatcherRowsEditor } from "./RowEditors";
import { silenceRequestFromForm, withDuration, withEnd, withStart, type SilenceForm, type SilenceFormErrors } from "./silence-form";

/**
 * Creates (or, with `initial.id`, edits) a silence: matchers, start, duration or end, comment and
 * author, with the firing alerts it would silence listed as you type.
 */
export function SilenceDialog({ initial, title, onClose, onSaved }: { initial: SilenceForm; title?: string; onClose: () => void; onSaved?: (id: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<SilenceFormErrors>({});
  const editing = !!initial.id;

  const done = async (s: { id: string }) => {
    await Promise.all([queryClient.invalidateQueries({ queryKey: trpc.silences.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.alerts.pathKey() })]);
    onSaved?.(s.id);
    onClose();
  };
  const create = useMutation(trpc.silences.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.silences.update.mutationOptions({ onSuccess: done }));
  const save = editing ? update : create;

  const valid = form.rows.filter((r) => r.name.trim() !== "" && rowProblem(r) === null).map(rowToSilenceMatcher);
  const matchersKey = useDebounced(JSON.stringify(valid), 300);
  const matchers = JSON.parse(matchersKey) as typeof valid;
  const affected = useQuery(trpc.alerts.list.queryOptions({ matchers }, { enabled: matchers.length > 0, placeholderData: (p) => p }));

  function submit(e: FormEvent) {
    e.preventDefault();
    const r = silenceRequestFromForm(form, Date.now());
    setErrors(r.errors ?? {});
    if (!r.request) return;
    const { id: silenceId, ...input } = r.request;
    if (silenceId) update.mutate({ id: silenceId, ...input });
    else create.mutate(input);
  }

  const f = (n: string) => `${id}-${n}`;
  return (
    <Dialog
      open
      size="lg"
      onClose={onClose}
      title={title ?? (editing ? "Edit silence" : "New silence")}
      description="Alerts whose labels match every matcher are not notified while the silence is active."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form={f("form")} variant="primary" busy={save.isPending}>
            {editing ? "Save silence" : "Create silence"}
          </Button>
        </>
      }
    >
      <form id={f("form")} onSubmit={submit} noValidate className="space-y-3">
        {save.error && <ErrorMessage title="Could not save the silence">{save.error.message}</ErrorMessage>}
        <fieldset className="space-y-1">
          <legend className="text-xs font-medium text-slate-700 dark:text-slate-300">Matchers</legend>
          <MatcherRowsEditor rows={form.rows} onChange={(rows) => setForm({ ...form, rows })} errors={errors.rows} />
          {errors.matchers && <p className="text-xs text-red-600 dark:text-red-400">{errors.matchers}</p>}
        </fieldset>
        <div className="grid gap-3 sm:grid-cols-3">
          <TextField id={f("start")} type="datetime-local" label="Starts" value={form.startsAt} error={errors.startsAt} onChange={(e) => setForm(withStart(form, e.target.value))} />
          <TextField id={f("duration")} label="Duration" hint="e.g. 2h, 1d, 30m" value={form.duration} error={errors.duration} onChange={(e) => setForm(withDuration(form, e.target.value))} />
          <TextField id={f("end")} type="datetime-local" label="Ends" value={form.endsAt} error={errors.endsAt} onChange={(e) => setForm(withEnd(form, e.target.value))} />
        </div>
        <TextareaField id={f("comment")} label="Comment" rows={2} placeholder="Why, e.g. planned maintenance of db-1" value={form.comment} onChange={(e) => setForm({ ...form, comment: e.target.value })} />
        <TextField id={f("by")} label="Created by" value={form.createdBy} error={errors.createdBy} onChange={(e) => setForm({ ...form, createdBy: e.target.value })} />
        <section aria-label="Affected alerts" className="rounded border border-slate-200 px-3 py-2 text-sm dark:border-slate-800">
          <h3 className="text-xs font-semibold text-slate-600 dark:text-slate-300">Firing alerts it matches now</h3>
          {matchers.length === 0 ? (
            <p className="text-xs text-slate-500 dark:text-slate-400">Add a matcher to see the alerts it silences.</p>
          ) : affected.error ? (
            <p className="text-xs text-red-600">{affected.error.message}</p>
          ) : !affected.data ? (
            <p className="text-xs text-slate-500">Looking…</p>
          ) : affected.data.length === 0 ? (
            <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="affected-count">
              No firing alert matches (the silence still applies to alerts that fire later).
            </p>
          ) : (
            <>
              <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="affected-count">
                {affected.data.length} firing alert{affected.data.length === 1 ? "" : "s"}
              </p>
              <ul className="mt-1 max-h-40 space-y-1 overflow-y-auto">
                {affected.data.slice(0, 50).map((a) => (
                  <li key={a.fingerprint}>
                    <LabelChips labels={a.labels} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </form>
    </Dialog>
  );
}
