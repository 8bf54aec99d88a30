import { describe, expect, it } from "vitest";
import type { ArchivedBlock } from "@/server/archive/log-archive";
import type { LogEvent } from "@/server/logs/event";
import { decodeBlock, encodeBlock } from "@/server/logs/store/block";
import { checkGdprQuery, rewriteArchivedBlocks, rewriteBlock, storedBytesOf, withoutMatches } from "./gdpr-rewrite";

function ev(i: number, user: string): LogEvent {
  return { ts: 1_700_000_000_000 + i * 1000, observedTs: 1_700_000_000_500 + i * 1000, source: "app", service: "api", host: "h1", level: i % 2 ? "error" : "info", message: `request ${i} by ${user}`, traceId: null, spanId: null, attributes: { user_id: user, i } };
}

function archived(id: number, events: LogEvent[]): ArchivedBlock {
  const b = encodeBlock(events);
  return { id, minTs: b.minTs, maxTs: b.maxTs, count: b.count, rawBytes: b.rawBytes, tokens: b.tokens, services: b.services, hosts: b.hosts, levelCounts: [0, 0, b.levelCounts.info, 0, b.levelCounts.error, 0, b.levelCounts.none], batchId: `batch-${id}`, payload: b.payload };
}

const isAlice = (e: LogEvent) => e.attributes.user_id === "alice";

describe("withoutMatches", () => {
  it("keeps the order of the events that stay", () => {
    const events = [ev(1, "alice"), ev(2, "bob"), ev(3, "alice"), ev(4, "carol")];
    expect(withoutMatches(events, isAlice)).toEqual({ kept: [events[1], events[3]], removed: 2 });
  });
});

describe("rewriteBlock", () => {
  const mixed = [ev(1, "alice"), ev(2, "bob"), ev(3, "alice"), ev(4, "carol")];

  it("leaves a block without matches alone", () => {
    const b = archived(1, [ev(1, "bob")]);
    expect(rewriteBlock(b, isAlice)).toEqual({ kind: "unchanged" });
  });

  it("re-encodes the rest: the same events, columns recomputed", () => {
    const b = archived(1, mixed);
    const r = rewriteBlock(b, isAlice);
    if (r.kind !== "rewritten") throw new Error(`expected a rewrite, got ${r.kind}`);
    expect(r.removed).toBe(2);
    expect(decodeBlock(r.payload)).toEqual([mixed[1], mixed[3]]);
    expect(r.columns).toMatchObject({ count: 2, minTs: mixed[1]!.ts, maxTs: mixed[3]!.ts, services: ["api"], hosts: ["h1"] });
    // Both left are info (the removed alice 1 and 3 were errors): LOG_LEVELS order, then none.
    expect(r.columns.levelCounts).toEqual([0, 0, 2, 0, 0, 0, 0]);
    expect(r.before).toEqual({ rawBytes: b.rawBytes, storedBytes: storedBytesOf(b.payload, b.tokens) });
    expect(r.after.storedBytes).toBe(r.payload.length + r.columns.tokens.length * 4);
    expect(r.columns.tokens.length).toBeLessThan(b.tokens.length);
  });

  it("empties a block whose every event matches", () => {
    const b = archived(1, [ev(1, "alice"), ev(2, "alice")]);
    expect(rewriteBlock(b, isAlice)).toMatchObject({ kind: "emptied", removed: 2 });
  });
});

describe("rewriteArchivedBlocks", () => {
  it("keeps untouched blocks as they are (same payload), rewrites or drops the others, keeping ids and batch ids", () => {
    const untouched = archived(7, [ev(1, "bob")]);
    const mixed = archived(8, [ev(2, "alice"), ev(3, "carol")]);
    const only = archived(9, [ev(4, "alice")]);
    const r = rewriteArchivedBlocks([untouched, mixed, only], isAlice);
    expect(r.changed).toBe(true);
    expect(r.removed).toBe(2);
    expect(r.blocks.map((b) => [b.id, b.batchId, b.count])).toEqual([
      [7, "batch-7", 1],
      [8, "batch-8", 1],
    ]);
    expect(r.blocks[0]).toBe(untouched);
    expect(decodeBlock(r.blocks[1]!.payload).map((e) => e.attributes.user_id)).toEqual(["carol"]);
  });

  it("keeps the blocks the block filter rejects without decoding them", () => {
    const skipped = { ...archived(7, [ev(1, "alice")]), payload: Buffer.from("not a block") };
    const mixed = archived(8, [ev(2, "alice"), ev(3, "carol")]);
    const r = rewriteArchivedBlocks([skipped, mixed], isAlice, (b) => b.id !== 7);
    expect(r.removed).toBe(1);
    expect(r.blocks[0]).toBe(skipped);
    expect(decodeBlock(r.blocks[1]!.payload).map((e) => e.attributes.user_id)).toEqual(["carol"]);
  });

  it("reports no change when nothing matched", () => {
    const blocks = [archived(1, [ev(1, "bob")])];
    expect(rewriteArchivedBlocks(blocks, isAlice)).toEqual({ blocks, removed: 0, changed: false });
  });
});

describe("checkGdprQuery", () => {
  it("refuses empty and match-all queries", () => {
    expect(checkGdprQuery("  user_id:12345 ")).toBe("user_id:12345");
    for (const q of ["", "   ", "*", " * "]) expect(() => checkGdprQuery(q)).toThrow(/selects the person's events/);
  });
});
