import { describe, expect, it } from "vitest";
import { formatLabelSet, formatLegend, formatSeriesName, metricSelector, uniqueNames } from "./legend";

describe("formatSeriesName", () => {
  it("writes name{labels} with sorted labels", () => {
    expect(formatSeriesName({ job: "node", __name__: "up", instance: "a:9100" })).toBe('up{instance="a:9100", job="node"}');
  });
  it("writes the bare name or the bare labels", () => {
    expect(formatSeriesName({ __name__: "up" })).toBe("up");
    expect(formatSeriesName({ job: "node" })).toBe('{job="node"}');
    expect(formatSeriesName({})).toBe("{}");
  });
  it("escapes quotes, backslashes and newlines in values", () => {
    expect(formatLabelSet({ path: 'C:\\x "y"\nz' })).toBe('{path="C:\\\\x \\"y\\"\\nz"}');
  });
});

describe("formatLegend", () => {
  const m = { __name__: "http_requests_total", instance: "web-1:8080", job: "api", code: "200" };
  it("substitutes {{label}} with or without spaces", () => {
    expect(formatLegend("{{instance}}", m)).toBe("web-1:8080");
    expect(formatLegend("{{ job }} {{code}} — {{__name__}}", m)).toBe("api 200 — http_requests_total");
  });
  it("renders missing labels as empty", () => {
    expect(formatLegend("{{job}}/{{missing}}", m)).toBe("api/");
  });
  it("falls back to the series name for empty, __auto or blank results", () => {
    const full = 'http_requests_total{code="200", instance="web-1:8080", job="api"}';
    expect(formatLegend("", m)).toBe(full);
    expect(formatLegend("__auto", m)).toBe(full);
    expect(formatLegend("{{missing}}", m)).toBe(full);
  });
  it("keeps literal text and unmatched braces", () => {
    expect(formatLegend("requests {code}", m)).toBe("requests {code}");
  });
});

describe("uniqueNames", () => {
  it("numbers repeats", () => {
    expect(uniqueNames(["a", "b", "a", "a"])).toEqual(["a", "b", "a (2)", "a (3)"]);
  });
  it("does not collide with existing names", () => {
    expect(uniqueNames(["a", "a (2)", "a"])).toEqual(["a", "a (2)", "a (3)"]);
  });
});

describe("metricSelector", () => {
  it("writes classic names bare and quotes the rest", () => {
    expect(metricSelector("http_requests_total")).toBe("http_requests_total");
    expect(metricSelector("http_requests_total", { label: "code", value: '5"00' })).toBe('http_requests_total{code="5\\"00"}');
    expect(metricSelector("my.metric")).toBe('{"my.metric"}');
    expect(metricSelector("my.metric", { label: "service.name", value: "api" })).toBe('{"my.metric", "service.name"="api"}');
  });
});
