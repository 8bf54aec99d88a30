/**
 * The demo's alert rules run through the real evaluator (evaluate.ts, the PromQL engine) and the
 * state machine (state.ts, the Go-template renderer) every 30 s, over what the `demo` job scrapes
 * every 15 s from the demo shop's registry while the simulated shop runs through its payments
 * incident (minutes 12–14 of every 20): each rule stays quiet before, fires during the incident,
 * and resolves before the next one.
 */
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { demoScrapeConfig } from "@/server/demo/config";
import { ShopMetrics } from "@/server/demo/shop-metrics";
import { ShopSimulator } from "@/server/demo/simulate";
import { incidentAt } from "@/server/demo/traffic";
import type { Labels } from "@/server/metrics/model";
import { createEngine } from "@/server/metrics/promql/engine/engine";
import { MemoryQueryable } from "@/server/metrics/promql/engine/memory-queryable";
import { parseScrapeConfig, targetsOf } from "@/server/metrics/scrape/config";
import { scrapeOnce } from "@/server/metrics/scrape/scrape";
import { evaluateRule } from "../evaluate";
import type { AlertInstance, AlertRule, StateTransition } from "../model";
import { ruleTemplateRenderer } from "../rule-render";
import { parseRuleGroup } from "../rules-service";
import { nextStates } from "../state";
import { DEMO_RULE_GROUP } from "./demo-rules";

const MINUTE = 60_000;
const SCRAPE = 15_000;
const EVAL = 30_000;
/** 2026-01-01T00:00Z, a multiple of 20 minutes: the payments incident runs from +12 to +14 min. */
const MIDNIGHT = 1_767_225_600_000;

interface Run {
  transitions: StateTransition[];
  /** Every instance that was firing, at each evaluation it was. */
  firing: { at: number; instance: AlertInstance }[];
  instancesAt: (minute: number) => AlertInstance[];
}

/** Simulates the shop from `start` for `minutes`, scraping like the `demo` job and evaluating `rule` on the group's 30 s grid. */
async function run(rule: AlertRule, opts: { start: number; minutes: number; seed: number; rate: number }): Promise<Run> {
  const store = new MemoryQueryable();
  const shop = new ShopMetrics({ processMetrics: false });
  const sim = new ShopSimulator({ seed: opts.seed, rate: opts.rate });
  const target = targetsOf(parseScrapeConfig(demoScrapeConfig({ host: "127.0.0.1", port: 9 }))).targets[0]!;
  const engine = createEngine();
  const render = ruleTemplateRenderer({ externalURL: "http://lookout.test" });
  let previousSeries: Labels[] = [];
  let instances: AlertInstance[] = [];
  const out: Run = { transitions: [], firing: [], instancesAt: () => [] };
  const snapshots = new Map<number, AlertInstance[]>();
  let last = opts.start - SCRAPE;
  for (let t = opts.start; t <= opts.start + opts.minutes * MINUTE; t += SCRAPE) {
    shop.record(sim.advance(last, t), t);
    last = t;
    const body = (await shop.scrape()).body;
    const scraped = await scrapeOnce(target, async () => new Response(body, { headers: { "content-type": "text/plain; version=0.0.4" } }), t, { previous: previousSeries, clock: () => 0 });
    expect(scraped.error).toBeNull();
    store.append(scraped.series);
    previousSeries = scraped.tracked;
    if ((t - opts.start) % EVAL !== 0) continue;
    const result = await evaluateRule({ db: {} as Db, engine, queryable: store }, rule, t);
    expect(result.ok ? null : result.error).toBeNull();
    const next = nextStates(rule, instances, result, { render });
    instances = next.instances;
    out.transitions.push(...next.transitions);
    for (const i of instances) if (i.state === "firing") out.firing.push({ at: t, instance: i });
    snapshots.set(Math.round((t - opts.start) / MINUTE * 2) / 2, instances);
  }
  out.instancesAt = (minute) => snapshots.get(minute) ?? [];
  return out;
}

const ruleOf = (uid: string): AlertRule => parseRuleGroup(DEMO_RULE_GROUP).rules.find((r) => r.uid === uid)!;
const minuteOf = (start: number, at: number) => (at - start) / MINUTE;

