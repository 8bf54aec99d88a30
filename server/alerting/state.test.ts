import { fingerprint } from "./fingerprint";
import { describe, expect, it } from "vitest";
import { AlertRuleSchema, type AlertInstance, type AlertRuleInput, type AlertState, type EvalResult, type EvalSeries, type StateTransition } from "./model";
import { DUPLICATE_LABELSET_ERROR, ERROR_ANNOTATION, nextStates, RESOLVED_RETENTION_MS, SPECIAL_STATE_LABEL } from "./state";
import { fakeRender } from "./test-render";

// Templates in these tests go through fakeRender (test-render.ts), a stand-in that substitutes only
// `{{ $labels.x }}` and `{{ $value }}`: the real Go-template engine is tested on its own.

const MIN = 60_000;
const T0 = Date.UTC(2030, 4, 1, 12, 0, 0);

/** A rule; an empty result means "every series is gone" (noDataState OK, Prometheus's behaviour) unless a test says otherwise. */
function rule(over: Partial<AlertRuleInput> = {}) {
  return AlertRuleSchema.parse({ uid: "r1", title: "HighErrorRate", query: { kind: "promql", expr: "rate(errors_total[5m]) > 0.1" }, noDataState: "OK", ...over });
}

const ok = (at: number, ...series: EvalSeries[]): EvalResult => ({ at, ok: true, series });
const fail = (at: number, error: string): EvalResult => ({ at, ok: false, error });
const s = (labels: Record<string, string>, value: number, active = true): EvalSeries => ({ labels, value, active });

/** Runs evaluations in order, feeding each one's instances to the next. */
function run(r: ReturnType<typeof rule>, results: EvalResult[], start: AlertInstance[] = []) {
  let instances = start;
  const steps: { instances: AlertInstance[]; transitions: StateTransition[] }[] = [];
  for (const res of results) {
    const out = nextStates(r, instances, res, { render: fakeRender });
    instances = out.instances;
    steps.push(out);
  }
  return steps;
}

/** `instance=a` → state, per instance (a compact view of one step). */
function states(step: { instances: AlertInstance[] }, key = "instance"): Record<string, AlertState> {
  return Object.fromEntries(step.instances.map((i) => [i.labels[key] ?? i.labels[SPECIAL_STATE_LABEL] ?? "-", i.state]));
}
const moves = (step: { transitions: StateTransition[] }, key = "instance") =>
  step.transitions.map((t) => `${t.labels[key] ?? t.labels[SPECIAL_STATE_LABEL] ?? "-"}:${t.from}->${t.to}`);

