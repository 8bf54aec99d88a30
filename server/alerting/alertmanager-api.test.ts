import { describe, expect, it } from "vitest";
import { AppError } from "@/server/lib/errors";
import { parseFilterMatcher } from "./alertmanager-api";

describe("parseFilterMatcher", () => {
  it("reads the four operators, quoted and bare values, escapes and braces", () => {
    expect(parseFilterMatcher('alertname="Disk Full"')).toEqual({ name: "alertname", value: "Disk Full", isRegex: false, isEqual: true });
    expect(parseFilterMatcher('severity!="info"')).toEqual({ name: "severity", value: "info", isRegex: false, isEqual: false });
    expect(parseFilterMatcher('team=~"web|api"')).toEqual({ name: "team", value: "web|api", isRegex: true, isEqual: true });
    expect(parseFilterMatcher("env!~dev.*")).toEqual({ name: "env", value: "dev.*", isRegex: true, isEqual: false });
    expect(parseFilterMatcher('{job = "a\\"b"}')).toEqual({ name: "job", value: 'a"b', isRegex: false, isEqual: true });
  });
  it("accepts UTF-8 label names, as Alertmanager's UTF-8 matcher parser does", () => {
    expect(parseFilterMatcher('1abc="x"')).toEqual({ name: "1abc", value: "x", isRegex: false, isEqual: true });
    expect(parseFilterMatcher('"service name"="web"')).toEqual({ name: "service name", value: "web", isRegex: false, isEqual: true });
  });
  it("refuses what is not one matcher, and bad regular expressions", () => {
    expect(() => parseFilterMatcher("nonsense")).toThrow(AppError);
    expect(() => parseFilterMatcher('a="b",c="d"')).toThrow(/bad matcher format/);
    expect(() => parseFilterMatcher('job=~"("')).toThrow(AppError);
  });
});
