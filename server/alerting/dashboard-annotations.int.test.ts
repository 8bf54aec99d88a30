import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { roles } from "@/db/schema";
import { findRoleByName } from "@/server/auth/roles";
import { createFolder, setFolderPermissions } from "@/server/dashboards/service";
import { callerFor, createTestUser, expectTrpcError, testMeta, uid, type TestUser } from "@/test/helpers";
import type { AlertPeriod } from "./alert-periods";
import { HISTORY_ROW_CAP } from "./dashboard-annotations";
import type { AlertInstance, AlertState, StateTransition } from "./model";
import { labelsFingerprint } from "./notifications-service";
import * as store from "./store";

const db = () => getDb();
const M = 60_000;
/** A whole minute well in the past, so "now" never interferes. */
const T = Math.floor(Date.now() / M) * M - 10 * M;
const at = (min: number) => T + min * M;

let editor: TestUser;
let admin: TestUser;
let noAlerts: TestUser;
let ruleA: string;
let ruleB: string;
let secretRule: string;

type Series = { rule: string; labels: Record<string, string> };
const series = (rule: string, alertname: string, name: string, severity: string): Series => ({ rule, labels: { alertname, series: name, severity } });
const tr = (s: Series, from: AlertState, to: AlertState, min: number): StateTransition => ({ ruleUid: s.rule, fingerprint: labelsFingerprint(s.labels), labels: s.labels, from, to, at: at(min), value: 1 });
const inst = (s: Series, state: AlertState, sinceMin: number): AlertInstance => ({
  ruleUid: s.rule,
  labels: s.labels,
  fingerprint: labelsFingerprint(s.labels),
  state,
  stateSince: at(sinceMin),
  activeSince: state === "pending" || state === "firing" ? at(sinceMin) : null,
  keepFiringUntil: null,
  value: 1,
  lastEvalAt: at(0),
  annotations: {},
  resolvedAt: null,
  error: null,
});
const evaluation = { lastEvalAt: T, durationMs: 1, health: "ok" as const, error: null, nextEvalAt: null };

/** [series label, state, start min, end min | null] of the periods of this test's rules. */
const brief = (periods: AlertPeriod[], rules: string[] = [ruleA, ruleB]) =>
  periods.filter((p) => rules.includes(p.ruleUid)).map((p) => [p.labels.series, p.state, (p.start - T) / M, p.end === null ? null : (p.end - T) / M]);

beforeAll(async () => {
  editor = await createTestUser("Editor");
  admin = await createTestUser("Admin");
  // A role that may read dashboards but not alerts.
  const roleName = `dash-only-${uid()}`;
  await db().insert(roles).values({ name: roleName, permissions: ["dashboards:read"] });
  noAlerts = await createTestUser(roleName);

  const saved = await callerFor(editor.principal).alertRules.save({
    group: {
      name: `Annotations ${uid()}`,
      folderUid: null,
      rules: [
        { title: "Errors high", query: { kind: "promql", expr: "up == 0" } },
        { title: "Disk full", query: { kind: "promql", expr: "up == 0" } },
      ],
    },
  });
  [ruleA, ruleB] = saved.rules.map((r) => r.uid) as [string, string];

  const a1 = series(ruleA, "Errors high", "a1", "critical");
  const a2 = series(ruleA, "Errors high", "a2", "critical");
  const a3 = series(ruleA, "Errors high", "a3", "critical");
  const b1 = series(ruleB, "Disk full", "b1", "warning");
  const b2 = series(ruleB, "Disk full", "b2", "warning");
  await store.writeEvaluation(db(), ruleA, {
    // a3 fires now; a1 and a2 are back to normal.
    instances: [inst(a1, "normal", -80), inst(a2, "normal", -40), inst(a3, "firing", -25)],
    transitions: [
      // Over before the range [-60, 0]:
      tr(a1, "normal", "pending", -100),
      tr(a1, "pending", "firing", -95),
      tr(a1, "firing", "normal", -80),
      // Begun in the lookback, over inside the range:
      tr(a2, "normal", "firing", -90),
      tr(a2, "firing", "normal", -40),
      // Inside the range, still firing:
      tr(a3, "normal", "pending", -30),
      tr(a3, "pending", "firing", -25),
      // Far outside the lookback: never read.
      tr(a1, "normal", "firing", -3000),
      tr(a1, "firing", "normal", -2990),
    ],
    evaluation,
  });
  await store.writeEvaluation(db(), ruleB, {
    // b1 has been firing for three days (no transition in the window); b2 has no data since -10.
    instances: [inst(b1, "firing", -3 * 24 * 60), inst(b2, "nodata", -10)],
    transitions: [tr(b1, "normal", "firing", -3 * 24 * 60), tr(b2, "normal", "nodata", -10)],
    evaluation,
  });

  // A rule in a folder only the Admin role sees.
  const meta = testMeta();
  const folder = await createFolder(db(), admin.principal, meta, { title: `Secret alerts ${uid()}` });
  const adminRole = (await findRoleByName(db(), "Admin"))!;
  await setFolderPermissions(db(), admin.principal, meta, { uid: folder.uid, entries: [{ roleId: adminRole.id, level: "edit" }] });
  const secret = await callerFor(admin.principal).alertRules.save({ group: { name: `Secret ${uid()}`, folderUid: folder.uid, rules: [{ title: "Secret", query: { kind: "promql", expr: "up == 0" } }] } });
  secretRule = secret.rules[0]!.uid;
  const s1 = series(secretRule, "Secret", "s1", "critical");
  await store.writeEvaluation(db(), secretRule, { instances: [inst(s1, "firing", -20)], transitions: [tr(s1, "normal", "firing", -20)], evaluation });
});

