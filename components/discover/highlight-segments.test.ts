import { describe, expect, it } from "vitest";
import { mergeRanges, segments } from "./highlight-segments";

describe("highlight segments", () => {
  it("cuts text into plain and matched parts", () => {
    expect(segments("card declined by bank", [[5, 13]])).toEqual([
      { text: "card ", match: false },
      { text: "declined", match: true },
      { text: " by bank", match: false },
    ]);
  });

  it("merges overlapping and touching ranges, clamps and drops empty ones", () => {
    expect(mergeRanges([[4, 8], [0, 2], [1, 3], [8, 9], [20, 30], [5, 5]], 10)).toEqual([[0, 3], [4, 9]]);
    expect(segments("abc", [[0, 3]])).toEqual([{ text: "abc", match: true }]);
  });

  it("keeps text without ranges whole", () => {
    expect(segments("abc", [])).toEqual([{ text: "abc", match: false }]);
    expect(segments("", [])).toEqual([{ text: "", match: false }]);
  });
});
