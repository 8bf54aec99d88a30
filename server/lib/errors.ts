/** One error type for the whole server, mapped once to tRPC codes and HTTP statuses. */
export const ERROR_CODES = {
  INVALID_INPUT: { http: 400, trpc: "BAD_REQUEST" },
  UNAUTHENTICATED: { http: 401, trpc: "UNAUTHORIZED" },
  FORBIDDEN: { http: 403, trpc: "FORBIDDEN" },
  NOT_FOUND: { http: 404, trpc: "NOT_FOUND" },
  CONFLICT: { http: 409, trpc: "CONFLICT" },
  PAYLOAD_TOO_LARGE: { http: 413, trpc: "PAYLOAD_TOO_LARGE" },
  RATE_LIMITED: { http: 429, trpc: "TOO_MANY_REQUESTS" },
  QUERY_TIMEOUT: { http: 503, trpc: "TIMEOUT" },
  UNAVAILABLE: { http: 503, trpc: "INTERNAL_SERVER_ERROR" },
  INTERNAL: { http: 500, trpc: "INTERNAL_SERVER_ERROR" },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  /** Seconds to wait before retrying (RATE_LIMITED). */
  readonly retryAfter?: number;

  constructor(code: ErrorCode, opts: { userMessage: string; cause?: unknown; retryAfter?: number }) {
    super(opts.userMessage, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.userMessage = opts.userMessage;
    this.retryAfter = opts.retryAfter;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Postgres unique_violation → CONFLICT with a user-facing message. */
export function isUniqueViolation(e: unknown): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur; i++) {
    if (typeof cur === "object" && cur !== null && "code" in cur && (cur as { code: unknown }).code === "23505") return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}
