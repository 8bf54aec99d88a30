import { describe, expect, it } from "vitest";
import { AuditListInput, CreateApiKeyInput, CreateUserInput, EmailSchema, RoleInputSchema } from "./schemas";

describe("input schemas", () => {
  it("normalise emails to trimmed lower case and reject non-emails", () => {
    expect(EmailSchema.parse("  Ann@Example.COM ")).toBe("ann@example.com");
    expect(EmailSchema.safeParse("ann@").success).toBe(false);
  });

  it("require a role id and an 8+ character password for new users", () => {
    const ok = { email: "a@b.co", password: "12345678", roleId: "6f1c2a9e-3b0c-4a57-9d7e-1f2a3b4c5d6e" };
    expect(CreateUserInput.safeParse(ok).success).toBe(true);
    expect(CreateUserInput.safeParse({ ...ok, password: "1234567" }).success).toBe(false);
    expect(CreateUserInput.safeParse({ ...ok, roleId: "admin" }).success).toBe(false);
  });

  it("accept only known scopes, at least one, for API keys", () => {
    const ok = { serviceAccountId: "6f1c2a9e-3b0c-4a57-9d7e-1f2a3b4c5d6e", name: "k", scopes: ["ingest"] };
    expect(CreateApiKeyInput.safeParse(ok).success).toBe(true);
    expect(CreateApiKeyInput.safeParse({ ...ok, scopes: [] }).success).toBe(false);
    expect(CreateApiKeyInput.safeParse({ ...ok, scopes: ["root"] }).success).toBe(false);
  });

  it("require a role name", () => {
    expect(RoleInputSchema.safeParse({ name: "  ", permissions: [] }).success).toBe(false);
  });

  it("default the audit page size to 50 and cap it at 200", () => {
    expect(AuditListInput.parse({}).limit).toBe(50);
    expect(AuditListInput.safeParse({ limit: 201 }).success).toBe(false);
    expect(AuditListInput.safeParse({ cursor: 0 }).success).toBe(false);
  });
});
