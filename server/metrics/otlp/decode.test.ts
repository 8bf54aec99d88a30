import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { AppError } from "@/server/lib/errors";
import type { SeriesSamplesInput } from "@/server/metrics/model";
import {
  attributesToLabels,
  decodeOtlpMetrics,
  encodeOtlpMetricsResponse,
  otlpMetricsResponse,
  promLabelName,
  promMetricName,
  promUnit,
  type OtlpMetricsResult,
} from "./decode";
import { ExportMetricsServiceRequestType, ExportMetricsServiceResponseType } from "./schema";
import { thrownBy } from "@/test/thrown";

const OPTS = { maxBytes: 1024 * 1024 };
const T_NS = "1714571100123456789";
const T = Date.UTC(2024, 4, 1, 13, 45, 0, 123);
const START_NS = "1714570000000000000";

const str = (stringValue: string) => ({ stringValue });
const kv = (key: string, value: unknown) => ({ key, value });

/** What an OpenTelemetry SDK (via the Collector's otlphttp exporter, encoding: json) sends. */
const sdkRequest = {
  resourceMetrics: [
    {
      resource: {
        attributes: [
          kv("service.name", str("checkout")),
          kv("service.namespace", str("shop")),
          kv("service.instance.id", str("627cc493-f310-47de-96bd-71410b7dec09")),
          kv("telemetry.sdk.language", str("java")),
          kv("host.name", str("web-1")),
          kv("process.pid", { intValue: "4242" }),
        ],
      },
      scopeMetrics: [
        {
          scope: { name: "io.opentelemetry.runtime-telemetry-java8", version: "2.4.0" },
          metrics: [
            {
              name: "http.server.request.duration",
              description: "Duration of HTTP server requests.",
              unit: "s",
              histogram: {
                aggregationTemporality: 2,
                dataPoints: [
                  {
                    attributes: [kv("http.request.method", str("GET")), kv("http.response.status_code", { intValue: "200" })],
                    startTimeUnixNano: START_NS,
                    timeUnixNano: T_NS,
                    count: "10",
                    sum: 2.5,
                    bucketCounts: ["2", "5", "3", "0"],
                    explicitBounds: [0.005, 0.1, 1],
                    min: 0.001,
                    max: 0.9,
                  },
                ],
              },
            },
            {
              name: "http.server.requests",
              unit: "{request}",
              sum: {
                aggregationTemporality: 2,
                isMonotonic: true,
                dataPoints: [
                  {
                    attributes: [kv("http.route", str("/cart"))],
                    startTimeUnixNano: START_NS,
                    timeUnixNano: T_NS,
                    asInt: "1234",
                  },
                ],
              },
            },
            {
              name: "jvm.memory.used",
              description: "Measure of memory used.",
              unit: "By",
              sum: {
                aggregationTemporality: 2,
                isMonotonic: false,
                dataPoints: [{ attributes: [kv("jvm.memory.pool.name", str("G1 Eden Space"))], timeUnixNano: T_NS, asInt: "52428800" }],
              },
            },
            {
              name: "system.cpu.utilization",
              unit: "1",
              gauge: { dataPoints: [{ timeUnixNano: T_NS, asDouble: 0.25 }] },
            },
            {
              name: "rpc.latency",
              unit: "ms",
              summary: {
                dataPoints: [
                  {
                    timeUnixNano: T_NS,
                    count: "4",
                    sum: 100,
                    quantileValues: [
                      { quantile: 0.5, value: 20 },
                      { quantile: 0.99, value: 45 },
                    ],
                  },
                ],
              },
            },
          ],
        },
      ],
    },
  ],
};

function decodeJson(body: unknown, opts: Partial<typeof OPTS> & { promoteResourceAttributes?: string[] } = {}): OtlpMetricsResult {
  return decodeOtlpMetrics(Buffer.from(JSON.stringify(body)), "application/json", { ...OPTS, ...opts });
}

function protoBody(request: unknown): Buffer {
  return Buffer.from(ExportMetricsServiceRequestType.encode(ExportMetricsServiceRequestType.fromObject(request as Record<string, unknown>)).finish());
}

