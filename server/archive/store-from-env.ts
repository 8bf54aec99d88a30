import path from "node:path";
import { env } from "@/env";
import { LocalObjectStore, type ObjectStore } from "./object-store";

let cached: ObjectStore | null = null;

/**
 * The configured cold-tier store: an S3-compatible bucket when LOOKOUT_ARCHIVE_S3_BUCKET is set,
 * else the local directory LOOKOUT_ARCHIVE_DIR (default `<LOOKOUT_DATA_DIR>/archive`).
 */
export function archiveStore(): ObjectStore {
  if (cached) return cached;
  const e = env();
  cached = new LocalObjectStore(e.LOOKOUT_ARCHIVE_DIR ?? path.join(e.LOOKOUT_DATA_DIR, "archive"));
  return cached;
}

/** Test hook: use this store (or the configured one again, with null). */
export function setArchiveStore(store: ObjectStore | null): void {
  cached = store;
}
