/**
 * The demo's log agent: buffers events per source and posts them as NDJSON to the console's own
 * `POST /api/v1/logs?source=…`, as Filebeat or Vector would. When the console is not reachable
 * (still starting) or pushes back (429, 5xx), the batch stays and the next try waits longer
 * (exponential backoff with jitter, up to 30 s, or the server's Retry-After). The buffer is
 * bounded: past `maxBuffered` events the oldest are dropped and counted. Never throws.
 */
export type ShipperFetch = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export interface ShipperOptions {
  /** The console's URL (`http://127.0.0.1:3000`). */
  baseUrl: string;
  /** The ingest API key (never logged). */
  key: string;
  fetch?: ShipperFetch;
  /** Events per request (default 2,000). */
  batchSize?: number;
  /** Events kept while the console is unreachable (default 40,000). */
  maxBuffered?: number;
  now?: () => number;
  random?: () => number;
  /** A batch landed: its source, the batch id the console gave it, and how many events it took. */
  onSent?: (sent: { source: string; batchId: string | null; accepted: number; rejected: number }) => void;
  /** Something went wrong (a retry is scheduled, or a batch was refused and dropped). */
  onProblem?: (what: string, details: Record<string, unknown>) => void;
}

export interface FlushOutcome {
  sent: number;
  /** Still buffered (waiting for the console). */
  pending: number;
  /** When the next attempt may happen (epoch ms), when backing off. */
  retryAt: number | null;
}

const MAX_BACKOFF_MS = 30_000;

export class LogShipper {
  private readonly buffers = new Map<string, string[]>();
  private readonly opts: Required<Omit<ShipperOptions, "onSent" | "onProblem">> & Pick<ShipperOptions, "onSent" | "onProblem">;
  private failures = 0;
  private retryAt = 0;
  private flushing: Promise<FlushOutcome> | null = null;
  dropped = 0;

  constructor(opts: ShipperOptions) {
    this.opts = {
      ...opts,
      fetch: opts.fetch ?? ((url, init) => fetch(url, init)),
      batchSize: opts.batchSize ?? 2000,
      maxBuffered: opts.maxBuffered ?? 40_000,
      now: opts.now ?? Date.now,
      random: opts.random ?? Math.random,
    };
  }

  /** Queues events (JSON objects) for `source`. */
  push(source: string, events: readonly Record<string, unknown>[]): void {
    if (events.length === 0) return;
    let buf = this.buffers.get(source);
    if (!buf) this.buffers.set(source, (buf = []));
    for (const e of events) buf.push(JSON.stringify(e));
    const over = this.pending() - this.opts.maxBuffered;
    if (over > 0) this.dropOldest(over);
  }

  pending(): number {
    let n = 0;
    for (const b of this.buffers.values()) n += b.length;
    return n;
  }

  private dropOldest(n: number): void {
    // Takes from the fullest buffer first (the backlog is where the old events are).
    while (n > 0) {
      const [, buf] = [...this.buffers.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
      const k = Math.min(n, buf.length);
      buf.splice(0, k);
      this.dropped += k;
      n -= k;
    }
  }

  /** Posts what is buffered (unless backing off). One flush at a time. */
  flush(): Promise<FlushOutcome> {
    if (!this.flushing) this.flushing = this.doFlush().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async doFlush(): Promise<FlushOutcome> {
    let sent = 0;
    if (this.opts.now() < this.retryAt) return { sent, pending: this.pending(), retryAt: this.retryAt };
    for (const [source, buf] of this.buffers) {
      while (buf.length > 0) {
        const lines = buf.slice(0, this.opts.batchSize);
        const result = await this.post(source, lines);
        if (result === "retry") return { sent, pending: this.pending(), retryAt: this.retryAt };
        buf.splice(0, lines.length);
        if (result === "sent") sent += lines.length;
      }
    }
    return { sent, pending: this.pending(), retryAt: null };
  }

  private async post(source: string, lines: string[]): Promise<"sent" | "dropped" | "retry"> {
    const url = `${this.opts.baseUrl}/api/v1/logs?source=${encodeURIComponent(source)}`;
    let status: number;
    let retryAfter: string | null;
    let text: string;
    try {
      const res = await this.opts.fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${this.opts.key}`, "content-type": "application/x-ndjson" },
        body: lines.join("\n") + "\n",
        signal: AbortSignal.timeout(15_000),
      });
      status = res.status;
      retryAfter = res.headers.get("retry-after");
      text = await res.text();
    } catch (e) {
      return this.backoff(null, { source, error: (e as Error).message });
    }
    if (status === 202) {
      this.failures = 0;
      this.retryAt = 0;
      const body = safeJson(text);
      this.opts.onSent?.({ source, batchId: typeof body.batchId === "string" ? body.batchId : null, accepted: Number(body.accepted ?? lines.length), rejected: Array.isArray(body.rejected) ? body.rejected.length : 0 });
      return "sent";
    }
    if (status === 429 || status >= 500) return this.backoff(retryAfter, { source, status });
    // 400/401/403/413: retrying the same batch cannot help (a revoked key, a deleted source).
    this.opts.onProblem?.("demo logs refused; batch dropped", { source, status, events: lines.length, message: safeJson(text).message });
    this.dropped += lines.length;
    return "dropped";
  }

  private backoff(retryAfter: string | null, details: Record<string, unknown>): "retry" {
    this.failures++;
    const exp = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.failures - 1));
    const jittered = exp / 2 + this.opts.random() * (exp / 2);
    const serverSays = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 0;
    const wait = Math.max(jittered, Math.min(serverSays, MAX_BACKOFF_MS));
    this.retryAt = this.opts.now() + wait;
    this.opts.onProblem?.("console not taking demo logs yet; retrying", { ...details, attempt: this.failures, retryInMs: Math.round(wait), pending: this.pending() });
    return "retry";
  }
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