function decodeProto(request: unknown): OtlpMetricsResult {
  return decodeOtlpMetrics(protoBody(request), "application/x-protobuf", OPTS);
}

/** Series as `name{labels} → [ts, value]…`, sorted, for readable assertions. */
function flat(series: SeriesSamplesInput[]): Record<string, [number, number | "stale"][]> {
  const out: Record<string, [number, number | "stale"][]> = {};
  for (const s of series) {
    const { __name__: name, ...rest } = s.labels;
    const labels = Object.entries(rest)
      .map(([k, v]) => `${k}="${v}"`)
      .join(",");
    out[`${name}{${labels}}`] = s.samples.map((x) => [x.timestampMs, x.stale ? "stale" : x.value]);
  }
  return out;
}

function oneMetric(metric: Record<string, unknown>, resourceAttributes: unknown[] = [kv("service.name", str("svc"))]): unknown {
  return { resourceMetrics: [{ resource: { attributes: resourceAttributes }, scopeMetrics: [{ metrics: [metric] }] }] };
}

const appError = (fn: () => unknown) => thrownBy(fn, AppError);

const JOB = 'instance="627cc493-f310-47de-96bd-71410b7dec09",job="shop/checkout"';

describe("decodeOtlpMetrics: an SDK request", () => {
  const expected = {
    [`http_server_request_duration_seconds_bucket{http_request_method="GET",http_response_status_code="200",${JOB},le="0.005"}`]: [[T, 2]],
    [`http_server_request_duration_seconds_bucket{http_request_method="GET",http_response_status_code="200",${JOB},le="0.1"}`]: [[T, 7]],
    [`http_server_request_duration_seconds_bucket{http_request_method="GET",http_response_status_code="200",${JOB},le="1"}`]: [[T, 10]],
    [`http_server_request_duration_seconds_bucket{http_request_method="GET",http_response_status_code="200",${JOB},le="+Inf"}`]: [[T, 10]],
    [`http_server_request_duration_seconds_sum{http_request_method="GET",http_response_status_code="200",${JOB}}`]: [[T, 2.5]],
    [`http_server_request_duration_seconds_count{http_request_method="GET",http_response_status_code="200",${JOB}}`]: [[T, 10]],
    [`http_server_requests_total{http_route="/cart",${JOB}}`]: [[T, 1234]],
    [`jvm_memory_used_bytes{${JOB},jvm_memory_pool_name="G1 Eden Space"}`]: [[T, 52428800]],
    [`system_cpu_utilization_ratio{${JOB}}`]: [[T, 0.25]],
    [`rpc_latency_milliseconds{${JOB},quantile="0.5"}`]: [[T, 20]],
    [`rpc_latency_milliseconds{${JOB},quantile="0.99"}`]: [[T, 45]],
    [`rpc_latency_milliseconds_sum{${JOB}}`]: [[T, 100]],
    [`rpc_latency_milliseconds_count{${JOB}}`]: [[T, 4]],
    [`target_info{host_name="web-1",${JOB},process_pid="4242",telemetry_sdk_language="java"}`]: [[T, 1]],
  };
  const expectedMetadata = [
    { name: "http_server_request_duration_seconds", type: "histogram", help: "Duration of HTTP server requests.", unit: "seconds" },
    { name: "http_server_requests_total", type: "counter", help: "", unit: "" },
    { name: "jvm_memory_used_bytes", type: "gauge", help: "Measure of memory used.", unit: "bytes" },
    { name: "system_cpu_utilization_ratio", type: "gauge", help: "", unit: "ratio" },
    { name: "rpc_latency_milliseconds", type: "summary", help: "", unit: "milliseconds" },
    { name: "target_info", type: "gauge", help: "Target metadata", unit: "" },
  ];

  it("maps JSON to Prometheus series, metadata and target_info", () => {
    const r = decodeJson(sdkRequest);
    expect(flat(r.series)).toEqual(expected);
    expect(r.metadata).toEqual(expectedMetadata);
    expect(r.rejected).toEqual([]);
  });

  it("gives the same result for the same request in protobuf", () => {
    const r = decodeProto(sdkRequest);
    expect(flat(r.series)).toEqual(expected);
    expect(r.metadata).toEqual(expectedMetadata);
    expect(r.rejected).toEqual([]);
  });

  it("reads gzip bodies and snake_case JSON keys", () => {
    const snake = JSON.parse(
      JSON.stringify(sdkRequest)
        .replace(/"resourceMetrics"/g, '"resource_metrics"')
        .replace(/"scopeMetrics"/g, '"scope_metrics"')
        .replace(/"dataPoints"/g, '"data_points"')
        .replace(/"timeUnixNano"/g, '"time_unix_nano"'),
    );
    const body = gzipSync(Buffer.from(JSON.stringify(snake)));
    const r = decodeOtlpMetrics(body, "application/json", { ...OPTS, contentEncoding: "gzip" });
    expect(flat(r.series)).toEqual(expected);
  });

  it("keeps labels sorted, with a null prototype and no empty values", () => {
    const r = decodeJson(oneMetric({ name: "g", gauge: { dataPoints: [{ timeUnixNano: T_NS, asDouble: 1, attributes: [kv("empty", str("")), kv("b", str("x"))] }] } }));
    expect(Object.keys(r.series[0].labels)).toEqual(["__name__", "b", "job"]);
    expect(Object.getPrototypeOf(r.series[0].labels)).toBeNull();
  });
});

