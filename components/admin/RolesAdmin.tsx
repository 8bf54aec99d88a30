"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { Checkbox } from "@/components/ui/Checkbox";
import { ConfirmDialog, Dialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { TextareaField, TextField } from "@/components/ui/Field";
import { fieldErrors, formError } from "@/components/ui/form-errors";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/Table";
import { groupPermissions, labelMatchersFromText, roleFormFromRole, type RoleForm } from "./role-form";
import type { Catalogue, RoleRow } from "./types";

/** Admin → Roles: built-in roles (read-only) and custom roles (roles:manage). */
export function RolesAdmin({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const roles = useQuery(trpc.roles.list.queryOptions());
  const catalogue = useQuery(trpc.roles.catalogue.queryOptions());
  const [editing, setEditing] = useState<RoleRow | "new" | null>(null);
  const [deleting, setDeleting] = useState<RoleRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.roles.list.queryKey() });
  const del = useMutation(
    trpc.roles.delete.mutationOptions({
      onSuccess: () => {
        setNotice(`Role ${deleting?.name ?? ""} deleted`);
        setDeleting(null);
        refresh();
      },
    }),
  );
  const total = catalogue.data?.permissions.length ?? 0;

  return (
    <div>
      <PageHeader
        title="Roles"
        description="A role is a set of permissions, optionally with a data-access filter applied to every query its users run."
        actions={
          canManage && (
            <Button variant="primary" onClick={() => setEditing("new")} disabled={!catalogue.data}>
              New role
            </Button>
          )
        }
      />
      {notice && (
        <Notice className="mb-3" onDismiss={() => setNotice(null)}>
          {notice}
        </Notice>
      )}
      {roles.error ? (
        <ErrorMessage title="Could not load roles">{roles.error.message}</ErrorMessage>
      ) : (
        <Card>
          <Table aria-label="Roles">
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Description</Th>
                <Th className="text-right">Users</Th>
                <Th>Permissions</Th>
                {canManage && <Th className="text-right">Actions</Th>}
              </tr>
            </THead>
            <TBody>
              {roles.isPending && (
                <tr>
                  <Td colSpan={5} className="py-6 text-center text-slate-500">
                    Loading roles…
                  </Td>
                </tr>
              )}
              {roles.data?.map((r) => (
                <Tr key={r.id} data-testid="role-row" className="align-top">
                  <Td className="py-2 font-medium whitespace-nowrap">
                    {r.name}
                    {r.builtin && (
                      <Badge tone="purple" className="ml-2">
                        Built-in
                      </Badge>
                    )}
                  </Td>
                  <Td className="py-2 text-slate-600 dark:text-slate-400">
                    {r.description || "—"}
                    {r.dataFilter && (r.dataFilter.logQuery || r.dataFilter.labelMatchers?.length) ? (
                      <div className="mt-1 text-xs">
                        <Badge tone="amber">Data filter</Badge>{" "}
                        {r.dataFilter.logQuery && <code className="font-mono">{r.dataFilter.logQuery}</code>}
                        {r.dataFilter.labelMatchers?.length ? <code className="ml-1 font-mono">{r.dataFilter.labelMatchers.join(", ")}</code> : null}
                      </div>
                    ) : null}
                  </Td>
                  <Td className="py-2 text-right tabular-nums">{r.userCount}</Td>
                  <Td className="py-2">
                    {total > 0 && r.permissions.length >= total ? (
                      <Badge tone="blue">All permissions ({total})</Badge>
                    ) : r.permissions.length === 0 ? (
                      <span className="text-slate-400">None</span>
                    ) : (
                      <div className="flex max-w-xl flex-wrap gap-1">
                        {r.permissions.map((p) => (
                          <Badge key={p} className="font-mono">
                            {p}
                          </Badge>
                        ))}
                      </div>
                    )}
                  </Td>
                  {canManage && (
                    <Td className="py-2 text-right whitespace-nowrap">
                      {r.builtin ? (
                        <span className="text-xs text-slate-400">Read-only</span>
                      ) : (
                        <div className="flex justify-end gap-1">
                          <Button size="sm" variant="ghost" onClick={() => setEditing(r)} aria-label={`Edit role ${r.name}`}>
                            Edit
                          </Button>
                          <Button
                            size="sm"
                            variant="ghost"
                            className="text-red-600 dark:text-red-400"
                            aria-label={`Delete role ${r.name}`}
                            onClick={() => {
                              del.reset();
                              setDeleting(r);
                            }}
                          >
                            Delete
                          </Button>
                        </div>
                      )}
                    </Td>
                  )}
                </Tr>
              ))}
            </TBody>
          </Table>
        </Card>
      )}

      {editing && catalogue.data && (
        <RoleFormDialog
          role={editing === "new" ? null : editing}
          catalogue={catalogue.data}
          onClose={() => setEditing(null)}
          onSaved={(name, created) => {
            setEditing(null);
            setNotice(created ? `Role ${name} created` : `Role ${name} saved`);
            refresh();
          }}
        />
      )}
      <ConfirmDialog
        open={!!deleting}
        title={`Delete role ${deleting?.name ?? ""}?`}
        confirmLabel="Delete role"
        busy={del.isPending}
        error={del.error && <ErrorMessage>{del.error.message}</ErrorMessage>}
        onClose={() => setDeleting(null)}
        onConfirm={() => deleting && del.mutate({ id: deleting.id })}
      >
        <p>A role can only be deleted when no user has it.</p>
      </ConfirmDialog>
    </div>
  );
}

