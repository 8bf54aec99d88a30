import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { objectStoreContract } from "@/test/object-store-contract";
import { LocalObjectStore } from "./object-store";

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