describe("nextStates: pending and firing", () => {
  it("for: 0s fires at the first active evaluation", () => {
    const [a] = run(rule(), [ok(T0, s({ instance: "a" }, 0.5))]);
    expect(a!.instances).toHaveLength(1);
    expect(a!.instances[0]).toMatchObject({ state: "firing", stateSince: T0, activeSince: T0, value: 0.5, lastEvalAt: T0, resolvedAt: null, keepFiringUntil: null, ruleUid: "r1" });
    expect(a!.transitions).toEqual([expect.objectContaining({ from: "normal", to: "firing", at: T0, value: 0.5, error: null, ruleUid: "r1" })]);
  });

  it("pending until active for `for`, then firing; stateSince and activeSince follow", () => {
    const r = rule({ for: "5m" });
    const steps = run(
      r,
      Array.from({ length: 7 }, (_, i) => ok(T0 + i * MIN, s({ instance: "a" }, i))),
    );
    expect(steps.map((x) => states(x).a)).toEqual(["pending", "pending", "pending", "pending", "pending", "firing", "firing"]);
    expect(steps[4]!.instances[0]).toMatchObject({ stateSince: T0, activeSince: T0, value: 4 });
    expect(steps[5]!.instances[0]).toMatchObject({ stateSince: T0 + 5 * MIN, activeSince: T0 });
    expect(steps[6]!.instances[0]).toMatchObject({ stateSince: T0 + 5 * MIN, activeSince: T0, value: 6 });
    expect(steps.map((x) => moves(x))).toEqual([["a:normal->pending"], [], [], [], [], ["a:pending->firing"], []]);
  });

  it("fires at the first evaluation at or past `for`, with irregular evaluation times", () => {
    const steps = run(rule({ for: "2m" }), [ok(T0, s({ instance: "a" }, 1)), ok(T0 + 90_000, s({ instance: "a" }, 1)), ok(T0 + 150_000, s({ instance: "a" }, 1))]);
    expect(steps.map((x) => states(x).a)).toEqual(["pending", "pending", "firing"]);
  });

  it("a pending series that clears goes back to normal without resolving; kept while returned, dropped when gone", () => {
    const r = rule({ for: "5m" });
    const steps = run(r, [ok(T0, s({ instance: "a" }, 1), s({ instance: "b" }, 1)), ok(T0 + MIN, s({ instance: "a" }, 0, false)), ok(T0 + 2 * MIN, s({ instance: "a" }, 1))]);
    expect(states(steps[1]!)).toEqual({ a: "normal" });
    expect(moves(steps[1]!).sort()).toEqual(["a:pending->normal", "b:pending->normal"]);
    expect(steps[1]!.instances[0]).toMatchObject({ resolvedAt: null, activeSince: null, value: 0 });
    // A new streak starts over.
    expect(steps[2]!.instances[0]).toMatchObject({ state: "pending", activeSince: T0 + 2 * MIN });
  });

  it("an interruption restarts the `for` clock", () => {
    const r = rule({ for: "3m" });
    const a = (t: number, active: boolean) => ok(T0 + t * MIN, s({ instance: "a" }, 1, active));
    const steps = run(r, [a(0, true), a(1, true), a(2, false), a(3, true), a(4, true), a(5, true), a(6, true)]);
    expect(steps.map((x) => states(x).a)).toEqual(["pending", "pending", "normal", "pending", "pending", "pending", "firing"]);
  });

  it("keeps series independent", () => {
    const steps = run(rule({ for: "1m" }), [
      ok(T0, s({ instance: "a" }, 1), s({ instance: "b" }, 0, false)),
      ok(T0 + MIN, s({ instance: "a" }, 1), s({ instance: "b" }, 1), s({ instance: "c" }, 1)),
      ok(T0 + 2 * MIN, s({ instance: "b" }, 1), s({ instance: "c" }, 0, false)),
    ]);
    expect(states(steps[0]!)).toEqual({ a: "pending", b: "normal" });
    expect(states(steps[1]!)).toEqual({ a: "firing", b: "pending", c: "pending" });
    expect(states(steps[2]!)).toEqual({ b: "firing", c: "normal", a: "normal" });
    expect(moves(steps[2]!)).toEqual(["b:pending->firing", "c:pending->normal", "a:firing->normal"]);
  });
});

