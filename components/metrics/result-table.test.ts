import { describe, expect, it } from "vitest";
import type { PromQueryData } from "./prom-api-client";
import { nextSort, resultTable, SERIES_KEY, sortRows, VALUE_KEY } from "./result-table";

const t = 1_714_564_800;
const vector: PromQueryData = {
  resultType: "vector",
  result: [
    { metric: { __name__: "up", job: "node", instance: "b" }, value: [t, "1"] },
    { metric: { __name__: "up", job: "api", instance: "a", zone: "eu" }, value: [t, "NaN"] },
    { metric: { __name__: "up", job: "node", instance: "c" }, value: [t, "10"] },
    { metric: { __name__: "up", job: "db", instance: "d" }, value: [t, "2"] },
  ],
};

describe("resultTable", () => {
  it("lists {labels} + value in series mode, keeping the raw value text", () => {
    const table = resultTable(vector);
    expect(table.columns.map((c) => c.label)).toEqual(["series", "value"]);
    expect(table.rows[0]!.cells).toEqual({ [SERIES_KEY]: 'up{instance="b", job="node"}', [VALUE_KEY]: "1" });
    expect(table.rows[1]!.cells[VALUE_KEY]).toBe("NaN");
  });

  it("gives one column per label in columns mode (__name__ first, missing labels empty)", () => {
    const table = resultTable(vector, "columns");
    expect(table.columns.map((c) => c.key)).toEqual(["__name__", "instance", "job", "zone", VALUE_KEY]);
    expect(table.rows[0]!.cells).toEqual({ __name__: "up", instance: "b", job: "node", zone: "", [VALUE_KEY]: "1" });
  });

  it("shows scalars and strings as one row", () => {
    expect(resultTable({ resultType: "scalar", result: [t, "3.5"] })).toMatchObject({ columns: [{ label: "scalar" }], rows: [{ cells: { [VALUE_KEY]: "3.5" } }] });
    expect(resultTable({ resultType: "string", result: [t, "hello"] })).toMatchObject({ columns: [{ label: "string" }], rows: [{ cells: { [VALUE_KEY]: "hello" } }] });
  });

  it("lists each sample of a range vector", () => {
    const table = resultTable({ resultType: "matrix", result: [{ metric: { job: "x" }, values: [[t, "1"], [t + 15, "2"]] }] });
    expect(table.columns.map((c) => c.label)).toEqual(["series", "values"]);
    expect(table.rows[0]!.cells[VALUE_KEY]).toBe(`1 @${t}\n2 @${t + 15}`);
    expect(table.rows[0]!.sort[VALUE_KEY]).toBe(2);
  });
});

describe("sortRows", () => {
  const rows = resultTable(vector, "columns").rows;
  it("sorts numbers numerically with NaN last", () => {
    expect(sortRows(rows, { key: VALUE_KEY, dir: "desc" }).map((r) => r.cells[VALUE_KEY])).toEqual(["10", "2", "1", "NaN"]);
    expect(sortRows(rows, { key: VALUE_KEY, dir: "asc" }).map((r) => r.cells[VALUE_KEY])).toEqual(["1", "2", "10", "NaN"]);
  });
  it("sorts text naturally and stably", () => {
    expect(sortRows(rows, { key: "job", dir: "asc" }).map((r) => r.cells.instance)).toEqual(["a", "d", "b", "c"]);
    expect(sortRows(rows, { key: "job", dir: "desc" }).map((r) => r.cells.instance)).toEqual(["b", "c", "d", "a"]);
  });
  it("keeps the order without a sort", () => {
    expect(sortRows(rows, null)).toEqual(rows);
  });
});

describe("nextSort", () => {
  it("cycles first direction → other direction → none", () => {
    expect(nextSort(null, "job", false)).toEqual({ key: "job", dir: "asc" });
    expect(nextSort({ key: "job", dir: "asc" }, "job", false)).toEqual({ key: "job", dir: "desc" });
    expect(nextSort({ key: "job", dir: "desc" }, "job", false)).toBeNull();
    expect(nextSort({ key: "job", dir: "asc" }, VALUE_KEY, true)).toEqual({ key: VALUE_KEY, dir: "desc" });
  });
});