describe("decodeOtlpMetrics: points", () => {
  it("turns NO_RECORDED_VALUE into stale markers on every series of the point", () => {
    const r = decodeJson(
      oneMetric({
        name: "latency",
        unit: "s",
        histogram: { aggregationTemporality: 2, dataPoints: [{ timeUnixNano: T_NS, flags: 1, explicitBounds: [1], bucketCounts: ["0", "0"], count: "0", sum: 0 }] },
      }),
    );
    expect(r.series).toHaveLength(4);
    for (const s of r.series) {
      expect(s.samples).toHaveLength(1);
      expect(s.samples[0].stale).toBe(true);
      expect(s.samples[0].value).toBeNaN();
    }
    const gauge = decodeProto(oneMetric({ name: "up", gauge: { dataPoints: [{ timeUnixNano: T_NS, flags: 1 }] } }));
    expect(flat(gauge.series)).toEqual({ 'up{job="svc"}': [[T, "stale"]] });
  });

  it("merges points of one series and reads doubles written as strings", () => {
    const r = decodeJson(
      oneMetric({
        name: "temp",
        unit: "Cel",
        gauge: {
          dataPoints: [
            { timeUnixNano: "1714571100000000000", asDouble: "NaN" },
            { timeUnixNano: "1714571110000000000", asDouble: "Infinity" },
            { timeUnixNano: 1714571120000000000, asDouble: 21.5 },
          ],
        },
      }),
    );
    expect(r.series).toHaveLength(1);
    const s = r.series[0];
    expect(s.labels.__name__).toBe("temp_celsius");
    expect(s.samples.map((x) => x.timestampMs)).toEqual([1714571100000, 1714571110000, 1714571120000]);
    expect(s.samples[0].value).toBeNaN();
    expect(s.samples[0].stale).toBeUndefined();
    expect(s.samples.slice(1).map((x) => x.value)).toEqual([Infinity, 21.5]);
  });

  it("emits _sum only when a histogram point has a sum (protobuf presence)", () => {
    const metric = { name: "size", unit: "By", histogram: { aggregationTemporality: 2, dataPoints: [{ timeUnixNano: T_NS, count: "3", explicitBounds: [], bucketCounts: ["3"] }] } };
    for (const r of [decodeJson(oneMetric(metric)), decodeProto(oneMetric(metric))]) {
      expect(Object.keys(flat(r.series)).sort()).toEqual(['size_bytes_bucket{job="svc",le="+Inf"}', 'size_bytes_count{job="svc"}']);
    }
    const zeroSum = { ...metric, histogram: { ...metric.histogram, dataPoints: [{ ...metric.histogram.dataPoints[0], sum: 0 }] } };
    expect(flat(decodeProto(oneMetric(zeroSum)).series)['size_bytes_sum{job="svc"}']).toEqual([[T, 0]]);
  });

  it("rejects delta sums and histograms, exponential histograms and unreadable points, counting data points", () => {
    const request = {
      resourceMetrics: [
        {
          resource: { attributes: [kv("service.name", str("svc"))] },
          scopeMetrics: [
            {
              metrics: [
                { name: "requests", sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ timeUnixNano: T_NS, asInt: "1" }, { timeUnixNano: T_NS, asInt: "2" }] } },
                { name: "latency", histogram: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: T_NS, count: "1" }] } },
                { name: "native", exponentialHistogram: { aggregationTemporality: 2, dataPoints: [{ timeUnixNano: T_NS, count: "1", scale: 3 }] } },
                { name: "nodata" },
                { name: "g", gauge: { dataPoints: [{ asDouble: 1 }, { timeUnixNano: T_NS }, { timeUnixNano: T_NS, asDouble: 3 }] } },
              ],
            },
          ],
        },
      ],
    };
    // The schema only counts exponential histogram points (declared bytes): encode one by hand,
    // field 3 (timeUnixNano, fixed64) and field 6 (scale, sint32).
    const protoRequest = structuredClone(request) as typeof request;
    const time = Buffer.alloc(8);
    time.writeBigUInt64LE(BigInt(T_NS));
    (protoRequest.resourceMetrics[0].scopeMetrics[0].metrics[2] as { exponentialHistogram: { dataPoints: unknown[] } }).exponentialHistogram.dataPoints = [
      Buffer.concat([Buffer.from([0x19]), time, Buffer.from([0x30, 0x06])]),
    ];
    for (const r of [decodeJson(request), decodeProto(protoRequest)]) {
      expect(flat(r.series)).toEqual({ 'g{job="svc"}': [[T, 3]] });
      expect(r.rejected).toEqual([
        {
          reason: 'metric "requests": delta aggregation temporality is not supported (only cumulative sums can be stored; set the exporter\'s temporality preference to cumulative)',
          count: 2,
        },
        {
          reason: 'metric "latency": delta aggregation temporality is not supported (only cumulative histograms can be stored; set the exporter\'s temporality preference to cumulative)',
          count: 1,
        },
        { reason: 'metric "native": exponential histograms are not supported (native histograms are not stored); use explicit bucket histograms', count: 1 },
        { reason: 'metric "g": data point has no timeUnixNano', count: 1 },
        { reason: 'metric "g": data point has no value (asDouble or asInt)', count: 1 },
      ]);
      expect(r.metadata.map((m) => m.name)).toEqual(["g"]);
    }
  });

  it("reads enum names for temporality and rejects unspecified temporality", () => {
    const named = decodeJson(oneMetric({ name: "c", sum: { aggregationTemporality: "AGGREGATION_TEMPORALITY_CUMULATIVE", isMonotonic: true, dataPoints: [{ timeUnixNano: T_NS, asInt: 5 }] } }));
    expect(flat(named.series)).toEqual({ 'c_total{job="svc"}': [[T, 5]] });
    const unspecified = decodeJson(oneMetric({ name: "c", sum: { isMonotonic: true, dataPoints: [{ timeUnixNano: T_NS, asInt: 5 }] } }));
    expect(unspecified.series).toEqual([]);
    expect(unspecified.rejected[0].reason).toContain("unspecified aggregation temporality");
  });

  it("rejects a histogram whose bucket counts do not match its bounds", () => {
    const r = decodeJson(oneMetric({ name: "h", histogram: { aggregationTemporality: 2, dataPoints: [{ timeUnixNano: T_NS, count: "3", explicitBounds: [1, 2], bucketCounts: ["1", "2"] }] } }));
    expect(r.series).toEqual([]);
    expect(r.rejected).toEqual([{ reason: 'metric "h": histogram has 2 bucketCounts for 2 explicitBounds (expected 3)', count: 1 }]);
  });

  it("formats le and quantile labels as Prometheus does", () => {
    const r = decodeJson(
      oneMetric({
        name: "h",
        histogram: { aggregationTemporality: 2, dataPoints: [{ timeUnixNano: T_NS, count: "0", explicitBounds: [1e-7, 0.25, 1e21], bucketCounts: ["0", "0", "0", "0"] }] },
      }),
    );
    expect(r.series.map((s) => s.labels.le).filter(Boolean)).toEqual(["0.0000001", "0.25", "1000000000000000000000", "+Inf"]);
  });
});

