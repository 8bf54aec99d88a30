import { describe, expect, it } from "vitest";
import { cachedLoader, LOG_TABLES, METRIC_TABLES, storageSizesOf, tableNames } from "./storage-size";
import { pgTable, text } from "drizzle-orm/pg-core";

describe("table lists", () => {
  it("hold every table of the logs and metrics schema modules, the partitioned ones included", () => {
    expect(LOG_TABLES).toContain("log_blocks");
    expect(LOG_TABLES).toContain("log_sources");
    expect(METRIC_TABLES).toContain("metric_head");
    expect(METRIC_TABLES).toContain("metric_series");
    expect(METRIC_TABLES).toContain("metric_rollups_5m");
    expect(LOG_TABLES.filter((t) => METRIC_TABLES.includes(t))).toEqual([]);
  });

  it("tableNames keeps the tables of a module and nothing else", () => {
    const mod = { a: pgTable("zeta", { x: text("x") }), b: pgTable("alpha", { y: text("y") }), helper: () => 1, constant: "log_blocks" };
    expect(tableNames(mod)).toEqual(["alpha", "zeta"]);
  });
});

describe("storageSizesOf", () => {
  it("makes other what logs and metrics leave of the total, never negative", () => {
    expect(storageSizesOf(100, 50, 400)).toEqual({ logs: 100, metrics: 50, other: 250, total: 400 });
    expect(storageSizesOf(300, 200, 400)).toEqual({ logs: 300, metrics: 200, other: 0, total: 400 });
  });
});

describe("cachedLoader", () => {
  function setup(opts: { timeoutMs?: number } = {}) {
    let t = 0;
    let calls = 0;
    let fail = false;
    const errors: unknown[] = [];
    const get = cachedLoader(
      async () => {
        calls++;
        if (fail) throw new Error(`down ${calls}`);
        return calls;
      },
      60_000,
      { now: () => t, onError: (e) => errors.push(e), ...opts },
    );
    return {
      get,
      advance: (ms: number) => (t += ms),
      calls: () => calls,
      setFail: (f: boolean) => (fail = f),
      errors,
    };
  }

  it("loads once per ttl", async () => {
    const c = setup();
    expect(await c.get()).toBe(1);
    c.advance(59_999);
    expect(await c.get()).toBe(1);
    expect(c.calls()).toBe(1);
    c.advance(1);
    expect(await c.get()).toBe(2);
  });

  it("shares one load between concurrent callers", async () => {
    const c = setup();
    expect(await Promise.all([c.get(), c.get(), c.get()])).toEqual([1, 1, 1]);
    expect(c.calls()).toBe(1);
  });

  it("keeps the last value when a load fails, reports the error, and tries again next time", async () => {
    const c = setup();
    c.setFail(true);
    expect(await c.get()).toBeNull();
    expect(c.errors).toHaveLength(1);
    c.setFail(false);
    expect(await c.get()).toBe(2);
    c.advance(60_000);
    c.setFail(true);
    expect(await c.get()).toBe(2);
    expect(await c.get()).toBe(2);
    expect(c.calls()).toBe(4);
    expect((c.errors.at(-1) as Error).message).toBe("down 4");
  });

  it("answers with the last value when a load is slow, and keeps the slow result for later", async () => {
    let t = 0;
    let release: (v: number) => void = () => {};
    let n = 0;
    const get = cachedLoader(
      () => {
        n++;
        return n === 1 ? Promise.resolve(10) : new Promise<number>((r) => (release = r));
      },
      1_000,
      { now: () => t, timeoutMs: 20 },
    );
    expect(await get()).toBe(10);
    t += 1_000;
    expect(await get()).toBe(10); // the second load is still running
    expect(await get()).toBe(10); // …and is not started twice
    expect(n).toBe(2);
    release(20);
    await new Promise((r) => setTimeout(r, 0));
    expect(await get()).toBe(20);
    expect(n).toBe(2);
  });
});
