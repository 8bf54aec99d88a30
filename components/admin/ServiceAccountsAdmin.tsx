"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { Checkbox } from "@/components/ui/Checkbox";
import { ConfirmToggleDialog } from "@/components/ui/ConfirmToggleDialog";
import { ConfirmDialog, Dialog } from "@/components/ui/Dialog";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { TextField } from "@/components/ui/Field";
import { fieldErrors, formError } from "@/components/ui/form-errors";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import { keyStatus, scopeSummary } from "./api-key-display";
import type { ApiKeyRow, Catalogue, ServiceAccountRow } from "./types";

type CreatedKey = { key: string; name: string; account: string; scopes: string[] };

/** Admin → Service accounts & API keys. Changes need apikeys:manage. */
export function ServiceAccountsAdmin({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const accounts = useQuery(trpc.serviceAccounts.list.queryOptions());
  const catalogue = useQuery(trpc.roles.catalogue.queryOptions());
  const [creatingAccount, setCreatingAccount] = useState(false);
  const [keyFor, setKeyFor] = useState<ServiceAccountRow | null>(null);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [revoking, setRevoking] = useState<{ key: ApiKeyRow; account: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [toggling, setToggling] = useState<ServiceAccountRow | null>(null);
  const setDisabled = useMutation(
    trpc.serviceAccounts.setDisabled.mutationOptions({
      onSuccess: (sa) => {
        setNotice(`Service account ${sa.name} ${sa.disabled ? "disabled: its keys are refused" : "enabled"}`);
        setToggling(null);
        refresh();
      },
    }),
  );
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.serviceAccounts.list.queryKey() });
  const revoke = useMutation(
    trpc.serviceAccounts.revokeKey.mutationOptions({
      onSuccess: (row) => {
        setNotice(`API key ${row.name} (${row.prefix}…) revoked`);
        setRevoking(null);
        refresh();
      },
    }),
  );

  return (
    <div>
      <PageHeader
        title="Service accounts"
        description="Non-human identities for agents, shippers and scripts. Each owns API keys with scopes: ingest, query, admin."
        actions={
          canManage && (
            <Button variant="primary" onClick={() => setCreatingAccount(true)}>
              New service account
            </Button>
          )
        }
      />
      {notice && (
        <Notice className="mb-3" onDismiss={() => setNotice(null)}>
          {notice}
        </Notice>
      )}
      {accounts.error && <ErrorMessage title="Could not load service accounts">{accounts.error.message}</ErrorMessage>}
      {accounts.isPending && <p className="text-sm text-slate-500">Loading service accounts…</p>}
      {accounts.data?.length === 0 && (
        <EmptyState title="No service accounts yet">
          Create a service account for each agent or integration, then give it an API key. Keys are sent as{" "}
          <code className="font-mono">Authorization: Bearer KEY</code>, HTTP Basic (key as password) or <code className="font-mono">X-API-Key</code>.
        </EmptyState>
      )}
      <div className="space-y-4">
        {accounts.data?.map((sa) => (
          <AccountCard
            key={sa.id}
            account={sa}
            canManage={canManage}
            onNewKey={() => setKeyFor(sa)}
            onToggleDisabled={() => {
              setDisabled.reset();
              setToggling(sa);
            }}
            onRevoke={(key) => {
              revoke.reset();
              setRevoking({ key, account: sa.name });
            }}
          />
        ))}
      </div>

      {creatingAccount && (
        <NewServiceAccountDialog
          onClose={() => setCreatingAccount(false)}
          onCreated={(name) => {
            setCreatingAccount(false);
            setNotice(`Service account ${name} created`);
            refresh();
          }}
        />
      )}
      {keyFor && catalogue.data && (
        <NewApiKeyDialog
          account={keyFor}
          scopes={catalogue.data.scopes}
          onClose={() => setKeyFor(null)}
          onCreated={(c) => {
            setKeyFor(null);
            setCreated(c);
            refresh();
          }}
        />
      )}
      {created && <ApiKeyCreatedDialog created={created} onClose={() => setCreated(null)} />}
      <ConfirmToggleDialog
        target={toggling}
        subject={(sa) => `service account ${sa.name}`}
        noun="service account"
        enableText="Its active API keys will be accepted again."
        disableText="Every API key of this account is refused (401) until it is enabled again. Keys are kept."
        dangerOnEnable
        busy={setDisabled.isPending}
        error={setDisabled.error}
        onClose={() => setToggling(null)}
        onConfirm={(sa, disabled) => setDisabled.mutate({ id: sa.id, disabled })}
      />
      <ConfirmDialog
        open={!!revoking}
        title={`Revoke API key ${revoking?.key.name ?? ""}?`}
        confirmLabel="Revoke key"
        busy={revoke.isPending}
        error={revoke.error && <ErrorMessage>{revoke.error.message}</ErrorMessage>}
        onClose={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate({ keyId: revoking.key.id })}
      >
        <p>
          Requests using <code className="font-mono">{revoking?.key.prefix}…</code> (service account {revoking?.account}) are refused from now on. This
          cannot be undone.
        </p>
      </ConfirmDialog>
    </div>
  );
}

