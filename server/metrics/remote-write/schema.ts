/**
 * Prometheus remote_write 1.0 protobuf (`prometheus.WriteRequest`, prompb/remote.proto and
 * prompb/types.proto), declared with protobufjs reflection. Only the wire layout matters; field
 * numbers follow upstream.
 *
 * `TimeSeries.exemplars` (3) and `TimeSeries.histograms` (4) are declared as `bytes`: an embedded
 * message has the same wire type (length-delimited), so they are counted without being parsed.
 * We ignore them, and a malformed histogram must not fail an otherwise good request.
 * `WriteRequest` field 2 is reserved upstream (Cortex) and skipped as an unknown field.
 */
import protobuf from "protobufjs";

const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: {
          fields: {
            timeseries: { rule: "repeated", type: "TimeSeries", id: 1 },
            metadata: { rule: "repeated", type: "MetricMetadata", id: 3 },
          },
        },
        TimeSeries: {
          fields: {
            labels: { rule: "repeated", type: "Label", id: 1 },
            samples: { rule: "repeated", type: "Sample", id: 2 },
            exemplars: { rule: "repeated", type: "bytes", id: 3 },
            histograms: { rule: "repeated", type: "bytes", id: 4 },
          },
        },
        Label: { fields: { name: { type: "string", id: 1 }, value: { type: "string", id: 2 } } },
        Sample: { fields: { value: { type: "double", id: 1 }, timestamp: { type: "int64", id: 2 } } },
        MetricMetadata: {
          fields: {
            type: { type: "int32", id: 1 },
            metricFamilyName: { type: "string", id: 2 },
            help: { type: "string", id: 4 },
            unit: { type: "string", id: 5 },
          },
        },
      },
    },
  },
});

export const WriteRequestType = root.lookupType("prometheus.WriteRequest");

/** An int64 as protobufjs decodes it: a number without the `long` package, a Long-like object with it. */
export type Int64 = number | { low: number; high: number; toString(): string };

/** A decoded `WriteRequest` (protobufjs message instances; absent repeated fields are empty arrays). */
export type WriteRequestMessage = {
  timeseries: {
    labels: { name: string; value: string }[];
    samples: { value: number; timestamp: Int64 }[];
    exemplars: Uint8Array[];
    histograms: Uint8Array[];
  }[];
  metadata: { type: number; metricFamilyName: string; help: string; unit: string }[];
};

/**
 * `MetricMetadata.MetricType` enum values, in upstream order (declared as int32 above so an
 * unknown future value decodes instead of failing; it maps to "unknown").
 */
export const METRIC_TYPES = ["unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset"] as const;
