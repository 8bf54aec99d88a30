import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import type { Queryable } from "@/server/metrics/model";
import { MemoryQueryable } from "@/server/metrics/promql/engine/memory-queryable";
import { compare, evaluateRule, fieldLabelName, previewRule } from "./evaluate";
import { AlertRuleSchema, type AlertRuleInput, type Comparison } from "./model";
import { fakeRender } from "./test-render";

// PromQL rules over in-memory series (the engine is the real one); log rules and storage are in
// evaluate.int.test.ts. Templates go through fakeRender, a stand-in for the Go-template engine.

const T = Date.UTC(2030, 0, 1, 12);
const noDb = {} as Db;
const rule = (query: AlertRuleInput["query"], over: Partial<AlertRuleInput> = {}) => AlertRuleSchema.parse({ uid: "r", title: "T", query, ...over });

function store(): MemoryQueryable {
  const q = new MemoryQueryable();
  const gauge = (labels: Record<string, string>, value: number) => ({ labels, samples: [{ timestampMs: T - 30_000, value }] });
  q.append([
    gauge({ __name__: "node_memory_used_ratio", instance: "a:9100", job: "node" }, 0.95),
    gauge({ __name__: "node_memory_used_ratio", instance: "b:9100", job: "node" }, 0.4),
    gauge({ __name__: "up", instance: "a:9100", job: "node" }, 1),
    gauge({ __name__: "up", instance: "b:9100", job: "node" }, 0),
  ]);
  return q;
}

describe("compare", () => {
  it.each([
    [">", 2, 1, true],
    [">", 1, 1, false],
    [">=", 1, 1, true],
    ["<", 0, 1, true],
    ["<=", 2, 1, false],
    ["==", 1, 1, true],
    ["!=", 1, 1, false],
    ["!=", NaN, 1, true],
    [">", NaN, 1, false],
  ] as [Comparison, number, number, boolean][])("%s: %d vs %d → %s", (op, value, threshold, want) => {
    expect(compare(value, { op, threshold })).toBe(want);
  });
});

describe("fieldLabelName", () => {
  it.each([
    ["service", "service"],
    ["http.status", "http_status"],
    ["attributes.http.status", "http_status"],
    ["k8s-pod", "k8s_pod"],
    ["1st", "_1st"],
  ])("%s → %s", (field, label) => expect(fieldLabelName(field)).toBe(label));
});

describe("evaluateRule (PromQL, in-memory series)", () => {
  const deps = { db: noDb, queryable: store() };

  it("a condition-less rule: every returned series is active, __name__ dropped", async () => {
    const r = await evaluateRule(deps, rule({ kind: "promql", expr: "node_memory_used_ratio > 0.9" }), T);
    expect(r).toEqual({ at: T, ok: true, series: [{ labels: { instance: "a:9100", job: "node" }, value: 0.95, active: true }] });
  });

  it("a threshold rule: every series, active where the condition holds", async () => {
    const r = await evaluateRule(deps, rule({ kind: "promql", expr: "node_memory_used_ratio", condition: { op: ">", threshold: 0.9 } }), T);
    expect(r.ok && r.series.map((s) => [s.labels.instance, s.value, s.active])).toEqual([
      ["a:9100", 0.95, true],
      ["b:9100", 0.4, false],
    ]);
  });

  it("function results keep what the engine returns", async () => {
    const r = await evaluateRule(deps, rule({ kind: "promql", expr: "sum by (job) (up)" }), T);
    expect(r).toMatchObject({ ok: true, series: [{ labels: { job: "node" }, value: 1, active: true }] });
  });

  it("a scalar is one series without labels", async () => {
    const r = await evaluateRule(deps, rule({ kind: "promql", expr: "scalar(sum(up))", condition: { op: "<", threshold: 2 } }), T);
    expect(r).toEqual({ at: T, ok: true, series: [{ labels: {}, value: 1, active: true }] });
  });

  it("nothing returned: ok with no series", async () => {
    expect(await evaluateRule(deps, rule({ kind: "promql", expr: "up > 5" }), T)).toEqual({ at: T, ok: true, series: [] });
  });

  it("parse errors, wrong result types and timeouts are results, not exceptions", async () => {
    expect(await evaluateRule(deps, rule({ kind: "promql", expr: "sum(up" }), T)).toMatchObject({ ok: false, error: expect.stringMatching(/^parse error: /) });
    expect(await evaluateRule(deps, rule({ kind: "promql", expr: "up[5m]" }), T)).toEqual({ at: T, ok: false, error: "the expression must give an instant vector or a scalar, not a range vector" });
    const slow: Queryable = Object.assign(Object.create(store()) as Queryable, { select: () => new Promise<never>(() => {}) });
    expect(await evaluateRule({ db: noDb, queryable: slow, timeoutMs: 50 }, rule({ kind: "promql", expr: "up" }), T)).toEqual({ at: T, ok: false, error: "evaluation timed out after 0.05s" });
  });
});

describe("previewRule", () => {
  it("shows each series with the state it would be in, from an empty or a given state", async () => {
    const r = rule({ kind: "promql", expr: "node_memory_used_ratio", condition: { op: ">", threshold: 0.9 } }, { for: "5m", labels: { severity: "warning" }, annotations: { summary: "{{ $labels.instance }} at {{ $value }}" } });
    const first = await previewRule({ db: noDb, queryable: store(), render: fakeRender }, r, T);
    expect(first.instances.map((i) => [i.labels.instance, i.value, i.state, i.annotations.summary])).toEqual([
      ["a:9100", 0.95, "pending", "a:9100 at 0.95"],
      ["b:9100", 0.4, "normal", "b:9100 at 0.4"],
    ]);
    expect(first.instances[0]!.labels).toEqual({ instance: "a:9100", job: "node", severity: "warning", alertname: "T" });
    // With the rule's current state (pending for 5 minutes), the same data would fire.
    const later = await previewRule({ db: noDb, queryable: store(), render: fakeRender }, r, T, first.instances.map((i) => ({ ...i, activeSince: i.activeSince && T - 5 * 60_000 })));
    expect(later.instances.map((i) => i.state)).toEqual(["firing", "normal"]);
    expect(later.transitions.map((t) => `${t.from}->${t.to}`)).toEqual(["pending->firing"]);
  });

  it("an error shows as the rule's error instance", async () => {
    const p = await previewRule({ db: noDb, queryable: store(), render: fakeRender }, rule({ kind: "promql", expr: "rate(" }), T);
    expect(p.result.ok).toBe(false);
    expect(p.instances).toEqual([expect.objectContaining({ state: "error", labels: { alertname: "T", lookout_state: "error" } })]);
  });
});
