"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/Dialog";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { PageHeader } from "@/components/ui/PageHeader";
import { TBody, THead, Table, Td, Th, ThActions, Tr } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import { Loading } from "./bits";
import { rowToString, silenceMatcherToRow } from "./matcher-rows";
import { newSilenceForm, recreateSilenceForm, silenceFormFrom, type SilenceForm } from "./silence-form";
import { SilenceDialog } from "./SilenceDialog";
import { silenceTone, type SilenceState } from "./state";
import type { SilenceView } from "./types";

const REFRESH_MS = 15_000;
const SECTIONS: { state: SilenceState; title: string }[] = [
  { state: "active", title: "Active" },
  { state: "pending", title: "Pending" },
  { state: "expired", title: "Expired" },
];

/** Alerting → Silences: active, pending and expired silences; create, edit, expire, recreate. */
export function SilencesList({ canWrite, user }: { canWrite: boolean; user: string }) {
  const trpc = useTRPC();
  const silences = useQuery(trpc.silences.list.queryOptions(undefined, { refetchInterval: REFRESH_MS }));
  const [editing, setEditing] = useState<{ form: SilenceForm; title: string } | null>(null);
  const [expiring, setExpiring] = useState<SilenceView | null>(null);
  return (
    <div className="space-y-4">
      <PageHeader
        title="Silences"
        description="A silence mutes the notifications of the alerts whose labels match all its matchers, from its start to its end."
        actions={
          canWrite && (
            <Button variant="primary" onClick={() => setEditing({ form: newSilenceForm({ now: Date.now(), createdBy: user }), title: "New silence" })}>
              New silence
            </Button>
          )
        }
      />
      {silences.error && <ErrorMessage title="Could not load the silences">{silences.error.message}</ErrorMessage>}
      {silences.isPending && <Loading what="silences" />}
      {silences.data?.length === 0 && <EmptyState title="No silences">Create one here, or with the Silence button of a firing alert.</EmptyState>}
      {silences.data &&
        silences.data.length > 0 &&
        SECTIONS.map(({ state, title }) => {
          const list = silences.data.filter((s) => s.status.state === state);
          if (list.length === 0) return null;
          return (
            <section key={state} aria-label={`${title} silences`}>
              <Card>
                <CardHeader title={`${title} (${list.length})`} />
                <Table>
                  <THead>
                    <tr>
                      <Th>Matchers</Th>
                      <Th>State</Th>
                      <Th>Starts</Th>
                      <Th>Ends</Th>
                      <Th>Created by</Th>
                      <Th>Comment</Th>
                      {canWrite && (
                        <ThActions />
                      )}
                    </tr>
                  </THead>
                  <TBody>
                    {list.map((s) => (
                      <Tr key={s.id} data-testid="silence-row">
                        <Td>
                          <ul className="flex flex-wrap gap-1">
                            {s.matchers.map((m, i) => (
                              <li key={i} className="rounded bg-slate-100 px-1.5 py-px font-mono text-[11px] dark:bg-slate-800">
                                {rowToString(silenceMatcherToRow(m))}
                              </li>
                            ))}
                          </ul>
                        </Td>
                        <Td>
                          <Badge tone={silenceTone(s.status.state)}>{s.status.state}</Badge>
                        </Td>
                        <Td>
                          <Timestamp value={s.startsAt} />
                        </Td>
                        <Td>
                          <Timestamp value={s.endsAt} />
                        </Td>
                        <Td className="text-xs">{s.createdBy}</Td>
                        <Td className="max-w-xs text-xs">{s.comment}</Td>
                        {canWrite && (
                          <Td className="text-right whitespace-nowrap">
                            {s.status.state === "expired" ? (
                              <Button size="sm" onClick={() => setEditing({ form: recreateSilenceForm(s, { now: Date.now(), createdBy: user }), title: "Recreate silence" })}>
                                Recreate
                              </Button>
                            ) : (
                              <>
                                <Button size="sm" onClick={() => setEditing({ form: silenceFormFrom(s, { keepId: true }), title: "Edit silence" })}>
                                  Edit
                                </Button>
                                <Button size="sm" variant="ghost" className="ml-1" onClick={() => setExpiring(s)}>
                                  Expire
                                </Button>
                              </>
                            )}
                          </Td>
                        )}
                      </Tr>
                    ))}
                  </TBody>
                </Table>
              </Card>
            </section>
          );
        })}
      {editing && <SilenceDialog initial={editing.form} title={editing.title} onClose={() => setEditing(null)} />}
      {expiring && <ExpireDialog silence={expiring} onClose={() => setExpiring(null)} />}
    </div>
  );
}

function ExpireDialog({ silence, onClose }: { silence: SilenceView; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const expire = useMutation(
    trpc.silences.expire.mutationOptions({
      onSuccess: async () => {
        await Promise.all([queryClient.invalidateQueries({ queryKey: trpc.silences.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.alerts.pathKey() })]);
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog open title="Expire this silence?" confirmLabel="Expire silence" busy={expire.isPending} error={expire.error && <ErrorMessage>{expire.error.message}</ErrorMessage>} onClose={onClose} onConfirm={() => expire.mutate({ id: silence.id })}>
      <p>It ends now: the alerts it muted are notified again.</p>
    </ConfirmDialog>
  );
}
