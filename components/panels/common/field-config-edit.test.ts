import { describe, expect, it } from "vitest";
import { FieldOverrideSchema, ValueMappingSchema } from "@/server/dashboards/model";
import { newMapping, newOverride, nextFreeProperty, overridePropertyText, rangeBound, setOverrideProperty } from "./field-config-edit";

describe("field config edits", () => {
  it("makes valid new mappings and overrides", () => {
    expect(ValueMappingSchema.parse(newMapping("value"))).toEqual({ type: "value", value: "", text: "" });
    expect(ValueMappingSchema.parse(newMapping("range"))).toEqual({ type: "range", from: null, to: null, text: "" });
    expect(FieldOverrideSchema.parse(newOverride())).toEqual(newOverride());
  });
  it("reads property text into the model's types and unsets on empty", () => {
    let p = setOverrideProperty({}, "decimals", "2.6");
    expect(p).toEqual({ decimals: 3 });
    p = setOverrideProperty(p, "decimals", "99");
    expect(p.decimals).toBe(10);
    p = setOverrideProperty(p, "min", "-1.5");
    p = setOverrideProperty(p, "unit", "bytes");
    expect(p).toEqual({ decimals: 10, min: -1.5, unit: "bytes" });
    p = setOverrideProperty(p, "min", "abc");
    expect(p.min).toBeUndefined();
    p = setOverrideProperty(p, "unit", "");
    expect(p).toEqual({ decimals: 10 });
    expect(overridePropertyText(p, "decimals")).toBe("10");
    expect(overridePropertyText(p, "unit")).toBe("");
  });
  it("offers the next property not set yet", () => {
    expect(nextFreeProperty({})).toBe("displayName");
    expect(nextFreeProperty({ displayName: "x", unit: "s" })).toBe("decimals");
    expect(nextFreeProperty({ displayName: "x", unit: "s", decimals: 1, min: 0, max: 1, color: "red", noValue: "-" })).toBeUndefined();
  });
  it("reads range bounds", () => {
    expect(rangeBound("")).toBeNull();
    expect(rangeBound(" 5 ")).toBe(5);
    expect(rangeBound("x")).toBeNull();
  });
});
