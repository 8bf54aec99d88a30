"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import type { QuerySuggestions } from "@/components/discover/LogQueryEditor";
import { useTRPC, useTRPCClient } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Card, CardBody, CardHeader } from "@/components/ui/Card";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { Field, SelectField, TextareaField, TextField } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { PageHeader } from "@/components/ui/PageHeader";
import { ProvisionedNote } from "@/components/ui/ProvisionedNote";
import { Select } from "@/components/ui/Select";
import type { AlertRule, Comparison } from "@/server/alerting/model";
import type { FieldInfo } from "@/server/logs/query/ast";
import { Loading, secondaryLinkClass } from "./bits";
import { RulePreviewTable } from "./RulePreviewTable";
import { KeyValueRowsEditor } from "./RowEditors";
import {
  COMPARISONS,
  EXEC_ERR_OPTIONS,
  NO_DATA_OPTIONS,
  TEMPLATE_HINT,
  emptyRuleForm,
  groupWithRule,
  groupWithoutRule,
  newGroupProblems,
  ruleFormFrom,
  ruleFromForm,
  ruleSaveErrors,
  type ExecErrState,
  type NoDataState,
  type RuleFieldErrors,
  type RuleForm,
} from "./rule-form";
import type { RuleDetails } from "./types";
import { folderFromValue, folderValue, useFolderOptions } from "./useFolders";

const PromQLEditor = dynamic(() => import("@/components/metrics/PromQLEditor"), { ssr: false, loading: () => <div className="h-9 rounded border border-slate-300 dark:border-slate-700" /> });
const LogQueryEditor = dynamic(() => import("@/components/discover/LogQueryEditor"), { ssr: false, loading: () => <div className="h-9 rounded border border-slate-300 dark:border-slate-700" /> });

const NEW_GROUP = "__new__";

/** The rule form page: a new rule (optionally in group `groupId`) or the rule `uid`. */
export function RuleEditorPage({ uid, groupId }: { uid: string | null; groupId?: string | null }) {
  const trpc = useTRPC();
  const existing = useQuery(trpc.alertRules.byUid.queryOptions({ uid: uid ?? "" }, { enabled: uid !== null, staleTime: 0 }));
  if (uid === null) return <RuleEditor details={null} initialGroupId={groupId ?? null} />;
  if (existing.error) return <ErrorMessage title="Could not load the rule">{existing.error.message}</ErrorMessage>;
  if (!existing.data) return <Loading what="the rule" />;
  return <RuleEditor details={existing.data} initialGroupId={existing.data.group.id} />;
}

type SaveError = { message: string; data?: { zodIssues?: { path: string[]; message: string }[] | null; appCode?: string | null } | null };

