"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Card, CardBody, CardHeader } from "@/components/ui/Card";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { TextField } from "@/components/ui/Field";
import { fieldErrors, formError } from "@/components/ui/form-errors";
import { Notice } from "@/components/ui/Notice";
import { pipelineIssues } from "./pipeline-draft";
import { PipelineEditor } from "./PipelineEditor";
import { PipelineTestPanel } from "./PipelineTestPanel";
import { sameSource, sourceFormFrom, sourceInputFrom, type SourceForm } from "./source-form";
import type { SourceRow } from "./types";

const FORM_FIELDS = ["name", "description", "hotDays", "archiveDays"] as const;
const DEFAULT_SOURCE = "default";

let keySeq = 0;
const newKey = () => `step-${++keySeq}`;

/**
 * Create (`source` null) or edit a source: name, description, retention and the pipeline steps,
 * with the "Test pipeline" panel beside it. Without sources:write everything is read-only (the
 * panel still works: testing needs only sources:read).
 */
export function SourceEditor({ source, canWrite, onDirtyChange }: { source: SourceRow | null; canWrite: boolean; onDirtyChange?: (dirty: boolean) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const ids = { name: useId(), description: useId(), hot: useId(), archive: useId(), pipeline: useId() };
  const isNew = source === null;
  const [form, setForm] = useState<SourceForm>(() => sourceFormFrom(source, newKey));
  const [saved, setSaved] = useState<SourceForm>(form);
  const [pipelineError, setPipelineError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const submitted = useRef<SourceForm>(form);
  const dirty = !sameSource(form, saved);

  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange]);

  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.sources.list.queryKey() });
  const onError = (e: { message: string }) => setPipelineError(pipelineIssues(e.message).length ? e.message : null);
  const create = useMutation(
    trpc.sources.create.mutationOptions({
      onSuccess: async (s) => {
        await invalidate();
        router.push(`/settings/sources/${s.id}?created=1`);
      },
      onError,
    }),
  );
  const update = useMutation(
    trpc.sources.update.mutationOptions({
      onSuccess: (s) => {
        setSaved(submitted.current);
        setPipelineError(null);
        setNotice(`Source ${s.name} saved. New events use this pipeline from now on.`);
        void invalidate();
      },
      onError,
    }),
  );
  const save = isNew ? create : update;
  const errs = fieldErrors(save.error);
  if (save.error?.data?.appCode === "CONFLICT") errs.name = save.error.message;
  const general = save.error?.data?.appCode === "CONFLICT" ? null : formError(save.error, FORM_FIELDS);
  const issues = pipelineIssues(pipelineError);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!canWrite) return;
    setNotice(null);
    submitted.current = form;
    const input = sourceInputFrom(form);
    if (source) update.mutate({ id: source.id, ...input });
    else create.mutate(input);
  }

  const steps = form.steps;
  const pipeline = sourceInputFrom(form).pipeline;

  return (
    <div className="grid items-start gap-4 xl:grid-cols-2">
      <form onSubmit={submit} noValidate className="min-w-0 space-y-4" aria-label={isNew ? "New source" : `Source ${source.name}`}>
        {notice && <Notice onDismiss={() => setNotice(null)}>{notice}</Notice>}
        {general && <ErrorMessage title={isNew ? "Could not create the source" : "Could not save the source"}>{general}</ErrorMessage>}
        <fieldset disabled={!canWrite} className="min-w-0 space-y-4">
          <Card>
            <CardHeader title="Source">Events name their source with ?source=NAME (or the X-Lookout-Source header).</CardHeader>
            <CardBody className="grid gap-3 sm:grid-cols-2">
              <TextField
                id={ids.name}
                label="Name"
                hint={source?.name === DEFAULT_SOURCE ? "The default source cannot be renamed." : "Lower-case letters, digits, dot, dash and underscore, e.g. nginx-prod."}
                error={errs.name}
                autoComplete="off"
                spellCheck={false}
                readOnly={source?.name === DEFAULT_SOURCE}
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.target.value })}
              />
              <TextField
                id={ids.description}
                label="Description"
                error={errs.description}
                value={form.description}
                onChange={(e) => setForm({ ...form, description: e.target.value })}
              />
              <TextField
                id={ids.hot}
                label="Hot days"
                hint="Days kept searchable in PostgreSQL."
                error={errs.hotDays}
                type="number"
                inputMode="numeric"
                min={1}
                max={3650}
                value={form.hotDays}
                onChange={(e) => setForm({ ...form, hotDays: e.target.value })}
              />
              <TextField
                id={ids.archive}
                label="Archive days"
                hint="Days kept in total, archive included; at least the hot days."
                error={errs.archiveDays}
                type="number"
                inputMode="numeric"
                min={1}
                max={36500}
                value={form.archiveDays}
                onChange={(e) => setForm({ ...form, archiveDays: e.target.value })}
              />
            </CardBody>
          </Card>
          <section aria-labelledby={ids.pipeline}>
            <Card>
              <CardHeader title={<span id={ids.pipeline}>Pipeline</span>}>
                Steps run in order on every event of this source. A failing required step sends the event to the dead letters.
              </CardHeader>
              <CardBody>
                <PipelineEditor steps={steps} onChange={(next) => setForm({ ...form, steps: next })} issues={issues} readOnly={!canWrite} newKey={newKey} />
              </CardBody>
            </Card>
          </section>
        </fieldset>
        {canWrite && (
          <div className="sticky bottom-0 z-10 -mx-1 flex flex-wrap items-center gap-3 rounded-md border border-slate-200 bg-white/95 px-3 py-2 shadow-sm backdrop-blur dark:border-slate-800 dark:bg-slate-900/95">
            <Button type="submit" variant="primary" busy={save.isPending}>
              {isNew ? "Create source" : "Save source"}
            </Button>
            {!isNew && dirty && (
              <Button
                onClick={() => {
                  setForm(saved);
                  setPipelineError(null);
                  save.reset();
                }}
              >
                Discard changes
              </Button>
            )}
            <span className="text-xs text-slate-500 dark:text-slate-400" aria-live="polite">
              {isNew ? "" : dirty ? "Unsaved changes" : "All changes saved"}
            </span>
          </div>
        )}
      </form>
      <div className="min-w-0 xl:sticky xl:top-0 xl:max-h-[calc(100vh-7rem)] xl:overflow-y-auto">
        <PipelineTestPanel pipeline={pipeline} sourceName={form.name.trim()} onPipelineError={setPipelineError} />
      </div>
    </div>
  );
}
