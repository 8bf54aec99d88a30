import { describe, expect, it } from "vitest";
import { sameSource, sourceFormFrom, sourceInputFrom } from "./source-form";

let n = 0;
const key = () => `k${++n}`;

describe("source form", () => {
  it("starts a new source with the default retention and no steps", () => {
    expect(sourceFormFrom(null, key)).toEqual({ name: "", description: "", hotDays: "7", archiveDays: "30", steps: [] });
  });

  it("turns a stored source into the create/update input", () => {
    const stored = { name: "nginx", description: " edge ", hotDays: 3, archiveDays: 90, pipeline: [{ type: "rename", from: "a", to: "b" }] };
    const form = sourceFormFrom(stored, key);
    expect(sourceInputFrom(form)).toEqual({ name: "nginx", description: "edge", hotDays: 3, archiveDays: 90, pipeline: [{ type: "rename", from: "a", to: "b" }] });
    expect(sourceInputFrom({ ...form, description: "  ", hotDays: "" })).toMatchObject({ description: undefined, hotDays: Number.NaN });
  });

  it("compares what would be saved, not the step keys", () => {
    const stored = { name: "s", description: "", hotDays: 7, archiveDays: 30, pipeline: [{ type: "hash", field: "ip" }] };
    const a = sourceFormFrom(stored, key);
    const b = sourceFormFrom(stored, key);
    expect(a.steps[0]!.key).not.toBe(b.steps[0]!.key);
    expect(sameSource(a, b)).toBe(true);
    expect(sameSource(a, { ...b, hotDays: "8" })).toBe(false);
  });
});
