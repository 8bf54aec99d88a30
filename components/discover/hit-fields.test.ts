import { describe, expect, it } from "vitest";
import { fieldValue, flattenAttributes, hitDocument, hitFields, valueText } from "./hit-fields";
import { makeHit } from "./test-hits";

describe("hit fields", () => {
  const hit = makeHit({
    id: "1",
    traceId: "abc",
    host: null,
    attributes: { http: { status: 502, method: "POST" }, "user.id": "u1", tags: ["a", "b"], empty: {}, ok: false, nothing: null },
  });

  it("lists built-ins (without nulls) then attribute paths sorted, nested objects flattened", () => {
    expect(hitFields(hit).map(([p]) => p)).toEqual([
      "@timestamp", "level", "service", "source", "message", "trace_id",
      "empty", "http.method", "http.status", "nothing", "ok", "tags", "user.id",
    ]);
    expect(flattenAttributes({ a: { b: { c: 1 } } })).toEqual([["a.b.c", 1]]);
  });

  it("reads built-ins, nested paths and literal dotted keys; missing is undefined", () => {
    expect(fieldValue(hit, "trace_id")).toBe("abc");
    expect(fieldValue(hit, "host")).toBeUndefined();
    expect(fieldValue(hit, "http.status")).toBe(502);
    expect(fieldValue(hit, "user.id")).toBe("u1");
    expect(fieldValue(hit, "http.nope")).toBeUndefined();
    expect(fieldValue(hit, "ok")).toBe(false);
    expect(fieldValue(hit, "nothing")).toBeNull();
  });

  it("prints values as one line", () => {
    expect(valueText(502)).toBe("502");
    expect(valueText(false)).toBe("false");
    expect(valueText(null)).toBe("null");
    expect(valueText(undefined)).toBe("");
    expect(valueText(["a", "b"])).toBe('["a","b"]');
  });

  it("builds the JSON document with snake_case ids", () => {
    const doc = hitDocument(hit);
    expect(doc).toMatchObject({ id: "1", trace_id: "abc", service: "payment-api", attributes: hit.attributes });
    expect(doc).not.toHaveProperty("ts");
  });
});
