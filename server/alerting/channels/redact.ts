/**
 * Keeps secrets out of logs, delivery records and the UI: `redact(config)` copies an integration
 * configuration with passwords, keys and tokens replaced and URLs stripped of credentials, query
 * values and token-like path segments (`https://hooks.slack.com/services/[redacted]`).
 */

export const REDACTED = "[redacted]";

const SECRET_KEY = /(password|passwd|secret|token|routing_key|service_key|api_key|apikey|credential|private_key)/i;
const SENSITIVE_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key)$|token|secret|key|auth|password/i;

/** Whether a path segment looks like a credential (long, or mixing letters and digits). */
function looksSecret(segment: string): boolean {
  if (segment.length >= 16) return true;
  return segment.length >= 8 && /[0-9]/.test(segment) && /[A-Za-z]/.test(segment);
}

/** A URL safe to show: no user info, query values, fragments, or token-like path segments. */
export function redactUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return "[invalid URL]";
  }
  const auth = u.username || u.password ? `${REDACTED}@` : "";
  let segments = u.pathname.split("/");
  // Slack-style incoming webhooks (/services/T…/B…/token), on slack.com or a compatible server.
  if (segments[1] === "services") {
    segments = ["", "services", ...(segments.length > 2 ? [REDACTED] : [])];
  } else {
    segments = segments.map((s) => (looksSecret(decodeSafe(s)) ? REDACTED : s));
  }
  const query = [...u.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=${REDACTED}`).join("&");
  return `${u.protocol}//${auth}${u.host}${segments.join("/")}${query ? `?${query}` : ""}`;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, SENSITIVE_HEADER.test(k) && typeof v === "string" && v ? REDACTED : v]));
}

/** A deep copy of `value` with secrets replaced (see the module comment). */
export function redact<T>(value: T): T {
  return redactValue(value, "") as T;
}

function redactValue(v: unknown, key: string): unknown {
  if (typeof v === "string") {
    if (SECRET_KEY.test(key)) return v ? REDACTED : v;
    if (/(^|_)url$/i.test(key) || /URL$/.test(key)) return v ? redactUrl(v) : v;
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => redactValue(x, key));
  if (v && typeof v === "object") {
    if (key === "http_headers" || key === "headers") return redactHeaders(v as Record<string, unknown>);
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, redactValue(x, k)]));
  }
  return v;
}

/** Header names with sensitive values shown as redacted, for request summaries. */
export function describeHeaders(headers: Record<string, string> | undefined): string {
  if (!headers || Object.keys(headers).length === 0) return "";
  return Object.keys(headers)
    .sort()
    .map((k) => `${k}=${SENSITIVE_HEADER.test(k) ? REDACTED : headers[k]}`)
    .join(", ");
}
