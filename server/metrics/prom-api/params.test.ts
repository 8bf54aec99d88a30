import { describe, expect, it } from "vitest";
import {
  applyLimit,
  checkResolution,
  MAX_TIME_MS,
  MIN_TIME_MS,
  mergeParams,
  parseDuration,
  parseInstantQueryParams,
  parseLimitParam,
  parseMatchParams,
  parseRangeQueryParams,
  parseSeriesSelector,
  parseStep,
  parseTime,
  parseTimeParam,
} from "./params";
import { PromApiError } from "./response";
import { thrownBy } from "@/test/thrown";

const promError = (fn: () => unknown) => thrownBy(fn, PromApiError);

const q = (s: string) => new URLSearchParams(s);

describe("parseTime", () => {
  it.each([
    ["1435781451.781", 1435781451781],
    ["1435781451", 1435781451000],
    ["1435781451.7815", 1435781451782],
    ["1435781451.7814", 1435781451781],
    ["-1.5", -1500],
    ["0", 0],
    ["1e9", 1e12],
    ["2015-07-01T20:10:51.781Z", 1435781451781],
    ["2015-07-01T20:10:51Z", 1435781451000],
    ["2015-07-01T20:10:51.781999999Z", 1435781451781],
    ["2015-07-01T22:10:51.781+02:00", 1435781451781],
    ["2015-07-01T15:10:51.7-05:00", 1435781451700],
    ["-292273086-05-16T16:47:06Z", MIN_TIME_MS],
    ["292277025-08-18T07:12:54.999999999Z", MAX_TIME_MS],
  ])("%s → %d", (s, ms) => {
    expect(parseTime(s)).toBe(ms);
  });

  it.each(["", "now", "2015-07-01 20:10:51Z", "2015-13-01T00:00:00Z", "2015-02-30T00:00:00Z", "NaN", "Inf", "1h"])("refuses %j", (s) => {
    expect(() => parseTime(s)).toThrow(`cannot parse ${JSON.stringify(s)} to a valid timestamp`);
  });
});

describe("parseDuration and parseStep", () => {
  it.each([
    ["15", 15_000],
    ["0.5", 500],
    ["1e1", 10_000],
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["500ms", 500],
    ["1d", 86_400_000],
    ["0", 0],
  ])("%s → %d ms", (s, ms) => {
    expect(parseDuration(s)).toBe(ms);
  });

  it("refuses what is not a duration", () => {
    expect(() => parseDuration("5 minutes")).toThrow('cannot parse "5 minutes" to a valid duration');
    expect(() => parseDuration("1e300")).toThrow('cannot parse "1e300" to a valid duration. It overflows int64');
  });

  it("refuses zero, negative and unreadable steps with Prometheus's messages", () => {
    expect(parseStep("15s")).toBe(15_000);
    expect(promError(() => parseStep("0")).message).toBe("zero or negative query resolution step widths are not accepted. Try a positive integer");
    expect(promError(() => parseStep("-1")).message).toBe("zero or negative query resolution step widths are not accepted. Try a positive integer");
    const err = promError(() => parseStep("x"));
    expect(err.errorType).toBe("bad_data");
    expect(err.message).toBe('invalid parameter "step": cannot parse "x" to a valid duration');
  });
});

describe("query parameters", () => {
  it("merges a form body before the query string, as Go's ParseForm does", () => {
    const p = mergeParams(q("query=from_query&match[]=a"), q("query=from_body&match[]=b"));
    expect(p.get("query")).toBe("from_body");
    expect(p.getAll("match[]")).toEqual(["b", "a"]);
    expect(mergeParams(q("x=1"), null).get("x")).toBe("1");
  });

  it("reads an instant query, time defaulting to now", () => {
    expect(parseInstantQueryParams(q("query=up"), 1000)).toEqual({ query: "up", time: 1000, timeout: undefined });
    expect(parseInstantQueryParams(q("query=up&time=2&timeout=30s"), 1000)).toEqual({ query: "up", time: 2000, timeout: 30_000 });
    expect(promError(() => parseInstantQueryParams(q("time=soon"), 0)).message).toBe('invalid parameter "time": cannot parse "soon" to a valid timestamp');
  });

  it("reads a range query and enforces Prometheus's checks", () => {
    expect(parseRangeQueryParams(q("query=up&start=0&end=3600&step=60"))).toEqual({ query: "up", start: 0, end: 3_600_000, step: 60_000, timeout: undefined });
    expect(promError(() => parseRangeQueryParams(q("query=up&end=1&step=1"))).message).toBe('invalid parameter "start": cannot parse "" to a valid timestamp');
    expect(promError(() => parseRangeQueryParams(q("start=10&end=5&step=1"))).message).toBe("end timestamp must not be before start time");
  });

  it("allows 11,000 points per series and refuses more, with Prometheus's exact message", () => {
    expect(() => checkResolution(0, 11_000_000, 1000)).not.toThrow();
    expect(() => checkResolution(0, 11_000_999, 1000)).not.toThrow(); // integer division, as in Go
    const err = promError(() => parseRangeQueryParams(q("query=up&start=0&end=11001&step=1")));
    expect(err.errorType).toBe("bad_data");
    expect(err.httpStatus).toBe(400);
    expect(err.message).toBe("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
  });

  it("defaults series/labels times", () => {
    expect(parseTimeParam(q(""), "start", MIN_TIME_MS)).toBe(MIN_TIME_MS);
    expect(parseTimeParam(q("end=5"), "end", MAX_TIME_MS)).toBe(5000);
  });
});

describe("match[]", () => {
  it("parses series selectors to matcher sets", () => {
    expect(parseMatchParams(q('match[]=up&match[]={job="api",code=~"5.."}'))).toEqual([
      [{ type: "=", name: "__name__", value: "up" }],
      [
        { type: "=", name: "job", value: "api" },
        { type: "=~", name: "code", value: "5.." },
      ],
    ]);
    expect(parseMatchParams(q(""))).toEqual([]);
  });

  it("requires match[] where Prometheus does", () => {
    expect(promError(() => parseMatchParams(q(""), { required: true })).message).toBe("no match[] parameter provided");
  });

  it.each(['rate(x[5m])', "x[5m]", "x offset 5m", "x + y", "1", "sum(x)"])("refuses %j", (s) => {
    const err = promError(() => parseSeriesSelector(s));
    expect(err.errorType).toBe("bad_data");
    expect(err.message).toMatch(/^parse error/);
  });

  it("refuses selectors that match everything", () => {
    expect(promError(() => parseSeriesSelector('{job=~".*"}')).message).toMatch(/at least one non-empty matcher/);
    expect(promError(() => parseSeriesSelector("{")).message).toMatch(/^parse error/);
  });
});

describe("limit", () => {
  it("reads non-negative integers, 0 when absent", () => {
    expect(parseLimitParam(q(""))).toBe(0);
    expect(parseLimitParam(q("limit=5"))).toBe(5);
    expect(promError(() => parseLimitParam(q("limit=-1"))).message).toBe('invalid parameter "limit": limit must be non-negative');
    expect(promError(() => parseLimitParam(q("limit=abc"))).message).toBe('invalid parameter "limit": strconv.Atoi: parsing "abc": invalid syntax');
  });

  it("truncates with a warning", () => {
    expect(applyLimit([1, 2, 3], 2)).toEqual({ items: [1, 2], warnings: ["results truncated due to limit"] });
    expect(applyLimit([1, 2, 3], 0)).toEqual({ items: [1, 2, 3], warnings: [] });
    expect(applyLimit([1, 2, 3], 3)).toEqual({ items: [1, 2, 3], warnings: [] });
  });
});
