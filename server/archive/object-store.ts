import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { randomUUID } from "node:crypto";

/**
 * The cold tier's object store: a local directory by default, any S3-compatible bucket when
 * configured (s3-store.ts). Keys are `/`-separated relative paths (no `..`, no leading `/`).
 * `put` is atomic: a reader sees the whole object or none of it.
 */
export interface ObjectStore {
  readonly kind: "local" | "s3";
  /** Where objects go, for the console and logs (never holds secrets). */
  readonly location: string;
  put(key: string, body: Buffer, contentType?: string): Promise<void>;
  /** The object's bytes, or null when it does not exist. */
  get(key: string): Promise<Buffer | null>;
  /** The object as a stream (large objects, read once), or null when it does not exist. */
  stream(key: string): Promise<Readable | null>;
  /** Deletes the object; a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Objects whose key starts with `prefix`, in key order. */
  list(prefix: string): AsyncIterable<StoredObject>;
}

export type StoredObject = { key: string; size: number; modified: Date };

/**
 * A read-only view of `store` for one request that reads each object once however often it is
 * asked for (surrounding documents read the anchor's day for the anchor and for both sides).
 * Writes and deletes are refused: the view must not outlive the request.
 */
export function readingOnce(store: ObjectStore): ObjectStore {
  const got = new Map<string, Promise<Buffer | null>>();
  const readOnly = () => Promise.reject(new Error("a reading-once view of the archive is read-only"));
  return {
    kind: store.kind,
    location: store.location,
    get: (key) => {
      let p = got.get(key);
      if (!p) got.set(key, (p = store.get(key)));
      return p;
    },
    stream: (key) => store.stream(key),
    list: (prefix) => store.list(prefix),
    put: readOnly,
    delete: readOnly,
  };
}

/** Rejects keys that could leave the store's root (local) or are not portable object keys. */
export function checkKey(key: string): string {
  if (!key || key.startsWith("/") || key.split("/").some((p) => p === "" || p === "." || p === "..") || /[\\\0]/.test(key)) {
    throw new Error(`invalid object key "${key.slice(0, 200)}"`);
  }
  return key;
}

/** Objects as files under `root`; written to a temporary name, fsynced and renamed into place. */
export class LocalObjectStore implements ObjectStore {
  readonly kind = "local" as const;
  readonly location: string;
  constructor(private readonly root: string) {
    this.location = path.resolve(root);
  }

  private file(key: string): string {
    return path.join(this.location, ...checkKey(key).split("/"));
  }

  async put(key: string, body: Buffer): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomUUID()}.tmp`;
    try {
      await writeFile(tmp, body, { flush: true });
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.file(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }

  async stream(key: string): Promise<Readable | null> {
    const file = this.file(key);
    try {
      await stat(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
    return createReadStream(file, { highWaterMark: 1 << 20 });
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    const out: StoredObject[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
        throw err;
      }
      for (const e of entries) {
        const key = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) await walk(path.join(dir, e.name), key);
        } else if (e.isFile() && key.startsWith(prefix) && !e.name.endsWith(".tmp")) {
          const s = await stat(path.join(dir, e.name));
          out.push({ key, size: s.size, modified: s.mtime });
        }
      }
    };
    await walk(this.location, "");
    out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    yield* out;
  }
}
