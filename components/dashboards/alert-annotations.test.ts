import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import type { AlertPeriod } from "@/server/alerting/alert-periods";
import { DashboardSchema } from "@/server/dashboards/model";
import { alertAnnotationsStatus, alertAnnotationsTitle, annotationFetchRange, isForbiddenError, parseMatcherLines } from "./alert-annotations";

const H = 3_600_000;
const range = { start: 100 * H, end: 106 * H };
const panel = (id: number, over: Record<string, unknown> = {}) => ({ id, type: "timeseries", gridPos: { x: 0, y: 0, w: 12, h: 8 }, ...over });
const dash = (panels: unknown[]) => DashboardSchema.parse({ schemaVersion: 1, title: "D", panels });
const period: AlertPeriod = { ruleUid: "r", ruleTitle: "R", fingerprint: "f", labels: {}, state: "firing", start: 101 * H, end: null };
const trpcError = (code: string, httpStatus: number) => Object.assign(new TRPCClientError("Missing permission alerts:read"), { data: { code, httpStatus } });

describe("annotationFetchRange", () => {
  it("the dashboard range, widened by panels with their own time (rows' panels too)", () => {
    expect(annotationFetchRange(range, dash([panel(1)]))).toEqual(range);
    expect(annotationFetchRange(range, dash([panel(1), panel(2, { timeShift: "1d" })]))).toEqual({ start: 76 * H, end: 106 * H });
    expect(annotationFetchRange(range, dash([{ type: "row", id: 1, gridPos: { x: 0, y: 0, w: 24, h: 1 }, collapsed: true, panels: [panel(2, { timeFrom: "24h" })] }]))).toEqual({ start: 82 * H, end: 106 * H });
  });
});

describe("alertAnnotationsStatus", () => {
  const data = { periods: [period], truncated: false };

  it("a FORBIDDEN answer (or a page that knows) means no annotations and no error", () => {
    expect(isForbiddenError(trpcError("FORBIDDEN", 403))).toBe(true);
    expect(isForbiddenError(trpcError("BAD_REQUEST", 400))).toBe(false);
    expect(isForbiddenError(new Error("x"))).toBe(false);
    expect(isForbiddenError(undefined)).toBe(false);
    expect(alertAnnotationsStatus({ enabled: true, forbidden: false, data: undefined, error: trpcError("FORBIDDEN", 403) })).toEqual({ periods: undefined, status: { state: "unavailable" } });
    expect(alertAnnotationsStatus({ enabled: true, forbidden: true, data, error: null })).toEqual({ periods: undefined, status: { state: "unavailable" } });
  });

  it("off, loading, error (keeping what was shown), ok", () => {
    expect(alertAnnotationsStatus({ enabled: false, forbidden: false, data, error: null })).toEqual({ periods: undefined, status: { state: "off" } });
    expect(alertAnnotationsStatus({ enabled: true, forbidden: false, data: undefined, error: null }).status).toEqual({ state: "loading" });
    const failed = alertAnnotationsStatus({ enabled: true, forbidden: false, data, error: trpcError("BAD_REQUEST", 400) });
    expect(failed).toEqual({ periods: [period], status: { state: "error", message: "Missing permission alerts:read" } });
    expect(alertAnnotationsStatus({ enabled: true, forbidden: false, data: { periods: [period], truncated: true }, error: null })).toEqual({ periods: [period], status: { state: "ok", count: 1, truncated: true } });
  });

  it("the toggle's tooltip says what is shown", () => {
    expect(alertAnnotationsTitle({ state: "ok", count: 2, truncated: true }, true)).toBe("Alert annotations: 2 periods in range (some left out). Click to hide.");
    expect(alertAnnotationsTitle({ state: "ok", count: 1, truncated: false }, true)).toContain("1 period in range.");
    expect(alertAnnotationsTitle({ state: "error", message: "boom" }, true)).toContain("could not be loaded: boom");
    expect(alertAnnotationsTitle({ state: "off" }, false)).toMatch(/^Alert annotations hidden/);
  });
});

describe("parseMatcherLines", () => {
  it("one matcher list per line, blank lines ignored, bad lines named", () => {
    expect(parseMatcherLines("")).toEqual({ matchers: undefined, errors: [] });
    expect(parseMatcherLines(' severity="critical" \n\n{team="ops", env=~"prod.*"}')).toEqual({ matchers: ['severity="critical"', '{team="ops", env=~"prod.*"}'], errors: [] });
    const bad = parseMatcherLines('ok="1"\nenv=~"("');
    expect(bad.matchers).toHaveLength(2);
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]).toMatch(/^Line 2: /);
  });
});