function RuleEditor({ details, initialGroupId }: { details: RuleDetails | null; initialGroupId: string | null }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const router = useRouter();
  const id = useId();
  const f = (name: string) => `${id}-${name}`;
  const isNew = details === null;
  const readOnly = !!details && !details.canEdit;

  const groups = useQuery(trpc.alertRules.list.queryOptions(undefined, { staleTime: 30_000 }));
  const editableGroups = (groups.data ?? []).filter((g) => g.canEdit || g.id === initialGroupId);
  const folders = useFolderOptions(groups.data ?? []);

  const [form, setForm] = useState<RuleForm>(() => (details ? ruleFormFrom(details.rule as AlertRule) : emptyRuleForm()));
  const [groupChoice, setGroupChoice] = useState<string>(initialGroupId ?? "");
  const [folder, setFolder] = useState<string>(details ? folderValue(details.group.folderUid) : "");
  const [newGroupName, setNewGroupName] = useState("");
  const [newGroupInterval, setNewGroupInterval] = useState("1m");
  const [local, setLocal] = useState<RuleFieldErrors>({});
  const [saveIndex, setSaveIndex] = useState(0);

  // A group given in the address decides the folder once the groups are known.
  const placed = useRef(false);
  useEffect(() => {
    if (placed.current || !groups.data) return;
    placed.current = true;
    const g = groups.data.find((x) => x.id === initialGroupId);
    if (g) setFolder(folderValue(g.folderUid));
    else if (!initialGroupId) {
      const first = groups.data.find((x) => x.canEdit && x.folderUid === null);
      setGroupChoice(first ? first.id : NEW_GROUP);
    }
  }, [groups.data, initialGroupId]);

  const groupsInFolder = editableGroups.filter((g) => folderValue(g.folderUid) === folder);
  const chosen = groupChoice === NEW_GROUP ? null : (groups.data ?? []).find((g) => g.id === groupChoice) ?? null;

  const set = <K extends keyof RuleForm>(k: K, v: RuleForm[K]) => setForm((prev) => ({ ...prev, [k]: v }));

  const save = useMutation<{ uid: string }, SaveError, { rule: AlertRule }>({
    mutationFn: async ({ rule }) => {
      const from = details?.group.id ?? null;
      if (groupChoice === NEW_GROUP) {
        if (from && details) await removeFrom(from, details.rule.uid);
        setSaveIndex(0);
        try {
          const saved = await client.alertRules.save.mutate({ group: { name: newGroupName.trim(), folderUid: folderFromValue(folder), interval: newGroupInterval.trim(), rules: [rule] } });
          return { uid: saved.rules[0]!.uid };
        } catch (e) {
          if (from && details) await restore(from, details.rule as AlertRule);
          throw e;
        }
      }
      const target = await client.alertRules.group.query({ id: groupChoice });
      const moving = from !== null && from !== groupChoice;
      if (moving && details) await removeFrom(from, details.rule.uid);
      const { group, ruleIndex } = groupWithRule(target.group, rule);
      setSaveIndex(ruleIndex);
      try {
        const saved = await client.alertRules.save.mutate({ id: target.id, version: target.version, group });
        return { uid: saved.rules[ruleIndex]!.uid };
      } catch (e) {
        if (moving && details) await restore(from, details.rule as AlertRule);
        throw e;
      }
    },
    onSuccess: async ({ uid }) => {
      await queryClient.invalidateQueries({ queryKey: trpc.alertRules.pathKey() });
      router.push(`/alerting/rules/${encodeURIComponent(uid)}`);
    },
  });

  async function removeFrom(groupId: string, uid: string) {
    const g = await client.alertRules.group.query({ id: groupId });
    await client.alertRules.save.mutate({ id: g.id, version: g.version, group: groupWithoutRule(g.group, uid) });
  }
  /** Puts the rule back into the group it was moved out of, when saving it elsewhere failed. */
  async function restore(groupId: string, rule: AlertRule) {
    try {
      const g = await client.alertRules.group.query({ id: groupId });
      await client.alertRules.save.mutate({ id: g.id, version: g.version, group: groupWithRule(g.group, rule).group });
    } catch {
      // The save error is what the user needs to see; the rule may have to be recreated.
    }
  }

  const preview = useMutation(trpc.alertRules.preview.mutationOptions());

  const server = ruleSaveErrors(save.error?.data?.zodIssues, saveIndex);
  const errs: RuleFieldErrors = { ...server.fields, ...local };
  const general = save.error ? (save.error.data?.zodIssues?.length ? server.other.join("\n") || null : save.error.message) : null;

  function check(): AlertRule | null {
    const r = ruleFromForm(form);
    const placement: RuleFieldErrors = {};
    if (groupChoice === NEW_GROUP) Object.assign(placement, newGroupProblems(newGroupName, newGroupInterval));
    else if (!groupChoice) placement.group = "choose a group, or create one";
    setLocal({ ...(r.errors ?? {}), ...placement });
    if (r.errors || Object.keys(placement).length) return null;
    return r.rule;
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (readOnly) return;
    const rule = check();
    if (rule) save.mutate({ rule });
  }

  function runPreview() {
    const r = ruleFromForm(form);
    setLocal(r.errors ?? {});
    if (!r.rule) return;
    preview.mutate({ rule: r.rule, folderUid: folderFromValue(folder) });
  }

  // Log query completion: the known fields, and values seen in the last hour.
  const logFields = useQuery(trpc.logs.fields.queryOptions(undefined, { staleTime: 60_000, enabled: form.kind === "logs", retry: false }));
  const suggestions = useRef<QuerySuggestions>({ fields: () => [], values: async () => [] });
  useEffect(() => {
    const known: readonly FieldInfo[] = logFields.data?.fields ?? [];
    suggestions.current = {
      fields: () => known,
      values: async (field, prefix, signal) => {
        const end = Date.now();
        return (await client.logs.values.query({ field, prefix, start: end - 3_600_000, end }, { signal })).values;
      },
    };
  }, [logFields.data, client]);

  const title = isNew ? "New alert rule" : `Edit ${details.rule.title}`;
  return (
    <div className="space-y-4">
      <PageHeader title={title} description="A rule evaluates its query on its group's interval; each series that meets the condition for the pending period fires an alert." />
      {details?.group.provisioned && <ProvisionedNote what="alert rule" />}
      {readOnly && !details?.group.provisioned && <ErrorMessage>You cannot change rules in this folder.</ErrorMessage>}
      <form onSubmit={submit} noValidate className="space-y-4" aria-label={title}>
        {general && <ErrorMessage title="Could not save the rule">{general}</ErrorMessage>}
        <fieldset disabled={readOnly} className="min-w-0 space-y-4">
          <Card>
            <CardHeader title="Name and place">The name becomes the alertname label. Rules are evaluated by group, at the group&apos;s interval.</CardHeader>
            <CardBody className="grid gap-3 sm:grid-cols-2">
              <TextField id={f("title")} label="Rule name" autoComplete="off" value={form.title} error={errs.title} onChange={(e) => set("title", e.target.value)} />
              <SelectField
                id={f("folder")}
                label="Folder"
                value={folder}
                error={errs.folder}
                onChange={(e) => {
                  setFolder(e.target.value);
                  const first = editableGroups.find((g) => folderValue(g.folderUid) === e.target.value);
                  setGroupChoice(first ? first.id : NEW_GROUP);
                }}
              >
                {folders.map((o) => (
                  <option key={folderValue(o.uid)} value={folderValue(o.uid)}>
                    {o.title}
                  </option>
                ))}
              </SelectField>
              <SelectField id={f("group")} label="Group" value={groupChoice} error={errs.group} onChange={(e) => setGroupChoice(e.target.value)}>
                {groupChoice === "" && <option value="">Choose a group…</option>}
                {groupsInFolder.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name} (every {g.interval})
                  </option>
                ))}
                <option value={NEW_GROUP}>New group…</option>
              </SelectField>
              {chosen && <p className="self-end pb-2 text-xs text-slate-500 dark:text-slate-400">Evaluated every {chosen.interval} with the group&apos;s {chosen.rules.length} rule(s).</p>}
              {groupChoice === NEW_GROUP && (
                <>
                  <TextField id={f("group-name")} label="Group name" value={newGroupName} error={errs.groupName} onChange={(e) => setNewGroupName(e.target.value)} />
                  <TextField id={f("group-interval")} label="Evaluation interval" hint="How often the group is evaluated, e.g. 30s, 1m." value={newGroupInterval} error={errs.groupInterval} onChange={(e) => setNewGroupInterval(e.target.value)} />
                </>
              )}
            </CardBody>
          </Card>

          <Card>
            <CardHeader title="Query and condition" />
            <CardBody className="space-y-3">
              <Radios
                legend="Query type"
                name={f("kind")}
                value={form.kind}
                onChange={(v) => set("kind", v as RuleForm["kind"])}
                options={[
                  { value: "promql", label: "PromQL (metrics)" },
                  { value: "logs", label: "Logs (count of matching events)" },
                ]}
              />
              {form.kind === "promql" ? (
                <>
                  <Field id={f("expr")} label="PromQL expression" error={errs.expr}>
                    <div className={`rounded border ${errs.expr ? "border-red-500" : "border-slate-300 dark:border-slate-700"} bg-white dark:bg-slate-950`}>
                      <PromQLEditor value={form.expr} onChange={(v) => set("expr", v)} onRun={runPreview} label="PromQL expression" placeholder={'e.g. sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))'} />
                    </div>
                  </Field>
                  <Radios
                    legend="Condition"
                    name={f("condition")}
                    value={form.conditionMode}
                    onChange={(v) => set("conditionMode", v as RuleForm["conditionMode"])}
                    options={[
                      { value: "threshold", label: "Alert when the value crosses a threshold" },
                      { value: "expr", label: "The expression is the condition (every series it returns alerts, as in Prometheus)" },
                    ]}
                  />
                  {form.conditionMode === "threshold" && <Threshold form={form} set={set} error={errs.threshold} prefix="Alert when the value" idp={f("thr")} />}
                </>
              ) : (
                <>
                  <Field id={f("log-query")} label="Log query" error={errs.logQuery}>
                    <div className={`rounded border ${errs.logQuery ? "border-red-500" : "border-slate-300 dark:border-slate-700"} bg-white dark:bg-slate-950`}>
                      <LogQueryEditor value={form.logQuery} onChange={(v) => set("logQuery", v)} onRun={runPreview} suggestions={suggestions} label="Log query" placeholder="e.g. level:error AND service:checkout (empty: every event)" />
                    </div>
                  </Field>
                  <div className="grid gap-3 sm:grid-cols-2">
                    <TextField id={f("window")} label="Window" hint="Events of the last … are counted, e.g. 5m." value={form.window} error={errs.window} onChange={(e) => set("window", e.target.value)} />
                    <TextField id={f("group-by")} label="Count by field (optional)" hint="One series per value, e.g. service, host or attributes.http.status." value={form.groupBy} error={errs.groupBy} onChange={(e) => set("groupBy", e.target.value)} />
                  </div>
                  <Threshold form={form} set={set} error={errs.threshold} prefix="Alert when the count" idp={f("thr")} />
                </>
              )}
            </CardBody>
          </Card>

          <Card>
            <CardHeader title="Alert behaviour" />
            <CardBody className="grid gap-3 sm:grid-cols-2">
              <TextField id={f("for")} label="Pending period" hint="How long the condition must hold before the alert fires (for); 0s fires at once." value={form.for} error={errs.for} onChange={(e) => set("for", e.target.value)} />
              <TextField id={f("keep")} label="Keep firing for" hint="Keep firing this long after the condition clears (optional)." placeholder="e.g. 5m" value={form.keepFiringFor} error={errs.keepFiringFor} onChange={(e) => set("keepFiringFor", e.target.value)} />
              <SelectField id={f("nodata")} label="If no data" value={form.noDataState} error={errs.noDataState} onChange={(e) => set("noDataState", e.target.value as NoDataState)}>
                {NO_DATA_OPTIONS.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </SelectField>
              <SelectField id={f("execerr")} label="If evaluation fails" value={form.execErrState} error={errs.execErrState} onChange={(e) => set("execErrState", e.target.value as ExecErrState)}>
                {EXEC_ERR_OPTIONS.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </SelectField>
            </CardBody>
          </Card>

          <Card>
            <CardHeader title="Labels">Added to every alert of the rule; notification policies route on them (severity, team…). Values may use templates.</CardHeader>
            <CardBody className="space-y-1">
              <KeyValueRowsEditor rows={form.labels} onChange={(rows) => set("labels", rows)} noun="Label" keyPlaceholder="severity" valuePlaceholder="critical" disabled={readOnly} />
              {errs.labels && <p className="text-xs text-red-600 dark:text-red-400">{errs.labels}</p>}
            </CardBody>
          </Card>

          <Card>
            <CardHeader title="Annotations">{TEMPLATE_HINT}</CardHeader>
            <CardBody className="space-y-3">
              <TextField id={f("summary")} label="Summary" placeholder="{{ $labels.instance }} is down" value={form.summary} error={errs.summary} onChange={(e) => set("summary", e.target.value)} />
              <TextareaField id={f("description")} label="Description" rows={3} placeholder="{{ $labels.job }} has failed {{ $value | humanizePercentage }} of requests for 10 minutes." value={form.description} error={errs.description} onChange={(e) => set("description", e.target.value)} />
              <TextField id={f("runbook")} label="Runbook URL" type="url" placeholder="https://wiki.example.com/runbooks/high-error-rate" value={form.runbookUrl} error={errs.runbookUrl} onChange={(e) => set("runbookUrl", e.target.value)} />
              <div className="space-y-1">
                <p className="text-xs font-medium text-slate-700 dark:text-slate-300">Other annotations</p>
                <KeyValueRowsEditor rows={form.annotations} onChange={(rows) => set("annotations", rows)} noun="Annotation" keyPlaceholder="dashboard" multilineValue disabled={readOnly} />
                {errs.annotations && <p className="text-xs text-red-600 dark:text-red-400">{errs.annotations}</p>}
              </div>
            </CardBody>
          </Card>
        </fieldset>

        <Card>
          <CardHeader
            title="Preview"
            actions={
              <Button onClick={runPreview} busy={preview.isPending}>
                Preview
              </Button>
            }
          >
            Evaluates the rule now and shows each series with the state it would be in (as if the rule were new, or from its current state when it exists).
          </CardHeader>
          <CardBody>
            {preview.error && <ErrorMessage title="Could not preview the rule">{preview.error.message}</ErrorMessage>}
            {preview.data ? <RulePreviewTable preview={preview.data} /> : !preview.error && <p className="text-sm text-slate-500 dark:text-slate-400">Press Preview (or Shift+Enter in the query) to evaluate the rule now.</p>}
          </CardBody>
        </Card>

        {!readOnly && (
          <div className="flex items-center gap-3">
            <Button type="submit" variant="primary" busy={save.isPending}>
              Save rule
            </Button>
            <Link href={details ? `/alerting/rules/${encodeURIComponent(details.rule.uid)}` : "/alerting/rules"} className={secondaryLinkClass}>
              Cancel
            </Link>
          </div>
        )}
      </form>
    </div>
  );
}

