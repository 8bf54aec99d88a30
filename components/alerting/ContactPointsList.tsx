"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/Dialog";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { PageHeader } from "@/components/ui/PageHeader";
import { ProvisionedBadge } from "@/components/ui/ProvisionedNote";
import { TBody, THead, Table, Td, Th, ThActions, Tr } from "@/components/ui/Table";
import { linkClass, Loading, primaryLinkClass, smallLinkClass } from "./bits";
import { INTEGRATION_LABEL } from "./contact-point-form";
import type { ContactPoint } from "./types";

export const contactPointHref = (name: string) => `/alerting/contact-points/edit?name=${encodeURIComponent(name)}`;

/** Alerting → Contact points: the receivers, their integrations and how many policies use them. */
export function ContactPointsList({ canWrite }: { canWrite: boolean }) {
  const trpc = useTRPC();
  const points = useQuery(trpc.contactPoints.list.queryOptions());
  const [deleting, setDeleting] = useState<ContactPoint | null>(null);
  return (
    <div className="space-y-4">
      <PageHeader
        title="Contact points"
        description="Where notifications go: webhooks (Alertmanager JSON), Slack-compatible webhooks, email over SMTP and PagerDuty. Notification policies choose a contact point per alert."
        actions={
          canWrite && (
            <Link href="/alerting/contact-points/new" className={primaryLinkClass}>
              New contact point
            </Link>
          )
        }
      />
      {points.error && <ErrorMessage title="Could not load the contact points">{points.error.message}</ErrorMessage>}
      {points.isPending && <Loading what="contact points" />}
      {points.data?.length === 0 && <EmptyState title="No contact points">Create one, then pick it in a notification policy.</EmptyState>}
      {points.data && points.data.length > 0 && (
        <Card>
          <Table aria-label="Contact points">
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Integrations</Th>
                <Th>Used by</Th>
                <ThActions />
              </tr>
            </THead>
            <TBody>
              {points.data.map((p) => (
                <Tr key={p.name} data-testid="contact-point-row" aria-label={`Contact point ${p.name}`}>
                  <Td className="font-medium">
                    <Link href={contactPointHref(p.name)} className={linkClass}>
                      {p.name}
                    </Link>
                    {p.provisioned && <ProvisionedBadge className="ml-2" />}
                  </Td>
                  <Td>
                    {p.integrations.length === 0 ? (
                      <span className="text-xs text-slate-500 dark:text-slate-400">none (notifications are dropped)</span>
                    ) : (
                      <ul className="flex flex-wrap gap-1">
                        {p.integrations.map((i) => (
                          <li key={`${i.type}-${i.index}`}>
                            <Badge tone="blue" title={i.sendResolved ? "Sends resolved notifications" : "Firing notifications only"}>
                              {INTEGRATION_LABEL[i.type]}
                              {i.target ? `: ${i.target}` : ""}
                            </Badge>
                          </li>
                        ))}
                      </ul>
                    )}
                  </Td>
                  <Td className="text-xs">{p.usedByPolicies === 0 ? "not used" : `${p.usedByPolicies} polic${p.usedByPolicies === 1 ? "y" : "ies"}`}</Td>
                  <Td className="text-right whitespace-nowrap">
                    <Link href={contactPointHref(p.name)} className={smallLinkClass} aria-label={`${canWrite && !p.provisioned ? "Edit" : "View"} ${p.name}`}>
                      {canWrite && !p.provisioned ? "Edit" : "View"}
                    </Link>
                    {canWrite && !p.provisioned && (
                      <Button size="sm" variant="ghost" className="ml-1" onClick={() => setDeleting(p)} aria-label={`Delete ${p.name}`} disabled={p.usedByPolicies > 0} title={p.usedByPolicies > 0 ? "Used by a notification policy" : undefined}>
                        Delete
                      </Button>
                    )}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </Card>
      )}
      {deleting && <DeleteDialog point={deleting} onClose={() => setDeleting(null)} />}
    </div>
  );
}

function DeleteDialog({ point, onClose }: { point: ContactPoint; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const del = useMutation(
    trpc.contactPoints.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.contactPoints.pathKey() });
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog open title={`Delete contact point ${point.name}?`} confirmLabel="Delete contact point" busy={del.isPending} error={del.error && <ErrorMessage>{del.error.message}</ErrorMessage>} onClose={onClose} onConfirm={() => del.mutate({ name: point.name })}>
      <p>Its integrations stop receiving notifications.</p>
    </ConfirmDialog>
  );
}
