"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card, CardBody, CardHeader } from "@/components/ui/Card";
import { Checkbox } from "@/components/ui/Checkbox";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { Field, TextareaField, TextField } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { PageHeader } from "@/components/ui/PageHeader";
import { ProvisionedNote } from "@/components/ui/ProvisionedNote";
import { Select } from "@/components/ui/Select";
import type { IntegrationType } from "@/server/alerting/model";
import { Loading, secondaryLinkClass } from "./bits";
import {
  FIELDS,
  INTEGRATION_LABEL,
  INTEGRATION_TYPES,
  ROWS_FIELD,
  SEND_RESOLVED_DEFAULT,
  contactPointForm,
  emptyIntegration,
  isMasked,
  receiverFromForm,
  testIndexOf,
  type ContactPointErrors,
  type ContactPointForm,
  type FieldSpec,
  type IntegrationForm,
} from "./contact-point-form";
import { KeyValueRowsEditor } from "./RowEditors";
import type { ContactPoint } from "./types";

/** What "Send test" reports per integration (server/alerting/channels SendResult). */
type TestOutcome = { ok: boolean; status?: number; error?: string; requestSummary?: string; templateErrors?: string[]; skipped?: boolean };

/** The contact point page: a new one (`name` null) or the saved `name`; read-only without alerts:write. */
export function ContactPointEditorPage({ name, canWrite }: { name: string | null; canWrite: boolean }) {
  const trpc = useTRPC();
  const point = useQuery(trpc.contactPoints.byName.queryOptions({ name: name ?? "" }, { enabled: name !== null, staleTime: 0 }));
  if (name === null) return <ContactPointEditor point={null} readOnly={!canWrite} />;
  if (point.error) return <ErrorMessage title="Could not load the contact point">{point.error.message}</ErrorMessage>;
  if (!point.data) return <Loading what="the contact point" />;
  return <ContactPointEditor point={point.data} readOnly={!canWrite || point.data.provisioned} />;
}

function ContactPointEditor({ point, readOnly }: { point: ContactPoint | null; readOnly: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const id = useId();
  const [form, setForm] = useState<ContactPointForm>(() => contactPointForm(point?.receiver ?? null));
  const [errors, setErrors] = useState<ContactPointErrors>({});
  const [addType, setAddType] = useState<IntegrationType>("webhook");
  const [tests, setTests] = useState<Record<string, TestOutcome | undefined>>({});

  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.contactPoints.pathKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.notificationPolicies.pathKey() });
    router.push(`/alerting/contact-points`);
  };
  const create = useMutation(trpc.contactPoints.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.contactPoints.update.mutationOptions({ onSuccess: done }));
  const save = point ? update : create;
  const test = useMutation(trpc.contactPoints.test.mutationOptions());

  function submit(e: FormEvent) {
    e.preventDefault();
    if (readOnly) return;
    const r = receiverFromForm(form);
    setErrors(r.errors ?? {});
    if (!r.receiver) return;
    if (point) update.mutate({ name: point.name, receiver: r.receiver });
    else create.mutate({ receiver: r.receiver });
  }

  function sendTest(i: number) {
    const integration = form.integrations[i]!;
    const r = receiverFromForm(form);
    setErrors(r.errors ?? {});
    if (!r.receiver) return;
    setTests((t) => ({ ...t, [integration.id]: undefined }));
    test.mutate(
      { receiver: r.receiver, index: testIndexOf(form, i), ...(point ? { name: point.name } : {}) },
      {
        onSuccess: (out) => setTests((t) => ({ ...t, [integration.id]: out[0]?.result })),
        onError: (e) => setTests((t) => ({ ...t, [integration.id]: { ok: false, error: e.message } })),
      },
    );
  }

  const setIntegration = (i: number, next: IntegrationForm) => setForm({ ...form, integrations: form.integrations.map((x, j) => (j === i ? next : x)) });
  const title = point ? (readOnly ? point.name : `Edit ${point.name}`) : "New contact point";

  return (
    <div className="space-y-4">
      <PageHeader title={title} description="A contact point sends each notification through all its integrations. Templates use Alertmanager's notification data (.Status, .CommonLabels, .Alerts…)." />
      {point?.provisioned && <ProvisionedNote what="contact point" />}
      <form onSubmit={submit} noValidate className="space-y-4" aria-label={title}>
        {save.error && <ErrorMessage title="Could not save the contact point">{save.error.message}</ErrorMessage>}
        <fieldset disabled={readOnly} className="min-w-0 space-y-4">
          <Card>
            <CardBody className="grid gap-3 sm:grid-cols-2">
              <TextField id={`${id}-name`} label="Name" autoComplete="off" value={form.name} error={errors.name} onChange={(e) => setForm({ ...form, name: e.target.value })} hint={point && point.usedByPolicies > 0 ? `Used by ${point.usedByPolicies} notification polic${point.usedByPolicies === 1 ? "y" : "ies"}; renaming updates them.` : undefined} />
            </CardBody>
          </Card>
          {form.integrations.map((integ, i) => (
            <IntegrationCard
              key={integ.id}
              idp={`${id}-${integ.id}`}
              integration={integ}
              number={form.integrations.filter((x, j) => x.type === integ.type && j <= i).length}
              errors={errors.integrations?.[i] ?? {}}
              readOnly={readOnly}
              onChange={(next) => setIntegration(i, next)}
              onRemove={() => setForm({ ...form, integrations: form.integrations.filter((_x, j) => j !== i) })}
              onTest={() => sendTest(i)}
              testing={test.isPending && test.variables?.index === testIndexOf(form, i)}
              outcome={tests[integ.id]}
            />
          ))}
          {!readOnly && (
            <div className="flex items-center gap-2">
              <Select aria-label="Integration type" className="w-40" value={addType} onChange={(e) => setAddType(e.target.value as IntegrationType)}>
                {INTEGRATION_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {INTEGRATION_LABEL[t]}
                  </option>
                ))}
              </Select>
              <Button onClick={() => setForm({ ...form, integrations: [...form.integrations, emptyIntegration(addType)] })}>Add integration</Button>
            </div>
          )}
        </fieldset>
        <div className="flex items-center gap-3">
          {!readOnly && (
            <Button type="submit" variant="primary" busy={save.isPending}>
              Save contact point
            </Button>
          )}
          <Link href="/alerting/contact-points" className={secondaryLinkClass}>
            {readOnly ? "Back" : "Cancel"}
          </Link>
        </div>
      </form>
    </div>
  );
}