describe("nextStates: resolving and keep_firing_for", () => {
  it("a firing series that clears resolves: resolvedAt set, reported 15 minutes, then dropped", () => {
    const r = rule();
    const evals = [ok(T0, s({ instance: "a" }, 1)), ok(T0 + MIN), ok(T0 + MIN + RESOLVED_RETENTION_MS), ok(T0 + 2 * MIN + RESOLVED_RETENTION_MS)];
    const steps = run(r, evals);
    expect(steps[1]!.instances).toEqual([expect.objectContaining({ state: "normal", resolvedAt: T0 + MIN, stateSince: T0 + MIN, activeSince: null, value: 1, lastEvalAt: T0 + MIN })]);
    expect(steps[1]!.transitions).toEqual([expect.objectContaining({ from: "firing", to: "normal", at: T0 + MIN, value: 1 })]);
    // Exactly at the retention edge it is still reported; past it, gone (no transition).
    expect(steps[2]!.instances).toEqual([expect.objectContaining({ state: "normal", resolvedAt: T0 + MIN, lastEvalAt: T0 + MIN + RESOLVED_RETENTION_MS })]);
    expect(steps[3]!.instances).toEqual([]);
    expect(steps[2]!.transitions.concat(steps[3]!.transitions)).toEqual([]);
  });

  it("a resolved series still returned stays a normal instance; resolvedAt clears after the retention", () => {
    const a = (t: number, active: boolean) => ok(T0 + t, s({ instance: "a" }, active ? 1 : 0, active));
    const steps = run(rule(), [a(0, true), a(MIN, false), a(5 * MIN, false), a(MIN + RESOLVED_RETENTION_MS + 1, false)]);
    expect(steps[1]!.instances[0]).toMatchObject({ state: "normal", resolvedAt: T0 + MIN, value: 0 });
    expect(steps[2]!.instances[0]).toMatchObject({ state: "normal", resolvedAt: T0 + MIN, stateSince: T0 + MIN });
    expect(steps[3]!.instances[0]).toMatchObject({ state: "normal", resolvedAt: null, stateSince: T0 + MIN });
  });

  it("a resolved alert that comes back starts a new streak", () => {
    const steps = run(rule({ for: "1m" }), [ok(T0, s({ instance: "a" }, 1)), ok(T0 + MIN, s({ instance: "a" }, 1)), ok(T0 + 2 * MIN), ok(T0 + 3 * MIN, s({ instance: "a" }, 1))]);
    expect(steps[3]!.instances[0]).toMatchObject({ state: "pending", activeSince: T0 + 3 * MIN, resolvedAt: null });
    expect(moves(steps[3]!)).toEqual(["a:normal->pending"]);
  });

  it("keepFiringFor keeps firing after the condition clears, restarting when it comes back", () => {
    const r = rule({ keepFiringFor: "10m" });
    const on = (t: number) => ok(T0 + t * MIN, s({ instance: "a" }, 1));
    const off = (t: number) => ok(T0 + t * MIN, s({ instance: "a" }, 0, false));
    const gone = (t: number) => ok(T0 + t * MIN);
    const steps = run(r, [on(0), off(1), gone(5), on(6), off(8), gone(17), off(18)]);
    expect(steps.map((x) => states(x).a)).toEqual(["firing", "firing", "firing", "firing", "firing", "firing", "normal"]);
    expect(steps.map((x) => x.instances[0]!.keepFiringUntil)).toEqual([null, T0 + 11 * MIN, T0 + 11 * MIN, null, T0 + 18 * MIN, T0 + 18 * MIN, null]);
    expect(steps[1]!.instances[0]).toMatchObject({ stateSince: T0, activeSince: T0, value: 0 });
    // A series not returned keeps its last value.
    expect(steps[2]!.instances[0]!.value).toBe(0);
    expect(steps[6]!.instances[0]).toMatchObject({ resolvedAt: T0 + 18 * MIN, activeSince: null });
    expect(steps.flatMap((x) => moves(x))).toEqual(["a:normal->firing", "a:firing->normal"]);
  });

  it("keepFiringFor does not hold a pending alert", () => {
    const steps = run(rule({ for: "5m", keepFiringFor: "10m" }), [ok(T0, s({ instance: "a" }, 1)), ok(T0 + MIN)]);
    expect(steps[1]!.instances).toEqual([]);
    expect(moves(steps[1]!)).toEqual(["a:pending->normal"]);
  });
});

