import path from "node:path";
import { env, type Env } from "@/env";
import { LocalObjectStore, type ObjectStore } from "./object-store";
import { S3ObjectStore, type S3StoreConfig } from "./s3-store";

let cached: ObjectStore | null = null;

/** The S3 settings of LOOKOUT_ARCHIVE_S3_*, or null when no bucket is configured. */
export function s3ConfigFromEnv(e: Env): S3StoreConfig | null {
  if (!e.LOOKOUT_ARCHIVE_S3_BUCKET) return null;
  return {
    bucket: e.LOOKOUT_ARCHIVE_S3_BUCKET,
    endpoint: e.LOOKOUT_ARCHIVE_S3_ENDPOINT,
    region: e.LOOKOUT_ARCHIVE_S3_REGION,
    accessKeyId: e.LOOKOUT_ARCHIVE_S3_ACCESS_KEY_ID,
    secretAccessKey: e.LOOKOUT_ARCHIVE_S3_SECRET_ACCESS_KEY,
    prefix: e.LOOKOUT_ARCHIVE_S3_PREFIX,
    forcePathStyle: e.LOOKOUT_ARCHIVE_S3_FORCE_PATH_STYLE === "1",
  };
}

/** The store `e` describes: the S3-compatible bucket when one is set, else the local directory. */
export function storeFromEnv(e: Env): ObjectStore {
  const s3 = s3ConfigFromEnv(e);
  if (s3) return new S3ObjectStore(s3);
  return new LocalObjectStore(e.LOOKOUT_ARCHIVE_DIR ?? path.join(e.LOOKOUT_DATA_DIR, "archive"));
}

/**
 * The configured cold-tier store: an S3-compatible bucket when LOOKOUT_ARCHIVE_S3_BUCKET is set,
 * else the local directory LOOKOUT_ARCHIVE_DIR (default `<LOOKOUT_DATA_DIR>/archive`).
 */
export function archiveStore(): ObjectStore {
  cached ??= storeFromEnv(env());
  return cached;
}

/** Test hook: use this store (or the configured one again, with null). */
export function setArchiveStore(store: ObjectStore | null): void {
  cached = store;
}
