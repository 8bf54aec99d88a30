import { describe, expect, it } from "vitest";
import { PANEL_TYPES } from "@/server/dashboards/model";
import { PANEL_DEFINITIONS, panelDefinition } from "./registry";

describe("panel registry", () => {
  it("lists every panel type once, in the picker's order", () => {
    expect(PANEL_DEFINITIONS.map((d) => d.type)).toEqual([...PANEL_TYPES]);
    for (const d of PANEL_DEFINITIONS) {
      expect(d.name).toBeTruthy();
      expect(d.View).toBeTruthy();
      expect(d.OptionsEditor).toBeTruthy();
    }
  });
  it("finds a definition by type", () => {
    expect(panelDefinition("gauge")?.name).toBe("Gauge");
    expect(panelDefinition("nope")).toBeUndefined();
  });
});