describe("nextStates: no data", () => {
  const series = (t: number) => ok(T0 + t * MIN, s({ instance: "a" }, 1));
  const none = (t: number) => ok(T0 + t * MIN);

  it("NoData: one nodata instance (rule labels + alertname + lookout_state), resolved when data returns", () => {
    const r = rule({ noDataState: "NoData", labels: { severity: "page", who: "{{ $labels.instance }}" }, annotations: { summary: "{{ $labels.alertname }} for {{ $labels.instance }}" } });
    const steps = run(r, [series(0), none(1), none(2), series(3)]);
    const nd = steps[1]!.instances.find((i) => i.state === "nodata")!;
    expect(nd.labels).toEqual({ severity: "page", alertname: "HighErrorRate", [SPECIAL_STATE_LABEL]: "nodata" });
    expect(nd).toMatchObject({ value: null, stateSince: T0 + MIN, activeSince: T0 + MIN, error: null, annotations: { summary: "HighErrorRate for " } });
    // The series' instance is gone: resolved.
    expect(states(steps[1]!)).toEqual({ nodata: "nodata", a: "normal" });
    expect(moves(steps[1]!)).toEqual(["nodata:normal->nodata", "a:firing->normal"]);
    expect(steps[2]!.instances.find((i) => i.state === "nodata")).toMatchObject({ stateSince: T0 + MIN, lastEvalAt: T0 + 2 * MIN });
    expect(moves(steps[2]!)).toEqual([]);
    // Data again: the series fires anew, the nodata instance resolves.
    expect(states(steps[3]!)).toEqual({ a: "firing", nodata: "normal" });
    expect(moves(steps[3]!)).toEqual(["a:normal->firing", "nodata:nodata->normal"]);
    expect(steps[3]!.instances.find((i) => i.labels[SPECIAL_STATE_LABEL])).toMatchObject({ resolvedAt: T0 + 3 * MIN });
  });

  it("Alerting: the no-data instance goes pending then firing, honouring `for`", () => {
    const steps = run(rule({ noDataState: "Alerting", for: "2m" }), [none(0), none(1), none(2), series(3)]);
    expect(steps.map((x) => states(x).nodata)).toEqual(["pending", "pending", "firing", "normal"]);
    expect(steps[2]!.instances[0]).toMatchObject({ activeSince: T0, value: null });
    expect(steps[3]!.instances.find((i) => i.labels[SPECIAL_STATE_LABEL])).toMatchObject({ resolvedAt: T0 + 3 * MIN });
  });

  it("OK: instances end as if their series were gone; nothing new appears", () => {
    const steps = run(rule({ noDataState: "OK" }), [series(0), none(1), none(20)]);
    expect(states(steps[1]!)).toEqual({ a: "normal" });
    expect(steps[1]!.instances[0]!.resolvedAt).toBe(T0 + MIN);
    expect(steps[2]!.instances).toEqual([]);
  });

  it("OK honours keepFiringFor", () => {
    const steps = run(rule({ noDataState: "OK", keepFiringFor: "5m" }), [series(0), none(1), none(6)]);
    expect(steps.map((x) => states(x).a)).toEqual(["firing", "firing", "normal"]);
  });

  it("KeepLast: instances stay exactly as they were (a pending one does not advance)", () => {
    const r = rule({ noDataState: "KeepLast", for: "2m" });
    const steps = run(r, [ok(T0, s({ instance: "a" }, 1), s({ instance: "b" }, 1)), ok(T0 + MIN, s({ instance: "a" }, 1)), none(2), none(10)]);
    expect(states(steps[1]!)).toEqual({ a: "pending" });
    expect(states(steps[3]!)).toEqual({ a: "pending" });
    expect(steps[3]!.instances).toEqual([steps[1]!.instances[0]]);
    expect(steps[2]!.transitions.concat(steps[3]!.transitions)).toEqual([]);
  });

  it("KeepLast forgets resolved alerts past the retention", () => {
    const steps = run(rule({ noDataState: "KeepLast" }), [series(0), ok(T0 + MIN, s({ instance: "a" }, 0, false)), none(5), none(30)]);
    expect(steps[2]!.instances).toHaveLength(1);
    expect(steps[3]!.instances).toEqual([]);
  });

  it("inactive series are not no data", () => {
    const steps = run(rule({ noDataState: "NoData" }), [ok(T0, s({ instance: "a" }, 0, false))]);
    expect(states(steps[0]!)).toEqual({ a: "normal" });
    expect(steps[0]!.transitions).toEqual([]);
  });
});

