"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { ConfirmDialog, Dialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { TextField } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { TBody, THead, Table, Td, Th, ThActions, Tr } from "@/components/ui/Table";
import { emptySpecForm, muteTimingForm, muteTimingFromForm, specSummary, type MuteTimingErrors, type MuteTimingForm, type SpecField, type TimeIntervalSpecForm } from "./timing-forms";
import type { MuteTiming } from "./types";

/** Mute timings (Alertmanager time intervals): when a policy sends nothing (or only sends). */
export function MuteTimingsCard({ timings, readOnly }: { timings: MuteTiming[]; readOnly: boolean }) {
  const [editing, setEditing] = useState<{ timing: MuteTiming | null } | null>(null);
  const [deleting, setDeleting] = useState<MuteTiming | null>(null);
  return (
    <section aria-label="Mute timings">
      <Card>
        <CardHeader
          title="Mute timings"
          actions={
            !readOnly && (
              <Button size="sm" onClick={() => setEditing({ timing: null })}>
                New mute timing
              </Button>
            )
          }
        >
          Named time intervals (times of day, weekdays, days of the month, months, years, in a time zone). A policy mutes its notifications during them, or sends only during them.
        </CardHeader>
        {timings.length === 0 ? (
          <p className="px-4 py-3 text-sm text-slate-500 dark:text-slate-400">No mute timings.</p>
        ) : (
          <Table>
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>When</Th>
                <Th>Used by</Th>
                {!readOnly && (
                  <ThActions />
                )}
              </tr>
            </THead>
            <TBody>
              {timings.map((t) => (
                <Tr key={t.name} data-testid="mute-timing-row">
                  <Td className="font-medium">{t.name}</Td>
                  <Td className="text-xs">
                    <ul>
                      {t.time_intervals.map((s, i) => (
                        <li key={i}>{specSummary(s)}</li>
                      ))}
                    </ul>
                  </Td>
                  <Td className="text-xs">{t.usedByPolicies === 0 ? "not used" : `${t.usedByPolicies} polic${t.usedByPolicies === 1 ? "y" : "ies"}`}</Td>
                  {!readOnly && (
                    <Td className="text-right whitespace-nowrap">
                      <Button size="sm" onClick={() => setEditing({ timing: t })} aria-label={`Edit mute timing ${t.name}`}>
                        Edit
                      </Button>
                      <Button size="sm" variant="ghost" className="ml-1" disabled={t.usedByPolicies > 0} title={t.usedByPolicies > 0 ? "Used by a policy" : undefined} onClick={() => setDeleting(t)} aria-label={`Delete mute timing ${t.name}`}>
                        Delete
                      </Button>
                    </Td>
                  )}
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      {editing && <MuteTimingDialog timing={editing.timing} onClose={() => setEditing(null)} />}
      {deleting && <DeleteMuteTiming timing={deleting} onClose={() => setDeleting(null)} />}
    </section>
  );
}

function MuteTimingDialog({ timing, onClose }: { timing: MuteTiming | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [form, setForm] = useState<MuteTimingForm>(() => muteTimingForm(timing));
  const [errors, setErrors] = useState<MuteTimingErrors>({});
  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.notificationPolicies.pathKey() });
    onClose();
  };
  const create = useMutation(trpc.notificationPolicies.createMuteTiming.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.notificationPolicies.updateMuteTiming.mutationOptions({ onSuccess: done }));
  const save = timing ? update : create;

  function submit(e: FormEvent) {
    e.preventDefault();
    const r = muteTimingFromForm(form);
    setErrors(r.errors ?? {});
    if (!r.timing) return;
    if (timing) update.mutate({ name: timing.name, timing: r.timing });
    else create.mutate({ timing: r.timing });
  }
  const setSpec = (i: number, s: TimeIntervalSpecForm) => setForm({ ...form, specs: form.specs.map((x, j) => (j === i ? s : x)) });

  return (
    <Dialog
      open
      size="lg"
      onClose={onClose}
      title={timing ? `Edit mute timing ${timing.name}` : "New mute timing"}
      description="The timing holds when any of its intervals does; an interval holds when all its fields do (an empty field always holds)."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form={`${id}-form`} variant="primary" busy={save.isPending}>
            Save mute timing
          </Button>
        </>
      }
    >
      <form id={`${id}-form`} onSubmit={submit} noValidate className="space-y-3">
        {save.error && <ErrorMessage title="Could not save the mute timing">{save.error.message}</ErrorMessage>}
        <TextField id={`${id}-name`} label="Name" value={form.name} error={errors.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        {form.specs.map((s, i) => (
          <fieldset key={i} className="space-y-2 rounded border border-slate-200 p-3 dark:border-slate-800">
            <legend className="px-1 text-xs font-semibold">Interval {i + 1}</legend>
            <SpecEditor idp={`${id}-${i}`} spec={s} errors={errors.specs?.[i] ?? {}} onChange={(next) => setSpec(i, next)} />
            {form.specs.length > 1 && (
              <Button size="sm" variant="ghost" onClick={() => setForm({ ...form, specs: form.specs.filter((_x, j) => j !== i) })}>
                Remove interval {i + 1}
              </Button>
            )}
          </fieldset>
        ))}
        <Button size="sm" onClick={() => setForm({ ...form, specs: [...form.specs, emptySpecForm()] })}>
          Add interval
        </Button>
      </form>
    </Dialog>
  );
}

function SpecEditor({ idp, spec: s, errors, onChange }: { idp: string; spec: TimeIntervalSpecForm; errors: Partial<Record<SpecField, string>>; onChange: (s: TimeIntervalSpecForm) => void }) {
  return (
    <div className="space-y-2">
      <div className="space-y-1">
        <p className="text-xs font-medium text-slate-700 dark:text-slate-300">Times of day</p>
        {s.times.map((t, i) => (
          <div key={i} className="flex items-center gap-2 text-sm">
            <Input aria-label={`Start time ${i + 1}`} type="time" className="w-32" value={t.start} onChange={(e) => onChange({ ...s, times: s.times.map((x, j) => (j === i ? { ...x, start: e.target.value } : x)) })} />
            <span>to</span>
            <Input aria-label={`End time ${i + 1}`} type="time" className="w-32" value={t.end} onChange={(e) => onChange({ ...s, times: s.times.map((x, j) => (j === i ? { ...x, end: e.target.value } : x)) })} />
            <Button size="sm" variant="ghost" aria-label={`Remove time range ${i + 1}`} onClick={() => onChange({ ...s, times: s.times.filter((_x, j) => j !== i) })}>
              ✕
            </Button>
          </div>
        ))}
        <Button size="sm" onClick={() => onChange({ ...s, times: [...s.times, { start: "00:00", end: "24:00" }] })}>
          Add time range
        </Button>
        {errors.times && <p className="text-xs text-red-600 dark:text-red-400">{errors.times}</p>}
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField id={`${idp}-weekdays`} label="Weekdays" placeholder="monday:friday, sunday" value={s.weekdays} error={errors.weekdays} onChange={(e) => onChange({ ...s, weekdays: e.target.value })} />
        <TextField id={`${idp}-days`} label="Days of the month" placeholder="1:7, -1 (last day)" value={s.daysOfMonth} error={errors.daysOfMonth} onChange={(e) => onChange({ ...s, daysOfMonth: e.target.value })} />
        <TextField id={`${idp}-months`} label="Months" placeholder="january:march, december" value={s.months} error={errors.months} onChange={(e) => onChange({ ...s, months: e.target.value })} />
        <TextField id={`${idp}-years`} label="Years" placeholder="2026, 2027:2028" value={s.years} error={errors.years} onChange={(e) => onChange({ ...s, years: e.target.value })} />
        <TextField id={`${idp}-location`} label="Time zone" placeholder="UTC, Europe/Paris" value={s.location} error={errors.location} onChange={(e) => onChange({ ...s, location: e.target.value })} />
      </div>
    </div>
  );
}

function DeleteMuteTiming({ timing, onClose }: { timing: MuteTiming; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const del = useMutation(
    trpc.notificationPolicies.deleteMuteTiming.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.notificationPolicies.pathKey() });
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog open title={`Delete mute timing ${timing.name}?`} confirmLabel="Delete mute timing" busy={del.isPending} error={del.error && <ErrorMessage>{del.error.message}</ErrorMessage>} onClose={onClose} onConfirm={() => del.mutate({ name: timing.name })} />
  );
}
