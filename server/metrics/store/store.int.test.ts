import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import type { Labels, SelectHints, SeriesData, SeriesSamplesInput } from "@/server/metrics/model";
import type { LabelMatcher } from "@/server/metrics/promql/ast";
import { uid } from "@/test/helpers";
import { compactHour } from "./compact";
import { deleteSeries } from "./delete";
import { PgQueryable } from "./read";
import { SeriesResolver } from "./series-resolver";
import { appendSamples, HOUR_MS } from "./write";

const resolver = new SeriesResolver(1000);
const eq = (name: string, value: string): LabelMatcher => ({ type: "=", name, value });

/** A distinct hour per test, far from "now", so compactions never touch another test's data. */
let nextHour = Date.UTC(2025, 0, 1);
function freshHour(): number {
  nextHour += 7 * HOUR_MS;
  return nextHour;
}

function counter(name: string, labels: Record<string, string>, t0: number, n: number, step = 15_000, start = 0): SeriesSamplesInput {
  return { labels: { __name__: name, ...labels }, samples: Array.from({ length: n }, (_, i) => ({ timestampMs: t0 + i * step, value: start + i * 3 })) };
}

/** select(), checked against selectEach() (the streaming form must hand over the same series, in the same order). */
async function selectBoth(q: PgQueryable, matchers: LabelMatcher[], hints: SelectHints): Promise<SeriesData[]> {
  const selected = await q.select(matchers, hints);
  const visited: SeriesData[] = [];
  let begun: readonly Labels[] | undefined;
  await q.selectEach(matchers, hints, {
    begin: (labels) => (begun = labels),
    // Copies: the arrays are only valid during the call.
    visit: (s) => visited.push({ labels: s.labels, timestamps: Float64Array.from(s.timestamps), values: Float64Array.from(s.values), ...(s.stale ? { stale: Uint8Array.from(s.stale) } : {}) }),
  });
  const plain = (list: SeriesData[]) =>
    list.map((s) => ({ labels: s.labels, timestamps: [...s.timestamps], values: [...s.values].map(String), stale: s.stale ? [...s.stale] : undefined }));
  expect(plain(visited)).toEqual(plain(selected));
  for (const s of selected) expect(begun).toContain(s.labels);
  return selected;
}

async function read(name: string, start: number, end: number) {
  return selectBoth(new PgQueryable(getDb()), [eq("__name__", name)], { start, end });
}

