import { describe, expect, it } from "vitest";
import type { Labels, SeriesSamplesInput } from "@/server/metrics/model";
import { parseScrapeConfig, targetsOf, type ScrapeTarget } from "./config";
import { mutateSampleLabels, SCRAPE_ACCEPT_HEADER, scrapeOnce, type FetchLike } from "./scrape";

const NOW = Date.UTC(2026, 0, 1, 12);
const TEXT = `# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{code="200",job="app-says"} 10
http_requests_total{code="500"} 2
# TYPE temperature gauge
temperature 21.5 1767268800000
`;
const OPENMETRICS = `# TYPE jobs counter
# HELP jobs Jobs done.
jobs_total{queue="a"} 3
jobs_created{queue="a"} 1767268000.5
# TYPE build info
build_info{version="1.2"} 1
# EOF
`;

function target(config: Record<string, unknown> = {}): ScrapeTarget {
  const cfg = parseScrapeConfig({ job_name: "app", static_configs: [{ targets: ["app:8080"], labels: { env: "test" } }], ...config });
  return targetsOf(cfg).targets[0]!;
}

type Call = { url: string; headers: Record<string, string> };

function fakeFetch(respond: (call: Call, signal: AbortSignal) => Response | Promise<Response>): FetchLike & { calls: Call[] } {
  const calls: Call[] = [];
  const f = (async (url, init) => {
    const call = { url, headers: init.headers };
    calls.push(call);
    return respond(call, init.signal);
  }) as FetchLike & { calls: Call[] };
  f.calls = calls;
  return f;
}

const text = (body: string, contentType = "text/plain; version=0.0.4; charset=utf-8") => () => new Response(body, { status: 200, headers: { "content-type": contentType } });

/** name{labels} → value (or "stale") over the result's series, for compact assertions. */
function values(series: SeriesSamplesInput[]): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const s of series) {
    const { __name__, ...rest } = s.labels;
    const key = `${__name__}{${Object.keys(rest).sort().map((k) => `${k}=${rest[k]}`).join(",")}}`;
    const sample = s.samples[0]!;
    out[key] = sample.stale ? "stale" : sample.value;
  }
  return out;
}

const fixedClock = () => {
  let t = 1000;
  return () => (t += 250);
};

