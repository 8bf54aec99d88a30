import { describe, expect, it } from "vitest";
import { AppError, ERROR_CODES, isAppError, isUniqueViolation } from "./errors";

describe("AppError", () => {
  it("carries code, user message, cause and retry hint", () => {
    const cause = new Error("db down");
    const e = new AppError("RATE_LIMITED", { userMessage: "slow down", cause, retryAfter: 7 });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("AppError");
    expect(e.code).toBe("RATE_LIMITED");
    expect(e.message).toBe("slow down");
    expect(e.userMessage).toBe("slow down");
    expect(e.cause).toBe(cause);
    expect(e.retryAfter).toBe(7);
    expect(e.httpStatus).toBe(429);
    expect(isAppError(e)).toBe(true);
    expect(isAppError(cause)).toBe(false);
  });

  it("maps each code to the usual HTTP status and tRPC code", () => {
    const expected: Record<string, [number, string]> = {
      INVALID_INPUT: [400, "BAD_REQUEST"],
      UNAUTHENTICATED: [401, "UNAUTHORIZED"],
      FORBIDDEN: [403, "FORBIDDEN"],
      NOT_FOUND: [404, "NOT_FOUND"],
      CONFLICT: [409, "CONFLICT"],
      PAYLOAD_TOO_LARGE: [413, "PAYLOAD_TOO_LARGE"],
      RATE_LIMITED: [429, "TOO_MANY_REQUESTS"],
      INTERNAL: [500, "INTERNAL_SERVER_ERROR"],
    };
    for (const [code, [http, trpc]] of Object.entries(expected)) {
      expect(ERROR_CODES[code as keyof typeof ERROR_CODES], code).toEqual({ http, trpc });
    }
    expect(ERROR_CODES.UNAVAILABLE.http).toBe(503);
    expect(ERROR_CODES.QUERY_TIMEOUT.http).toBe(503);
  });
});

describe("isUniqueViolation", () => {
  const pgUnique = Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" });

  it("recognises PostgreSQL's unique_violation, also when wrapped as a cause", () => {
    expect(isUniqueViolation(pgUnique)).toBe(true);
    expect(isUniqueViolation(new Error("query failed", { cause: pgUnique }))).toBe(true);
    expect(isUniqueViolation(new Error("a", { cause: new Error("b", { cause: pgUnique }) }))).toBe(true);
  });

  it("rejects other errors and non-errors", () => {
    expect(isUniqueViolation(Object.assign(new Error("fk"), { code: "23503" }))).toBe(false);
    expect(isUniqueViolation(new Error("plain"))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
    expect(isUniqueViolation("23505")).toBe(false);
  });
});
