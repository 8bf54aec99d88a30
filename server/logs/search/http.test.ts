import { describe, expect, it } from "vitest";
import { AppError } from "@/server/lib/errors";
import { includeArchiveParam, timeParams } from "./http";

const params = (o: Record<string, string>) => new URLSearchParams(o);

describe("timeParams", () => {
  it("reads RFC 3339 and unix seconds", () => {
    expect(timeParams(params({ start: "2026-11-25T10:00:00Z", end: "1796043600.5" }))).toEqual({ start: Date.parse("2026-11-25T10:00:00Z"), end: 1796043600500 });
  });

  it("refuses milliseconds (a far-future date) with a 400 that says so, instead of failing later", () => {
    const call = () => timeParams(params({ start: "1764064800000", end: "1764068400000" }));
    expect(call).toThrow(AppError);
    expect(call).toThrow(/milliseconds/);
  });

  it("refuses end before start", () => {
    expect(() => timeParams(params({ start: "200", end: "100" }))).toThrow(/end must not be before start/);
  });
});

describe("includeArchiveParam", () => {
  it("reads true/false/1/0, absent is false, anything else is a 400", () => {
    expect(includeArchiveParam(params({}))).toBe(false);
    expect(includeArchiveParam(params({ includeArchive: "true" }))).toBe(true);
    expect(includeArchiveParam(params({ includeArchive: "1" }))).toBe(true);
    expect(includeArchiveParam(params({ includeArchive: "false" }))).toBe(false);
    expect(() => includeArchiveParam(params({ includeArchive: "yes" }))).toThrow(AppError);
  });
});
