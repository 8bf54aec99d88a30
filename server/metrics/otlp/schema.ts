/**
 * OTLP metrics protobuf (opentelemetry-proto collector/metrics/v1/metrics_service.proto and
 * metrics/v1/metrics.proto), declared with protobufjs reflection; common and resource messages
 * come from the logs schema (OTLP_COMMON_PROTO). Field names are the lowerCamelCase JSON names, so
 * `toObject(…, { longs: String })` gives the OTLP/JSON shape.
 *
 * Not parsed, only counted (declared `bytes`: same wire type as an embedded message, so a malformed
 * one cannot fail the request): exemplars (not stored) and exponential histogram data points
 * (native histograms are out of scope; each one is reported as rejected). Enums
 * (AggregationTemporality) are declared int32 so numbers come through as numbers.
 * `HistogramDataPoint.sum` is proto3 `optional`: protobufjs keeps presence (an own property only
 * when it was on the wire), which is what tells "no sum" from "sum 0".
 */
import protobuf from "protobufjs";
import { OTLP_COMMON_PROTO, repeated } from "@/server/logs/ingest/otlp-schema";

const KEY_VALUE = "opentelemetry.proto.common.v1.KeyValue";

const root = protobuf.Root.fromJSON({
  nested: {
    opentelemetry: {
      nested: {
        proto: {
          nested: {
            ...OTLP_COMMON_PROTO,
            metrics: {
              nested: {
                v1: {
                  nested: {
                    ResourceMetrics: {
                      fields: {
                        resource: { type: "opentelemetry.proto.resource.v1.Resource", id: 1 },
                        scopeMetrics: repeated("ScopeMetrics", 2),
                        schemaUrl: { type: "string", id: 3 },
                      },
                    },
                    ScopeMetrics: {
                      fields: {
                        scope: { type: "opentelemetry.proto.common.v1.InstrumentationScope", id: 1 },
                        metrics: repeated("Metric", 2),
                        schemaUrl: { type: "string", id: 3 },
                      },
                    },
                    Metric: {
                      oneofs: { data: { oneof: ["gauge", "sum", "histogram", "exponentialHistogram", "summary"] } },
                      fields: {
                        name: { type: "string", id: 1 },
                        description: { type: "string", id: 2 },
                        unit: { type: "string", id: 3 },
                        gauge: { type: "Gauge", id: 5 },
                        sum: { type: "Sum", id: 7 },
                        histogram: { type: "Histogram", id: 9 },
                        exponentialHistogram: { type: "ExponentialHistogram", id: 10 },
                        summary: { type: "Summary", id: 11 },
                        metadata: repeated(KEY_VALUE, 12),
                      },
                    },
                    Gauge: { fields: { dataPoints: repeated("NumberDataPoint", 1) } },
                    Sum: {
                      fields: {
                        dataPoints: repeated("NumberDataPoint", 1),
                        aggregationTemporality: { type: "int32", id: 2 },
                        isMonotonic: { type: "bool", id: 3 },
                      },
                    },
                    Histogram: {
                      fields: {
                        dataPoints: repeated("HistogramDataPoint", 1),
                        aggregationTemporality: { type: "int32", id: 2 },
                      },
                    },
                    ExponentialHistogram: {
                      fields: {
                        dataPoints: repeated("bytes", 1),
                        aggregationTemporality: { type: "int32", id: 2 },
                      },
                    },
                    Summary: { fields: { dataPoints: repeated("SummaryDataPoint", 1) } },
                    NumberDataPoint: {
                      oneofs: { value: { oneof: ["asDouble", "asInt"] } },
                      fields: {
                        attributes: repeated(KEY_VALUE, 7),
                        startTimeUnixNano: { type: "fixed64", id: 2 },
                        timeUnixNano: { type: "fixed64", id: 3 },
                        asDouble: { type: "double", id: 4 },
                        asInt: { type: "sfixed64", id: 6 },
                        exemplars: repeated("bytes", 5),
                        flags: { type: "uint32", id: 8 },
                      },
                    },
                    HistogramDataPoint: {
                      oneofs: { _sum: { oneof: ["sum"] }, _min: { oneof: ["min"] }, _max: { oneof: ["max"] } },
                      fields: {
                        attributes: repeated(KEY_VALUE, 9),
                        startTimeUnixNano: { type: "fixed64", id: 2 },
                        timeUnixNano: { type: "fixed64", id: 3 },
                        count: { type: "fixed64", id: 4 },
                        sum: { type: "double", id: 5 },
                        bucketCounts: repeated("fixed64", 6),
                        explicitBounds: repeated("double", 7),
                        exemplars: repeated("bytes", 8),
                        flags: { type: "uint32", id: 10 },
                        min: { type: "double", id: 11 },
                        max: { type: "double", id: 12 },
                      },
                    },
                    SummaryDataPoint: {
                      fields: {
                        attributes: repeated(KEY_VALUE, 7),
                        startTimeUnixNano: { type: "fixed64", id: 2 },
                        timeUnixNano: { type: "fixed64", id: 3 },
                        count: { type: "fixed64", id: 4 },
                        sum: { type: "double", id: 5 },
                        quantileValues: repeated("ValueAtQuantile", 6),
                        flags: { type: "uint32", id: 8 },
                      },
                    },
                    ValueAtQuantile: { fields: { quantile: { type: "double", id: 1 }, value: { type: "double", id: 2 } } },
                  },
                },
              },
            },
            collector: {
              nested: {
                metrics: {
                  nested: {
                    v1: {
                      nested: {
                        ExportMetricsServiceRequest: {
                          fields: { resourceMetrics: repeated("opentelemetry.proto.metrics.v1.ResourceMetrics", 1) },
                        },
                        ExportMetricsServiceResponse: {
                          fields: { partialSuccess: { type: "ExportMetricsPartialSuccess", id: 1 } },
                        },
                        ExportMetricsPartialSuccess: {
                          fields: { rejectedDataPoints: { type: "int64", id: 1 }, errorMessage: { type: "string", id: 2 } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
});

export const ExportMetricsServiceRequestType = root.lookupType("opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest");
export const ExportMetricsServiceResponseType = root.lookupType("opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse");

/** OTLP `AggregationTemporality`. */
export const TEMPORALITY = { UNSPECIFIED: 0, DELTA: 1, CUMULATIVE: 2 } as const;
/** `DataPointFlags.FLAG_NO_RECORDED_VALUE`: the point marks the end of a series (a stale marker). */
export const FLAG_NO_RECORDED_VALUE = 1;

/**
 * The request as OTLP/JSON and `toObject(…, { longs: String })` give it. Everything is optional
 * and unchecked: the decoder validates as it reads. 64-bit integers are strings (or JSON numbers).
 */
type Int64 = string | number;
type Attributes = unknown;
export type OtlpNumberDataPoint = {
  attributes?: Attributes;
  startTimeUnixNano?: Int64;
  timeUnixNano?: Int64;
  asDouble?: number | string;
  asInt?: Int64;
  flags?: number;
};
export type OtlpHistogramDataPoint = {
  attributes?: Attributes;
  timeUnixNano?: Int64;
  count?: Int64;
  sum?: number | string;
  bucketCounts?: Int64[];
  explicitBounds?: (number | string)[];
  flags?: number;
};
export type OtlpSummaryDataPoint = {
  attributes?: Attributes;
  timeUnixNano?: Int64;
  count?: Int64;
  sum?: number | string;
  quantileValues?: { quantile?: number | string; value?: number | string }[];
  flags?: number;
};
export type OtlpMetric = {
  name?: string;
  description?: string;
  unit?: string;
  gauge?: { dataPoints?: unknown[] };
  sum?: { dataPoints?: unknown[]; aggregationTemporality?: number | string; isMonotonic?: boolean };
  histogram?: { dataPoints?: unknown[]; aggregationTemporality?: number | string };
  exponentialHistogram?: { dataPoints?: unknown[]; aggregationTemporality?: number | string };
  summary?: { dataPoints?: unknown[] };
};
export type OtlpScopeMetrics = { scope?: unknown; metrics?: unknown[] };
export type OtlpResourceMetrics = { resource?: unknown; scopeMetrics?: unknown[] };
export type OtlpMetricsRequest = { resourceMetrics?: unknown[] };