const ROLE_FIELDS = ["name", "description", "permissions", "dataFilter"] as const;

function RoleFormDialog({
  role,
  catalogue,
  onClose,
  onSaved,
}: {
  role: RoleRow | null;
  catalogue: Catalogue;
  onClose: () => void;
  onSaved: (name: string, created: boolean) => void;
}) {
  const trpc = useTRPC();
  const ids = { name: useId(), description: useId(), logQuery: useId(), matchers: useId() };
  const [form, setForm] = useState<RoleForm>(() => roleFormFromRole(role));
  const create = useMutation(trpc.roles.create.mutationOptions({ onSuccess: (r) => onSaved(r.name, true) }));
  const update = useMutation(trpc.roles.update.mutationOptions({ onSuccess: (r) => onSaved(r.name, false) }));
  const mutation = role ? update : create;
  const errs = fieldErrors(mutation.error);
  const general = formError(mutation.error, ROLE_FIELDS);
  const groups = groupPermissions(catalogue.permissions);

  function toggle(p: string, on: boolean) {
    setForm((f) => ({ ...f, permissions: on ? [...f.permissions, p] : f.permissions.filter((x) => x !== p) }));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const matchers = labelMatchersFromText(form.labelMatchers);
    const logQuery = form.logQuery.trim();
    const input = {
      name: form.name,
      description: form.description,
      permissions: form.permissions,
      dataFilter: logQuery || matchers.length ? { logQuery: logQuery || undefined, labelMatchers: matchers.length ? matchers : undefined } : null,
    };
    if (role) update.mutate({ ...input, id: role.id });
    else create.mutate(input);
  }

  return (
    <Dialog open onClose={onClose} size="lg" title={role ? `Edit role ${role.name}` : "New role"} description="Pick the permissions this role grants.">
      <form onSubmit={submit} noValidate className="space-y-4">
        {general && <ErrorMessage>{general}</ErrorMessage>}
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField id={ids.name} label="Name" error={errs.name} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          <TextField id={ids.description} label="Description" error={errs.description} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
        </div>

        <fieldset>
          <legend className="mb-2 text-xs font-medium text-slate-700 dark:text-slate-300">
            Permissions <span className="font-normal text-slate-500">({form.permissions.length} selected)</span>
          </legend>
          {errs.permissions && <p className="mb-2 text-xs text-red-600 dark:text-red-400">{errs.permissions}</p>}
          <div className="grid max-h-[45vh] gap-x-6 gap-y-3 overflow-y-auto rounded border border-slate-200 p-3 sm:grid-cols-2 dark:border-slate-800">
            {groups.map((g) => (
              <div key={g.resource} role="group" aria-label={`${g.resource} permissions`}>
                <h3 className="mb-1 text-[11px] font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">{g.resource}</h3>
                <div className="space-y-1.5">
                  {g.permissions.map((p) => (
                    <Checkbox
                      key={p.name}
                      label={p.name}
                      description={p.description}
                      checked={form.permissions.includes(p.name)}
                      onChange={(e) => toggle(p.name, e.target.checked)}
                    />
                  ))}
                </div>
              </div>
            ))}
          </div>
        </fieldset>

        <fieldset className="space-y-3">
          <legend className="text-xs font-medium text-slate-700 dark:text-slate-300">
            Data-access filter <span className="font-normal text-slate-500">(optional; applied to every query this role runs)</span>
          </legend>
          <TextField
            id={ids.logQuery}
            label="Log query filter"
            hint="Only log lines matching this query are visible, e.g. service:checkout AND env:prod."
            error={errs["dataFilter.logQuery"]}
            className="font-mono text-xs"
            value={form.logQuery}
            onChange={(e) => setForm({ ...form, logQuery: e.target.value })}
          />
          <TextareaField
            id={ids.matchers}
            label="Label matchers"
            hint='One per line, e.g. team="payments" or env=~"prod|staging". Applied to metric queries.'
            error={errs["dataFilter.labelMatchers"]}
            rows={3}
            value={form.labelMatchers}
            onChange={(e) => setForm({ ...form, labelMatchers: e.target.value })}
          />
        </fieldset>

        <div className="flex justify-end gap-2 pt-1">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={mutation.isPending}>
            {role ? "Save role" : "Create role"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