function AccountCard({
  account,
  canManage,
  onNewKey,
  onToggleDisabled,
  onRevoke,
}: {
  account: ServiceAccountRow;
  canManage: boolean;
  onNewKey: () => void;
  onToggleDisabled: () => void;
  onRevoke: (key: ApiKeyRow) => void;
}) {
  const headingId = useId();
  const now = Date.now();
  return (
    <section aria-labelledby={headingId} data-testid="service-account">
      <Card>
        <CardHeader
          title={
            <span id={headingId} className="inline-flex items-center gap-2">
              {account.name}
              {account.disabled && <Badge tone="red">Disabled</Badge>}
            </span>
          }
          actions={
            canManage && (
              <div className="flex gap-2">
                <Button size="sm" variant="ghost" onClick={onToggleDisabled}>
                  {account.disabled ? "Enable" : "Disable"}
                </Button>
                <Button size="sm" onClick={onNewKey}>
                  New API key
                </Button>
              </div>
            )
          }
        >
          {account.description || "No description"} · created <Timestamp value={account.createdAt} />
        </CardHeader>
        {account.keys.length === 0 ? (
          <p className="px-4 py-3 text-sm text-slate-500 dark:text-slate-400">No API keys yet.</p>
        ) : (
          <Table aria-label={`API keys of ${account.name}`}>
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Key</Th>
                <Th>Scopes</Th>
                <Th>Created</Th>
                <Th>Last used</Th>
                <Th>Expires</Th>
                <Th>Status</Th>
                {canManage && <Th className="text-right">Actions</Th>}
              </tr>
            </THead>
            <TBody>
              {account.keys.map((k) => {
                const status = keyStatus(k, now);
                return (
                  <Tr key={k.id} data-testid="api-key-row" className={status === "Active" ? "" : "text-slate-500 dark:text-slate-500"}>
                    <Td className="font-medium">{k.name}</Td>
                    <Td className="font-mono text-xs whitespace-nowrap">{k.prefix}…</Td>
                    <Td>
                      <div className="flex gap-1">
                        {k.scopes.map((s) => (
                          <Badge key={s} tone={s === "admin" ? "amber" : "neutral"} className="font-mono">
                            {s}
                          </Badge>
                        ))}
                      </div>
                    </Td>
                    <Td>
                      <Timestamp value={k.createdAt} />
                    </Td>
                    <Td>
                      <Timestamp value={k.lastUsedAt} relative fallback="never" />
                    </Td>
                    <Td>
                      <Timestamp value={k.expiresAt} fallback="never" />
                    </Td>
                    <Td>
                      <Badge tone={status === "Active" ? "green" : status === "Expired" ? "amber" : "red"}>{status}</Badge>
                    </Td>
                    {canManage && (
                      <Td className="text-right">
                        {status !== "Revoked" && (
                          <Button size="sm" variant="ghost" className="text-red-600 dark:text-red-400" onClick={() => onRevoke(k)}>
                            Revoke
                          </Button>
                        )}
                      </Td>
                    )}
                  </Tr>
                );
              })}
            </TBody>
          </Table>
        )}
      </Card>
    </section>
  );
}

function NewServiceAccountDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (name: string) => void }) {
  const trpc = useTRPC();
  const ids = { name: useId(), description: useId() };
  const [form, setForm] = useState({ name: "", description: "" });
  const create = useMutation(trpc.serviceAccounts.create.mutationOptions({ onSuccess: (sa) => onCreated(sa.name) }));
  const errs = fieldErrors(create.error);
  const general = formError(create.error, ["name", "description"]);
  return (
    <Dialog open onClose={onClose} title="New service account" description="A service account owns API keys; it never signs in to the console.">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name: form.name, description: form.description.trim() || undefined });
        }}
        noValidate
        className="space-y-3"
      >
        {general && <ErrorMessage>{general}</ErrorMessage>}
        <TextField
          id={ids.name}
          label="Name"
          hint="e.g. fluent-bit-prod or ci-deployer"
          error={errs.name}
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <TextField id={ids.description} label="Description" error={errs.description} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
        <div className="flex justify-end gap-2 pt-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={create.isPending}>
            Create service account
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function NewApiKeyDialog({
  account,
  scopes,
  onClose,
  onCreated,
}: {
  account: ServiceAccountRow;
  scopes: Catalogue["scopes"];
  onClose: () => void;
  onCreated: (c: CreatedKey) => void;
}) {
  const trpc = useTRPC();
  const ids = { name: useId(), expiry: useId() };
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<string[]>([]);
  const [expiry, setExpiry] = useState("");
  const create = useMutation(
    trpc.serviceAccounts.createKey.mutationOptions({
      onSuccess: (res) => onCreated({ key: res.key, name: name.trim(), account: account.name, scopes: res.scopes }),
    }),
  );
  const errs = fieldErrors(create.error);
  const general = formError(create.error, ["name", "scopes", "expiresInDays"]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const days = expiry.trim() === "" ? null : Number(expiry);
    create.mutate({ serviceAccountId: account.id, name, scopes: chosen, expiresInDays: days });
  }

  return (
    <Dialog open onClose={onClose} title={`New API key for ${account.name}`} description="The key is shown once, right after it is created.">
      <form onSubmit={submit} noValidate className="space-y-4">
        {general && <ErrorMessage>{general}</ErrorMessage>}
        <TextField id={ids.name} label="Name" hint="What uses this key, e.g. vector on web-1." error={errs.name} value={name} onChange={(e) => setName(e.target.value)} />
        <fieldset>
          <legend className="mb-1.5 text-xs font-medium text-slate-700 dark:text-slate-300">Scopes</legend>
          <div className="space-y-2 rounded border border-slate-200 p-3 dark:border-slate-800">
            {scopes.map((s) => (
              <Checkbox
                key={s.name}
                label={s.name}
                description={scopeSummary(s.name, s.permissions)}
                checked={chosen.includes(s.name)}
                onChange={(e) => setChosen((c) => (e.target.checked ? [...c, s.name] : c.filter((x) => x !== s.name)))}
              />
            ))}
          </div>
          {errs.scopes && <p className="mt-1 text-xs text-red-600 dark:text-red-400">{errs.scopes}</p>}
        </fieldset>
        <TextField
          id={ids.expiry}
          label="Expires in (days)"
          hint="Leave empty for a key that does not expire."
          error={errs.expiresInDays}
          type="number"
          min={1}
          max={3650}
          inputMode="numeric"
          className="w-32"
          value={expiry}
          onChange={(e) => setExpiry(e.target.value)}
        />
        <div className="flex justify-end gap-2 pt-1">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={create.isPending}>
            Create key
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** Shows a new key once. The key lives only in this dialog's props; closing drops it. */
function ApiKeyCreatedDialog({ created, onClose }: { created: CreatedKey; onClose: () => void }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied("yes");
    } catch {
      // Fallback: select the text so Ctrl+C works.
      const el = document.querySelector('[data-testid="new-api-key"]');
      if (el) window.getSelection()?.selectAllChildren(el);
      setCopied("failed");
    }
  }

  return (
    <Dialog
      open
      onClose={onClose}
      title="API key created"
      description={
        <>
          Key <strong>{created.name}</strong> for service account <strong>{created.account}</strong> (scopes: {created.scopes.join(", ")}).
        </>
      }
      footer={
        <Button variant="primary" onClick={onClose}>
          Done
        </Button>
      }
    >
      <div className="space-y-3">
        <p className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-200">
          Copy this key now. You won&apos;t be able to see it again.
        </p>
        <div className="flex items-stretch gap-2">
          <code
            data-testid="new-api-key"
            className="min-w-0 flex-1 rounded border border-slate-300 bg-slate-50 px-2 py-1.5 font-mono text-xs break-all select-all dark:border-slate-700 dark:bg-slate-950"
          >
            {created.key}
          </code>
          <Button data-autofocus onClick={copy}>
            Copy
          </Button>
        </div>
        <p role="status" className="h-4 text-xs text-slate-500 dark:text-slate-400">
          {copied === "yes" ? "Copied to the clipboard." : copied === "failed" ? "Copying is blocked here; the key is selected, press Ctrl+C." : ""}
        </p>
      </div>
    </Dialog>
  );
}
