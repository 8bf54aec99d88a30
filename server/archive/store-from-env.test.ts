import { describe, expect, it } from "vitest";
import type { Env } from "@/env";
import { LocalObjectStore } from "./object-store";
import { normalizePrefix, S3ObjectStore } from "./s3-store";
import { s3ConfigFromEnv, storeFromEnv } from "./store-from-env";

const base = {
  LOOKOUT_DATA_DIR: "/var/lib/lookout",
  LOOKOUT_ARCHIVE_S3_REGION: "us-east-1",
  LOOKOUT_ARCHIVE_S3_PREFIX: "",
  LOOKOUT_ARCHIVE_S3_FORCE_PATH_STYLE: "1",
} as Env;

describe("archive store from the environment", () => {
  it("is the local directory when no bucket is set", () => {
    expect(s3ConfigFromEnv(base)).toBeNull();
    const local = storeFromEnv(base);
    expect(local).toBeInstanceOf(LocalObjectStore);
    expect(local.location).toBe("/var/lib/lookout/archive");
    expect(storeFromEnv({ ...base, LOOKOUT_ARCHIVE_DIR: "/mnt/cold" }).location).toBe("/mnt/cold");
  });

  it("is the S3 bucket when one is set, and its location shows no credentials", () => {
    const e = {
      ...base,
      LOOKOUT_ARCHIVE_DIR: "/mnt/cold",
      LOOKOUT_ARCHIVE_S3_BUCKET: "logs-cold",
      LOOKOUT_ARCHIVE_S3_ENDPOINT: "https://minio.internal:9000",
      LOOKOUT_ARCHIVE_S3_REGION: "eu-central-1",
      LOOKOUT_ARCHIVE_S3_ACCESS_KEY_ID: "AKIAEXAMPLE",
      LOOKOUT_ARCHIVE_S3_SECRET_ACCESS_KEY: "very-secret-key",
      LOOKOUT_ARCHIVE_S3_PREFIX: "lookout",
      LOOKOUT_ARCHIVE_S3_FORCE_PATH_STYLE: "0",
    } as Env;
    expect(s3ConfigFromEnv(e)).toEqual({
      bucket: "logs-cold",
      endpoint: "https://minio.internal:9000",
      region: "eu-central-1",
      accessKeyId: "AKIAEXAMPLE",
      secretAccessKey: "very-secret-key",
      prefix: "lookout",
      forcePathStyle: false,
    });
    const store = storeFromEnv(e) as S3ObjectStore;
    expect(store).toBeInstanceOf(S3ObjectStore);
    expect(store.kind).toBe("s3");
    expect(store.location).toBe("s3://logs-cold/lookout/ (https://minio.internal:9000)");
    expect(store.location).not.toMatch(/AKIA|secret/);
    store.close();
  });

  it("normalizes the key prefix to a folder", () => {
    expect(normalizePrefix(undefined)).toBe("");
    expect(normalizePrefix("")).toBe("");
    expect(normalizePrefix("lookout")).toBe("lookout/");
    expect(normalizePrefix("/lookout/")).toBe("lookout/");
    expect(normalizePrefix("a/b")).toBe("a/b/");
  });
});
