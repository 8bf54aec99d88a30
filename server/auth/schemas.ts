import { z } from "zod";
import { ALL_SCOPES } from "./permissions";

/** Shared zod input models for the admin procedures and the CLI. */
export const PasswordSchema = z.string().min(8, "Password must be at least 8 characters").max(256);
export const EmailSchema = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address"));

export const CreateUserInput = z.object({
  email: EmailSchema,
  name: z.string().trim().max(200).optional(),
  password: PasswordSchema,
  roleId: z.uuid(),
});

export const RoleInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(100),
  description: z.string().trim().max(500).optional(),
  permissions: z.array(z.string()).max(100),
  dataFilter: z
    .object({ logQuery: z.string().max(2000).optional(), labelMatchers: z.array(z.string().max(500)).max(50).optional() })
    .nullable()
    .optional(),
});

export const ScopeSchema = z.enum(ALL_SCOPES as [string, ...string[]]);

export const CreateApiKeyInput = z.object({
  serviceAccountId: z.uuid(),
  name: z.string().trim().min(1, "Name is required").max(100),
  scopes: z.array(ScopeSchema).min(1, "Pick at least one scope"),
  expiresInDays: z.number().int().positive().max(3650).nullable().optional(),
});

export const AuditListInput = z.object({
  actor: z.string().trim().max(200).optional(),
  action: z.string().trim().max(200).optional(),
  result: z.enum(["success", "denied", "failure"]).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
  cursor: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
