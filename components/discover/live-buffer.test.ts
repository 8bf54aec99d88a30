import { describe, expect, it } from "vitest";
import { emptyLive, prependHits, receive, setPaused } from "./live-buffer";
import { makeHit } from "./test-hits";

const h = (id: string, ts: number) => makeHit({ id, ts });

describe("live tail buffer", () => {
  it("puts new hits on top, newest first, without duplicates, capped", () => {
    const rows = [h("b", 2), h("a", 1)];
    expect(prependHits(rows, [h("c", 3), h("d", 4), h("b", 2)]).map((x) => x.id)).toEqual(["d", "c", "b", "a"]);
    expect(prependHits(rows, [h("c", 3), h("d", 4)], 3).map((x) => x.id)).toEqual(["d", "c", "b"]);
  });

  it("holds arrivals while paused and releases them on resume", () => {
    let s = emptyLive([h("a", 1)]);
    s = setPaused(s, true);
    s = receive(s, [h("b", 2)]);
    expect(s.rows.map((x) => x.id)).toEqual(["a"]);
    expect(s.pending.map((x) => x.id)).toEqual(["b"]);
    s = setPaused(s, false);
    expect(s.rows.map((x) => x.id)).toEqual(["b", "a"]);
    expect(s.pending).toEqual([]);
    expect(s.received).toBe(1);
    expect(receive(s, [])).toBe(s);
  });
});
