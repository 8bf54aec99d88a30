/**
 * What every cold-tier ObjectStore must do (server/archive/object-store.ts), as one suite run
 * against each implementation: the local directory (object-store.test.ts) and an S3-compatible
 * server (s3-store.int.test.ts). `open` gives an empty store for each test; `dispose` cleans up.
 */
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ObjectStore, StoredObject } from "@/server/archive/object-store";

export type StoreFixture = { store: ObjectStore; dispose: () => Promise<void> };

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

async function listAll(store: ObjectStore, prefix: string): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  for await (const o of store.list(prefix)) out.push(o);
  return out;
}

/** Runs `n` puts with at most `width` in flight. */
async function putMany(store: ObjectStore, keys: string[], width = 32): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < keys.length) {
        const key = keys[next++]!;
        await store.put(key, Buffer.from(key));
      }
    }),
  );
}

const SOURCE = "0b9c6f1e-2d3a-4c5b-8e7f-112233445566";

/**
 * Checks a listing against the expected keys. `strictOrder` false accepts a server that lists a
 * folder's objects before a sibling name that sorts earlier byte-wise (`a/x` before `a-b/x`, a
 * directory walk like s3rver's) as long as objects of one folder come in key order and none is
 * missing or repeated; S3 itself lists in UTF-8 byte order.
 */
function expectListing(listed: string[], expected: string[], strictOrder: boolean): void {
  if (strictOrder) {
    expect(listed).toEqual(expected);
    return;
  }
  expect([...listed].sort()).toEqual([...expected].sort());
  const folder = (k: string) => k.slice(0, k.lastIndexOf("/") + 1);
  for (const f of new Set(expected.map(folder))) {
    expect(listed.filter((k) => folder(k) === f)).toEqual(expected.filter((k) => folder(k) === f).sort());
  }
}

export function objectStoreContract(name: string, open: () => Promise<StoreFixture>, opts: { strictOrder: boolean } = { strictOrder: true }): void {
  describe(`${name}: ObjectStore contract`, () => {
    let fx: StoreFixture;
    beforeEach(async () => {
      fx = await open();
    });
    afterEach(async () => {
      await fx.dispose();
    });

    it("gives back exactly the bytes put, and null for a key never written", async () => {
      const body = Buffer.concat([randomBytes(70_000), Buffer.alloc(1000, 0), Buffer.from([0xff, 0x00, 0x0a, 0x0d])]);
      await fx.store.put("logs/a/blob.bin", body, "application/octet-stream");
      const back = await fx.store.get("logs/a/blob.bin");
      expect(back).not.toBeNull();
      expect(back!.equals(body)).toBe(true);
      expect(await fx.store.get("logs/a/missing.bin")).toBeNull();
      expect(await fx.store.get("nowhere/at/all")).toBeNull();
    });

    it("stores an empty object", async () => {
      await fx.store.put("empty", Buffer.alloc(0));
      expect((await fx.store.get("empty"))!.length).toBe(0);
      expect(await listAll(fx.store, "empty")).toEqual([expect.objectContaining({ key: "empty", size: 0 })]);
    });

    it("streams an object (larger than one read chunk), and null for a missing one", async () => {
      const body = randomBytes(3 * 1024 * 1024 + 17);
      await fx.store.put("big/object", body);
      const stream = await fx.store.stream("big/object");
      expect(stream).not.toBeNull();
      expect((await readAll(stream!)).equals(body)).toBe(true);
      expect(await fx.store.stream("big/none")).toBeNull();
    });

    it("replaces an object whole on overwrite (a shorter body leaves no tail)", async () => {
      await fx.store.put("k", Buffer.from("a much longer first version"));
      await fx.store.put("k", Buffer.from("short"));
      expect((await fx.store.get("k"))!.toString()).toBe("short");
      expect(await listAll(fx.store, "")).toEqual([expect.objectContaining({ key: "k", size: 5 })]);
    });

    it("deletes objects; deleting a missing one is not an error", async () => {
      await fx.store.put("d/one", Buffer.from("1"));
      await fx.store.delete("d/one");
      await fx.store.delete("d/one");
      await fx.store.delete("d/never-was");
      expect(await fx.store.get("d/one")).toBeNull();
      expect(await fx.store.stream("d/one")).toBeNull();
      expect(await listAll(fx.store, "d/")).toEqual([]);
    });

    it("lists by key prefix in key order, with keys as given (dashes, dots, nested days) and sizes", async () => {
      const keys = [
        `logs/${SOURCE}/2026-12-01/g1.lka`,
        `logs/${SOURCE}/2026-12-01/g1.lka.manifest.json`,
        `logs/${SOURCE}/2026-12-02/g12.lka`,
        `logs/${SOURCE}/2026-12-02/g2.lka`,
        `logs/${SOURCE}-x/2026-12-01/g1.lka`,
        "logs/other.source/v1.2.3-rc.1",
        "metrics/2026-12-01.bin",
      ];
      const sizes = new Map(keys.map((k, i) => [k, 10 + i]));
      for (const k of [...keys].reverse()) await fx.store.put(k, Buffer.alloc(sizes.get(k)!, 1));
      const before = Date.now() - 5 * 60_000;

      const all = await listAll(fx.store, "");
      expectListing(all.map((x) => x.key), [...keys].sort(), opts.strictOrder);
      for (const o of all) {
        expect(o.size).toBe(sizes.get(o.key));
        expect(o.modified).toBeInstanceOf(Date);
        expect(o.modified.getTime()).toBeGreaterThan(before);
      }

      expect((await listAll(fx.store, `logs/${SOURCE}/`)).map((o) => o.key)).toEqual(keys.slice(0, 4));
      expect((await listAll(fx.store, `logs/${SOURCE}/2026-12-02/`)).map((o) => o.key)).toEqual([`logs/${SOURCE}/2026-12-02/g12.lka`, `logs/${SOURCE}/2026-12-02/g2.lka`]);
      // A prefix is a string prefix, not a folder: it also matches longer names beside it
      // ("-" sorts before "/").
      expectListing((await listAll(fx.store, `logs/${SOURCE}`)).map((x) => x.key), [keys[4]!, ...keys.slice(0, 4)], opts.strictOrder);
      expect((await listAll(fx.store, "logs/other.source/v1.2")).map((o) => o.key)).toEqual(["logs/other.source/v1.2.3-rc.1"]);
      expect(await listAll(fx.store, "nothing/")).toEqual([]);
      for (const k of keys) expect((await fx.store.get(k))!.length).toBe(sizes.get(k));
    });

    it("lists more than 1000 objects, all of them, in key order", { timeout: 90_000 }, async () => {
      const keys = Array.from({ length: 1005 }, (_, i) => `many/${String(i).padStart(5, "0")}-k.x`);
      await putMany(fx.store, keys);
      await fx.store.put("many-not/0", Buffer.from("0"));
      const listed = await listAll(fx.store, "many/");
      expect(listed.length).toBe(1005);
      expect(listed.map((o) => o.key)).toEqual(keys);
      expect(listed.every((o, i) => o.size === keys[i]!.length)).toBe(true);
    });

    it("refuses keys that could escape the store or are not portable", async () => {
      for (const bad of ["", "/abs", "../up", "a/../../b", "a//b", "a/./b", "back\\slash"]) {
        await expect(fx.store.put(bad, Buffer.from("x")), bad).rejects.toThrow(/invalid object key/);
        await expect(fx.store.get(bad), bad).rejects.toThrow(/invalid object key/);
      }
    });
  });
}
