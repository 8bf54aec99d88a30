import { and, asc, gt, gte, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { logBlocks } from "@/db/schema";
import type { CompiledQuery } from "@/server/logs/query/compile";
import { dayOf } from "@/server/logs/store/write";
import type { LogHit } from "./contract";
import { ALL_NEEDS, blockPayloads, compareAsc, decodeLoaded, type ScanEvent } from "./scan";
import { toHit } from "./service";

const DAY_MS = 86_400_000;
/**
 * Block ids come from a sequence, so a transaction that took a lower id can commit after one that
 * took a higher id. Each poll re-reads ids within this distance below the highest seen, and skips
 * those already delivered.
 */
const REORDER_WINDOW = 500;
/** At most this many events per poll are delivered; the rest are reported as skipped. */
export const MAX_EVENTS_PER_POLL = 500;

/**
 * Live tail: blocks committed after the tail started, of the last two event days, filtered by the
 * compiled query (role filter included). Stateless apart from the ids it has delivered, so any
 * web replica can serve it.
 */
export class LogTail {
  private highest = 0;
  /** Ids above the re-read floor already handled (delivered, or present before the tail began). */
  private readonly handled = new Set<number>();

  constructor(
    private readonly db: DbOrTx,
    private readonly plan: CompiledQuery,
  ) {}

  private recentDays() {
    return gte(logBlocks.day, dayOf(Date.now() - DAY_MS));
  }

  /** Block ids above `floor`, each with whether it may hold matches (the query's block condition). */
  private async idsAbove(floor: number): Promise<{ id: number; day: string; candidate: boolean }[]> {
    const cond = this.plan.blockCondition;
    return this.db
      .select({ id: logBlocks.id, day: logBlocks.day, candidate: cond ? sql<boolean>`coalesce(${cond}, false)` : sql<boolean>`true` })
      .from(logBlocks)
      .where(and(this.recentDays(), gt(logBlocks.id, floor)))
      .orderBy(asc(logBlocks.id));
  }

  /** Marks everything already stored as handled. */
  async start(): Promise<void> {
    const [row] = await this.db
      .select({ max: sql<number | null>`max(${logBlocks.id})`.mapWith(Number) })
      .from(logBlocks)
      .where(this.recentDays());
    this.highest = row?.max ?? 0;
    for (const r of await this.idsAbove(Math.max(0, this.highest - REORDER_WINDOW))) this.handled.add(r.id);
  }

  /** New matching events since the last poll, oldest first. */
  async poll(): Promise<{ hits: LogHit[]; skipped: number }> {
    const floor = Math.max(0, this.highest - REORDER_WINDOW);
    const fresh = (await this.idsAbove(floor)).filter((r) => !this.handled.has(r.id));
    for (const r of fresh) {
      this.handled.add(r.id);
      if (r.id > this.highest) this.highest = r.id;
    }
    const deliver = fresh.filter((r) => r.candidate);
    const nextFloor = this.highest - REORDER_WINDOW;
    for (const id of this.handled) if (id <= nextFloor) this.handled.delete(id);
    const payloads = await blockPayloads(this.db, deliver);
    const events: ScanEvent[] = [];
    for (const r of deliver) {
      const p = payloads.get(r.id);
      if (!p) continue;
      decodeLoaded(p, ALL_NEEDS).forEach((e, idx) => {
        if (this.plan.matches(e)) events.push({ e, day: r.day, blockId: r.id, idx });
      });
    }
    events.sort(compareAsc);
    const skipped = Math.max(0, events.length - MAX_EVENTS_PER_POLL);
    return { hits: events.slice(skipped).map(toHit), skipped };
  }
}

/** How often a tail polls for new blocks, and how long one stream lives before the client reconnects. */
const POLL_MS = Number(process.env.LOOKOUT_TAIL_POLL_MS ?? 1000);
const MAX_STREAM_MS = 3_600_000;
const HEARTBEAT_MS = 15_000;

/**
 * The tail as a Server-Sent Events stream: `event: hit` (one LogHit as JSON) per new event,
 * `event: skipped` when a poll had more than MAX_EVENTS_PER_POLL, a comment as heartbeat.
 * Ends when the client goes away (`signal`) or after an hour.
 */
export function tailStream(tail: LogTail, signal: AbortSignal, onError: (err: unknown) => void): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  const began = Date.now();
  let lastWrite = Date.now();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const close = () => {
        if (closed) return;
        closed = true;
        if (timer) clearTimeout(timer);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      signal.addEventListener("abort", close, { once: true });
      const write = (text: string) => {
        if (closed) return;
        controller.enqueue(enc.encode(text));
        lastWrite = Date.now();
      };
      write(`retry: 3000\nevent: ready\ndata: {}\n\n`);
      const tick = async () => {
        if (closed) return;
        try {
          const { hits, skipped } = await tail.poll();
          if (skipped) write(`event: skipped\ndata: ${JSON.stringify({ skipped })}\n\n`);
          for (const h of hits) write(`event: hit\ndata: ${JSON.stringify(h)}\n\n`);
          if (Date.now() - lastWrite >= HEARTBEAT_MS) write(`: keep-alive\n\n`);
        } catch (err) {
          onError(err);
          write(`event: error\ndata: ${JSON.stringify({ message: "Live tail failed; retrying" })}\n\n`);
        }
        if (Date.now() - began > MAX_STREAM_MS) return close();
        if (!closed) timer = setTimeout(() => void tick(), POLL_MS);
      };
      timer = setTimeout(() => void tick(), POLL_MS);
    },
    cancel() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  });
}
