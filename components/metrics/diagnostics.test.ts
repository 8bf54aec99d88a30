import { describe, expect, it } from "vitest";
import { describeDiagnostics } from "./diagnostics";

describe("describeDiagnostics", () => {
  it("says nothing without errors or warnings", () => {
    expect(describeDiagnostics([])).toBeNull();
    expect(describeDiagnostics([{ from: 0, to: 1, severity: "info", message: "fyi" }])).toBeNull();
  });
  it("shows the first error by position, 1-based, and counts the rest", () => {
    expect(
      describeDiagnostics([
        { from: 9, to: 10, severity: "error", message: "unexpected )" },
        { from: 0, to: 3, severity: "warning", message: "odd" },
        { from: 4, to: 5, severity: "error", message: "unexpected end of input" },
      ]),
    ).toBe("Syntax error at character 5: unexpected end of input (and 2 more)");
  });
  it("shows a lone warning as a warning", () => {
    expect(describeDiagnostics([{ from: 2, to: 3, severity: "warning", message: "odd" }])).toBe("Warning at character 3: odd");
  });
});