describe("nextStates: evaluation errors", () => {
  const series = (t: number, active = true) => ok(T0 + t * MIN, s({ instance: "a" }, 1, active));
  const err = (t: number, msg = "query timed out") => fail(T0 + t * MIN, msg);

  it("Error: an error instance with the message; the series' instances are kept as they were", () => {
    const r = rule({ execErrState: "Error", labels: { team: "db" }, annotations: { summary: "down" } });
    const steps = run(r, [series(0), err(1), err(2, "connection refused"), series(3, false)]);
    const e1 = steps[1]!.instances.find((i) => i.state === "error")!;
    expect(e1.labels).toEqual({ team: "db", alertname: "HighErrorRate", [SPECIAL_STATE_LABEL]: "error" });
    expect(e1).toMatchObject({ error: "query timed out", value: null, stateSince: T0 + MIN, annotations: { summary: "down", [ERROR_ANNOTATION]: "query timed out" } });
    expect(states(steps[1]!)).toEqual({ error: "error", a: "firing" });
    expect(steps[1]!.instances.find((i) => i.labels.instance === "a")).toEqual(steps[0]!.instances[0]);
    expect(steps[1]!.transitions).toEqual([expect.objectContaining({ from: "normal", to: "error", error: "query timed out", value: null })]);
    // Still failing: same instance, latest message, no transition.
    const e2 = steps[2]!.instances.find((i) => i.state === "error")!;
    expect(e2).toMatchObject({ stateSince: T0 + MIN, error: "connection refused", annotations: { [ERROR_ANNOTATION]: "connection refused" } });
    expect(steps[2]!.transitions).toEqual([]);
    // Recovered: the error instance resolves, the series is evaluated again.
    expect(states(steps[3]!)).toEqual({ a: "normal", error: "normal" });
    expect(moves(steps[3]!)).toEqual(["a:firing->normal", "error:error->normal"]);
    expect(steps[3]!.instances.find((i) => i.labels[SPECIAL_STATE_LABEL])).toMatchObject({ resolvedAt: T0 + 3 * MIN, error: null });
  });

  it("Alerting: the error instance goes pending then firing honouring `for`", () => {
    const steps = run(rule({ execErrState: "Alerting", for: "1m" }), [err(0), err(1), err(2)]);
    expect(steps.map((x) => states(x).error)).toEqual(["pending", "firing", "firing"]);
    expect(steps[1]!.instances[0]).toMatchObject({ error: "query timed out", annotations: { [ERROR_ANNOTATION]: "query timed out" } });
  });

  it("OK: every instance ends as if its series were gone", () => {
    const steps = run(rule({ execErrState: "OK", for: "1m" }), [ok(T0, s({ instance: "a" }, 1), s({ instance: "b" }, 1)), ok(T0 + MIN, s({ instance: "a" }, 1), s({ instance: "b" }, 1)), ok(T0 + 2 * MIN, s({ instance: "a" }, 1)), err(3)]);
    expect(states(steps[2]!)).toEqual({ a: "firing", b: "normal" });
    expect(states(steps[3]!)).toEqual({ a: "normal", b: "normal" });
    expect(moves(steps[3]!)).toEqual(["a:firing->normal"]);
  });

  it("KeepLast: nothing changes", () => {
    const steps = run(rule({ execErrState: "KeepLast" }), [series(0), err(1)]);
    expect(steps[1]!.instances).toEqual(steps[0]!.instances);
    expect(steps[1]!.transitions).toEqual([]);
  });

  it("an error instance that resolves is forgotten after the retention", () => {
    const steps = run(rule(), [err(0), series(1, false), series(30, false)]);
    expect(states(steps[1]!)).toEqual({ a: "normal", error: "normal" });
    expect(states(steps[2]!)).toEqual({ a: "normal" });
  });
});

