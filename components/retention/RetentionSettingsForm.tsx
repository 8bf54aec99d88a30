"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { TextField } from "@/components/ui/Field";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { fieldErrors, formError } from "@/components/ui/form-errors";
import { formatBytes } from "@/server/lib/units";
import type { RetentionOverview, RetentionSettings } from "@/server/retention/model";
import { parseSettings, settingsDraft, type SettingsDraft, type SettingsErrors } from "./retention-format";

const FIELDS: { key: keyof RetentionSettings; label: string; hint: string; usage: (o: RetentionOverview) => RetentionOverview["audit"] }[] = [
  { key: "metricsRawDays", label: "Raw samples (days)", hint: "Full resolution; default 15 days", usage: (o) => o.metrics.raw },
  { key: "metrics5mDays", label: "5-minute rollups (days)", hint: "Default 90 days", usage: (o) => o.metrics.rollups5m },
  { key: "metrics1hDays", label: "1-hour rollups (days)", hint: "Default 1 year", usage: (o) => o.metrics.rollups1h },
  { key: "auditDays", label: "Audit log (days)", hint: "Default 1 year, up to 7 years", usage: (o) => o.audit },
];

/** Metrics tiers and audit log retention; read-only without settings:manage. */
export function RetentionSettingsForm({ overview, canManage }: { overview: RetentionOverview; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [draft, setDraft] = useState<SettingsDraft>(() => settingsDraft(overview.settings));
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.retention.updateSettings.mutationOptions({
      onSuccess: async (s) => {
        setDraft(settingsDraft(s));
        setSaved(true);
        await queryClient.invalidateQueries({ queryKey: trpc.retention.overview.queryKey() });
      },
    }),
  );
  const server = fieldErrors(save.error);
  const general = formError(save.error, FIELDS.map((f) => f.key));

  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const r = parseSettings(draft);
    setErrors(r.errors);
    if (r.value) save.mutate(r.value);
  }

  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Metrics and audit retention">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {FIELDS.map((f) => {
          const u = f.usage(overview);
          return (
            <TextField
              key={f.key}
              id={`${id}-${f.key}`}
              label={f.label}
              inputMode="numeric"
              readOnly={!canManage}
              value={draft[f.key]}
              onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
              error={errors[f.key] ?? server[f.key] ?? null}
              hint={
                <>
                  {f.hint} · now {formatBytes(u.bytes)}, oldest {u.oldest ?? "—"}
                </>
              }
            />
          );
        })}
      </div>
      {general && <ErrorMessage title="Not saved">{general}</ErrorMessage>}
      {canManage && (
        <div className="flex items-center gap-3">
          <Button type="submit" variant="primary" busy={save.isPending}>
            Save retention
          </Button>
          {saved && (
            <span className="text-xs text-emerald-700 dark:text-emerald-400" role="status">
              Saved. The next run applies it.
            </span>
          )}
        </div>
      )}
    </form>
  );
}
