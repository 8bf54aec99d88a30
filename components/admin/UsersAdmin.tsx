"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { ConfirmToggleDialog } from "@/components/ui/ConfirmToggleDialog";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { SelectField, TextField } from "@/components/ui/Field";
import { fieldErrors, formError } from "@/components/ui/form-errors";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { Select } from "@/components/ui/Select";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import type { RoleRow, UserRow } from "./types";

/** Admin → Users. Mutating controls appear only with users:manage (the server checks it too). */
export function UsersAdmin({ canManage, currentUserId }: { canManage: boolean; currentUserId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery(trpc.users.list.queryOptions());
  const roles = useQuery(trpc.roles.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [resetFor, setResetFor] = useState<UserRow | null>(null);
  const [toggleFor, setToggleFor] = useState<UserRow | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.roles.list.queryKey() });
  };
  const changeRole = useMutation(
    trpc.users.changeRole.mutationOptions({
      onMutate: () => {
        setActionError(null);
        setNotice(null);
      },
      onSuccess: () => {
        setNotice("Role changed");
        refresh();
      },
      onError: (e) => setActionError(e.message),
    }),
  );
  const setDisabled = useMutation(
    trpc.users.setDisabled.mutationOptions({
      onSuccess: (_d, vars) => {
        setNotice(vars.disabled ? "User disabled and signed out" : "User enabled");
        setToggleFor(null);
        refresh();
      },
    }),
  );

  return (
    <div>
      <PageHeader
        title="Users"
        description="People who sign in to the console. A user's role decides what they can see and change."
        actions={
          canManage && (
            <Button variant="primary" onClick={() => setCreating(true)}>
              New user
            </Button>
          )
        }
      />
      <div className="mb-3 space-y-2">
        {actionError && <ErrorMessage onDismiss={() => setActionError(null)}>{actionError}</ErrorMessage>}
        {notice && <Notice onDismiss={() => setNotice(null)}>{notice}</Notice>}
      </div>
      {users.error ? (
        <ErrorMessage title="Could not load users">{users.error.message}</ErrorMessage>
      ) : (
        <Card>
          <Table aria-label="Users">
            <THead>
              <tr>
                <Th>Email</Th>
                <Th>Name</Th>
                <Th>Role</Th>
                <Th>Status</Th>
                <Th>Last sign-in</Th>
                <Th>Created</Th>
                {canManage && <Th className="text-right">Actions</Th>}
              </tr>
            </THead>
            <TBody>
              {users.isPending && (
                <tr>
                  <Td colSpan={7} className="py-6 text-center text-slate-500">
                    Loading users…
                  </Td>
                </tr>
              )}
              {users.data?.length === 0 && (
                <tr>
                  <Td colSpan={7} className="py-6 text-center text-slate-500">
                    No users yet.
                  </Td>
                </tr>
              )}
              {users.data?.map((u) => (
                <Tr key={u.id} data-testid="user-row">
                  <Td className="font-medium">
                    {u.email}
                    {u.id === currentUserId && <span className="ml-1.5 text-xs font-normal text-slate-500">(you)</span>}
                  </Td>
                  <Td>{u.name}</Td>
                  <Td>
                    {canManage && roles.data ? (
                      <Select
                        aria-label={`Role of ${u.email}`}
                        value={u.roleId}
                        disabled={changeRole.isPending && changeRole.variables?.userId === u.id}
                        onChange={(e) => changeRole.mutate({ userId: u.id, roleId: e.target.value })}
                        className="h-7 w-36 text-xs"
                      >
                        {roles.data.map((r) => (
                          <option key={r.id} value={r.id}>
                            {r.name}
                          </option>
                        ))}
                      </Select>
                    ) : (
                      u.roleName
                    )}
                  </Td>
                  <Td>{u.disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Active</Badge>}</Td>
                  <Td>
                    <Timestamp value={u.lastLoginAt} relative />
                  </Td>
                  <Td>
                    <Timestamp value={u.createdAt} />
                  </Td>
                  {canManage && (
                    <Td className="text-right">
                      <div className="flex justify-end gap-1">
                        <Button size="sm" variant="ghost" onClick={() => setResetFor(u)}>
                          Reset password
                        </Button>
                        <Button
                          size="sm"
                          variant="ghost"
                          className={u.disabled ? "" : "text-red-600 dark:text-red-400"}
                          onClick={() => {
                            setDisabled.reset();
                            setToggleFor(u);
                          }}
                        >
                          {u.disabled ? "Enable" : "Disable"}
                        </Button>
                      </div>
                    </Td>
                  )}
                </Tr>
              ))}
            </TBody>
          </Table>
        </Card>
      )}

      {creating && (
        <NewUserDialog
          roles={roles.data ?? []}
          onClose={() => setCreating(false)}
          onCreated={(email) => {
            setCreating(false);
            setNotice(`User ${email} created`);
            refresh();
          }}
        />
      )}
      {resetFor && (
        <ResetPasswordDialog
          user={resetFor}
          onClose={() => setResetFor(null)}
          onDone={() => {
            setNotice(`Password reset for ${resetFor.email}; their sessions were signed out`);
            setResetFor(null);
          }}
        />
      )}
      <ConfirmToggleDialog
        target={toggleFor}
        subject={(u) => u.email}
        noun="user"
        enableText="They will be able to sign in again with their password."
        disableText="They are signed out at once and cannot sign in until an administrator enables them again."
        busy={setDisabled.isPending}
        error={setDisabled.error}
        onClose={() => setToggleFor(null)}
        onConfirm={(u, disabled) => setDisabled.mutate({ userId: u.id, disabled })}
      />
    </div>
  );
}

