import { describe, expect, it } from "vitest";
import { AppError } from "@/server/lib/errors";
import { FIRST_SCHEMA_VERSION, migrateDashboard, UPGRADES } from "./migrate";
import { DASHBOARD_SCHEMA_VERSION, emptyDashboard } from "./model";

function error(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("did not throw");
}

describe("migrateDashboard", () => {
  it("validates a current document and fills defaults", () => {
    const d = migrateDashboard({ schemaVersion: 1, title: "Mine", variables: [], panels: [{ type: "text", id: 1, gridPos: { x: 0, y: 0, w: 6, h: 3 }, options: { content: "hi" } }] });
    expect(d).toMatchObject({ schemaVersion: DASHBOARD_SCHEMA_VERSION, title: "Mine", refresh: "", time: { from: "now-6h", to: "now" } });
    expect(d.panels[0]).toMatchObject({ type: "text", title: "", targets: [], options: { mode: "markdown", content: "hi" } });
  });

  it("gives a version 1 document written before alert annotations existed their default (on), and keeps a set one", () => {
    expect(migrateDashboard({ schemaVersion: 1, title: "Old", variables: [] }).annotations).toEqual({ alerts: { enabled: true } });
    expect(migrateDashboard({ schemaVersion: 1, title: "Old", variables: [], annotations: {} }).annotations).toEqual({ alerts: { enabled: true } });
    const set = { alerts: { enabled: false, matchers: ['severity="critical"'] } };
    expect(migrateDashboard({ schemaVersion: 1, title: "Set", variables: [], annotations: set }).annotations).toEqual(set);
    expect(error(() => migrateDashboard({ schemaVersion: 1, title: "Bad", variables: [], annotations: { alerts: { enabled: "yes" } } })).userMessage).toMatch(/annotations\.alerts\.enabled/);
  });

  it("is the identity on an already parsed dashboard", () => {
    const d = emptyDashboard("Round");
    expect(migrateDashboard(JSON.parse(JSON.stringify(d)))).toEqual(d);
  });

  it("refuses versions it does not know, naming the field", () => {
    expect(error(() => migrateDashboard({ schemaVersion: DASHBOARD_SCHEMA_VERSION + 1, title: "x" })).userMessage).toMatch(/^Invalid dashboard: schemaVersion: \d+ is newer than this Lookout understands/);
    expect(error(() => migrateDashboard({ schemaVersion: 0, title: "x" })).userMessage).toBe("Invalid dashboard: schemaVersion: 0 is not a Lookout dashboard version");
    expect(error(() => migrateDashboard({ title: "x" })).userMessage).toBe("Invalid dashboard: schemaVersion: must be an integer");
    expect(error(() => migrateDashboard([])).code).toBe("INVALID_INPUT");
  });

  it("reports the first invalid field with its path", () => {
    const e = error(() => migrateDashboard({ schemaVersion: 1, title: "x", variables: [], panels: [{ type: "stat", id: 1, gridPos: { x: 0, y: 0, w: 30, h: 3 } }] }));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.userMessage).toMatch(/^Invalid dashboard: panels\.0\.gridPos\.w: /);
    expect(error(() => migrateDashboard({ schemaVersion: 1, title: " ", variables: [] })).userMessage).toBe("Invalid dashboard: title: a title is required");
  });

  it("has an upgrade step from every older version to the next", () => {
    for (let v = FIRST_SCHEMA_VERSION; v < DASHBOARD_SCHEMA_VERSION; v++) expect(typeof UPGRADES[v], `upgrade from ${v}`).toBe("function");
    expect(UPGRADES[DASHBOARD_SCHEMA_VERSION]).toBeUndefined();
  });
});