describe("decodeOtlpMetrics: resources and labels", () => {
  it("sets job from service.name alone and instance only when present; no target_info without other attributes", () => {
    const r = decodeJson(oneMetric({ name: "g", gauge: { dataPoints: [{ timeUnixNano: T_NS, asDouble: 1 }] } }, [kv("service.name", str("api"))]));
    expect(flat(r.series)).toEqual({ 'g{job="api"}': [[T, 1]] });
  });

  it("lets job/instance from the resource win over attributes, and attributes win over promoted resource attributes", () => {
    const r = decodeJson(
      oneMetric(
        { name: "g", gauge: { dataPoints: [{ timeUnixNano: T_NS, asDouble: 1, attributes: [kv("job", str("mine")), kv("k8s.namespace.name", str("point"))] }] } },
        [kv("service.name", str("api")), kv("service.instance.id", str("i-1")), kv("k8s.namespace.name", str("prod")), kv("k8s.pod.name", str("p"))],
      ),
      { promoteResourceAttributes: ["k8s.namespace.name", "k8s.pod.name"] },
    );
    expect(flat(r.series)).toEqual({ 'g{instance="i-1",job="api",k8s_namespace_name="point",k8s_pod_name="p"}': [[T, 1]] });
  });

  it("stamps target_info at the newest point of the resource", () => {
    const r = decodeJson(
      oneMetric({ name: "g", gauge: { dataPoints: [{ timeUnixNano: "2000000000", asDouble: 1 }, { timeUnixNano: "5000000000", asDouble: 2 }] } }, [
        kv("service.name", str("api")),
        kv("cloud.region", str("eu-west-1")),
      ]),
    );
    expect(flat(r.series)['target_info{cloud_region="eu-west-1",job="api"}']).toEqual([[5000, 1]]);
  });

  it("rejects every point of a resource with malformed attributes", () => {
    const request = oneMetric({ name: "g", gauge: { dataPoints: [{ timeUnixNano: T_NS, asDouble: 1 }, { timeUnixNano: T_NS, asDouble: 2 }] } }, [{ key: 5 }]);
    const r = decodeJson(request);
    expect(r.series).toEqual([]);
    expect(r.rejected).toEqual([{ reason: "resource: each attribute must be {key: string, value: AnyValue}", count: 2 }]);
  });

  it("joins attributes that collide after sanitising with ';' in key order, and stringifies non-string values", () => {
    expect(attributesToLabels({ "a.b": "1", a_b: "2", "a-b": "3" })).toEqual({ a_b: "3;1;2" });
    expect(attributesToLabels({ n: 3, f: 0.5, t: true, arr: [1, "x"], big: "18446744073709551615" })).toEqual({
      n: "3",
      f: "0.5",
      t: "true",
      arr: '[1,"x"]',
      big: "18446744073709551615",
    });
  });

  it("sanitises label names", () => {
    expect(promLabelName("http.request.method")).toBe("http_request_method");
    expect(promLabelName("2xx")).toBe("key_2xx");
    expect(promLabelName("_private")).toBe("_private");
    expect(promLabelName("ünï")).toBe("_n_");
  });
});