describe("metrics store", () => {
  it("appends exactly once per batch id, across hours, and reads back sorted samples", async () => {
    const name = `m_${uid()}`;
    const t0 = freshHour() + 50 * 60_000; // 10 minutes before the next hour: the batch spans two partitions
    const batch = { batchId: randomUUID(), series: [counter(name, { job: "a" }, t0, 80), counter(name, { job: "b" }, t0, 80)] };
    const first = await appendSamples(getDb(), batch, { resolver });
    expect(first).toMatchObject({ committed: true, samples: 160, blocks: 2 });
    const again = await appendSamples(getDb(), batch, { resolver });
    expect(again).toMatchObject({ committed: false, samples: 0 });

    const series = await read(name, t0, t0 + 79 * 15_000);
    expect(series.map((s) => s.labels.job).sort()).toEqual(["a", "b"]);
    for (const s of series) {
      expect(s.timestamps.length).toBe(80);
      expect([...s.values].slice(0, 3)).toEqual([0, 3, 6]);
      expect(s.stale).toBeUndefined();
    }
    const window = await read(name, t0 + 15_000, t0 + 45_000);
    expect([...window[0]!.timestamps]).toEqual([t0 + 15_000, t0 + 30_000, t0 + 45_000]);
  });

  it("keeps the last write for a repeated timestamp, accepts out-of-order backfill and flags stale markers", async () => {
    const name = `m_${uid()}`;
    const t0 = freshHour();
    await appendSamples(getDb(), { batchId: randomUUID(), series: [counter(name, {}, t0, 4, 15_000, 100)] }, { resolver });
    await appendSamples(
      getDb(),
      {
        batchId: randomUUID(),
        series: [
          {
            labels: { __name__: name },
            samples: [
              { timestampMs: t0 + 60_000, value: Number.NaN, stale: true },
              { timestampMs: t0 + 15_000, value: 999 },
              { timestampMs: t0 - 15_000, value: 1 },
            ],
          },
        ],
      },
      { resolver },
    );
    const [s] = await read(name, t0 - HOUR_MS, t0 + HOUR_MS);
    expect([...s!.timestamps]).toEqual([t0 - 15_000, t0, t0 + 15_000, t0 + 30_000, t0 + 45_000, t0 + 60_000]);
    expect([...s!.values].slice(0, 5)).toEqual([1, 100, 999, 106, 109]);
    expect(Number.isNaN(s!.values[5])).toBe(true);
    expect([...s!.stale!]).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it("compacts a closed hour into one chunk per series, drops the partition and reads the same samples", async () => {
    const name = `m_${uid()}`;
    const bucket = freshHour();
    for (let k = 0; k < 4; k++) {
      await appendSamples(getDb(), { batchId: randomUUID(), series: [counter(name, { i: "1" }, bucket + k * 900_000, 60, 15_000, k * 180)] }, { resolver });
    }
    // A stale marker at the end survives compaction.
    await appendSamples(
      getDb(),
      { batchId: randomUUID(), series: [{ labels: { __name__: name, i: "1" }, samples: [{ timestampMs: bucket + HOUR_MS - 1, value: Number.NaN, stale: true }] }] },
      { resolver },
    );
    const before = await read(name, bucket, bucket + HOUR_MS);
    const r = await compactHour(getDb(), bucket);
    expect(r).toMatchObject({ series: 1, samples: 241 });
    expect(r.chunkBytes / r.samples).toBeLessThan(2);
    const parts = await getDb().execute(sql`select to_regclass(${"metric_head_" + new Date(bucket).toISOString().slice(0, 13).replace(/[-T]/g, "")}) as p`);
    expect(parts.rows[0]!.p).toBeNull();
    const after = await read(name, bucket, bucket + HOUR_MS);
    expect([...after[0]!.timestamps]).toEqual([...before[0]!.timestamps]);
    expect([...after[0]!.values].slice(0, 240)).toEqual([...before[0]!.values].slice(0, 240));
    expect(after[0]!.stale?.[240]).toBe(1);

    // A late backfill into the compacted hour is merged into the same chunk on the next compaction.
    await appendSamples(getDb(), { batchId: randomUUID(), series: [{ labels: { __name__: name, i: "1" }, samples: [{ timestampMs: bucket + 7_500, value: 42 }] }] }, { resolver });
    const mixed = await read(name, bucket, bucket + 15_000);
    expect([...mixed[0]!.values]).toEqual([0, 42, 3]);
    await compactHour(getDb(), bucket);
    const chunks = await getDb().execute<{ n: string }>(sql`select count(*) as n from metric_chunks c join metric_series s on s.id = c.series_id where s.name = ${name}`);
    expect(Number(chunks.rows[0]!.n)).toBe(1);
    const merged = await read(name, bucket, bucket + 15_000);
    expect([...merged[0]!.values]).toEqual([0, 42, 3]);
  });

  it("deletes samples in a range from chunks and head, and the same timestamps can be written again", async () => {
    const name = `m_${uid()}`;
    const bucket = freshHour();
    await appendSamples(getDb(), { batchId: randomUUID(), series: [counter(name, { j: "x" }, bucket, 240), counter(name, { j: "y" }, bucket, 240)] }, { resolver });
    await compactHour(getDb(), bucket);
    await appendSamples(getDb(), { batchId: randomUUID(), series: [counter(name, { j: "x" }, bucket + HOUR_MS, 10)] }, { resolver });

    const r = await deleteSeries(getDb(), [[eq("__name__", name), eq("j", "x")]], bucket + 30 * 60_000, bucket + HOUR_MS + 60_000);
    expect(r).toEqual({ series: 1, samples: 120 + 5 });
    const [x, y] = (await read(name, bucket, bucket + 2 * HOUR_MS)).sort((a, b) => a.labels.j!.localeCompare(b.labels.j!));
    expect(x!.timestamps.length).toBe(120 + 5);
    expect(x!.timestamps[119]).toBe(bucket + 119 * 15_000);
    expect(y!.timestamps.length).toBe(240);

    await appendSamples(getDb(), { batchId: randomUUID(), series: [counter(name, { j: "x" }, bucket + 30 * 60_000, 2, 15_000, 7)] }, { resolver });
    const [again] = await new PgQueryable(getDb()).select([eq("__name__", name), eq("j", "x")], { start: bucket + 30 * 60_000, end: bucket + 30 * 60_000 + 15_000 });
    expect([...again!.values]).toEqual([7, 10]);
  });

  it("selects with regex and negative matchers and answers label names and values", async () => {
    const name = `m_${uid()}`;
    const t0 = freshHour();
    await appendSamples(
      getDb(),
      { batchId: randomUUID(), series: ["api", "web", "worker"].map((svc) => counter(name, { svc, env: svc === "worker" ? "" : "prod" }, t0, 2)) },
      { resolver },
    );
    const q = new PgQueryable(getDb());
    const picked = await q.select([eq("__name__", name), { type: "=~", name: "svc", value: "w.*" }, { type: "!=", name: "env", value: "" }], { start: t0, end: t0 + HOUR_MS });
    expect(picked.map((s) => s.labels.svc)).toEqual(["web"]);
    expect(await q.labelValues("svc", [[eq("__name__", name)]], 0, 0)).toEqual(["api", "web", "worker"]);
    expect(await q.labelNames([[eq("__name__", name)]], 0, 0)).toEqual(["__name__", "env", "svc"]);
    expect(await q.series([[eq("__name__", name), eq("svc", "worker")]], 0, 0)).toEqual([{ __name__: name, svc: "worker" }]);
  });

  it("streams the same series as select, in its order, over several chunk queries with head samples", async () => {
    const name = `m_${uid()}`;
    const bucket = freshHour();
    const series = Array.from({ length: 2700 }, (_, i) => counter(name, { i: String(i) }, bucket + (i % 7) * 1000, 3 + (i % 4), 600_000, i));
    const big = new SeriesResolver(5000);
    await appendSamples(getDb(), { batchId: randomUUID(), series }, { resolver: big });
    await compactHour(getDb(), bucket);
    // Head samples in the next hour for some series, one of them a stale marker; a backfill into the compacted hour for others.
    const later = series.filter((_, i) => i % 3 === 0).map((s, k) => ({ labels: s.labels, samples: [{ timestampMs: bucket + HOUR_MS + k, value: k % 50 === 0 ? Number.NaN : k, stale: k % 50 === 0 }] }));
    const backfill = series.filter((_, i) => i % 5 === 0).map((s) => ({ labels: s.labels, samples: [{ timestampMs: bucket + 1, value: -1 }] }));
    await appendSamples(getDb(), { batchId: randomUUID(), series: [...later, ...backfill] }, { resolver: big });
    const q = new PgQueryable(getDb());
    const all = await selectBoth(q, [eq("__name__", name)], { start: bucket, end: bucket + 2 * HOUR_MS });
    expect(all.length).toBe(2700);
    expect(all.filter((s) => s.stale).length).toBe(Math.ceil(900 / 50));
    await selectBoth(q, [eq("__name__", name)], { start: bucket + 1_800_000, end: bucket + HOUR_MS + 500 });
    await selectBoth(q, [eq("__name__", name), { type: "=~", name: "i", value: "1.*" }], { start: bucket, end: bucket + 2 * HOUR_MS });
  });

  it("refuses samples of new series beyond the per-metric series limit", async () => {
    const name = `m_${uid()}`;
    const small = new SeriesResolver(2);
    const series = ["a", "b", "c"].map((i) => counter(name, { i }, freshHour(), 2));
    const r = await appendSamples(getDb(), { batchId: randomUUID(), series }, { resolver: small });
    expect(r).toMatchObject({ samples: 4, rejectedSeriesLimit: 2 });
  });
});
