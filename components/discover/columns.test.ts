import { describe, expect, it } from "vitest";
import { addColumn, DEFAULT_COLUMNS, gridTemplate, isDefaultColumns, moveColumn, removeColumn } from "./columns";

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

describe("grid template", () => {
  it("gives the expander and time fixed widths and the message the most room", () => {
    expect(gridTemplate(DEFAULT_COLUMNS)).toBe("1.75rem 12.5rem 4.75rem minmax(7rem,11rem) minmax(16rem,4fr)");
    expect(gridTemplate(["http.status"])).toBe("1.75rem 12.5rem minmax(7rem,1fr)");
  });
});
