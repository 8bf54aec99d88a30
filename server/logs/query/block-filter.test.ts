import { describe, expect, it } from "vitest";
import { LOG_LEVELS, type LogEvent } from "@/server/logs/event";
import { encodeBlock } from "@/server/logs/store/block";
import { compileQuery, type BlockColumns, type CompileContext } from "./compile";
import { FIXTURE, fixtureFields } from "./events.fixture";
import { parseQuery } from "./parse";

/**
 * CompiledQuery.blockMatches: the block condition in memory, as archived blocks are filtered.
 * It must never skip a block holding a match, and should skip blocks the SQL condition skips.
 */
const SOURCES = new Map([
  ["nginx", "00000000-0000-4000-8000-000000000001"],
  ["app", "00000000-0000-4000-8000-000000000002"],
  ["syslog", "00000000-0000-4000-8000-000000000003"],
]);
const ctx: CompileContext = { fields: fixtureFields(), sourceIdsByName: SOURCES };
const compile = (q: string) => compileQuery(parseQuery(q), ctx);

/** A block's columns as the store (and the archive) keep them. */
function columns(events: LogEvent[]): BlockColumns {
  const b = encodeBlock(events);
  return { tokens: b.tokens, sourceId: SOURCES.get(events[0]!.source)!, levelCounts: [...LOG_LEVELS, "none" as const].map((l) => b.levelCounts[l]) };
}

/** One block per fixture event, and one per source (several events). */
const single = FIXTURE.map((e) => ({ events: [e], cols: columns([e]) }));
const bySource = [...SOURCES.keys()].map((s) => {
  const events = FIXTURE.filter((e) => e.source === s);
  return { events, cols: columns(events) };
});

const QUERIES = [
  "",
  "timeout",
  "time*",
  '"card declined"',
  "level:error",
  "level:error OR level:warn",
  "NOT level:info",
  "level:[warn TO fatal]",
  "_exists_:level",
  "NOT _exists_:level",
  "service:checkout",
  "host:edge-1 OR host:pay-1",
  "source:nginx",
  "NOT source:nginx",
  "source:app AND NOT level:error",
  "http.status:502",
  "http.status>=500",
  "user.vip:true AND level:error",
  "NOT timeout",
  "timeout AND NOT service:checkout",
  "insufficient_funds OR shop",
  "überweisung",
  "100%",
  "trace_id:4bf92f3577b34da6a3ce929d0e0e4736",
  "source:nomatch*",
];

describe("CompiledQuery.blockMatches", () => {
  it.each(QUERIES)("never skips a block that holds a match: %s", (q) => {
    const c = compile(q);
    for (const b of [...single, ...bySource]) {
      if (b.events.some(c.matches)) expect(c.blockMatches?.(b.cols) ?? true, `${q} / ${b.events.map((e) => e.id).join(",")}`).toBe(true);
    }
  });

  it("skips blocks by tokens, level counts and source, like the SQL condition", () => {
    const kept = (q: string) => single.filter((b) => compile(q).blockMatches?.(b.cols) ?? true).map((b) => b.events[0]!.id);
    expect(kept('"card declined"')).toEqual(["pay-declined"]);
    expect(kept("level:error")).toEqual(["nginx-502", "nginx-503", "pay-declined", "checkout-timeout"]);
    expect(kept("NOT _exists_:level")).toEqual(["app-nolevel"]);
    expect(kept("source:syslog")).toEqual(["sys-sshd", "sys-kernel", "sys-cron"]);
    expect(kept("NOT source:app").every((id) => !id.startsWith("pay") && !id.startsWith("checkout") && !id.startsWith("app"))).toBe(true);
    expect(kept("source:nomatch*")).toEqual([]);
    expect(kept("http.status:502")).toEqual(["nginx-502"]);
    // Conditions it cannot decide per block (negated text) keep every block.
    expect(compile("NOT timeout").blockMatches).toBeNull();
    expect(compile("").blockMatches).toBeNull();
  });

  it("treats a missing level slot as zero, as level_counts[n] is NULL in SQL", () => {
    const c = compile("NOT _exists_:level");
    expect(c.blockMatches!({ tokens: [], sourceId: SOURCES.get("app")!, levelCounts: [1, 0, 0] })).toBe(false);
  });

  it("tells which sources can match at all (sourcePossible), without tokens or levels", () => {
    const [nginx, app, syslog] = [...SOURCES.values()];
    const possible = (q: string) => [nginx!, app!, syslog!].map((id) => compile(q).sourcePossible(id));
    expect(possible("")).toEqual([true, true, true]);
    expect(possible("source:app")).toEqual([false, true, false]);
    expect(possible("NOT source:app")).toEqual([true, false, true]);
    expect(possible("source:app AND timeout")).toEqual([false, true, false]);
    expect(possible("source:app OR timeout")).toEqual([true, true, true]);
    expect(possible("(source:app OR source:nginx) AND level:error")).toEqual([true, true, false]);
    expect(possible("service:checkout")).toEqual([true, true, true]);
    expect(possible("source:nomatch*")).toEqual([false, false, false]);
  });
});
