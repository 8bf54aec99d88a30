import { describe, expect, it } from "vitest";
import { QueryError } from "@/server/logs/query/ast";
import { describeQueryDiagnostic, queryDiagnostic, serverErrorSpan } from "./query-diagnostics";

const failAt = (start: number, end: number) => () => {
  throw new QueryError("unexpected token", { start, end });
};

describe("query diagnostics", () => {
  it("is null for a query that parses", () => {
    expect(queryDiagnostic("level:error", () => ({}))).toBeNull();
  });

  it("marks the error span with its 1-based position", () => {
    const d = queryDiagnostic("a AND )", failAt(6, 7))!;
    expect(d).toEqual({ from: 6, to: 7, message: "unexpected token", position: 7 });
    expect(describeQueryDiagnostic(d)).toBe("Syntax error at character 7: unexpected token");
  });

  it("widens an empty span, and marks the last character for an error at the end", () => {
    expect(queryDiagnostic("a AND b", failAt(2, 2))).toMatchObject({ from: 2, to: 3 });
    expect(queryDiagnostic("a AND", failAt(5, 5))).toMatchObject({ from: 4, to: 5, position: 6 });
    expect(queryDiagnostic("(", failAt(3, 9))).toMatchObject({ from: 0, to: 1 });
  });

  it("rethrows other errors", () => {
    expect(() =>
      queryDiagnostic("x", () => {
        throw new TypeError("bug");
      }),
    ).toThrow(TypeError);
  });

  it("reads a server error's span when it carries one", () => {
    expect(serverErrorSpan({ data: { querySpan: { start: 3, end: 5 } } })).toEqual({ start: 3, end: 5 });
    expect(serverErrorSpan({ data: {} })).toBeNull();
    expect(serverErrorSpan(null)).toBeNull();
  });
});
