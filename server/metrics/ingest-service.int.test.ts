import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { uid } from "@/test/helpers";
import { storeMetricsBatch, type MetricsIngestPayload } from "./ingest-service";
import { encodeRemoteWrite } from "./remote-write/encode";
import { PgQueryable } from "./store/read";
import { SeriesResolver } from "./store/series-resolver";
import { HOUR_MS } from "./store/write";

const resolver = new SeriesResolver(10_000);

function remoteWrite(body: Buffer, minTimestamp = 0): MetricsIngestPayload {
  return { kind: "remote-write", batchId: randomUUID(), receivedAt: Date.now(), body: body.toString("base64"), minTimestamp };
}

describe("storeMetricsBatch: remote_write bodies through the columnar path", () => {
  it("stores a request once, however often the batch is retried; merges repeats of a series, sorts, and keeps stale markers", async () => {
    const name = `rw_${uid()}`;
    const t0 = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 2 * HOUR_MS;
    const stale = Buffer.alloc(8);
    stale.writeBigUInt64BE(0x7ff0000000000002n);
    const body = encodeRemoteWrite([
      // Out of order within the series, crossing an hour, and the same series again later in the request.
      { labels: { __name__: name, i: "a" }, samples: [{ timestampMs: t0 + HOUR_MS + 15_000, value: 3 }, { timestampMs: t0 + 15_000, value: 1 }, { timestampMs: t0, value: 0 }] },
      { labels: { __name__: name, i: "b" }, samples: [{ timestampMs: t0, value: 10 }, { timestampMs: t0 + 15_000, value: stale.readDoubleBE() }] },
      { labels: { __name__: name, i: "a" }, samples: [{ timestampMs: t0 + 15_000, value: 2 }, { timestampMs: t0 + 30_000, value: 2.5 }] },
      // Refused: older than the batch's minimum timestamp.
      { labels: { __name__: name, i: "old" }, samples: [{ timestampMs: t0 - 10 * HOUR_MS, value: 1 }] },
    ]);
    const payload = remoteWrite(body, t0 - HOUR_MS);
    const first = await storeMetricsBatch(getDb(), payload, resolver, 1 << 20);
    expect(first).toMatchObject({ committed: true, samples: 7, rejectedTooOld: 1, blocks: 2 });
    expect(await storeMetricsBatch(getDb(), payload, resolver, 1 << 20)).toMatchObject({ committed: false, samples: 0 });
    // A fresh resolver (another worker process) agrees on the ids and still writes nothing.
    expect(await storeMetricsBatch(getDb(), payload, new SeriesResolver(10_000), 1 << 20)).toMatchObject({ committed: false });

    const series = await new PgQueryable(getDb()).select([{ type: "=", name: "__name__", value: name }], { start: t0 - 11 * HOUR_MS, end: t0 + 3 * HOUR_MS });
    const byI = Object.fromEntries(series.map((s) => [s.labels.i, { ts: [...s.timestamps].map((t) => t - t0), values: [...s.values], stale: s.stale ? [...s.stale] : undefined }]));
    expect(Object.keys(byI).sort()).toEqual(["a", "b"]);
    // The later sample for t0+15s (2, from the series' repeat) wins over the earlier one (1).
    expect(byI.a).toEqual({ ts: [0, 15_000, 30_000, HOUR_MS + 15_000], values: [0, 2, 2.5, 3], stale: undefined });
    expect(byI.b!.ts).toEqual([0, 15_000]);
    expect(byI.b!.stale).toEqual([0, 1]);
  });

  it("refuses a body that does not decode as unrecoverable input", async () => {
    await expect(storeMetricsBatch(getDb(), remoteWrite(Buffer.from("not snappy")), resolver, 1 << 20)).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});
