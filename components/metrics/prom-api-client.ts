/**
 * A typed client for the console's Prometheus HTTP API (`/api/v1/…`, same origin: the browser's
 * session cookie authenticates it). Shapes follow Prometheus's documented API: every answer is
 * `{status:"success", data, warnings?, infos?}` or `{status:"error", errorType, error}`.
 * Failures throw PromApiError, whose `errorType`/`error` are the server's (or ours for transport
 * problems: `network`, `bad_response`).
 */

export type PromLabels = Record<string, string>;
/** `[unix seconds, "value"]`: Prometheus sends values as strings ("NaN", "+Inf" included). */
export type PromSamplePair = [number, string];
export type PromVectorSample = { metric: PromLabels; value: PromSamplePair };
export type PromMatrixSeries = { metric: PromLabels; values: PromSamplePair[] };

export type PromQueryData =
  | { resultType: "vector"; result: PromVectorSample[] }
  | { resultType: "matrix"; result: PromMatrixSeries[] }
  | { resultType: "scalar"; result: PromSamplePair }
  | { resultType: "string"; result: PromSamplePair };

export type PromMetricMetadata = { type: string; help: string; unit: string };
export type PromMetadata = Record<string, PromMetricMetadata[]>;
export type PromBuildInfo = { version: string; revision?: string; branch?: string; buildUser?: string; buildDate?: string; goVersion?: string };

/** A successful answer: the data plus the server's warnings/infos (shown, never fatal). */
export type PromResult<T> = { data: T; warnings: string[]; infos: string[] };

export class PromApiError extends Error {
  /** Prometheus's `errorType` (bad_data, execution, timeout, canceled, internal, unavailable, not_found…) or `network` / `bad_response`. */
  readonly errorType: string;
  /** Prometheus's `error` text. */
  readonly error: string;
  /** The HTTP status, 0 when no response arrived. */
  readonly status: number;

  constructor(errorType: string, error: string, status: number) {
    super(`${errorType}: ${error}`);
    this.name = "PromApiError";
    this.errorType = errorType;
    this.error = error;
    this.status = status;
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type PromClientOptions = {
  /** Origin (or prefix) the API lives under; "" = same origin. */
  baseUrl?: string;
  fetch?: FetchLike;
  /** GET is used up to this URL length; longer requests are sent as a form POST. */
  maxGetUrlLength?: number;
};

type Params = Record<string, string | string[] | number | Date | undefined>;

/** A Date or epoch milliseconds → the API's unix seconds ("1714571100.123"). */
export function toPromTime(t: Date | number): string {
  const ms = typeof t === "number" ? t : t.getTime();
  return String(ms / 1000);
}

/** Prometheus's value strings → numbers ("+Inf" → Infinity, "NaN" → NaN). */
export function parseSampleValue(v: string): number {
  switch (v) {
    case "+Inf":
    case "Inf":
      return Infinity;
    case "-Inf":
      return -Infinity;
    default:
      return Number(v);
  }
}

function encodeParams(params: Params): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) out.append(key, v);
    else if (value instanceof Date) out.append(key, toPromTime(value));
    else out.append(key, String(value));
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);

export function createPromClient(options: PromClientOptions = {}) {
  const base = (options.baseUrl ?? "").replace(/\/$/, "");
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const maxGet = options.maxGetUrlLength ?? 4000;

  async function call<T>(path: string, params: Params, signal?: AbortSignal): Promise<PromResult<T>> {
    const body = encodeParams(params);
    const qs = body.toString();
    const url = `${base}/api/v1${path}`;
    const get = url.length + qs.length + 1 <= maxGet;
    let res: Response;
    try {
      res = await doFetch(get ? (qs ? `${url}?${qs}` : url) : url, {
        method: get ? "GET" : "POST",
        headers: get ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
        body: get ? undefined : qs,
        credentials: "same-origin",
        signal,
      });
    } catch (err) {
      if ((err as Error)?.name === "AbortError") throw err;
      throw new PromApiError("network", `Could not reach the server: ${(err as Error)?.message ?? String(err)}`, 0);
    }
    let json: unknown;
    const text = await res.text();
    try {
      json = JSON.parse(text);
    } catch {
      const snippet = text.trim().slice(0, 200);
      throw new PromApiError("bad_response", `HTTP ${res.status} ${res.statusText || ""}`.trim() + (snippet ? `: ${snippet}` : ""), res.status);
    }
    if (isObject(json) && json.status === "error") {
      throw new PromApiError(typeof json.errorType === "string" ? json.errorType : "error", typeof json.error === "string" ? json.error : "Unknown error", res.status);
    }
    if (!res.ok || !isObject(json) || json.status !== "success" || !("data" in json)) {
      const msg = isObject(json) && typeof json.error === "string" ? json.error : isObject(json) && typeof json.message === "string" ? json.message : `unexpected answer (HTTP ${res.status})`;
      throw new PromApiError("bad_response", msg, res.status);
    }
    return { data: json.data as T, warnings: strings(json.warnings), infos: strings(json.infos) };
  }

  return {
    /** Instant query (`/api/v1/query`) at `time` (default: the server's now). */
    query(p: { query: string; time?: Date | number; timeout?: string; limit?: number }, signal?: AbortSignal) {
      return call<PromQueryData>("/query", { query: p.query, time: p.time === undefined ? undefined : toPromTime(p.time), timeout: p.timeout, limit: p.limit }, signal);
    },
    /** Range query (`/api/v1/query_range`): `step` in seconds. */
    queryRange(p: { query: string; start: Date | number; end: Date | number; stepSeconds: number; timeout?: string }, signal?: AbortSignal) {
      return call<{ resultType: "matrix"; result: PromMatrixSeries[] } | PromQueryData>(
        "/query_range",
        { query: p.query, start: toPromTime(p.start), end: toPromTime(p.end), step: String(p.stepSeconds), timeout: p.timeout },
        signal,
      );
    },
    series(p: { match: string[]; start?: Date | number; end?: Date | number; limit?: number }, signal?: AbortSignal) {
      return call<PromLabels[]>("/series", { "match[]": p.match, start: opt(p.start), end: opt(p.end), limit: p.limit }, signal);
    },
    labels(p: { match?: string[]; start?: Date | number; end?: Date | number } = {}, signal?: AbortSignal) {
      return call<string[]>("/labels", { "match[]": p.match, start: opt(p.start), end: opt(p.end) }, signal);
    },
    labelValues(name: string, p: { match?: string[]; start?: Date | number; end?: Date | number; limit?: number } = {}, signal?: AbortSignal) {
      return call<string[]>(`/label/${encodeURIComponent(name)}/values`, { "match[]": p.match, start: opt(p.start), end: opt(p.end), limit: p.limit }, signal);
    },
    metadata(p: { metric?: string; limit?: number } = {}, signal?: AbortSignal) {
      return call<PromMetadata>("/metadata", { metric: p.metric, limit: p.limit }, signal);
    },
    buildInfo(signal?: AbortSignal) {
      return call<PromBuildInfo>("/status/buildinfo", {}, signal);
    },
  };
}

function opt(t: Date | number | undefined): string | undefined {
  return t === undefined ? undefined : toPromTime(t);
}

export type PromClient = ReturnType<typeof createPromClient>;

/** The console's client: same origin, the browser's fetch. */
export const promApi: PromClient = createPromClient();