describe("alerts.annotations", () => {
  it("gives the periods overlapping the range: clipped at the start, open while still active", async () => {
    const r = await callerFor(editor.principal).alerts.annotations({ start: at(-60), end: at(0) });
    expect(r.truncated).toBe(false);
    expect(brief(r.periods)).toEqual([
      ["b1", "firing", -60, null],
      ["a2", "firing", -60, -40],
      ["a3", "pending", -30, -25],
      ["a3", "firing", -25, null],
      ["b2", "nodata", -10, null],
    ]);
    const a3 = r.periods.find((p) => p.labels.series === "a3" && p.state === "firing")!;
    expect(a3).toMatchObject({ ruleUid: ruleA, ruleTitle: "Errors high", labels: { alertname: "Errors high", severity: "critical" } });
  });

  it("a past range: periods that ended after it are clipped to its end, not open", async () => {
    const r = await callerFor(editor.principal).alerts.annotations({ start: at(-120), end: at(-85) });
    expect(brief(r.periods)).toEqual([
      // b1 was already firing (since three days), and still is.
      ["b1", "firing", -120, null],
      ["a1", "pending", -100, -95],
      // Both resolved after the range (a1 at -80, a2 at -40): clipped to its end.
      ["a1", "firing", -95, -85],
      ["a2", "firing", -90, -85],
    ]);
  });

  it("filters by rule and by Alertmanager matchers", async () => {
    const ed = callerFor(editor.principal);
    const range = { start: at(-60), end: at(0) };
    expect(brief((await ed.alerts.annotations({ ...range, ruleUids: [ruleB] })).periods)).toEqual([
      ["b1", "firing", -60, null],
      ["b2", "nodata", -10, null],
    ]);
    expect(brief((await ed.alerts.annotations({ ...range, matchers: ['severity="critical"'] })).periods)).toEqual([
      ["a2", "firing", -60, -40],
      ["a3", "pending", -30, -25],
      ["a3", "firing", -25, null],
    ]);
    // Every list must match; braces and regexes as Alertmanager writes them.
    expect(brief((await ed.alerts.annotations({ ...range, matchers: ['{alertname=~"Errors.*|Disk full"}', "series!~a[12]"] })).periods)).toEqual([
      ["b1", "firing", -60, null],
      ["a3", "pending", -30, -25],
      ["a3", "firing", -25, null],
      ["b2", "nodata", -10, null],
    ]);
    const bad = await expectTrpcError(ed.alerts.annotations({ ...range, matchers: ['severity=~"("'] }), "BAD_REQUEST");
    expect(bad.message).toContain("Invalid matcher");
    await expectTrpcError(ed.alerts.annotations({ start: at(0), end: at(-1) }), "BAD_REQUEST");
  });

  it("keeps the latest periods over the limit and says so", async () => {
    const r = await callerFor(editor.principal).alerts.annotations({ start: at(-60), end: at(0), ruleUids: [ruleA], limit: 2 });
    expect(r.truncated).toBe(true);
    expect(brief(r.periods)).toEqual([
      ["a3", "pending", -30, -25],
      ["a3", "firing", -25, null],
    ]);
    expect(HISTORY_ROW_CAP).toBeGreaterThan(1000);
  });

  it("only rules of folders the caller can see; without alerts:read the answer is FORBIDDEN", async () => {
    const range = { start: at(-60), end: at(0) };
    const forAdmin = await callerFor(admin.principal).alerts.annotations(range);
    expect(brief(forAdmin.periods, [secretRule])).toEqual([["s1", "firing", -20, null]]);
    const forEditor = await callerFor(editor.principal).alerts.annotations(range);
    expect(forEditor.periods.some((p) => p.ruleUid === secretRule)).toBe(false);
    // Asking for the hidden rule by uid gives nothing either.
    expect((await callerFor(editor.principal).alerts.annotations({ ...range, ruleUids: [secretRule] })).periods).toEqual([]);

    await expectTrpcError(callerFor(noAlerts.principal).alerts.annotations(range), "FORBIDDEN");
    await expectTrpcError(callerFor(null).alerts.annotations(range), "UNAUTHORIZED");
  });
});
