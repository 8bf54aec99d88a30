"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Card, CardBody, CardHeader } from "@/components/ui/Card";
import { Checkbox } from "@/components/ui/Checkbox";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { SelectField, TextareaField, TextField } from "@/components/ui/Field";
import { Notice } from "@/components/ui/Notice";
import { configFromForm, formErrorsFrom, scrapeFormFrom, type FormField, type ScrapeForm } from "./scrape-form";
import type { ScrapeJobRow } from "./types";

const RELABEL_PLACEHOLDER = '[\n  { "source_labels": ["__address__"], "regex": "(.*):.*", "target_label": "host" }\n]';

/** Create (`job` null) or edit a scrape job. Read-only without targets:write or for provisioned jobs. */
export function ScrapeJobEditor({ job, readOnly }: { job: ScrapeJobRow | null; readOnly: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const id = useId();
  const isNew = job === null;
  const [form, setForm] = useState<ScrapeForm>(() => scrapeFormFrom(job?.config ?? null));
  const [localErrors, setLocalErrors] = useState<Partial<Record<FormField, string>>>({});
  const [notice, setNotice] = useState<string | null>(null);

  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.scrapeJobs.pathKey() });
  const create = useMutation(
    trpc.scrapeJobs.create.mutationOptions({
      onSuccess: async (j) => {
        await invalidate();
        router.push(`/settings/scrape-targets/${j.id}?created=1`);
      },
    }),
  );
  const update = useMutation(
    trpc.scrapeJobs.update.mutationOptions({
      onSuccess: (j) => {
        setNotice(`Scrape job ${j.name} saved. The targets are rescheduled within a few seconds.`);
        void invalidate();
      },
    }),
  );
  const save = isNew ? create : update;
  const server = formErrorsFrom(save.error?.data?.zodIssues, form.targets);
  const errs: Partial<Record<FormField, string>> = { ...server.fields, ...localErrors };
  if (save.error?.data?.appCode === "CONFLICT") errs.jobName = save.error.message;
  const general = save.error && !save.error.data?.zodIssues?.length && save.error.data?.appCode !== "CONFLICT" ? save.error.message : server.other.join("\n") || null;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (readOnly) return;
    setNotice(null);
    const r = configFromForm(form);
    setLocalErrors(r.errors ?? {});
    if (!r.config) return;
    if (job) update.mutate({ id: job.id, config: r.config });
    else create.mutate({ config: r.config });
  }

  const set = <K extends keyof ScrapeForm>(k: K, v: ScrapeForm[K]) => setForm({ ...form, [k]: v });
  const f = (name: string) => `${id}-${name}`;

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label={isNew ? "New scrape job" : `Scrape job ${job.name}`}>
      {notice && <Notice onDismiss={() => setNotice(null)}>{notice}</Notice>}
      {general && <ErrorMessage title={isNew ? "Could not create the scrape job" : "Could not save the scrape job"}>{general}</ErrorMessage>}
      <fieldset disabled={readOnly} className="min-w-0 space-y-4">
        <Card>
          <CardHeader title="Job">The job name becomes the job label of every sample; each target gets an instance label (its address).</CardHeader>
          <CardBody className="grid gap-3 sm:grid-cols-2">
            <TextField id={f("name")} label="Job name" error={errs.jobName} autoComplete="off" spellCheck={false} value={form.jobName} onChange={(e) => set("jobName", e.target.value)} />
            <SelectField id={f("scheme")} label="Scheme" error={errs.scheme} value={form.scheme} onChange={(e) => set("scheme", e.target.value)}>
              <option value="http">http</option>
              <option value="https">https</option>
            </SelectField>
            <TextareaField
              id={f("targets")}
              label="Targets"
              hint="One host:port per line, e.g. 10.0.0.5:9100."
              error={errs.targets}
              rows={4}
              spellCheck={false}
              value={form.targets}
              onChange={(e) => set("targets", e.target.value)}
            />
            <TextareaField
              id={f("labels")}
              label="Labels"
              hint="One key=value per line, added to every sample of these targets."
              error={errs.labels}
              rows={4}
              spellCheck={false}
              value={form.labels}
              onChange={(e) => set("labels", e.target.value)}
            />
            <TextField id={f("interval")} label="Scrape interval" hint="Default 15s." placeholder="15s" error={errs.interval} value={form.interval} onChange={(e) => set("interval", e.target.value)} />
            <TextField
              id={f("timeout")}
              label="Scrape timeout"
              hint="Default 10s, at most the interval."
              placeholder="10s"
              error={errs.timeout}
              value={form.timeout}
              onChange={(e) => set("timeout", e.target.value)}
            />
            <TextField id={f("path")} label="Metrics path" placeholder="/metrics" error={errs.metricsPath} value={form.metricsPath} onChange={(e) => set("metricsPath", e.target.value)} />
            <TextField
              id={f("limit")}
              label="Sample limit"
              hint="A scrape with more samples (after relabelling) fails. Empty: no limit."
              inputMode="numeric"
              error={errs.sampleLimit}
              value={form.sampleLimit}
              onChange={(e) => set("sampleLimit", e.target.value)}
            />
            <Checkbox
              label="honor_labels"
              description="Keep the target's own job/instance/… labels when they clash with ours (otherwise theirs become exported_<name>)."
              checked={form.honorLabels}
              onChange={(e) => set("honorLabels", e.target.checked)}
            />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Relabelling (advanced)">Prometheus relabel_configs and metric_relabel_configs, as a JSON array of rules.</CardHeader>
          <CardBody className="grid gap-3 lg:grid-cols-2">
            <TextareaField
              id={f("relabel")}
              label="relabel_configs"
              hint="Applied to each target before scraping (may drop targets)."
              error={errs.relabelConfigs}
              rows={6}
              spellCheck={false}
              placeholder={RELABEL_PLACEHOLDER}
              value={form.relabelConfigs}
              onChange={(e) => set("relabelConfigs", e.target.value)}
            />
            <TextareaField
              id={f("metric-relabel")}
              label="metric_relabel_configs"
              hint="Applied to each scraped sample before storing (may drop samples)."
              error={errs.metricRelabelConfigs}
              rows={6}
              spellCheck={false}
              value={form.metricRelabelConfigs}
              onChange={(e) => set("metricRelabelConfigs", e.target.value)}
            />
          </CardBody>
        </Card>
      </fieldset>
      {!readOnly && (
        <div className="flex items-center gap-3">
          <Button type="submit" variant="primary" busy={save.isPending}>
            {isNew ? "Create scrape job" : "Save scrape job"}
          </Button>
        </div>
      )}
    </form>
  );
}
