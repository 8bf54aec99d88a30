import { describe, expect, it } from "vitest";
import { AppError } from "@/server/lib/errors";
import type { Labels } from "@/server/metrics/model";
import {
  groupingPath,
  groupKey,
  parseGroupingPath,
  parseGroupingSegments,
  planPush,
  prepareGroup,
  pushFailureSeries,
  staleMarkers,
} from "./pushgateway";
import { thrownBy } from "@/test/thrown";

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);
const TEXT = "text/plain; version=0.0.4";

const appError = (fn: () => unknown) => thrownBy(fn, AppError);

const plain = (labels: Record<string, string>) => ({ ...labels });

describe("parseGroupingPath", () => {
  it("reads job and label pairs", () => {
    expect(plain(parseGroupingPath("/job/batch/instance/db1/env/prod"))).toEqual({ job: "batch", instance: "db1", env: "prod" });
    expect(plain(parseGroupingPath("job/batch"))).toEqual({ job: "batch" });
    expect(plain(parseGroupingPath("/job/batch/"))).toEqual({ job: "batch" });
  });

  it("decodes @base64 values (URL-safe alphabet, padding optional, '=' for empty)", () => {
    expect(plain(parseGroupingPath("/job/directory_cleaner/path@base64/L3Zhci90bXA"))).toEqual({ job: "directory_cleaner", path: "/var/tmp" });
    expect(plain(parseGroupingPath("/job/directory_cleaner/path@base64/L3Zhci90bXA="))).toEqual({ job: "directory_cleaner", path: "/var/tmp" });
    expect(plain(parseGroupingPath("/job/example/first_label@base64/=/second_label/foobar"))).toEqual({ job: "example", first_label: "", second_label: "foobar" });
    expect(plain(parseGroupingPath("/job/titan/name@base64/zqDPgc6_zrzOt864zrXPjc-C"))).toEqual({ job: "titan", name: "Προμηθεύς" });
    expect(plain(parseGroupingPath("/job@base64/YS9i"))).toEqual({ job: "a/b" });
  });

  it("percent-decodes segments", () => {
    expect(plain(parseGroupingPath("/job/titan/name/%CE%A0%CF%81%CE%BF%CE%BC%CE%B7%CE%B8%CE%B5%CF%8D%CF%82"))).toEqual({ job: "titan", name: "Προμηθεύς" });
    expect(parseGroupingPath("/job/a%2Fb").job).toBe("a/b");
  });

  it.each([
    ["", "the path must start with /metrics/job/<job name>"],
    ["/instance/x", "the path must start with /metrics/job/<job name>"],
    ["/job", 'odd number of components in the grouping key path "/job" (expected /job/<job>{/<label>/<value>})'],
    ["/job/a/instance", 'odd number of components in the grouping key path "/job/a/instance" (expected /job/<job>{/<label>/<value>})'],
    ["/job@base64/=", "job name is required"],
    ["/job/a/1abc/x", 'improper label name "1abc"'],
    ["/job/a/__name__/x", 'improper label name "__name__"'],
    ["/job/a/foo-bar/x", 'improper label name "foo-bar"'],
    ["/job/a/env/x/env/y", 'label "env" appears more than once in the grouping key'],
    ["/job/a/job/b", 'label "job" appears more than once in the grouping key'],
    ["/job/a/p@base64/a*b", 'invalid base64 encoding for label p="a*b"'],
    ["/job/a/p/%zz", 'malformed percent-encoding in path segment "%zz"'],
  ])("rejects %j", (path, message) => {
    const err = appError(() => parseGroupingPath(path));
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.userMessage).toBe(message);
  });

  it("takes decoded segments from a catch-all route", () => {
    expect(plain(parseGroupingSegments(["job", "a/b", "x", "1"]))).toEqual({ job: "a/b", x: "1" });
  });
});

describe("groupKey and groupingPath", () => {
  it("is canonical: order-independent, escaped, empty values kept", () => {
    expect(groupKey({ job: "a", instance: "x" })).toBe(groupKey({ instance: "x", job: "a" }));
    expect(groupKey({ job: 'a"b', instance: "" })).toBe('{instance="",job="a\\"b"}');
    expect(groupKey({ job: "a" })).not.toBe(groupKey({ job: "a", instance: "" }));
  });

  it("round-trips through parseGroupingPath", () => {
    const keys: Labels[] = [{ job: "a" }, { job: "a/b", path: "/var/tmp", empty: "", name: "Προμηθεύς", sp: "x y" }];
    for (const labels of keys) {
      expect(groupKey(parseGroupingPath(groupingPath(labels)))).toBe(groupKey(labels));
    }
  });
});

