import { describe, expect, it } from "vitest";
import { fieldCompletions, operatorCompletions, valueCompletions } from "./query-completion";

describe("query completion items", () => {
  const fields = [
    { path: "level", types: ["string" as const] },
    { path: "service", types: ["string" as const] },
    { path: "http.status", types: ["number" as const, "string" as const] },
  ];

  it("offers fields by prefix (and by substring from two characters), applying `field:`", () => {
    expect(fieldCompletions(fields, "se").map((c) => c.label)).toEqual(["service"]);
    expect(fieldCompletions(fields, "st").map((c) => c.label)).toEqual(["http.status"]);
    expect(fieldCompletions(fields, "")[2]).toMatchObject({ apply: "http.status:", detail: "number | string", type: "property" });
    expect(fieldCompletions(fields, "_ex").map((c) => c.apply)).toEqual(["_exists_:"]);
  });

  it("quotes values that need it and shows their counts", () => {
    expect(valueCompletions([{ value: "payment-api", count: 1200 }, { value: "card declined", count: 3 }])).toMatchObject([
      { label: "payment-api", apply: "payment-api", detail: "1,200" },
      { label: "card declined", apply: '"card declined"', detail: "3" },
    ]);
  });

  it("completes operators case-insensitively", () => {
    expect(operatorCompletions("o").map((c) => c.apply)).toEqual(["OR "]);
    expect(operatorCompletions("").map((c) => c.label)).toEqual(["AND", "OR", "NOT"]);
  });
});
