import { describe, expect, it } from "vitest";
import pkg from "@/package.json";
import { AppError } from "@/server/lib/errors";
import { PromQLParseError } from "@/server/metrics/promql/parse";
import {
  BUILD_INFO,
  formatTimestamp,
  formatValue,
  metadataData,
  parseMetadataLimits,
  PROM_ERROR_STATUS,
  promError,
  PromApiError,
  promSuccess,
  queryData,
  toPromError,
} from "./response";

describe("envelopes", () => {
  it("builds success bodies, leaving out empty warnings and infos", () => {
    expect(promSuccess(["a"])).toEqual({ status: "success", data: ["a"] });
    expect(promSuccess([], { warnings: [], infos: [] })).toEqual({ status: "success", data: [] });
    expect(promSuccess([], { warnings: ["w"], infos: ["i"] })).toEqual({ status: "success", data: [], warnings: ["w"], infos: ["i"] });
  });

  it("maps error types to Prometheus's HTTP statuses", () => {
    expect(PROM_ERROR_STATUS).toMatchObject({ bad_data: 400, execution: 422, timeout: 503, canceled: 503, internal: 500, not_found: 404, unavailable: 503 });
    expect(promError("execution", "boom")).toEqual({ status: 422, body: { status: "error", errorType: "execution", error: "boom" } });
  });

  it("turns thrown errors into Prometheus errors, hiding unknown ones", () => {
    expect(toPromError(new PromApiError("bad_data", "x")).body).toEqual({ status: "error", errorType: "bad_data", error: "x" });
    expect(toPromError(new PromQLParseError('unexpected "}"', { start: 0, end: 1 }))).toEqual({
      status: 400,
      body: { status: "error", errorType: "bad_data", error: 'parse error: unexpected "}"' },
    });
    expect(toPromError(new AppError("QUERY_TIMEOUT", { userMessage: "query timed out in expression evaluation" })).status).toBe(503);
    expect(toPromError(new AppError("QUERY_TIMEOUT", { userMessage: "t" })).body.errorType).toBe("timeout");
    expect(toPromError(new AppError("INVALID_INPUT", { userMessage: "bad" })).body.errorType).toBe("bad_data");
    const secret = new Error("password=hunter2");
    const internal = toPromError(secret);
    expect(internal.status).toBe(500);
    expect(internal.body).toEqual({ status: "error", errorType: "internal", error: "internal server error" });
    expect(internal.logged).toBe(secret);
  });
});

describe("sample formatting", () => {
  it.each([
    [1, "1"],
    [0.1 + 0.2, "0.30000000000000004"],
    [1e21, "1000000000000000000000"],
    [1e-7, "0.0000001"],
    [-0, "-0"],
    [NaN, "NaN"],
    [Infinity, "+Inf"],
    [-Infinity, "-Inf"],
    [1234567.5, "1234567.5"],
  ])("value %s → %s", (v, s) => {
    expect(formatValue(v)).toBe(s);
  });

  it("writes timestamps as unix seconds with millisecond precision", () => {
    expect(JSON.stringify(formatTimestamp(1435781451781))).toBe("1435781451.781");
    expect(JSON.stringify(formatTimestamp(1435781451000))).toBe("1435781451");
    expect(JSON.stringify(formatTimestamp(1435781451100))).toBe("1435781451.1");
    expect(JSON.stringify(formatTimestamp(-1500))).toBe("-1.5");
    for (let ms = 1700000000000; ms < 1700000000000 + 1000; ms += 7) {
      expect(String(formatTimestamp(ms))).toMatch(/^\d+(\.\d{1,3})?$/);
    }
  });
});

describe("queryData", () => {
  it("shapes vectors with sorted metric labels", () => {
    const data = queryData({ resultType: "vector", result: [{ labels: { job: "api", __name__: "up", instance: "a:9090" }, t: 1435781451781, v: 1 }] });
    expect(JSON.stringify(data)).toBe(
      '{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"a:9090","job":"api"},"value":[1435781451.781,"1"]}]}',
    );
  });

  it("shapes matrices from parallel arrays", () => {
    const data = queryData({
      resultType: "matrix",
      result: [{ labels: { job: "api" }, timestamps: new Float64Array([1000, 16000]), values: new Float64Array([0.5, NaN]) }],
    });
    expect(data).toEqual({
      resultType: "matrix",
      result: [
        {
          metric: { job: "api" },
          values: [
            [1, "0.5"],
            [16, "NaN"],
          ],
        },
      ],
    });
  });

  it("shapes scalars and strings", () => {
    expect(queryData({ resultType: "scalar", result: { t: 1500, v: Infinity } })).toEqual({ resultType: "scalar", result: [1.5, "+Inf"] });
    expect(queryData({ resultType: "string", result: { t: 1500, v: "hello" } })).toEqual({ resultType: "string", result: [1.5, "hello"] });
  });

  it("keeps an empty vector an empty array", () => {
    expect(JSON.stringify(promSuccess(queryData({ resultType: "vector", result: [] })))).toBe('{"status":"success","data":{"resultType":"vector","result":[]}}');
  });
});

describe("build info and metadata", () => {
  it("reports the package version in Prometheus's buildinfo shape", () => {
    expect(BUILD_INFO).toEqual({ version: "2.53.0", revision: `lookout-${pkg.version}`, branch: "", buildUser: "lookout", buildDate: "", goVersion: "" });
  });

  const entries = [
    { name: "up", type: "gauge", help: "Target up.", unit: "" },
    { name: "up", type: "gauge", help: "Target up.", unit: "" },
    { name: "up", type: "gauge", help: "Other help.", unit: "" },
    { name: "http_requests_total", type: "counter", help: "Requests.", unit: "" },
    { name: "latency_seconds", type: "histogram", help: "", unit: "seconds" },
  ];

  it("groups entries by metric, merging identical ones", () => {
    expect(metadataData(entries)).toEqual({
      up: [
        { type: "gauge", help: "Target up.", unit: "" },
        { type: "gauge", help: "Other help.", unit: "" },
      ],
      http_requests_total: [{ type: "counter", help: "Requests.", unit: "" }],
      latency_seconds: [{ type: "histogram", help: "", unit: "seconds" }],
    });
  });

  it("applies limit, limit_per_metric and metric", () => {
    expect(Object.keys(metadataData(entries, { limit: 2 }))).toEqual(["up", "http_requests_total"]);
    expect(metadataData(entries, { limit: 0 })).toEqual({});
    expect(metadataData(entries, { limitPerMetric: 1 }).up).toHaveLength(1);
    expect(metadataData(entries, { metric: "latency_seconds" })).toEqual({ latency_seconds: [{ type: "histogram", help: "", unit: "seconds" }] });
  });

  it("reads the metadata parameters", () => {
    expect(parseMetadataLimits(new URLSearchParams(""))).toEqual({ limit: -1, limitPerMetric: -1 });
    expect(parseMetadataLimits(new URLSearchParams("limit=5&limit_per_metric=1&metric=up"))).toEqual({ limit: 5, limitPerMetric: 1, metric: "up" });
    expect(() => parseMetadataLimits(new URLSearchParams("limit=x"))).toThrow("limit must be a number");
  });
});
