import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import type { Labels } from "@/server/metrics/model";
import type { LabelMatcher } from "@/server/metrics/promql/ast";
import { uid } from "@/test/helpers";
import { findSeries } from "./read";
import { fingerprintOfKey, seriesKey } from "./series-key";

const eq = (name: string, value: string): LabelMatcher => ({ type: "=", name, value });

async function insert(labels: Labels, id?: number): Promise<number> {
  const fp = fingerprintOfKey(seriesKey(labels));
  const rows = await getDb().execute<{ id: number }>(
    id === undefined
      ? sql`insert into metric_series (name, labels, fingerprint) values (${labels.__name__}, ${JSON.stringify(labels)}::jsonb, ${fp}) returning id`
      : sql`insert into metric_series (id, name, labels, fingerprint) values (${id}, ${labels.__name__}, ${JSON.stringify(labels)}::jsonb, ${fp}) returning id`,
  );
  return Number(rows.rows[0]!.id);
}

const jobs = async (matchers: LabelMatcher[]) => (await findSeries(getDb(), matchers)).map((s) => s.labels.job).sort();

describe("series lookup cache", () => {
  it("sees series created after a lookup, also one committed late with a lower id", async () => {
    const name = `m_${uid()}`;
    await insert({ __name__: name, job: "a" });
    await insert({ __name__: name, job: "b" });
    expect(await jobs([eq("__name__", name)])).toEqual(["a", "b"]);
    const regex: LabelMatcher[] = [eq("__name__", name), { type: "=~", name: "job", value: "[bc]" }];
    expect(await jobs(regex)).toEqual(["b"]);
    expect(await jobs(regex)).toEqual(["b"]);

    await insert({ __name__: name, job: "c" });
    expect(await jobs([eq("__name__", name)])).toEqual(["a", "b", "c"]);
    expect(await jobs(regex)).toEqual(["b", "c"]);

    // A series whose id is below the largest one already cached (its insert committed later).
    const max = await getDb().execute<{ m: number }>(sql`select max(id)::int4 as m from metric_series`);
    const high = Number(max.rows[0]!.m) + 1000;
    await insert({ __name__: name, job: "d" }, high);
    expect(await jobs([eq("__name__", name)])).toEqual(["a", "b", "c", "d"]);
    await insert({ __name__: name, job: "e" }, high - 1);
    expect(await jobs([eq("__name__", name)])).toEqual(["a", "b", "c", "d", "e"]);
    expect(await jobs(regex)).toEqual(["b", "c"]);
    // Equality matchers narrow in SQL: a separately cached filter.
    expect(await jobs([eq("__name__", name), eq("job", "e")])).toEqual(["e"]);
    await insert({ __name__: name, job: "e", instance: "x" });
    expect((await findSeries(getDb(), [eq("__name__", name), eq("job", "e")])).length).toBe(2);
  });

  it("hands out frozen label sets", async () => {
    const name = `m_${uid()}`;
    await insert({ __name__: name, job: "a" });
    const [s] = await findSeries(getDb(), [eq("__name__", name)]);
    expect(Object.isFrozen(s!.labels)).toBe(true);
  });
});