function Threshold({ form, set, error, prefix, idp }: { form: RuleForm; set: <K extends keyof RuleForm>(k: K, v: RuleForm[K]) => void; error?: string; prefix: string; idp: string }) {
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span>{prefix}</span>
        <Select aria-label="Comparison" className="w-48" value={form.op} onChange={(e) => set("op", e.target.value as Comparison)}>
          {COMPARISONS.map((c) => (
            <option key={c.op} value={c.op}>
              {c.label}
            </option>
          ))}
        </Select>
        <Input id={idp} aria-label="Threshold" className="w-32" inputMode="decimal" value={form.threshold} invalid={!!error} aria-describedby={error ? `${idp}-error` : undefined} onChange={(e) => set("threshold", e.target.value)} />
      </div>
      {error && (
        <p id={`${idp}-error`} className="text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}

function Radios({ legend, name, value, options, onChange }: { legend: string; name: string; value: string; options: { value: string; label: ReactNode }[]; onChange: (v: string) => void }) {
  return (
    <fieldset className="space-y-1">
      <legend className="text-xs font-medium text-slate-700 dark:text-slate-300">{legend}</legend>
      <div className="flex flex-wrap gap-x-5 gap-y-1">
        {options.map((o) => (
          <label key={o.value} className="flex items-center gap-1.5 text-sm">
            <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} className="accent-blue-600" />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