describe("scrapeOnce", () => {
  it("scrapes the text format: target labels, exported_ on clashes, honored timestamps, report series", async () => {
    const fetch = fakeFetch(text(TEXT));
    const r = await scrapeOnce(target(), fetch, NOW, { clock: fixedClock() });
    expect(fetch.calls[0]!.url).toBe("http://app:8080/metrics");
    expect(fetch.calls[0]!.headers.accept).toBe(SCRAPE_ACCEPT_HEADER);
    expect(fetch.calls[0]!.headers["x-prometheus-scrape-timeout-seconds"]).toBe("10");
    expect(r).toMatchObject({ up: true, error: null, samplesScraped: 3, samplesPostMetricRelabeling: 3, seriesAdded: 2, staleMarkers: 0, durationMs: 250 });
    expect(values(r.series)).toEqual({
      "http_requests_total{code=200,env=test,exported_job=app-says,instance=app:8080,job=app}": 10,
      "http_requests_total{code=500,env=test,instance=app:8080,job=app}": 2,
      "temperature{env=test,instance=app:8080,job=app}": 21.5,
      "up{env=test,instance=app:8080,job=app}": 1,
      "scrape_duration_seconds{env=test,instance=app:8080,job=app}": 0.25,
      "scrape_samples_scraped{env=test,instance=app:8080,job=app}": 3,
      "scrape_samples_post_metric_relabeling{env=test,instance=app:8080,job=app}": 3,
      "scrape_series_added{env=test,instance=app:8080,job=app}": 2,
    });
    const temp = r.series.find((s) => s.labels.__name__ === "temperature")!;
    expect(temp.samples[0]!.timestampMs).toBe(1767268800000);
    const req = r.series.find((s) => s.labels.__name__ === "http_requests_total")!;
    expect(req.samples[0]!.timestampMs).toBe(NOW);
    // The sample with its own timestamp is not tracked for staleness (track_timestamps_staleness off).
    expect(r.tracked.map((l) => l.__name__)).not.toContain("temperature");
    expect(r.metadata).toContainEqual({ name: "http_requests_total", type: "counter", help: "Requests.", unit: "" });
  });

  it("parses OpenMetrics by Content-Type, with honor_labels and honor_timestamps: false", async () => {
    const fetch = fakeFetch(text(OPENMETRICS.replace('queue="a"} 3', 'queue="a",env="from-app"} 3'), "application/openmetrics-text; version=1.0.0; charset=utf-8"));
    const r = await scrapeOnce(target({ honor_labels: true, honor_timestamps: false }), fetch, NOW);
    expect(r.up).toBe(true);
    const v = values(r.series);
    expect(v["jobs_total{env=from-app,instance=app:8080,job=app,queue=a}"]).toBe(3);
    expect(v["jobs_created{env=test,instance=app:8080,job=app,queue=a}"]).toBe(1767268000.5);
    expect(v["build_info{env=test,instance=app:8080,job=app,version=1.2}"]).toBe(1);
    for (const s of r.series) expect(s.samples[0]!.timestampMs).toBe(NOW);
  });

  it("applies metric_relabel_configs after the target labels and reports the post-relabel count", async () => {
    const t = target({
      metric_relabel_configs: [
        { source_labels: ["code"], regex: "5..", action: "drop" },
        { source_labels: ["__name__"], regex: "temperature", target_label: "unit", replacement: "celsius" },
      ],
    });
    const r = await scrapeOnce(t, fakeFetch(text(TEXT)), NOW);
    expect(r).toMatchObject({ samplesScraped: 3, samplesPostMetricRelabeling: 2 });
    expect(Object.keys(values(r.series))).toContain("temperature{env=test,instance=app:8080,job=app,unit=celsius}");
    expect(Object.keys(values(r.series)).filter((k) => k.includes("code=500"))).toEqual([]);
  });

  it("a 500 is a failed scrape: up 0 and the status as the error", async () => {
    const r = await scrapeOnce(target(), fakeFetch(() => new Response("boom", { status: 500, statusText: "Internal Server Error" })), NOW);
    expect(r).toMatchObject({ up: false, error: "server returned HTTP status 500 Internal Server Error", samplesScraped: 0 });
    expect(values(r.series)["up{env=test,instance=app:8080,job=app}"]).toBe(0);
    expect(r.series.map((s) => s.labels.__name__).sort()).toEqual(["scrape_duration_seconds", "scrape_samples_post_metric_relabeling", "scrape_samples_scraped", "scrape_series_added", "up"]);
  });

  it("a target slower than scrape_timeout fails with context deadline exceeded", async () => {
    const slow = fakeFetch(
      (_call, signal) =>
        new Promise<Response>((_resolve, reject) => {
          signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
        }),
    );
    const r = await scrapeOnce(target({ scrape_interval: "1s", scrape_timeout: "50ms" }), slow, NOW);
    expect(r.up).toBe(false);
    expect(r.error).toBe('Get "http://app:8080/metrics": context deadline exceeded (timeout 0.05s)');
  });

  it("a network error and a parse error fail the scrape with their message", async () => {
    const refused = await scrapeOnce(target(), fakeFetch(() => Promise.reject(Object.assign(new TypeError("fetch failed"), { cause: { message: "connect ECONNREFUSED 10.0.0.1:8080" } }))), NOW);
    expect(refused.error).toBe('Get "http://app:8080/metrics": connect ECONNREFUSED 10.0.0.1:8080');
    const garbage = await scrapeOnce(target(), fakeFetch(text("ok 1\nnot valid{\n")), NOW);
    expect(garbage.up).toBe(false);
    expect(garbage.error).toMatch(/^text format parse error in line 2/);
  });

  it("a sample_limit breach fails the whole scrape, as Prometheus does", async () => {
    const r = await scrapeOnce(target({ sample_limit: 2 }), fakeFetch(text(TEXT)), NOW);
    expect(r).toMatchObject({ up: false, error: "sample limit exceeded", samplesScraped: 3, samplesPostMetricRelabeling: 3 });
    expect(r.series.filter((s) => !s.labels.__name__!.startsWith("scrape_") && s.labels.__name__ !== "up")).toEqual([]);
    // Dropped by relabelling first, then under the limit: fine.
    const ok = await scrapeOnce(target({ sample_limit: 2, metric_relabel_configs: [{ source_labels: ["code"], regex: "500", action: "drop" }] }), fakeFetch(text(TEXT)), NOW);
    expect(ok.up).toBe(true);
  });

  it("label_limit counts the final labels, __name__ included", async () => {
    const r = await scrapeOnce(target({ label_limit: 4 }), fakeFetch(text(TEXT)), NOW);
    expect(r.error).toBe("label_limit exceeded (metric: http_requests_total, number of labels: 6, limit: 4)");
  });

  it("sends basic auth or a bearer token", async () => {
    const f1 = fakeFetch(text(TEXT));
    await scrapeOnce(target({ basic_auth: { username: "u", password: "p" } }), f1, NOW);
    expect(f1.calls[0]!.headers.authorization).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
    const f2 = fakeFetch(text(TEXT));
    await scrapeOnce(target({ bearer_token: "tok" }), f2, NOW);
    expect(f2.calls[0]!.headers.authorization).toBe("Bearer tok");
  });

  it("marks series that disappeared between two scrapes stale, and all of them when a scrape fails", async () => {
    const t = target();
    const first = await scrapeOnce(t, fakeFetch(text(TEXT)), NOW);
    const second = await scrapeOnce(t, fakeFetch(text(TEXT.replace('http_requests_total{code="500"} 2\n', 'http_requests_total{code="404"} 1\n'))), NOW + 15_000, { previous: first.tracked });
    const v = values(second.series);
    expect(v["http_requests_total{code=500,env=test,instance=app:8080,job=app}"]).toBe("stale");
    expect(v["http_requests_total{code=404,env=test,instance=app:8080,job=app}"]).toBe(1);
    expect(second).toMatchObject({ staleMarkers: 1, seriesAdded: 1 });
    expect(second.series.find((s) => s.samples[0]!.stale)!.samples[0]).toMatchObject({ timestampMs: NOW + 15_000 });

    const failed = await scrapeOnce(t, fakeFetch(() => new Response("", { status: 503 })), NOW + 30_000, { previous: second.tracked });
    const stale = failed.series.filter((s) => s.samples[0]!.stale).map((s) => s.labels.code ?? s.labels.__name__);
    expect(stale.sort()).toEqual(["200", "404"]);
    expect(values(failed.series)["up{env=test,instance=app:8080,job=app}"]).toBe(0);

    const back = await scrapeOnce(t, fakeFetch(text(TEXT)), NOW + 45_000, { previous: failed.tracked });
    expect(back).toMatchObject({ up: true, staleMarkers: 0, seriesAdded: 2 });
  });
});

describe("mutateSampleLabels", () => {
  const t = (labels: Labels, honorLabels = false) => ({ labels, honorLabels, metricRelabelConfigs: [] });
  it("prefixes exported_ again while the name is taken, shortest names first", () => {
    const out = mutateSampleLabels({ __name__: "m", job: "a", exported_job: "b" }, t({ job: "j", exported_job: "t" }));
    expect({ ...out }).toEqual({ __name__: "m", job: "j", exported_job: "t", exported_exported_job: "a", exported_exported_exported_job: "b" });
  });
  it("keeps exposed labels with honor_labels", () => {
    expect({ ...mutateSampleLabels({ __name__: "m", job: "a" }, t({ job: "j", instance: "i" }, true)) }).toEqual({ __name__: "m", job: "a", instance: "i" });
  });
});
