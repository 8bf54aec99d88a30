import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { logSources } from "@/db/schema";
import type { LogEvent } from "@/server/logs/event";
import { decodeBlock } from "@/server/logs/store/block";
import { commitBatch } from "@/server/logs/store/write";
import { uid } from "@/test/helpers";
import { objectStoreContract } from "@/test/object-store-contract";
import { startLocalS3, type LocalS3 } from "@/test/s3-server";
import { archiveKey, CorruptArchiveError, manifestKey, type LogArchiveManifest } from "./log-archive";
import { archiveRow, deleteArchiveObject, hotBlocksOf, readArchivedBlocks, writeArchiveGeneration } from "./log-archives";
import { S3ObjectStore, type S3StoreConfig } from "./s3-store";

/**
 * The S3 cold tier against a real S3-compatible server (s3rver from npm, started here in a child
 * process, see test/s3-server.ts): the ObjectStore contract, the S3-only parts (prefix, paging,
 * location, a missing bucket), and an archived day written through it and read back from PG rows.
 */
let s3: LocalS3;
const opened: S3ObjectStore[] = [];

function config(over: Partial<S3StoreConfig> = {}): S3StoreConfig {
  return { bucket: s3.bucket, endpoint: s3.endpoint, region: s3.region, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, prefix: `t-${uid()}/`, forcePathStyle: true, ...over };
}

function open(over: Partial<S3StoreConfig> = {}): S3ObjectStore {
  const store = new S3ObjectStore(config(over));
  opened.push(store);
  return store;
}

beforeAll(async () => {
  s3 = await startLocalS3();
});

afterAll(async () => {
  for (const s of opened) s.close();
  await s3?.stop();
});

// s3rver lists by walking its directories (`a/x` before `a-b/x`); S3 lists in byte order.
objectStoreContract(
  "S3ObjectStore",
  async () => {
    const store = new S3ObjectStore(config());
    return { store, dispose: async () => store.close() };
  },
  { strictOrder: false },
);

async function keysOf(store: S3ObjectStore, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list(prefix)) out.push(o.key);
  return out;
}

describe("S3ObjectStore", () => {
  it("keeps keys relative to its prefix and sees nothing outside it", async () => {
    const inner = open({ prefix: `p-${uid()}` });
    expect(inner.prefix.endsWith("/")).toBe(true);
    const root = open({ prefix: "" });
    await inner.put("logs/a", Buffer.from("a"));
    await root.put(`${inner.prefix.slice(0, -1)}-sibling/logs/b`, Buffer.from("b"));
    expect(await keysOf(inner)).toEqual(["logs/a"]);
    // Through the bucket's root the same object has the prefix in its key.
    expect(await keysOf(root, inner.prefix)).toEqual([`${inner.prefix}logs/a`]);
    expect((await root.get(`${inner.prefix}logs/a`))!.toString()).toBe("a");
    expect(await inner.get(`../${inner.prefix}`).catch((e: Error) => e.message)).toMatch(/invalid object key/);
  });

  it("pages through ListObjectsV2 with a small page size", async () => {
    const store = open({ pageSize: 3 });
    const keys = Array.from({ length: 11 }, (_, i) => `page/${String(i).padStart(2, "0")}.bin`);
    for (const k of keys) await store.put(k, Buffer.from(k));
    await store.put("pagez", Buffer.from("outside"));
    expect(await keysOf(store, "page/")).toEqual(keys);
    expect(await keysOf(store, "page")).toEqual([...keys, "pagez"]);
  });

  it("describes its location without credentials", () => {
    const store = open({ endpoint: "http://user:hunter2@127.0.0.1:9000/?token=abc", prefix: "lookout" });
    expect(store.location).toBe("s3://lookout-test/lookout/ (http://127.0.0.1:9000)");
    expect(store.location).not.toMatch(/hunter2|S3RVER|token/);
    expect(open({ endpoint: undefined, region: "eu-west-1", prefix: "" }).location).toBe("s3://lookout-test/ (AWS eu-west-1)");
  });

  it("reports a missing bucket as an error, not as a missing object", async () => {
    const store = open({ bucket: `no-such-bucket-${uid()}` });
    await expect(store.get("logs/a")).rejects.toThrow();
    await expect(store.put("logs/a", Buffer.from("x"))).rejects.toThrow();
  });

  it("fails when nothing listens at the endpoint", async () => {
    const store = open({ endpoint: "http://127.0.0.1:1" });
    await expect(store.get("logs/a")).rejects.toThrow();
  });
});