describe("the demo's alert rules over the demo shop's scraped metrics", () => {
  it("are valid rule groups as provisioning takes them", () => {
    const group = parseRuleGroup(DEMO_RULE_GROUP);
    expect(group).toMatchObject({ name: "Demo shop", interval: "30s", intervalMs: EVAL });
    expect(group.rules.map((r) => [r.uid, r.title, r.labels.severity])).toEqual([
      ["demo-checkout-error-rate", "Checkout error rate", "critical"],
      ["demo-payment-latency-p99", "Payment latency p99", "warning"],
    ]);
    // The schedule the rules are timed against.
    expect(incidentAt(MIDNIGHT + 11.9 * MINUTE)).toBeNull();
    expect(incidentAt(MIDNIGHT + 12 * MINUTE)).toBe("payments-latency");
    expect(incidentAt(MIDNIGHT + 14 * MINUTE)).toBeNull();
  });

  // Midnight UTC (the daily curve at 0.7) and 04:00 (its quietest, 0.4): the demo's default rate of 2/s.
  for (const [name, start, seed] of [
    ["at midnight", MIDNIGHT, 11],
    ["at the quietest hour", MIDNIGHT + 4 * 60 * MINUTE, 5],
  ] as const) {
    it(`Checkout error rate: normal before, fires during the payments incident, resolves before the next (${name})`, async () => {
      const r = await run(ruleOf("demo-checkout-error-rate"), { start, minutes: 22, seed, rate: 2 });
      // Healthy before the incident: both services evaluated, at 0%.
      const before = r.instancesAt(11.5);
      expect(before.map((i) => [i.labels.service, i.state, i.value])).toEqual(expect.arrayContaining([["checkout", "normal", 0], ["payments", "normal", 0]]));
      const firstFiring = Math.min(...r.firing.map((f) => minuteOf(start, f.at)));
      expect(firstFiring).toBeGreaterThan(12);
      expect(firstFiring).toBeLessThanOrEqual(14);
      // Both services (every failed payment fails its checkout), with the rule's labels and a rendered summary.
      const firing = r.firing.find((f) => minuteOf(start, f.at) === 14)?.instance ?? r.firing[0]!.instance;
      expect(new Set(r.firing.map((f) => f.instance.labels.service))).toEqual(new Set(["checkout", "payments"]));
      expect(firing.labels).toMatchObject({ alertname: "Checkout error rate", severity: "critical", team: "shop" });
      expect(firing.value!).toBeGreaterThan(0.05);
      expect(firing.annotations.summary).toMatch(/^(checkout|payments) answers \d+(\.\d+)?% of its requests with an error$/);
      // Resolved once the timeouts leave the 2-minute window, long before the next incident (minute 32).
      const lastFiring = Math.max(...r.firing.map((f) => minuteOf(start, f.at)));
      expect(lastFiring).toBeLessThan(17);
      expect(r.instancesAt(22).every((i) => i.state === "normal")).toBe(true);
      // Once per service: no flapping while the incident lasts.
      expect(r.transitions.filter((t) => t.to === "firing")).toHaveLength(2);
    }, 30_000);

    it(`Payment latency p99: normal before, fires during the payments incident, resolves before the next (${name})`, async () => {
      const r = await run(ruleOf("demo-payment-latency-p99"), { start, minutes: 22, seed, rate: 2 });
      const before = r.instancesAt(11.5);
      expect(before).toHaveLength(1);
      expect(before[0]).toMatchObject({ state: "normal", labels: { service: "payments", alertname: "Payment latency p99" } });
      expect(before[0]!.value!).toBeLessThan(1);
      const firstFiring = Math.min(...r.firing.map((f) => minuteOf(start, f.at)));
      expect(firstFiring).toBeGreaterThan(12);
      expect(firstFiring).toBeLessThanOrEqual(14);
      const firing = r.firing[0]!.instance;
      expect(firing.labels).toMatchObject({ alertname: "Payment latency p99", severity: "warning", service: "payments" });
      expect(firing.value!).toBeGreaterThan(2);
      expect(firing.annotations.summary).toMatch(/^Payments take \d+(\.\d+)?s at the 99th percentile$/);
      const lastFiring = Math.max(...r.firing.map((f) => minuteOf(start, f.at)));
      expect(lastFiring).toBeLessThan(17);
      expect(r.instancesAt(22).every((i) => i.state === "normal")).toBe(true);
      // Fired once: no flapping while the incident lasts.
      expect(r.transitions.filter((t) => t.to === "firing")).toHaveLength(1);
    }, 30_000);
  }
});
