import { z } from "zod";
import { listAudit, listAuditActions } from "./audit";
import { createApiKey, createServiceAccount, listServiceAccounts, revokeApiKey, setServiceAccountDisabled } from "./api-keys";
import { ALL_SCOPES, API_KEY_SCOPES, BUILTIN_ROLES, PERMISSIONS } from "./permissions";
import { createRole, deleteRole, listRoles, updateRole } from "./roles";
import { AuditListInput, CreateApiKeyInput, CreateUserInput, PasswordSchema, RoleInputSchema } from "./schemas";
import { changeUserRole, createUser, listUsers, resetUserPassword, setUserDisabled } from "./users";
import { router } from "@/server/trpc/init";
import { permission, protectedProcedure } from "@/server/trpc/procedures";

export const meRouter = router({
  /** The signed-in principal and its permissions (drives the navigation). */
  get: protectedProcedure.query(({ ctx }) => {
    const p = ctx.principal;
    return {
      type: p.type,
      id: p.id,
      name: p.name,
      email: p.type === "user" ? p.email : null,
      role: p.type === "user" ? p.roleName : null,
      scopes: p.type === "service_account" ? [...p.scopes] : null,
      permissions: [...p.permissions].sort(),
    };
  }),
});

export const usersRouter = router({
  list: permission("users:read").query(({ ctx }) => listUsers(ctx.db)),
  create: permission("users:manage")
    .input(CreateUserInput)
    .mutation(async ({ ctx, input }) => {
      const u = await createUser(ctx.db, ctx.principal, ctx.meta, input);
      return { id: u.id, email: u.email, roleName: u.roleName };
    }),
  changeRole: permission("users:manage")
    .input(z.object({ userId: z.string().min(1), roleId: z.uuid() }))
    .mutation(({ ctx, input }) => changeUserRole(ctx.db, ctx.principal, ctx.meta, input.userId, input.roleId)),
  setDisabled: permission("users:manage")
    .input(z.object({ userId: z.string().min(1), disabled: z.boolean() }))
    .mutation(({ ctx, input }) => setUserDisabled(ctx.db, ctx.principal, ctx.meta, input.userId, input.disabled)),
  resetPassword: permission("users:manage")
    .input(z.object({ userId: z.string().min(1), password: PasswordSchema }))
    .mutation(({ ctx, input }) => resetUserPassword(ctx.db, ctx.principal, ctx.meta, input.userId, input.password)),
});

export const rolesRouter = router({
  list: permission("users:read").query(({ ctx }) => listRoles(ctx.db)),
  /** The permission catalogue and built-in definitions, for the role editor. */
  catalogue: protectedProcedure.query(() => ({
    permissions: Object.entries(PERMISSIONS).map(([name, description]) => ({ name, description })),
    builtin: BUILTIN_ROLES,
    scopes: ALL_SCOPES.map((s) => ({ name: s, permissions: [...API_KEY_SCOPES[s]] })),
  })),
  create: permission("roles:manage")
    .input(RoleInputSchema)
    .mutation(({ ctx, input }) => createRole(ctx.db, ctx.principal, ctx.meta, input)),
  update: permission("roles:manage")
    .input(RoleInputSchema.extend({ id: z.uuid() }))
    .mutation(({ ctx, input }) => updateRole(ctx.db, ctx.principal, ctx.meta, input.id, input)),
  delete: permission("roles:manage")
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => deleteRole(ctx.db, ctx.principal, ctx.meta, input.id)),
});

export const serviceAccountsRouter = router({
  list: permission("users:read").query(({ ctx }) => listServiceAccounts(ctx.db)),
  create: permission("apikeys:manage")
    .input(z.object({ name: z.string().trim().min(1, "Name is required").max(100), description: z.string().trim().max(500).optional() }))
    .mutation(({ ctx, input }) => createServiceAccount(ctx.db, ctx.principal, ctx.meta, input)),
  createKey: permission("apikeys:manage")
    .input(CreateApiKeyInput)
    .mutation(({ ctx, input }) =>
      createApiKey(ctx.db, ctx.principal, ctx.meta, {
        serviceAccountId: input.serviceAccountId,
        name: input.name,
        scopes: input.scopes as (typeof ALL_SCOPES)[number][],
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      }),
    ),
  setDisabled: permission("apikeys:manage")
    .input(z.object({ id: z.uuid(), disabled: z.boolean() }))
    .mutation(({ ctx, input }) => setServiceAccountDisabled(ctx.db, ctx.principal, ctx.meta, input.id, input.disabled)),
  revokeKey: permission("apikeys:manage")
    .input(z.object({ keyId: z.uuid() }))
    .mutation(({ ctx, input }) => revokeApiKey(ctx.db, ctx.principal, ctx.meta, input.keyId)),
});

export const auditRouter = router({
  list: permission("audit:read")
    .input(AuditListInput)
    .query(({ ctx, input }) => listAudit(ctx.db, input)),
  actions: permission("audit:read").query(({ ctx }) => listAuditActions(ctx.db)),
});
