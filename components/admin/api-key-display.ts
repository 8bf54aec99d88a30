/** Pure display helpers for API keys. */

export type KeyStatus = "Active" | "Expired" | "Revoked";

export function keyStatus(k: { revokedAt: Date | string | null; expiresAt: Date | string | null }, now: number): KeyStatus {
  if (k.revokedAt) return "Revoked";
  if (k.expiresAt && new Date(k.expiresAt).getTime() <= now) return "Expired";
  return "Active";
}

/** What a scope grants, for the scope checkboxes: "Grants logs:write, metrics:write". */
export function scopeSummary(scope: string, permissions: readonly string[]): string {
  if (scope === "admin") return `Grants every permission (${permissions.length}), including user and key management`;
  return `Grants ${permissions.join(", ")}`;
}
