/**
 * Encodes a remote_write 1.0 request (protobuf, snappy block format): what a Prometheus sender
 * puts on the wire. Used by tests, the benchmark and the demo; the server only decodes.
 */
import snappy from "snappy";
import type { SeriesSamplesInput } from "@/server/metrics/model";
import { METRIC_TYPES, WriteRequestType } from "./schema";

export interface EncodeMetadata {
  metricFamilyName: string;
  type: (typeof METRIC_TYPES)[number];
  help?: string;
  unit?: string;
}

export function encodeRemoteWrite(series: SeriesSamplesInput[], metadata: EncodeMetadata[] = []): Buffer {
  const message = WriteRequestType.create({
    timeseries: series.map((s) => ({
      labels: Object.keys(s.labels)
        .sort()
        .map((name) => ({ name, value: s.labels[name] })),
      samples: s.samples.map((p) => ({ value: p.value, timestamp: p.timestampMs })),
    })),
    metadata: metadata.map((m) => ({ type: METRIC_TYPES.indexOf(m.type), metricFamilyName: m.metricFamilyName, help: m.help ?? "", unit: m.unit ?? "" })),
  });
  return snappy.compressSync(Buffer.from(WriteRequestType.encode(message).finish()));
}
