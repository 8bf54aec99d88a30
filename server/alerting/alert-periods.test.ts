import { describe, expect, it } from "vitest";
import { alertPeriods, periodsAt, type CurrentAlertState, type PeriodTransition } from "./alert-periods";
import type { AlertState } from "./model";

const M = 60_000;
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const at = (min: number) => T0 + min * M;
const range = { start: at(0), end: at(60) };

let nextId = 1;
const tr = (fp: string, from: AlertState, to: AlertState, min: number, ruleUid = "r1"): PeriodTransition => ({ ruleUid, fingerprint: fp, labels: { alertname: ruleUid, fp }, from, to, at: at(min), id: nextId++ });
const cur = (fp: string, state: AlertState, sinceMin: number, ruleUid = "r1"): CurrentAlertState => ({ ruleUid, fingerprint: fp, labels: { alertname: ruleUid, fp }, state, stateSince: at(sinceMin) });
/** [fingerprint, state, start min, end min | null] */
const brief = (ps: ReturnType<typeof alertPeriods>) => ps.map((p) => [p.fingerprint, p.state, (p.start - T0) / M, p.end === null ? null : (p.end - T0) / M]);

describe("alertPeriods", () => {
  it("a period starts on entering a non-normal state and ends on leaving it; pending → firing splits it", () => {
    const ps = alertPeriods([tr("a", "normal", "pending", 10), tr("a", "pending", "firing", 15), tr("a", "firing", "normal", 30)], range, { ruleTitles: new Map([["r1", "High error rate"]]) });
    expect(brief(ps)).toEqual([
      ["a", "pending", 10, 15],
      ["a", "firing", 15, 30],
    ]);
    expect(ps[0]).toMatchObject({ ruleUid: "r1", ruleTitle: "High error rate", labels: { alertname: "r1", fp: "a" } });
  });

  it("orders transitions by time whatever the input order, instances apart", () => {
    const ps = alertPeriods([tr("a", "firing", "normal", 30), tr("b", "normal", "nodata", 20), tr("a", "normal", "firing", 5), tr("b", "nodata", "error", 40), tr("b", "error", "normal", 50)], range);
    expect(brief(ps)).toEqual([
      ["a", "firing", 5, 30],
      ["b", "nodata", 20, 40],
      ["b", "error", 40, 50],
    ]);
  });

  it("clips a period begun before the range to the range start; drops periods over before it", () => {
    const ps = alertPeriods([tr("a", "normal", "firing", -30), tr("a", "firing", "normal", 10), tr("b", "normal", "firing", -50), tr("b", "firing", "normal", -20), tr("c", "normal", "pending", -5), tr("c", "pending", "normal", 0)], range);
    expect(brief(ps)).toEqual([["a", "firing", 0, 10]]);
  });

  it("a first transition out of a non-normal state means it began before the input: clipped", () => {
    expect(brief(alertPeriods([tr("a", "firing", "normal", 25)], range))).toEqual([["a", "firing", 0, 25]]);
    // Out of it before the range: nothing to draw.
    expect(alertPeriods([tr("a", "firing", "normal", -1)], range)).toEqual([]);
  });

  it("without current states, a period not left is open", () => {
    expect(brief(alertPeriods([tr("a", "normal", "firing", 40)], range))).toEqual([["a", "firing", 40, null]]);
  });

  it("with current states: open only while the instance is still in that state", () => {
    const transitions = [tr("a", "normal", "firing", 40), tr("b", "normal", "pending", 45), tr("c", "normal", "firing", 50)];
    const current = [
      cur("a", "firing", 40),
      // b went on to firing after the range (the transition is past the end read).
      cur("b", "firing", 70),
      // c was deleted (no current state).
    ];
    expect(brief(alertPeriods(transitions, range, { current }))).toEqual([
      ["a", "firing", 40, null],
      ["b", "pending", 45, 60],
      ["c", "firing", 50, 60],
    ]);
  });

  it("a current non-normal state without transitions in the input is an open period since stateSince, clipped", () => {
    const current = [cur("long", "firing", -3000), cur("recent", "error", 20), cur("ok", "normal", -10), cur("later", "firing", 61)];
    expect(brief(alertPeriods([], range, { current }))).toEqual([
      ["long", "firing", 0, null],
      ["recent", "error", 20, null],
    ]);
  });

  it("re-entering after the range while still in the same state is not the same period", () => {
    // Fired at 50, (after the range) resolved and fired again at 80: the range's period ended.
    expect(brief(alertPeriods([tr("a", "normal", "firing", 50)], range, { current: [cur("a", "firing", 80)] }))).toEqual([["a", "firing", 50, 60]]);
  });

  it("keeps a period touching the range end, drops one starting after it", () => {
    expect(brief(alertPeriods([tr("a", "normal", "firing", 60), tr("b", "normal", "firing", 61)], range))).toEqual([["a", "firing", 60, null]]);
  });

  it("tolerates a missing transition: trusts the newest record", () => {
    // firing → normal was never recorded; the next transition leaves pending.
    const ps = alertPeriods([tr("a", "normal", "firing", 5), tr("a", "pending", "normal", 20)], range);
    expect(brief(ps)).toEqual([["a", "firing", 5, 20]]);
    // A normal → ? gap: a record leaving firing after normal opens at the last known change.
    const gap = alertPeriods([tr("b", "firing", "normal", 10), tr("b", "firing", "normal", 30)], range);
    expect(brief(gap)).toEqual([
      ["b", "firing", 0, 10],
      ["b", "firing", 10, 30],
    ]);
  });

  it("same-instant transitions keep their recorded order (id)", () => {
    const a = tr("a", "normal", "pending", 10);
    const b = tr("a", "pending", "firing", 10);
    expect(brief(alertPeriods([b, a], range))).toEqual([
      ["a", "pending", 10, 10],
      ["a", "firing", 10, null],
    ]);
  });

  it("separates the same fingerprint under different rules and titles them by uid when unknown", () => {
    const ps = alertPeriods([tr("a", "normal", "firing", 10, "r1"), tr("a", "normal", "firing", 10, "r2")], range, { ruleTitles: new Map([["r1", "Zeta"]]) });
    expect(ps.map((p) => [p.ruleUid, p.ruleTitle])).toEqual([
      ["r2", "r2"],
      ["r1", "Zeta"],
    ]);
  });
});

describe("periodsAt", () => {
  it("started at or before t, not ended by then (open ones never end)", () => {
    const ps = [
      { start: 0, end: 10 },
      { start: 5, end: null },
      { start: 10, end: 20 },
    ];
    expect(periodsAt(ps, 10)).toEqual([ps[1], ps[2]]);
    expect(periodsAt(ps, 4)).toEqual([ps[0]]);
    expect(periodsAt(ps, 100)).toEqual([ps[1]]);
  });
});