describe("prepareGroup", () => {
  const body = [
    "# HELP job_duration_seconds Duration of the batch job.",
    "# TYPE job_duration_seconds gauge",
    "job_duration_seconds 12.5",
    "# TYPE records_processed_total counter",
    'records_processed_total{table="users"} 1000',
    'records_processed_total{table="orders",job="ignored",instance="other"} 20',
    "",
  ].join("\n");
  const grouping = { job: "nightly", instance: "db1" };

  it("applies grouping labels (overwriting the body's), stamps now and adds the gateway's own gauges", () => {
    const g = prepareGroup(grouping, body, TEXT, NOW);
    expect(g.series.map((s) => ({ labels: plain(s.labels), samples: s.samples }))).toEqual([
      { labels: { __name__: "job_duration_seconds", instance: "db1", job: "nightly" }, samples: [{ timestampMs: NOW, value: 12.5 }] },
      { labels: { __name__: "records_processed_total", instance: "db1", job: "nightly", table: "users" }, samples: [{ timestampMs: NOW, value: 1000 }] },
      { labels: { __name__: "records_processed_total", instance: "db1", job: "nightly", table: "orders" }, samples: [{ timestampMs: NOW, value: 20 }] },
      { labels: { __name__: "push_time_seconds", instance: "db1", job: "nightly" }, samples: [{ timestampMs: NOW, value: NOW / 1000 }] },
      { labels: { __name__: "push_failure_time_seconds", instance: "db1", job: "nightly" }, samples: [{ timestampMs: NOW, value: 0 }] },
    ]);
    expect(g.metadata).toEqual([
      { name: "job_duration_seconds", type: "gauge", help: "Duration of the batch job.", unit: "" },
      { name: "records_processed_total", type: "counter", help: "", unit: "" },
      { name: "push_time_seconds", type: "gauge", help: "Last Unix time when changing this group in the Pushgateway succeeded.", unit: "" },
      { name: "push_failure_time_seconds", type: "gauge", help: "Last Unix time when changing this group in the Pushgateway failed.", unit: "" },
    ]);
    expect(g.families.map((f) => f.name)).toEqual(["job_duration_seconds", "records_processed_total", "push_time_seconds", "push_failure_time_seconds"]);
  });

  it("keeps the last failure time and drops empty grouping values from series labels", () => {
    const g = prepareGroup({ job: "x", instance: "" }, "", TEXT, NOW, { lastFailureSeconds: 1700000000 });
    expect(g.series.map((s) => [plain(s.labels), s.samples[0].value])).toEqual([
      [{ __name__: "push_time_seconds", job: "x" }, NOW / 1000],
      [{ __name__: "push_failure_time_seconds", job: "x" }, 1700000000],
    ]);
  });

  it("refuses body labels that disagree with the grouping key in strict mode", () => {
    const err = appError(() => prepareGroup(grouping, body, TEXT, NOW, { strictGroupingLabels: true }));
    expect(err.userMessage).toBe('pushed metric records_processed_total has label job="ignored", which conflicts with the grouping key (job="nightly")');
    expect(prepareGroup(grouping, 'm{job="nightly"} 1\n', TEXT, NOW, { strictGroupingLabels: true }).series).toHaveLength(3);
  });

  it("drops pushed push_time_seconds families", () => {
    const g = prepareGroup({ job: "x" }, "push_time_seconds 5\nother 1\n", TEXT, NOW);
    expect(g.series.filter((s) => s.labels.__name__ === "push_time_seconds").map((s) => s.samples[0].value)).toEqual([NOW / 1000]);
  });

  it("parses histograms and OpenMetrics, dropping _created", () => {
    const om = [
      "# TYPE req_seconds histogram",
      "# UNIT req_seconds seconds",
      'req_seconds_bucket{le="0.5"} 3',
      'req_seconds_bucket{le="+Inf"} 4',
      "req_seconds_sum 1.5",
      "req_seconds_count 4",
      "req_seconds_created 1700000000",
      "# EOF",
      "",
    ].join("\n");
    const g = prepareGroup({ job: "x" }, om, "application/openmetrics-text; version=1.0.0", NOW);
    expect(g.families[0].series.map((s) => s.labels.__name__ + (s.labels.le ? `{le=${s.labels.le}}` : ""))).toEqual([
      "req_seconds_bucket{le=0.5}",
      "req_seconds_bucket{le=+Inf}",
      "req_seconds_sum",
      "req_seconds_count",
    ]);
    expect(g.metadata[0]).toEqual({ name: "req_seconds", type: "histogram", help: "", unit: "seconds" });
  });

  it.each([
    ["a sample with a timestamp", "m 1 1714564800000\n", TEXT, "pushed metrics must not have timestamps: m{} has one"],
    ["the protobuf format", "", "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited", /protobuf delimited exposition format is not supported/],
    ["a parse error", "m{ 1\n", TEXT, /^text format parse error in line 1/],
    ["a duplicate series", 'm{a="1"} 1\nm{a="1"} 2\n', TEXT, /duplicate sample for series m|second TYPE|parse error/],
  ])("refuses %s with INVALID_INPUT", (_what, text, contentType, message) => {
    const err = appError(() => prepareGroup({ job: "x" }, text, contentType, NOW));
    expect(err.code).toBe("INVALID_INPUT");
    if (typeof message === "string") expect(err.userMessage).toBe(message);
    else expect(err.userMessage).toMatch(message);
  });
});

