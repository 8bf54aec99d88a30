"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Input } from "@/components/ui/Input";
import { ProvisionedBadge } from "@/components/ui/ProvisionedNote";
import { Table, TBody, Td, Th, ThActions, THead, Tr } from "@/components/ui/Table";
import { dateText } from "@/components/ui/format";
import { formatBytes, formatCount } from "@/server/lib/units";
import type { RetentionOverview } from "@/server/retention/model";
import { formatDays, parseSourceDays, type DaysDraft, type DaysErrors } from "./retention-format";

type SourceRow = RetentionOverview["sources"][number];

/** Per source: hot and archive days (editable inline with settings:manage), size and oldest day per tier, restored days. */
export function SourcesRetentionTable({ sources, canManage }: { sources: SourceRow[]; canManage: boolean }) {
  return (
    <Table aria-label="Log sources retention">
      <THead>
        <tr>
          <Th>Source</Th>
          <Th>Hot</Th>
          <Th>Archive</Th>
          <Th className="text-right">Hot size</Th>
          <Th>Oldest hot day</Th>
          <Th className="text-right">Archive size</Th>
          <Th>Oldest archived day</Th>
          <Th>Restored</Th>
          {canManage && <ThActions />}
        </tr>
      </THead>
      <TBody>
        {sources.map((s) => (
          <SourceRetentionRow key={s.id} source={s} canManage={canManage} />
        ))}
      </TBody>
    </Table>
  );
}

function SourceRetentionRow({ source: s, canManage }: { source: SourceRow; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<DaysDraft | null>(null);
  const [errors, setErrors] = useState<DaysErrors>({});
  const save = useMutation(
    trpc.retention.updateSource.mutationOptions({
      onSuccess: async () => {
        setDraft(null);
        await queryClient.invalidateQueries({ queryKey: trpc.retention.overview.queryKey() });
      },
    }),
  );
  const editable = canManage && !s.provisioned;

  function submit() {
    if (!draft) return;
    const r = parseSourceDays(draft);
    setErrors(r.errors);
    if (r.value) save.mutate({ id: s.id, ...r.value });
  }

  const hotId = `hot-${s.id}`;
  const archiveId = `archive-${s.id}`;
  return (
    <Tr data-testid="retention-source-row" className="align-top">
      <Td className="py-2 font-mono text-[13px] whitespace-nowrap">
        {s.name}
        {s.provisioned && <ProvisionedBadge className="ml-2" />}
      </Td>
      {draft ? (
        <>
          <Td className="py-1.5">
            <Input id={hotId} aria-label={`Hot days of ${s.name}`} className="w-20" inputMode="numeric" value={draft.hotDays} invalid={!!errors.hotDays} onChange={(e) => setDraft({ ...draft, hotDays: e.target.value })} />
            {errors.hotDays && <p className="mt-1 text-xs text-red-600 dark:text-red-400">{errors.hotDays}</p>}
          </Td>
          <Td className="py-1.5">
            <Input id={archiveId} aria-label={`Archive days of ${s.name}`} className="w-20" inputMode="numeric" value={draft.archiveDays} invalid={!!errors.archiveDays} onChange={(e) => setDraft({ ...draft, archiveDays: e.target.value })} />
            {errors.archiveDays && <p className="mt-1 text-xs text-red-600 dark:text-red-400">{errors.archiveDays}</p>}
            {save.error && <p className="mt-1 text-xs text-red-600 dark:text-red-400">{save.error.message}</p>}
          </Td>
        </>
      ) : (
        <>
          <Td className="py-2 tabular-nums" title={`${s.hotDays} days searchable at full speed`}>
            {formatDays(s.hotDays)}
          </Td>
          <Td className="py-2 tabular-nums" title={`kept ${s.archiveDays} days in all, then deleted`}>
            {formatDays(s.archiveDays)}
          </Td>
        </>
      )}
      <Td className="py-2 text-right tabular-nums">
        {formatBytes(s.hot.bytes)}
        <div className="text-[11px] text-slate-500 dark:text-slate-400">{formatCount(s.hot.partitions)} days</div>
      </Td>
      <Td className="py-2 tabular-nums">{s.hot.oldest ?? "—"}</Td>
      <Td className="py-2 text-right tabular-nums">
        {formatBytes(s.archive.bytes)}
        <div className="text-[11px] text-slate-500 dark:text-slate-400">
          {formatCount(s.archive.partitions)} days · {formatCount(s.archive.events)} events
        </div>
      </Td>
      <Td className="py-2 tabular-nums">{s.archive.oldest ?? "—"}</Td>
      <Td className="py-2">
        {s.restored.length === 0 ? (
          <span className="text-slate-400 dark:text-slate-500">—</span>
        ) : (
          <ul className="space-y-0.5 text-xs">
            {s.restored.map((r) => (
              <li key={r.day}>
                <span className="tabular-nums">{r.day}</span> <span className="text-slate-500 dark:text-slate-400">until {dateText(r.until)}</span>
              </li>
            ))}
          </ul>
        )}
      </Td>
      {canManage && (
        <Td className="py-1.5 text-right whitespace-nowrap">
          {!editable ? (
            <span className="text-xs text-slate-500 dark:text-slate-400" title="Change it in the provisioning file">
              {s.provisioned ? "read-only" : ""}
            </span>
          ) : draft ? (
            <span className="inline-flex gap-1.5">
              <Button size="sm" variant="primary" busy={save.isPending} onClick={submit}>
                Save
              </Button>
              <Button
                size="sm"
                onClick={() => {
                  setDraft(null);
                  setErrors({});
                  save.reset();
                }}
              >
                Cancel
              </Button>
            </span>
          ) : (
            <Button size="sm" aria-label={`Edit retention of ${s.name}`} onClick={() => setDraft({ hotDays: String(s.hotDays), archiveDays: String(s.archiveDays) })}>
              Edit
            </Button>
          )}
        </Td>
      )}
    </Tr>
  );
}
