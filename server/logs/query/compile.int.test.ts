import { randomUUID } from "node:crypto";
import { and, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { logBlocks, logSources } from "@/db/schema";
import type { LogEvent } from "@/server/logs/event";
import { decodeBlock } from "@/server/logs/store/block";
import { commitBatch } from "@/server/logs/store/write";
import { uid } from "@/test/helpers";
import { compileQuery, type CompileContext } from "./compile";
import { FIXTURE, fixtureFields } from "./events.fixture";
import { parseQuery } from "./parse";

const QUERIES = [
  "timeout",
  '"card declined"',
  "payment-api",
  "insufficient_funds",
  "shop",
  "überweisung",
  "level:error",
  "NOT _exists_:level",
  "level>=error",
  "service:payment-api",
  "service:(checkout OR sshd)",
  "http.status:503",
  "http.status:502",
  "user.vip:true",
  "error.reasons:risk",
  "items.sku:B-2",
  'http.path:"api checkout"',
  "timeout OR memory",
  "source:NAME level:error",
  "NOT source:NAME",
  "order.total:129.5",
  "trace_id:4bf92f3577b34da6a3ce929d0e0e4736",
  "cart.total:59.90",
];

describe("compiled block conditions against stored blocks", () => {
  it("select every block holding a matching event, and prune the others", async () => {
    const db = getDb();
    const names = ["nginx", "app", "syslog"];
    const sources = await db
      .insert(logSources)
      .values(names.map((n) => ({ name: `${n}-${uid()}` })))
      .returning();
    const byFixtureName = new Map(names.map((n, i) => [n, sources[i]!]));
    const ctx: CompileContext = { fields: fixtureFields(), sourceIdsByName: new Map(sources.map((s) => [s.name, s.id])) };
    // One batch (so one block) per fixture event, padded with filler lines of the same source.
    for (const [i, ev] of FIXTURE.entries()) {
      const src = byFixtureName.get(ev.source)!;
      const filler: LogEvent[] = Array.from({ length: 20 }, (_, k) => ({ ...ev, ts: ev.ts + 100 + k, level: "info", message: `filler ${i} ${k}`, traceId: null, spanId: null, attributes: { n: k } }));
      const events = [{ ...ev, source: src.name }, ...filler.map((f) => ({ ...f, source: src.name }))];
      await commitBatch(db, { batchId: randomUUID(), sourceId: src.id, receivedAt: new Date(), events, deadLetters: [], dropped: 0 });
    }
    const ours = inArray(
      logBlocks.sourceId,
      sources.map((s) => s.id),
    );
    const all = await db.select({ id: logBlocks.id, payload: logBlocks.payload }).from(logBlocks).where(ours);
    expect(all).toHaveLength(FIXTURE.length);
    const decoded = all.map((b) => ({ id: b.id, events: decodeBlock(b.payload) }));

    for (const template of QUERIES) {
      const q = template.replace("NAME", sources[1]!.name);
      const c = compileQuery(parseQuery(q), ctx);
      const where = c.blockCondition ? and(ours, c.blockCondition) : ours;
      const selected = new Set((await db.select({ id: logBlocks.id }).from(logBlocks).where(where)).map((r) => r.id));
      let matching = 0;
      for (const b of decoded) {
        if (b.events.some(c.matches)) {
          matching++;
          expect(selected.has(b.id), `${q}: block ${b.id} holds a match`).toBe(true);
        }
      }
      expect(matching, `${q} matches something`).toBeGreaterThan(0);
      expect(selected.size, `${q} prunes`).toBeLessThan(all.length);
    }
  });
});
