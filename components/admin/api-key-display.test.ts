import { describe, expect, it } from "vitest";
import { keyStatus, scopeSummary } from "./api-key-display";

describe("keyStatus", () => {
  const now = Date.parse("2024-05-01T00:00:00Z");
  it("revoked wins, then expired, else active", () => {
    expect(keyStatus({ revokedAt: new Date(now - 1), expiresAt: null }, now)).toBe("Revoked");
    expect(keyStatus({ revokedAt: new Date(now - 1), expiresAt: new Date(now - 1) }, now)).toBe("Revoked");
    expect(keyStatus({ revokedAt: null, expiresAt: new Date(now) }, now)).toBe("Expired");
    expect(keyStatus({ revokedAt: null, expiresAt: "2024-05-02T00:00:00Z" }, now)).toBe("Active");
    expect(keyStatus({ revokedAt: null, expiresAt: null }, now)).toBe("Active");
  });
});

describe("scopeSummary", () => {
  it("lists what a scope grants", () => {
    expect(scopeSummary("ingest", ["logs:write", "metrics:write"])).toBe("Grants logs:write, metrics:write");
    expect(scopeSummary("admin", ["a", "b", "c"])).toBe("Grants every permission (3), including user and key management");
  });
});
