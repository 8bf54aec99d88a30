import { describe, expect, it } from "vitest";
import type { PromMatrixSeries } from "./prom-api-client";
import { matrixToSeries, resultStats } from "./result-series";

const t = 1_714_564_800; // seconds

describe("matrixToSeries", () => {
  const matrix: PromMatrixSeries[] = [
    {
      metric: { __name__: "up", instance: "a:9100", job: "node" },
      values: [
        [t, "1"],
        [t + 15, "NaN"],
        [t + 30, "+Inf"],
        [t + 45, "0.5"],
      ],
    },
    { metric: { __name__: "up", instance: "b:9100", job: "node" }, values: [[t, "0"]] },
  ];

  it("names series from labels and parses values, NaN/Inf as gaps", () => {
    const s = matrixToSeries(matrix, { legend: "", stepMs: 15_000 });
    expect(s.map((x) => x.name)).toEqual(['up{instance="a:9100", job="node"}', 'up{instance="b:9100", job="node"}']);
    expect(s[0]!.points).toEqual([
      [t * 1000, 1],
      [(t + 15) * 1000, null],
      [(t + 30) * 1000, null],
      [(t + 45) * 1000, 0.5],
    ]);
    expect(s[1]!.labels).toEqual(matrix[1]!.metric);
  });

  it("uses the legend format and keeps names unique", () => {
    expect(matrixToSeries(matrix, { legend: "{{instance}}", stepMs: 15_000 }).map((x) => x.name)).toEqual(["a:9100", "b:9100"]);
    expect(matrixToSeries(matrix, { legend: "{{job}}", stepMs: 15_000 }).map((x) => x.name)).toEqual(["node", "node (2)"]);
  });

  it("breaks the line where samples are missing", () => {
    const gappy: PromMatrixSeries[] = [
      {
        metric: { job: "x" },
        values: [
          [t, "1"],
          [t + 15, "2"],
          [t + 75, "3"], // three steps missing
          [t + 90, "4"],
        ],
      },
    ];
    expect(matrixToSeries(gappy, { legend: "", stepMs: 15_000 })[0]!.points).toEqual([
      [t * 1000, 1],
      [(t + 15) * 1000, 2],
      [(t + 30) * 1000, null],
      [(t + 75) * 1000, 3],
      [(t + 90) * 1000, 4],
    ]);
  });

  it("keeps millisecond timestamps exact", () => {
    const s = matrixToSeries([{ metric: {}, values: [[1714564800.123, "1"]] }], { legend: "", stepMs: 1000 });
    expect(s[0]!.points[0]![0]).toBe(1714564800123);
  });
});

describe("resultStats", () => {
  it("counts series and points", () => {
    expect(resultStats({ resultType: "matrix", result: [{ metric: {}, values: [[t, "1"], [t + 15, "2"]] }, { metric: {}, values: [[t, "1"]] }] })).toEqual({
      resultType: "matrix",
      series: 2,
      points: 3,
    });
    expect(resultStats({ resultType: "vector", result: [{ metric: {}, value: [t, "1"] }] })).toEqual({ resultType: "vector", series: 1, points: 1 });
    expect(resultStats({ resultType: "scalar", result: [t, "1"] })).toEqual({ resultType: "scalar", series: 0, points: 1 });
  });
});