describe("promMetricName", () => {
  it.each([
    ["http.server.request.duration", "s", "histogram", "http_server_request_duration_seconds"],
    ["http.server.requests", "{request}", "counter", "http_server_requests_total"],
    ["requests_total", "", "counter", "requests_total"],
    ["total.requests.count", "", "counter", "requests_count_total"],
    ["process.runtime.jvm.memory", "By", "non-monotonic-sum", "process_runtime_jvm_memory_bytes"],
    ["system.cpu.utilization", "1", "gauge", "system_cpu_utilization_ratio"],
    ["cpu_ratio", "1", "gauge", "cpu_ratio"],
    ["system.cpu.utilization", "1", "non-monotonic-sum", "system_cpu_utilization"],
    ["disk.io", "By", "counter", "disk_io_bytes_total"],
    ["disk_bytes", "By", "counter", "disk_bytes_total"],
    ["net.io", "By/s", "gauge", "net_io_bytes_per_second"],
    ["net.io.bytes.per.second", "By/s", "gauge", "net_io_bytes_per_second"],
    ["packets", "{packet}/s", "gauge", "packets_per_second"],
    ["queue.latency", "ms", "summary", "queue_latency_milliseconds"],
    ["foo", "widgets", "gauge", "foo_widgets"],
    ["foo", "MiBy", "gauge", "foo_mebibytes"],
    ["foo", "m", "gauge", "foo_meters"],
    ["foo", "1/m", "gauge", "foo_per_minute"],
    ["foo", "%", "gauge", "foo_percent"],
    ["foo__bar--baz", "", "gauge", "foo_bar_baz"],
    ["redis:hits", "", "gauge", "redis:hits"],
    ["2xx.responses", "", "counter", "_2xx_responses_total"],
    ["...", "", "gauge", ""],
  ] as const)("%s [%s] %s → %s", (name, unit, kind, expected) => {
    expect(promMetricName(name, unit, kind)).toBe(expected);
  });

  it("spells out units", () => {
    expect(promUnit("By/s")).toEqual({ main: "bytes", per: "second" });
    expect(promUnit("{request}")).toEqual({ main: "", per: "" });
    expect(promUnit("1")).toEqual({ main: "", per: "" });
    expect(promUnit("us")).toEqual({ main: "microseconds", per: "" });
  });
});

