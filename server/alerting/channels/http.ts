/**
 * One JSON POST with a timeout, classified for retrying: network errors, timeouts, 429 and 5xx
 * are retryable; other 4xx are not (the request itself is wrong: fix the configuration). Never
 * throws.
 */
import { DEFAULT_USER_AGENT } from "./types";

export interface PostOutcome {
  ok: boolean;
  status?: number;
  retryable: boolean;
  error?: string;
  retryAfterMs?: number;
  /** The start of the response body (for errors and tests). */
  responseText?: string;
}

const BODY_SNIPPET = 300;

/** Retry-After as milliseconds (seconds or an HTTP date); undefined when absent or bad. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Whether an HTTP status is worth retrying. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

function describeNetworkError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.cause?.message) return e.cause.code && !e.cause.message.includes(e.cause.code) ? `${e.cause.code}: ${e.cause.message}` : e.cause.message;
  return e?.message ?? String(err);
}

export async function postJson(
  url: string,
  body: unknown,
  opts: { headers?: Record<string, string>; timeoutMs: number; signal?: AbortSignal; userAgent?: string },
): Promise<PostOutcome> {
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") return { ok: false, retryable: false, error: `unsupported URL scheme ${u.protocol}` };
  } catch {
    return { ok: false, retryable: false, error: "invalid URL" };
  }
  // Error texts must not echo the URL (tokens) or header values (credentials).
  const secrets = [url, ...Object.values(opts.headers ?? {})].filter((s) => s.length >= 4);
  const scrub = (msg: string) => secrets.reduce((m, s) => m.split(s).join("[redacted]"), msg);
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": opts.userAgent ?? DEFAULT_USER_AGENT, ...opts.headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (timeout.aborted) return { ok: false, retryable: true, error: `timed out after ${opts.timeoutMs} ms` };
    if (opts.signal?.aborted) return { ok: false, retryable: true, error: "aborted" };
    // fetch rejects a malformed request (a bad header value) with a TypeError and no network cause.
    if (err instanceof TypeError && (err as { cause?: unknown }).cause === undefined) {
      return { ok: false, retryable: false, error: `invalid request: ${scrub(err.message)}` };
    }
    return { ok: false, retryable: true, error: `request failed: ${scrub(describeNetworkError(err))}` };
  }
  let text = "";
  try {
    text = await res.text();
  } catch {
    // The status is what counts; a body cut short changes nothing.
  }
  const snippet = text.length > BODY_SNIPPET ? `${text.slice(0, BODY_SNIPPET)}…` : text;
  if (res.ok) return { ok: true, status: res.status, retryable: false, responseText: snippet };
  const retryable = isRetryableStatus(res.status);
  return {
    ok: false,
    status: res.status,
    retryable,
    error: scrub(`HTTP ${res.status}${snippet ? `: ${snippet.trim()}` : ""}`),
    retryAfterMs: retryable ? parseRetryAfter(res.headers.get("retry-after")) : undefined,
    responseText: snippet,
  };
}
