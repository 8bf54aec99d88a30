import { describe, expect, it } from "vitest";
import { routeParams, routePattern, UNMATCHED_ROUTE } from "./route-pattern";

describe("routePattern", () => {
  it("is the pathname of a static route", () => {
    expect(routePattern("/api/v1/query_range", undefined)).toBe("/api/v1/query_range");
    expect(routePattern("/api/v1/logs", {})).toBe("/api/v1/logs");
    expect(routePattern("/", undefined)).toBe("/");
  });

  it("puts [name] where a dynamic segment's value is", () => {
    expect(routePattern("/api/v1/label/instance/values", { name: "instance" })).toBe("/api/v1/label/[name]/values");
    expect(routePattern("/shop-logs/_bulk", { index: "shop-logs" })).toBe("/[index]/_bulk");
    expect(routePattern("/_index_template/my-template", { name: "my-template" })).toBe("/_index_template/[name]");
  });

  it("matches percent-encoded segments against the decoded value", () => {
    expect(routePattern("/api/v1/label/a%20b/values", { name: "a b" })).toBe("/api/v1/label/[name]/values");
    expect(routePattern("/api/v1/label/%E2%82%AC/values", { name: "€" })).toBe("/api/v1/label/[name]/values");
  });

  it("takes the first occurrence when the value equals a static segment after it", () => {
    expect(routePattern("/api/v1/label/values/values", { name: "values" })).toBe("/api/v1/label/[name]/values");
    expect(routePattern("/_bulk/_bulk", { index: "_bulk" })).toBe("/[index]/_bulk");
  });

  it("replaces a catch-all's run of segments by one [...name]", () => {
    expect(routePattern("/metrics/job/batch/instance/host-1", { grouping: ["batch", "instance", "host-1"] })).toBe("/metrics/job/[...grouping]");
    // The run that ends the path, even when an earlier segment has the same text.
    expect(routePattern("/metrics/job/job", { grouping: ["job"] })).toBe("/metrics/job/[...grouping]");
  });

  it("never returns a URL value it could not place", () => {
    expect(routePattern("/api/es/root", { index: "logs-2031" })).toBe(UNMATCHED_ROUTE);
    expect(routePattern("/metrics/job/a", { grouping: ["a", "b"] })).toBe(UNMATCHED_ROUTE);
  });

  it("ignores absent optional params", () => {
    expect(routePattern("/docs", { slug: undefined, rest: [] })).toBe("/docs");
  });
});

describe("routeParams", () => {
  it("reads Next.js's promised params, or plain ones", async () => {
    expect(await routeParams({ params: Promise.resolve({ name: "job" }) })).toEqual({ name: "job" });
    expect(await routeParams({ params: { name: "job" } })).toEqual({ name: "job" });
  });

  it("is undefined without a context or params", async () => {
    expect(await routeParams(undefined)).toBeUndefined();
    expect(await routeParams({})).toBeUndefined();
    expect(await routeParams({ params: Promise.resolve(undefined) })).toBeUndefined();
    expect(await routeParams("x")).toBeUndefined();
  });
});
