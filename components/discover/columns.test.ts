import { describe, expect, it } from "vitest";
import { addColumn, DEFAULT_COLUMNS, isDefaultColumns, moveColumn, removeColumn } from "./columns";

describe("columns", () => {
  it("the first added column replaces the message summary, later ones append", () => {
    const one = addColumn(DEFAULT_COLUMNS, "http.status");
    expect(one).toEqual(["level", "service", "http.status"]);
    expect(addColumn(one, "host")).toEqual(["level", "service", "http.status", "host"]);
    expect(addColumn(one, "service")).toEqual(one);
  });

  it("removing the last column restores the default", () => {
    expect(removeColumn(["host"], "host")).toEqual(DEFAULT_COLUMNS);
    expect(removeColumn(["a", "b"], "a")).toEqual(["b"]);
    expect(isDefaultColumns(removeColumn(["x"], "x"))).toBe(true);
  });

  it("moves a column within bounds", () => {
    expect(moveColumn(["a", "b", "c"], "b", -1)).toEqual(["b", "a", "c"]);
    expect(moveColumn(["a", "b", "c"], "c", 1)).toEqual(["a", "b", "c"]);
  });
});