describe("decodeOtlpMetrics: bodies", () => {
  it("throws INVALID_INPUT for unreadable JSON or protobuf and for a non-array resourceMetrics", () => {
    expect(appError(() => decodeOtlpMetrics(Buffer.from("{nope"), "application/json", OPTS)).code).toBe("INVALID_INPUT");
    expect(appError(() => decodeOtlpMetrics(Buffer.from([0x0a, 0xff, 0xff]), "application/x-protobuf", OPTS)).code).toBe("INVALID_INPUT");
    expect(appError(() => decodeJson({ resourceMetrics: {} })).userMessage).toBe('OTLP body: "resourceMetrics" must be an array');
  });

  it("throws PAYLOAD_TOO_LARGE past maxBytes", () => {
    expect(appError(() => decodeOtlpMetrics(Buffer.alloc(100), "application/x-protobuf", { maxBytes: 10 })).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("accepts an empty request", () => {
    expect(decodeJson({})).toEqual({ series: [], metadata: [], rejected: [] });
    expect(decodeProto({})).toEqual({ series: [], metadata: [], rejected: [] });
  });
});

describe("responses", () => {
  it("answers {} when nothing was rejected, else a partial success", () => {
    expect(otlpMetricsResponse([])).toEqual({});
    expect(
      otlpMetricsResponse([
        { reason: "a", count: 2 },
        { reason: "b", count: 1 },
      ]),
    ).toEqual({ partialSuccess: { rejectedDataPoints: 3, errorMessage: "a (2 data points); b (1 data point)" } });
  });

  it("encodes the response as protobuf", () => {
    const { contentType, body } = encodeOtlpMetricsResponse({ partialSuccess: { rejectedDataPoints: 3, errorMessage: "x" } }, "protobuf");
    expect(contentType).toBe("application/x-protobuf");
    const decoded = ExportMetricsServiceResponseType.toObject(ExportMetricsServiceResponseType.decode(body), { longs: Number });
    expect(decoded).toEqual({ partialSuccess: { rejectedDataPoints: 3, errorMessage: "x" } });
  });
});