const USER_FIELDS = ["email", "name", "password", "roleId"] as const;

function NewUserDialog({ roles, onClose, onCreated }: { roles: RoleRow[]; onClose: () => void; onCreated: (email: string) => void }) {
  const trpc = useTRPC();
  const ids = { email: useId(), name: useId(), password: useId(), role: useId() };
  const defaultRole = roles.find((r) => r.name === "Viewer") ?? roles[0];
  const [form, setForm] = useState({ email: "", name: "", password: "", roleId: "" });
  // Viewer is preselected, also when the roles arrive after the dialog opened.
  const roleId = form.roleId || defaultRole?.id || "";
  const create = useMutation(trpc.users.create.mutationOptions({ onSuccess: (u) => onCreated(u.email) }));
  const errs = fieldErrors(create.error);
  const general = formError(create.error, USER_FIELDS);

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ email: form.email, name: form.name.trim() || undefined, password: form.password, roleId });
  }

  return (
    <Dialog open onClose={onClose} title="New user" description="The user signs in with this email and password.">
      <form onSubmit={submit} noValidate className="space-y-3">
        {general && <ErrorMessage>{general}</ErrorMessage>}
        <TextField
          id={ids.email}
          label="Email"
          error={errs.email}
          type="email"
          autoComplete="off"
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
        <TextField
          id={ids.name}
          label="Name"
          hint="Optional; defaults to the part of the email before @."
          error={errs.name}
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <TextField
          id={ids.password}
          label="Password"
          hint="At least 8 characters."
          error={errs.password}
          type="password"
          autoComplete="new-password"
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
        <SelectField id={ids.role} label="Role" error={errs.roleId} value={roleId} onChange={(e) => setForm({ ...form, roleId: e.target.value })}>
          {!roleId && <option value="">Loading roles…</option>}
          {roles.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </SelectField>
        <div className="flex justify-end gap-2 pt-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={create.isPending}>
            Create user
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function ResetPasswordDialog({ user, onClose, onDone }: { user: UserRow; onClose: () => void; onDone: () => void }) {
  const trpc = useTRPC();
  const id = useId();
  const [password, setPassword] = useState("");
  const reset = useMutation(trpc.users.resetPassword.mutationOptions({ onSuccess: onDone }));
  const errs = fieldErrors(reset.error);
  const general = formError(reset.error, ["password"]);
  return (
    <Dialog open onClose={onClose} title={`Reset password for ${user.email}`} description="The user is signed out of every session and must use the new password.">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          reset.mutate({ userId: user.id, password });
        }}
        noValidate
        className="space-y-3"
      >
        {general && <ErrorMessage>{general}</ErrorMessage>}
        <TextField
          id={id}
          label="New password"
          hint="At least 8 characters."
          error={errs.password}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <div className="flex justify-end gap-2 pt-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={reset.isPending}>
            Reset password
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
