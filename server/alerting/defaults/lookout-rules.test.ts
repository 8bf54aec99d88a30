import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import type { Labels } from "@/server/metrics/model";
import { createEngine } from "@/server/metrics/promql/engine/engine";
import { MemoryQueryable } from "@/server/metrics/promql/engine/memory-queryable";
import { parseScrapeConfig, targetsOf } from "@/server/metrics/scrape/config";
import { scrapeOnce } from "@/server/metrics/scrape/scrape";
import { selfScrapeConfig } from "@/server/metrics/scrape/self";
import { evaluateRule } from "../evaluate";
import { ruleTemplateRenderer } from "../rule-render";
import { parseRuleGroup } from "../rules-service";
import { nextStates } from "../state";
import type { AlertInstance } from "../model";
import { LOOKOUT_RULE_GROUP } from "./lookout-rules";

const SCRAPE = 15_000;
const START = 1_767_225_600_000;

/** Lookout's /metrics as the self-scrape job sees it, one body per scrape; the rule evaluated after each. */
async function run(bodies: string[]): Promise<AlertInstance[][]> {
  const rule = parseRuleGroup(LOOKOUT_RULE_GROUP).rules[0]!;
  const target = targetsOf(parseScrapeConfig(selfScrapeConfig({ PORT: 3000 }))).targets[0]!;
  const store = new MemoryQueryable();
  const engine = createEngine();
  const render = ruleTemplateRenderer({ externalURL: "http://lookout.test" });
  let previous: Labels[] = [];
  let instances: AlertInstance[] = [];
  const out: AlertInstance[][] = [];
  for (const [i, body] of bodies.entries()) {
    const t = START + i * SCRAPE;
    const scraped = await scrapeOnce(target, async () => new Response(body, { headers: { "content-type": "text/plain; version=0.0.4" } }), t, { previous, clock: () => 0 });
    expect(scraped.error).toBeNull();
    store.append(scraped.series);
    previous = scraped.tracked;
    const result = await evaluateRule({ db: {} as Db, engine, queryable: store }, rule, t);
    expect(result.ok ? null : result.error).toBeNull();
    instances = nextStates(rule, instances, result, { render }).instances;
    out.push(instances);
  }
  return out;
}

const gauge = (db: number, disk: number) => `# TYPE lookout_storage_watermark_exceeded gauge\nlookout_storage_watermark_exceeded{kind="database_size"} ${db}\nlookout_storage_watermark_exceeded{kind="disk_free_bytes"} ${disk}\n`;

describe("Lookout's own alert rules", () => {
  it("are a valid rule group as provisioning takes it", () => {
    const group = parseRuleGroup(LOOKOUT_RULE_GROUP);
    expect(group).toMatchObject({ name: "Lookout", intervalMs: 30_000 });
    expect(group.rules.map((r) => [r.uid, r.title, r.labels.severity])).toEqual([["lookout-storage-watermark", "Lookout storage watermark", "critical"]]);
  });

  it("Lookout storage watermark fires per kind from the self-scraped gauge and resolves when it is back to 0", async () => {
    const states = await run([gauge(0, 0), gauge(1, 0), gauge(1, 0), gauge(0, 0)]);
    const firing = (i: number) => states[i]!.filter((x) => x.state === "firing").map((x) => x.labels.kind);
    expect(firing(0)).toEqual([]);
    expect(firing(1)).toEqual(["database_size"]);
    const instance = states[1]!.find((x) => x.state === "firing")!;
    expect(instance.labels).toMatchObject({ alertname: "Lookout storage watermark", severity: "critical", kind: "database_size" });
    expect(instance.annotations.summary).toBe("Ingestion is paused: the database_size storage watermark is crossed");
    expect(firing(3)).toEqual([]);
  });
});
