import { describe, expect, it } from "vitest";
import { PipelineSchema, PipelineStepSchema } from "./steps";

function issues(input: unknown): string[] {
  const r = PipelineStepSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("PipelineStepSchema", () => {
  it("fills defaults", () => {
    expect(PipelineStepSchema.parse({ type: "json" })).toEqual({ type: "json", field: "message", required: true });
    expect(PipelineStepSchema.parse({ type: "grok", patterns: ["%{WORD:w}"] })).toEqual({
      type: "grok", field: "message", patterns: ["%{WORD:w}"], ecsCompatibility: "v1", required: false,
    });
    expect(PipelineStepSchema.parse({ type: "date", formats: ["ISO8601"] })).toEqual({ type: "date", field: "timestamp", formats: ["ISO8601"], required: true, removeField: true });
    expect(PipelineStepSchema.parse({ type: "mask", regex: "\\d" })).toEqual({ type: "mask", field: "message", regex: "\\d", flags: "", replacement: "****" });
  });

  it("rejects bad regexes, grok expressions, date formats and time zones with field-level messages", () => {
    expect(issues({ type: "mask", regex: "a(b" })).toEqual([expect.stringMatching(/^regex: invalid regex: /)]);
    expect(issues({ type: "mask", regex: "a", flags: "gg" })).toEqual(["flags: any of i, m, s, u, once each"]);
    expect(issues({ type: "grok", patterns: ["%{WORD}", "%{NOPE}"] })).toEqual(["patterns.1: pattern %{NOPE} not defined"]);
    expect(issues({ type: "grok", patterns: ["%{X}"], customPatterns: "X (?<" })).toEqual([expect.stringMatching(/^patterns\.0: /)]);
    expect(issues({ type: "grok", patterns: ["%{X}"], customPatterns: "lower-case x" })).toEqual([expect.stringMatching(/^customPatterns: custom patterns: line 1/)]);
    expect(issues({ type: "date", formats: ["ISO8601", "yyyy-MM-dd QQ"] })).toEqual(['formats.1: unsupported letter "QQ" in date format "yyyy-MM-dd QQ"']);
    expect(issues({ type: "date", formats: ["ISO8601"], timezone: "Mars/Base" })).toEqual(['timezone: unknown time zone "Mars/Base"']);
    expect(issues({ type: "drop", field: "a", op: "equals" })).toEqual(['value: "equals" needs a value']);
    expect(issues({ type: "drop", field: "a", op: "matches", value: "(" })).toEqual([expect.stringMatching(/^value: invalid regex/)]);
    expect(issues({ type: "sample", percent: 101 })).toHaveLength(1);
    expect(issues({ type: "rename", from: "a..b", to: "c" })).toEqual(["from: a field path is names separated by dots, e.g. http.status"]);
    expect(issues({ type: "level", mapping: { x: "loud" } })).toHaveLength(1);
  });

  it("accepts every step type", () => {
    const all = [
      { type: "json", target: "payload", required: false },
      { type: "logfmt" },
      { type: "grok", patterns: ["%{SYSLOGLINE}"], ecsCompatibility: "disabled", required: true },
      { type: "date", field: "ts", formats: ["UNIX_MS", "dd/MMM/yyyy:HH:mm:ss Z"], timezone: "Europe/Berlin" },
      { type: "level", field: "severity", mapping: { I: "info" } },
      { type: "rename", from: "msg", to: "message" },
      { type: "remove", fields: ["a", "b.c"] },
      { type: "add", field: "env", value: "prod" },
      { type: "mask", regex: "\\d{4}", replacement: "####" },
      { type: "hash", field: "user.email" },
      { type: "drop", field: "path", op: "exists", not: true },
      { type: "sample", percent: 12.5 },
    ];
    expect(PipelineSchema.parse(all)).toHaveLength(all.length);
  });
});