describe("nextStates: labels, annotations, fingerprints", () => {
  it("instance labels: series labels without __name__, rule labels rendered and winning, alertname last", () => {
    const r = rule({
      title: "DiskWillFillIn4Hours",
      labels: { severity: "critical", job: "overridden", where: "{{ $labels.instance }}:{{ $labels.mountpoint }}", alertname: "ignored", dropme: "{{ $labels.nothing }}" },
      annotations: { summary: "{{ $labels.where }} fills up", value: "{{ $value }}", runbook_url: "https://runbooks.example/disk" },
    });
    const [a] = run(r, [ok(T0, s({ __name__: "node_filesystem_avail_bytes", instance: "db1", job: "node", mountpoint: "/data", dropme: "x" }, -12.5))]);
    const inst = a!.instances[0]!;
    expect(inst.labels).toEqual({ instance: "db1", job: "overridden", mountpoint: "/data", severity: "critical", where: "db1:/data", alertname: "DiskWillFillIn4Hours" });
    expect(inst.annotations).toEqual({ summary: "db1:/data fills up", value: "-12.5", runbook_url: "https://runbooks.example/disk" });
  });

  it("a template that fails leaves Prometheus's error text in place", () => {
    const r = rule({ labels: { bad: "{{ fail }}" }, annotations: { summary: "x {{ humanize $value }}" } });
    const [a] = run(r, [ok(T0, s({}, 1))]);
    expect(a!.instances[0]!.labels.bad).toBe('<error expanding template: unsupported action "fail">');
    expect(a!.instances[0]!.annotations.summary).toBe('<error expanding template: unsupported action "humanize $value">');
  });

  it("series that rule labels make identical are an evaluation error", () => {
    const r = rule({ labels: { instance: "all" }, execErrState: "Error" });
    const [a] = run(r, [ok(T0, s({ instance: "a" }, 1), s({ instance: "b" }, 1))]);
    expect(a!.instances).toEqual([expect.objectContaining({ state: "error", error: DUPLICATE_LABELSET_ERROR })]);
  });

  it("fingerprints: Alertmanager's label-set fingerprint of the full labels, independent of key order", () => {
    const [a] = run(rule({ labels: { severity: "page" } }), [ok(T0, s({ b: "2", a: "1" }, 1), s({ a: "1", b: "3" }, 1))]);
    const [x, y] = a!.instances;
    const expected = fingerprint({ severity: "page", b: "2", alertname: "HighErrorRate", a: "1" });
    expect(x!.fingerprint).toBe(expected);
    expect(y!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(y!.fingerprint).not.toBe(x!.fingerprint);
    const [again] = run(rule({ labels: { severity: "page" } }), [ok(T0, s({ a: "1", b: "2" }, 1))]);
    expect(again!.instances[0]!.fingerprint).toBe(expected);
  });

  it("a changed rule label is a new instance; the old one resolves", () => {
    const first = run(rule({ labels: { severity: "warning" } }), [ok(T0, s({ instance: "a" }, 1))]);
    const [second] = run(rule({ labels: { severity: "critical" } }), [ok(T0 + MIN, s({ instance: "a" }, 1))], first[0]!.instances);
    expect(second!.instances.map((i) => [i.labels.severity, i.state])).toEqual([
      ["critical", "firing"],
      ["warning", "normal"],
    ]);
  });

  it("annotations are re-rendered with each new value", () => {
    const r = rule({ annotations: { description: "at {{ $value }}" } });
    const steps = run(r, [ok(T0, s({ instance: "a" }, 1)), ok(T0 + MIN, s({ instance: "a" }, 2))]);
    expect(steps.map((x) => x.instances[0]!.annotations.description)).toEqual(["at 1", "at 2"]);
  });

  it("ctx.now overrides the result's time; a rule without uid gives an empty ruleUid (previews)", () => {
    const r = AlertRuleSchema.parse({ title: "X", query: { kind: "promql", expr: "up == 0" } });
    const out = nextStates(r, [], ok(T0, s({}, 1)), { render: fakeRender, now: T0 + 5 });
    expect(out.instances[0]).toMatchObject({ ruleUid: "", stateSince: T0 + 5, lastEvalAt: T0 + 5 });
    expect(out.transitions[0]).toMatchObject({ ruleUid: "", at: T0 + 5 });
  });
});
