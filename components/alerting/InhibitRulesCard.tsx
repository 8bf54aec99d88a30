"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { ConfirmDialog, Dialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { TextField } from "@/components/ui/Field";
import { TBody, THead, Table, Td, Th, ThActions, Tr } from "@/components/ui/Table";
import type { InhibitRule } from "@/server/alerting/model";
import { Loading } from "./bits";
import { StringListEditor } from "./RowEditors";
import { inhibitRuleForm, inhibitRuleFromForm, type InhibitRuleErrors, type InhibitRuleForm } from "./timing-forms";

const Matchers = ({ list }: { list: string[] }) => (
  <ul className="flex flex-wrap gap-1">
    {list.map((m, i) => (
      <li key={i} className="rounded bg-slate-100 px-1.5 py-px font-mono text-[11px] dark:bg-slate-800">
        {m}
      </li>
    ))}
  </ul>
);

/** Inhibition rules: a firing source alert mutes the target alerts that share the `equal` labels. */
export function InhibitRulesCard({ readOnly }: { readOnly: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rules = useQuery(trpc.notificationPolicies.inhibitRules.queryOptions());
  const [editing, setEditing] = useState<{ index: number | null } | null>(null);
  const [deleting, setDeleting] = useState<number | null>(null);
  const save = useMutation(
    trpc.notificationPolicies.saveInhibitRules.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.notificationPolicies.pathKey() });
        setEditing(null);
        setDeleting(null);
      },
    }),
  );
  const list = rules.data?.rules ?? [];
  const write = (next: InhibitRule[]) => save.mutate({ rules: next, version: rules.data?.version });
  return (
    <section aria-label="Inhibition rules">
      <Card>
        <CardHeader
          title="Inhibition rules"
          actions={
            !readOnly && (
              <Button size="sm" onClick={() => setEditing({ index: null })} disabled={!rules.data}>
                New inhibition rule
              </Button>
            )
          }
        >
          While an alert matching the source matchers fires, alerts matching the target matchers with the same values of the equal labels are not notified (e.g. critical inhibits warning for the same alertname and cluster).
        </CardHeader>
        {rules.error && <ErrorMessage>{rules.error.message}</ErrorMessage>}
        {rules.isPending && (
          <div className="px-4 py-3">
            <Loading what="inhibition rules" />
          </div>
        )}
        {rules.data && list.length === 0 && <p className="px-4 py-3 text-sm text-slate-500 dark:text-slate-400">No inhibition rules.</p>}
        {list.length > 0 && (
          <Table>
            <THead>
              <tr>
                <Th>Source (inhibits)</Th>
                <Th>Target (inhibited)</Th>
                <Th>Equal labels</Th>
                {!readOnly && (
                  <ThActions />
                )}
              </tr>
            </THead>
            <TBody>
              {list.map((r, i) => {
                const f = inhibitRuleForm(r);
                return (
                  <Tr key={i} data-testid="inhibit-rule-row">
                    <Td>
                      <Matchers list={f.source} />
                    </Td>
                    <Td>
                      <Matchers list={f.target} />
                    </Td>
                    <Td className="font-mono text-xs">{f.equal || "—"}</Td>
                    {!readOnly && (
                      <Td className="text-right whitespace-nowrap">
                        <Button size="sm" onClick={() => setEditing({ index: i })} aria-label={`Edit inhibition rule ${i + 1}`}>
                          Edit
                        </Button>
                        <Button size="sm" variant="ghost" className="ml-1" onClick={() => setDeleting(i)} aria-label={`Delete inhibition rule ${i + 1}`}>
                          Delete
                        </Button>
                      </Td>
                    )}
                  </Tr>
                );
              })}
            </TBody>
          </Table>
        )}
      </Card>
      {editing && (
        <InhibitRuleDialog
          rule={editing.index === null ? null : (list[editing.index] ?? null)}
          busy={save.isPending}
          error={save.error?.message ?? null}
          onClose={() => {
            setEditing(null);
            save.reset();
          }}
          onSave={(rule) => write(editing.index === null ? [...list, rule] : list.map((r, i) => (i === editing.index ? rule : r)))}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this inhibition rule?"
        confirmLabel="Delete inhibition rule"
        busy={save.isPending}
        error={save.error && <ErrorMessage>{save.error.message}</ErrorMessage>}
        onClose={() => {
          setDeleting(null);
          save.reset();
        }}
        onConfirm={() => write(list.filter((_r, i) => i !== deleting))}
      />
    </section>
  );
}

function InhibitRuleDialog({ rule, busy, error, onClose, onSave }: { rule: InhibitRule | null; busy: boolean; error: string | null; onClose: () => void; onSave: (r: InhibitRule) => void }) {
  const id = useId();
  const [form, setForm] = useState<InhibitRuleForm>(() => inhibitRuleForm(rule));
  const [errors, setErrors] = useState<InhibitRuleErrors>({});
  function submit(e: FormEvent) {
    e.preventDefault();
    const r = inhibitRuleFromForm(form);
    setErrors(r.errors ?? {});
    if (r.rule) onSave(r.rule);
  }
  return (
    <Dialog
      open
      size="lg"
      onClose={onClose}
      title={rule ? "Edit inhibition rule" : "New inhibition rule"}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form={`${id}-form`} variant="primary" busy={busy}>
            Save inhibition rule
          </Button>
        </>
      }
    >
      <form id={`${id}-form`} onSubmit={submit} noValidate className="space-y-3">
        {error && <ErrorMessage title="Could not save">{error}</ErrorMessage>}
        <fieldset className="space-y-1">
          <legend className="text-xs font-medium text-slate-700 dark:text-slate-300">Source matchers (the alerts that inhibit)</legend>
          <StringListEditor items={form.source} onChange={(source) => setForm({ ...form, source })} noun="Source matcher" placeholder='severity="critical"' errors={errors.source} />
          {errors.sourceEmpty && <p className="text-xs text-red-600 dark:text-red-400">{errors.sourceEmpty}</p>}
        </fieldset>
        <fieldset className="space-y-1">
          <legend className="text-xs font-medium text-slate-700 dark:text-slate-300">Target matchers (the alerts inhibited)</legend>
          <StringListEditor items={form.target} onChange={(target) => setForm({ ...form, target })} noun="Target matcher" placeholder='severity="warning"' errors={errors.target} />
          {errors.targetEmpty && <p className="text-xs text-red-600 dark:text-red-400">{errors.targetEmpty}</p>}
        </fieldset>
        <TextField id={`${id}-equal`} label="Equal labels" hint="Labels whose values must be the same in source and target, separated by commas (e.g. alertname, cluster)." value={form.equal} error={errors.equal} onChange={(e) => setForm({ ...form, equal: e.target.value })} />
      </form>
    </Dialog>
  );
}