function IntegrationCard({
  idp,
  integration: f,
  number,
  errors,
  readOnly,
  onChange,
  onRemove,
  onTest,
  testing,
  outcome,
}: {
  idp: string;
  integration: IntegrationForm;
  number: number;
  errors: Record<string, string>;
  readOnly: boolean;
  onChange: (f: IntegrationForm) => void;
  onRemove: () => void;
  onTest: () => void;
  testing: boolean;
  outcome: TestOutcome | undefined;
}) {
  const name = `${INTEGRATION_LABEL[f.type]} ${number}`;
  const setField = (k: string, v: string) => onChange({ ...f, fields: { ...f.fields, [k]: v } });
  const rows = ROWS_FIELD[f.type];
  return (
    <section aria-label={`Integration ${name}`} data-testid="integration">
      <Card>
        <CardHeader
          level={3}
          title={name}
          actions={
            <>
              {!readOnly && (
                <Button size="sm" onClick={onTest} busy={testing} aria-label={`Send test ${name}`}>
                  Send test
                </Button>
              )}
              {!readOnly && (
                <Button size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove ${name}`}>
                  Remove
                </Button>
              )}
            </>
          }
        />
        <CardBody className="space-y-3">
          {outcome && <TestResult outcome={outcome} />}
          <div className="grid gap-3 sm:grid-cols-2">
            {FIELDS[f.type].map((spec) => (
              <IntegrationField key={spec.name} id={`${idp}-${spec.name}`} spec={spec} value={f.fields[spec.name] ?? ""} error={errors[spec.name]} readOnly={readOnly} onChange={(v) => setField(spec.name, v)} />
            ))}
          </div>
          {rows && (
            <div className="space-y-1">
              <p className="text-xs font-medium text-slate-700 dark:text-slate-300">{rows.label}</p>
              <KeyValueRowsEditor rows={f.rows} onChange={(r) => onChange({ ...f, rows: r })} noun={f.type === "pagerduty" ? "Detail" : "Header"} disabled={readOnly} />
              {errors.rows && <p className="text-xs text-red-600 dark:text-red-400">{errors.rows}</p>}
            </div>
          )}
          <div className="flex flex-wrap gap-x-6 gap-y-2">
            <Checkbox
              label="Send resolved notifications"
              description={f.sendResolved === null ? `Default for ${INTEGRATION_LABEL[f.type]}: ${SEND_RESOLVED_DEFAULT[f.type] ? "yes" : "no"}` : undefined}
              checked={f.sendResolved ?? SEND_RESOLVED_DEFAULT[f.type]}
              onChange={(e) => onChange({ ...f, sendResolved: e.target.checked })}
            />
            {f.type === "email" && (
              <>
                <Checkbox label="Require STARTTLS" checked={f.requireTls ?? true} onChange={(e) => onChange({ ...f, requireTls: e.target.checked })} />
                <Checkbox label="Skip TLS certificate verification" description="For self-signed SMTP servers." checked={f.skipVerify} onChange={(e) => onChange({ ...f, skipVerify: e.target.checked })} />
              </>
            )}
          </div>
          {errors.tls && <p className="text-xs text-red-600 dark:text-red-400">{errors.tls}</p>}
        </CardBody>
      </Card>
    </section>
  );
}

function IntegrationField({ id, spec, value, error, readOnly, onChange }: { id: string; spec: FieldSpec; value: string; error?: string; readOnly: boolean; onChange: (v: string) => void }) {
  const label = spec.label;
  if (spec.kind === "secret" || (spec.kind === "url" && isMasked(value))) return <SecretField id={id} label={label} hint={spec.hint} value={value} error={error} readOnly={readOnly} onChange={onChange} />;
  if (spec.kind === "longTemplate")
    return (
      <div className="sm:col-span-2">
        <TextareaField id={id} label={label} hint={spec.hint} placeholder={spec.placeholder} rows={4} spellCheck={false} value={value} error={error} onChange={(e) => onChange(e.target.value)} />
      </div>
    );
  return <TextField id={id} label={label} hint={spec.hint} placeholder={spec.placeholder} inputMode={spec.kind === "number" ? "numeric" : undefined} spellCheck={false} className={spec.kind === "template" ? "font-mono text-xs" : undefined} value={value} error={error} onChange={(e) => onChange(e.target.value)} />;
}

/**
 * A secret: once set it shows only that it is configured (the server may send it masked) and is
 * sent back unchanged unless the user chooses to replace it and types a new one.
 */
function SecretField({ id, label, hint, value, error, readOnly, onChange }: { id: string; label: string; hint?: string; value: string; error?: string; readOnly: boolean; onChange: (v: string) => void }) {
  const [original] = useState(value);
  const [editing, setEditing] = useState(value === "");
  if (!editing)
    return (
      <Field id={id} label={label} hint={hint} error={error}>
        <div className="flex items-center gap-2">
          <Input id={id} readOnly value="••••••••  configured" aria-describedby={undefined} className="flex-1 text-slate-500" />
          {!readOnly && (
            <Button
              size="sm"
              onClick={() => {
                setEditing(true);
                onChange("");
              }}
              aria-label={`Change ${label}`}
            >
              Change
            </Button>
          )}
        </div>
      </Field>
    );
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <div className="flex items-center gap-2">
        <Input id={id} type="password" autoComplete="new-password" value={value} invalid={!!error} className="flex-1" onChange={(e) => onChange(e.target.value)} />
        {original !== "" && !readOnly && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              setEditing(false);
              onChange(original);
            }}
          >
            Keep current
          </Button>
        )}
      </div>
    </Field>
  );
}

function TestResult({ outcome }: { outcome: TestOutcome }) {
  return (
    <div role="status" data-testid="test-result" className={`rounded border px-3 py-2 text-xs ${outcome.ok ? "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-200" : "border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"}`}>
      <p className="font-medium">
        <Badge tone={outcome.ok ? "green" : "red"}>{outcome.ok ? "Test sent" : "Test failed"}</Badge>
        {outcome.status !== undefined && <span className="ml-2">status {outcome.status}</span>}
      </p>
      {outcome.error && <p className="mt-1 break-words">{outcome.error}</p>}
      {outcome.requestSummary && <p className="mt-1 font-mono break-words opacity-80">{outcome.requestSummary}</p>}
      {outcome.templateErrors && outcome.templateErrors.length > 0 && (
        <ul className="mt-1 list-disc pl-4">
          {outcome.templateErrors.map((t, i) => (
            <li key={i}>{t}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
