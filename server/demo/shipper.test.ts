import { describe, expect, it } from "vitest";
import { LogShipper, type ShipperFetch } from "./shipper";

type Call = { url: string; auth: string; lines: string[] };

/** A console that answers with the statuses given, in order (then 202); an Error is a network failure. */
function fakeConsole(answers: (number | Error)[]) {
  const calls: Call[] = [];
  const fetch: ShipperFetch = async (url, init) => {
    calls.push({ url, auth: init.headers.authorization!, lines: init.body.trimEnd().split("\n") });
    const a = answers.shift() ?? 202;
    if (a instanceof Error) throw a;
    const body = a === 202 ? { batchId: `b${calls.length}`, accepted: calls.at(-1)!.lines.length, rejected: [] } : { message: "nope" };
    return { status: a, headers: { get: (n: string) => (n === "retry-after" && a === 429 ? "7" : null) }, text: async () => JSON.stringify(body) };
  };
  return { calls, fetch };
}

describe("LogShipper", () => {
  it("posts NDJSON per source with the key, in batches, and reports the batch ids", async () => {
    const c = fakeConsole([]);
    const sent: unknown[] = [];
    const s = new LogShipper({ baseUrl: "http://console:3000", key: "lk_k", fetch: c.fetch, batchSize: 2, onSent: (x) => sent.push(x) });
    s.push("demo-nginx", [{ message: "a" }, { message: "b" }, { message: "c" }]);
    s.push("demo-app", [{ message: "d" }]);
    expect(await s.flush()).toEqual({ sent: 4, pending: 0, retryAt: null });
    expect(c.calls.map((x) => [x.url, x.lines.length])).toEqual([
      ["http://console:3000/api/v1/logs?source=demo-nginx", 2],
      ["http://console:3000/api/v1/logs?source=demo-nginx", 1],
      ["http://console:3000/api/v1/logs?source=demo-app", 1],
    ]);
    expect(c.calls[0]!.auth).toBe("Bearer lk_k");
    expect(JSON.parse(c.calls[0]!.lines[0]!)).toEqual({ message: "a" });
    expect(sent).toEqual([
      { source: "demo-nginx", batchId: "b1", accepted: 2, rejected: 0 },
      { source: "demo-nginx", batchId: "b2", accepted: 1, rejected: 0 },
      { source: "demo-app", batchId: "b3", accepted: 1, rejected: 0 },
    ]);
  });

  it("keeps events while the console is unreachable, backs off exponentially (or as Retry-After says), then delivers", async () => {
    let now = 1_000_000;
    const c = fakeConsole([new Error("ECONNREFUSED"), new Error("ECONNREFUSED"), 503, 429]);
    const problems: Record<string, unknown>[] = [];
    const s = new LogShipper({ baseUrl: "http://c", key: "lk_k", fetch: c.fetch, now: () => now, random: () => 1, onProblem: (_w, d) => problems.push(d) });
    s.push("demo-app", [{ message: "x" }]);
    expect(await s.flush()).toEqual({ sent: 0, pending: 1, retryAt: now + 1000 });
    // Backing off: no request before retryAt.
    expect(await s.flush()).toMatchObject({ sent: 0, pending: 1 });
    expect(c.calls).toHaveLength(1);
    now += 1000;
    expect((await s.flush()).retryAt).toBe(now + 2000);
    now += 2000;
    expect((await s.flush()).retryAt).toBe(now + 4000);
    now += 4000;
    expect((await s.flush()).retryAt).toBe(now + 8000); // 429 with Retry-After: 7 → the larger of 8 s backoff and 7 s
    now += 8000;
    s.push("demo-app", [{ message: "y" }]);
    expect(await s.flush()).toEqual({ sent: 2, pending: 0, retryAt: null });
    expect(c.calls.at(-1)!.lines.map((l) => JSON.parse(l).message)).toEqual(["x", "y"]);
    expect(problems.map((p) => p.attempt)).toEqual([1, 2, 3, 4]);
    // Success resets the backoff.
    s.push("demo-app", [{ message: "z" }]);
    expect(await s.flush()).toMatchObject({ sent: 1 });
  });

  it("drops a batch the console refuses for good (401/400) instead of retrying it forever", async () => {
    const c = fakeConsole([401]);
    const problems: string[] = [];
    const s = new LogShipper({ baseUrl: "http://c", key: "lk_revoked", fetch: c.fetch, onProblem: (w) => problems.push(w) });
    s.push("demo-app", [{ message: "x" }, { message: "y" }]);
    expect(await s.flush()).toEqual({ sent: 0, pending: 0, retryAt: null });
    expect(s.dropped).toBe(2);
    expect(problems).toEqual(["demo logs refused; batch dropped"]);
  });

  it("bounds the buffer, dropping the oldest events", () => {
    const s = new LogShipper({ baseUrl: "http://c", key: "lk_k", fetch: fakeConsole([]).fetch, maxBuffered: 5 });
    s.push("demo-nginx", [1, 2, 3, 4].map((n) => ({ n })));
    s.push("demo-app", [5, 6, 7].map((n) => ({ n })));
    expect(s.pending()).toBe(5);
    expect(s.dropped).toBe(2);
  });
});