describe("pushFailureSeries", () => {
  it("sets the failure time to now and keeps the last success", () => {
    expect(pushFailureSeries({ job: "x" }, NOW, 1700000000).map((s) => [plain(s.labels), s.samples])).toEqual([
      [{ __name__: "push_time_seconds", job: "x" }, [{ timestampMs: NOW, value: 1700000000 }]],
      [{ __name__: "push_failure_time_seconds", job: "x" }, [{ timestampMs: NOW, value: NOW / 1000 }]],
    ]);
  });
});

describe("planPush and staleMarkers", () => {
  const grouping = { job: "x" };
  const existing: { family: string; labels: Labels }[] = [
    { family: "a", labels: { __name__: "a", job: "x", k: "1" } },
    { family: "a", labels: { __name__: "a", job: "x", k: "2" } },
    { family: "b", labels: { __name__: "b", job: "x" } },
    { family: "push_time_seconds", labels: { __name__: "push_time_seconds", job: "x" } },
    { family: "push_failure_time_seconds", labels: { __name__: "push_failure_time_seconds", job: "x" } },
  ];
  const existingNames = ["a", "b", "push_time_seconds", "push_failure_time_seconds"];
  const prepared = prepareGroup(grouping, 'a{k="1"} 5\nc 1\n', TEXT, NOW);

  it("PUT replaces every family; the series not pushed again get stale markers", () => {
    const plan = planPush("PUT", existingNames, prepared);
    expect(plan).toMatchObject({ kind: "write", replaceFamilies: "all" });
    expect(staleMarkers(existing, plan, NOW).map((s) => plain(s.labels))).toEqual([
      { __name__: "a", job: "x", k: "2" },
      { __name__: "b", job: "x" },
    ]);
  });

  it("POST replaces only the pushed families", () => {
    const plan = planPush("POST", existingNames, prepared);
    expect(plan).toMatchObject({ kind: "write", replaceFamilies: ["a", "push_time_seconds", "push_failure_time_seconds"] });
    expect(staleMarkers(existing, plan, NOW).map((s) => plain(s.labels))).toEqual([{ __name__: "a", job: "x", k: "2" }]);
    const marker = staleMarkers(existing, plan, NOW)[0].samples[0];
    expect(marker.stale).toBe(true);
    expect(marker.value).toBeNaN();
  });

  it("an empty POST only refreshes the push times", () => {
    const plan = planPush("POST", existingNames, prepareGroup(grouping, "", TEXT, NOW));
    expect(plan).toMatchObject({ replaceFamilies: ["push_time_seconds", "push_failure_time_seconds"] });
    expect(staleMarkers(existing, plan, NOW)).toEqual([]);
  });

  it("DELETE drops the group: every series ends", () => {
    const plan = planPush("DELETE", existingNames, null);
    expect(plan).toEqual({ kind: "delete" });
    expect(staleMarkers(existing, plan, NOW)).toHaveLength(5);
  });
});
