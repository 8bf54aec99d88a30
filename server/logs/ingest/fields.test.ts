import { describe, expect, it } from "vitest";
import { asMessage, asNonEmptyText, asText, getPath, isPlainObject, setField, takeFirst, withoutPath } from "./fields";

describe("getPath", () => {
  const doc = { "log.level": "warn", log: { level: "info", file: { path: "/var/log/a" } }, host: "web-1" };

  it.each([
    ["log.level", "warn"], // the literal dotted key wins
    ["log.file.path", "/var/log/a"],
    ["host", "web-1"],
    ["host.name", undefined], // host is not an object
    ["missing", undefined],
    ["log.missing.deep", undefined],
  ])("%s → %s", (path, expected) => {
    expect(getPath(doc, path)).toBe(expected);
  });

  it("does not read inherited properties", () => {
    expect(getPath({}, "constructor")).toBeUndefined();
    expect(getPath({}, "toString.name")).toBeUndefined();
  });
});

describe("withoutPath", () => {
  it("removes a literal dotted key", () => {
    expect(withoutPath({ "log.level": "x", a: 1 }, "log.level")).toEqual({ a: 1 });
  });

  it("removes a nested key and keeps its siblings", () => {
    expect(withoutPath({ host: { name: "h", os: { family: "debian" } } }, "host.name")).toEqual({ host: { os: { family: "debian" } } });
  });

  it("drops parents left empty", () => {
    expect(withoutPath({ service: { name: "api" }, a: 1 }, "service.name")).toEqual({ a: 1 });
    expect(withoutPath({ a: { b: { c: 1 } } }, "a.b.c")).toEqual({});
  });

  it("returns the same object when the path is absent", () => {
    const doc = { a: { b: 1 } };
    expect(withoutPath(doc, "a.c")).toBe(doc);
    expect(withoutPath(doc, "x.y")).toBe(doc);
  });

  it("never mutates its input", () => {
    const doc = { host: { name: "h", ip: ["10.0.0.1"] } };
    const copy = structuredClone(doc);
    withoutPath(doc, "host.name");
    expect(doc).toEqual(copy);
  });

  it("keeps a __proto__ key as data", () => {
    const doc = JSON.parse('{"__proto__":{"polluted":true},"a":1,"b":2}') as Record<string, unknown>;
    const out = withoutPath(doc, "a");
    expect(Object.keys(out)).toEqual(["__proto__", "b"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});

describe("takeFirst", () => {
  const readNumber = (v: unknown) => (typeof v === "number" ? v : undefined);

  it("takes the first readable path and removes only it", () => {
    expect(takeFirst({ a: "x", b: 2, c: 3 }, ["a", "b", "c"], readNumber)).toEqual({ value: 2, rest: { a: "x", c: 3 } });
  });

  it("leaves everything when nothing is readable", () => {
    const doc = { a: "x" };
    expect(takeFirst(doc, ["a", "b"], readNumber)).toEqual({ value: undefined, rest: doc });
  });
});

describe("value readers", () => {
  it.each([
    ["string", "a", "a", "a", "a"],
    ["empty string", "", "", undefined, ""],
    ["number", 42, "42", "42", "42"],
    ["boolean", false, "false", "false", "false"],
    ["object", { a: 1 }, undefined, undefined, '{"a":1}'],
    ["array", [1, "b"], undefined, undefined, '[1,"b"]'],
    ["null", null, undefined, undefined, undefined],
  ])("%s", (_name, v, text, nonEmpty, message) => {
    expect(asText(v)).toBe(text);
    expect(asNonEmptyText(v)).toBe(nonEmpty);
    expect(asMessage(v)).toBe(message);
  });

  it("isPlainObject", () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainObject(null)).toBe(false);
    expect(isPlainObject(Buffer.from("x"))).toBe(false);
  });

  it("setField defines __proto__ as an own property", () => {
    const obj: Record<string, unknown> = {};
    setField(obj, "__proto__", { x: 1 });
    expect(Object.keys(obj)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(obj)).toBe(Object.prototype);
  });
});
