import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { objectStoreContract } from "@/test/object-store-contract";
import { LocalObjectStore, readingOnce, type ObjectStore } from "./object-store";

/** Temp-dir I/O like scripts/lib/build.test.ts: the local store is a directory, nothing more. */
objectStoreContract("LocalObjectStore", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "lookout-objects-"));
  return { store: new LocalObjectStore(dir), dispose: () => rm(dir, { recursive: true, force: true }) };
});

describe("LocalObjectStore specifics", () => {
  it("names its directory as the location and leaves no temporary files behind", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lookout-objects-"));
    try {
      const store = new LocalObjectStore(path.join(dir, "."));
      expect(store.kind).toBe("local");
      expect(store.location).toBe(path.resolve(dir));
      await store.put("logs/x/2026-12-01/g1.lka", Buffer.from("one"));
      await store.put("logs/x/2026-12-01/g1.lka", Buffer.from("two"));
      expect(await readdir(path.join(dir, "logs/x/2026-12-01"))).toEqual(["g1.lka"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("does not list a writer's temporary file", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lookout-objects-"));
    try {
      const store = new LocalObjectStore(dir);
      await store.put("a/b", Buffer.from("b"));
      await store.put("a/c.0b9c6f1e.tmp", Buffer.from("half"));
      const keys: string[] = [];
      for await (const o of store.list("a/")) keys.push(o.key);
      expect(keys).toEqual(["a/b"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("readingOnce", () => {
  it("reads each object once for however many gets, and refuses writes", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lookout-objects-"));
    try {
      const store = new LocalObjectStore(dir);
      await store.put("logs/a", Buffer.from("day a"));
      let gets = 0;
      const counting: ObjectStore = Object.assign(Object.create(store) as LocalObjectStore, {
        get: (key: string) => {
          gets++;
          return store.get(key);
        },
      });
      const view = readingOnce(counting);
      const [x, y] = await Promise.all([view.get("logs/a"), view.get("logs/a")]);
      expect(x?.toString()).toBe("day a");
      expect(y).toBe(x);
      expect(await view.get("logs/missing")).toBeNull();
      expect(gets).toBe(2);
      await expect(view.put("logs/b", Buffer.from("b"))).rejects.toThrow(/read-only/);
      await expect(view.delete("logs/a")).rejects.toThrow(/read-only/);
      expect((await store.get("logs/a"))?.toString()).toBe("day a");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