describe("archived day through S3", () => {
  it("writes a generation from hot rows, reads the same blocks back, rewrites it as the next generation", async () => {
    const db = getDb();
    const [src] = await db.insert(logSources).values({ name: `s3-archive-${uid()}` }).returning();
    const day = "2026-11-03";
    const t0 = Date.parse(`${day}T00:00:00Z`);
    const events: LogEvent[] = Array.from({ length: 2500 }, (_, i) => ({
      ts: t0 + i * 30_000,
      observedTs: t0 + i * 30_000 + 5,
      source: src!.name,
      service: ["api", "web", "worker"][i % 3]!,
      host: `h-${i % 4}`,
      level: i % 50 === 0 ? "error" : "info",
      message: i % 50 === 0 ? `upstream timeout after ${i} ms` : `GET /orders/${i} 200`,
      traceId: i % 7 ? null : randomUUID().replaceAll("-", ""),
      spanId: null,
      attributes: { status: i % 50 ? 200 : 504, user: { id: i % 97 } },
    }));
    for (let i = 0; i < events.length; i += 1000) {
      await commitBatch(db, { batchId: randomUUID(), sourceId: src!.id, receivedAt: new Date(), events: events.slice(i, i + 1000), deadLetters: [], dropped: 0 });
    }
    const hot = await hotBlocksOf(db, src!.id, day);
    expect(hot.reduce((n, b) => n + b.count, 0)).toBe(2500);

    const store = open();
    const first = await db.transaction((tx) => writeArchiveGeneration(tx, store, { sourceId: src!.id, sourceName: src!.name, day, blocks: hot, previous: null }));
    expect(first.replacedKey).toBeNull();
    const row = (await archiveRow(db, src!.id, day))!;
    expect(row.key).toBe(archiveKey(src!.id, day, 1));
    expect(row.events).toBe(2500);
    expect(row.blocks).toBe(hot.length);
    expect(row.minTs.getTime()).toBe(t0);

    const manifest = JSON.parse((await store.get(manifestKey(row.key)))!.toString()) as LogArchiveManifest;
    expect(manifest).toMatchObject({ kind: "lookout.logs.day", key: row.key, generation: 1, sourceId: src!.id, day, events: 2500, blocks: hot.length, bytes: row.bytes, sha256: row.sha256 });

    const back = await readArchivedBlocks(store, row);
    expect(back.map((b) => b.id)).toEqual(hot.map((b) => b.id));
    for (const [i, b] of back.entries()) {
      const { payload, ...meta } = hot[i]!;
      expect(b).toMatchObject(meta);
      expect(b.payload.equals(payload)).toBe(true);
    }
    const decoded = back.flatMap((b) => decodeBlock(b.payload)).sort((a, b) => a.ts - b.ts);
    expect(decoded).toEqual(events);

    // A rewrite (GDPR) without the first block: generation 2, and the caller deletes generation 1.
    const second = await db.transaction((tx) => writeArchiveGeneration(tx, store, { sourceId: src!.id, sourceName: src!.name, day, blocks: hot.slice(1), previous: row }));
    expect(second.replacedKey).toBe(row.key);
    await deleteArchiveObject(store, second.replacedKey!);
    const row2 = (await archiveRow(db, src!.id, day))!;
    expect(row2.generation).toBe(2);
    expect(row2.events).toBe(2500 - hot[0]!.count);
    expect(await keysOf(store, `logs/${src!.id}/`)).toEqual([archiveKey(src!.id, day, 2), manifestKey(archiveKey(src!.id, day, 2))]);
    expect((await readArchivedBlocks(store, row2)).map((b) => b.id)).toEqual(hot.slice(1).map((b) => b.id));

    // What the store returns is checked against the row, not trusted.
    const good = (await store.get(row2.key))!;
    const bad = Buffer.from(good);
    bad[bad.length - 1] ^= 0xff;
    await store.put(row2.key, bad);
    await expect(readArchivedBlocks(store, row2)).rejects.toBeInstanceOf(CorruptArchiveError);
    await store.delete(row2.key);
    await expect(readArchivedBlocks(store, row2)).rejects.toThrow(/missing from the s3 store/);
  });
});
