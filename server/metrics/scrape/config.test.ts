import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration, parseScrapeConfig, ScrapeConfigError, targetsOf } from "./config";

function configError(raw: unknown): ScrapeConfigError {
  try {
    parseScrapeConfig(raw);
  } catch (e) {
    if (e instanceof ScrapeConfigError) return e;
    throw e;
  }
  throw new Error("expected a ScrapeConfigError");
}

describe("durations", () => {
  it("parses and prints Prometheus durations", () => {
    expect(parseDuration("15s")).toBe(15_000);
    expect(parseDuration("1m30s")).toBe(90_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("0")).toBe(0);
    expect(parseDuration("15")).toBeUndefined();
    expect(parseDuration("1s1m")).toBeUndefined();
    expect(parseDuration("")).toBeUndefined();
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(15_000)).toBe("15s");
    expect(formatDuration(3_600_500)).toBe("1h500ms");
  });
});

describe("parseScrapeConfig", () => {
  it("applies Prometheus defaults with our 15s global interval", () => {
    const c = parseScrapeConfig({ job_name: "node", static_configs: [{ targets: ["host:9100"] }] });
    expect(c).toMatchObject({
      jobName: "node",
      intervalMs: 15_000,
      timeoutMs: 10_000,
      metricsPath: "/metrics",
      scheme: "http",
      honorLabels: false,
      honorTimestamps: true,
      sampleLimit: 0,
      auth: null,
    });
  });

  it("caps the default timeout at the interval, refuses an explicit one above it", () => {
    expect(parseScrapeConfig({ job_name: "a", scrape_interval: "5s" }).timeoutMs).toBe(5_000);
    expect(parseScrapeConfig({ job_name: "a", scrape_interval: "1m", scrape_timeout: "30s" })).toMatchObject({ intervalMs: 60_000, timeoutMs: 30_000 });
    expect(parseScrapeConfig({ job_name: "a" }, { scrapeIntervalMs: 60_000, scrapeTimeoutMs: 10_000 }).intervalMs).toBe(60_000);
    const err = configError({ job_name: "a", scrape_interval: "5s", scrape_timeout: "10s" });
    expect(err.message).toBe('scrape timeout greater than scrape interval for scrape config with job name "a"');
    expect(err.issues[0]!.path).toEqual(["scrape_timeout"]);
  });

  it("refuses bad durations, URLs as targets, unknown fields and two kinds of auth", () => {
    expect(configError({ job_name: "a", scrape_interval: "15" }).issues[0]).toMatchObject({ path: ["scrape_interval"], message: expect.stringContaining("not a valid duration") });
    expect(configError({ job_name: "a", static_configs: [{ targets: ["http://host:9100/metrics"] }] }).issues[0]!.message).toContain("is not a valid hostname");
    expect(configError({ job_name: "a", kubernetes_sd_configs: [] }).issues[0]!.message).toMatch(/kubernetes_sd_configs/);
    expect(configError({ job_name: "a", basic_auth: { username: "u" }, bearer_token: "t" }).message).toContain("at most one of");
    expect(configError({ job_name: "" }).issues[0]!.path).toEqual(["job_name"]);
    expect(configError({ job_name: "a", relabel_configs: [{ action: "hashmod", target_label: "x" }] }).message).toContain("non-zero modulus");
  });

  it("reads basic_auth, authorization and the legacy bearer_token", () => {
    expect(parseScrapeConfig({ job_name: "a", basic_auth: { username: "u", password: "p" } }).auth).toEqual({ type: "basic", username: "u", password: "p" });
    expect(parseScrapeConfig({ job_name: "a", authorization: { credentials: "k" } }).auth).toEqual({ type: "authorization", scheme: "Bearer", credentials: "k" });
    expect(parseScrapeConfig({ job_name: "a", bearer_token: "k" }).auth).toEqual({ type: "authorization", scheme: "Bearer", credentials: "k" });
  });
});

describe("targetsOf", () => {
  it("builds URLs and labels from static_configs: job, instance, group labels, no __ labels", () => {
    const cfg = parseScrapeConfig({
      job_name: "node",
      params: { module: ["a", "b"] },
      static_configs: [{ targets: ["h1:9100", "h2:9100"], labels: { env: "prod", job: "custom" } }],
    });
    const { targets } = targetsOf(cfg);
    expect(targets.map((t) => t.url)).toEqual(["http://h1:9100/metrics?module=a&module=b", "http://h2:9100/metrics?module=a&module=b"]);
    expect({ ...targets[0]!.labels }).toEqual({ env: "prod", instance: "h1:9100", job: "custom" });
    expect(targets[0]!.discoveredLabels).toMatchObject({ __address__: "h1:9100", __scheme__: "http", __metrics_path__: "/metrics", __param_module: "a", __scrape_interval__: "15s", __scrape_timeout__: "10s" });
    expect(targets[0]).toMatchObject({ intervalMs: 15_000, timeoutMs: 10_000, job: "node" });
  });

  it("applies relabel_configs: drop targets, rewrite address/scheme/path/params, set instance, per-target interval", () => {
    const cfg = parseScrapeConfig({
      job_name: "blackbox",
      scrape_interval: "30s",
      static_configs: [{ targets: ["https://example.com", "skip.me"].map((t) => t.replace("https://", "")), labels: { tier: "edge" } }],
      relabel_configs: [
        { source_labels: ["__address__"], regex: "skip\\..*", action: "drop" },
        { source_labels: ["__address__"], target_label: "__param_target" },
        { source_labels: ["__param_target"], target_label: "instance" },
        { target_label: "__address__", replacement: "127.0.0.1:9115" },
        { target_label: "__metrics_path__", replacement: "/probe" },
        { target_label: "__scheme__", replacement: "https" },
        { target_label: "__scrape_interval__", replacement: "1m" },
        { target_label: "__meta_gone", replacement: "x" },
      ],
    });
    const set = targetsOf(cfg);
    expect(set.dropped).toHaveLength(1);
    expect(set.dropped[0]!.__address__).toBe("skip.me");
    expect(set.targets).toHaveLength(1);
    const t = set.targets[0]!;
    expect(t.url).toBe("https://127.0.0.1:9115/probe?target=example.com");
    expect({ ...t.labels }).toEqual({ instance: "example.com", job: "blackbox", tier: "edge" });
    expect(t.intervalMs).toBe(60_000);
    expect(t.timeoutMs).toBe(10_000);
  });

  it("refuses targets whose relabelled address or timings are invalid, and de-duplicates URLs", () => {
    const cfg = parseScrapeConfig({
      job_name: "x",
      static_configs: [{ targets: ["a:1", "a:1", "b:1", "c:1"] }],
      relabel_configs: [
        { source_labels: ["__address__"], regex: "b:1", target_label: "__address__", replacement: "" },
        { source_labels: ["__address__"], regex: "c:1", target_label: "__scrape_timeout__", replacement: "1m" },
      ],
    });
    const set = targetsOf(cfg);
    expect(set.targets.map((t) => t.url)).toEqual(["http://a:1/metrics"]);
    expect(set.invalid.map((i) => i.error)).toEqual(["no address", 'scrape timeout cannot be greater than scrape interval ("1m" > "15s")']);
  });
});
