import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type GetObjectCommandOutput } from "@aws-sdk/client-s3";
import { checkKey, type ObjectStore, type StoredObject } from "./object-store";

/** Where the cold tier lives in an S3-compatible store (env.ts LOOKOUT_ARCHIVE_S3_*). */
export type S3StoreConfig = {
  bucket: string;
  /** The store's URL (MinIO, Ceph, R2, ...); unset means AWS S3 in `region`. */
  endpoint?: string;
  region: string;
  /** Unset: the SDK's default credential chain (AWS_* variables, instance or task role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Key prefix inside the bucket; a missing trailing `/` is added. */
  prefix?: string;
  forcePathStyle?: boolean;
  /** Keys per ListObjectsV2 page (S3 answers at most 1000). */
  pageSize?: number;
};

/** `lookout` and `/lookout/` both mean the folder `lookout/`; empty means the bucket's root. */
export function normalizePrefix(prefix: string | undefined): string {
  const p = (prefix ?? "").replace(/^\/+/, "");
  return p === "" || p.endsWith("/") ? p : `${p}/`;
}

/** The endpoint as shown to people: no user info, query or fragment (they could hold secrets). */
function publicEndpoint(endpoint: string): string {
  try {
    const u = new URL(endpoint);
    return `${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return "(invalid endpoint)";
  }
}

/**
 * "Not found" for a key. NoSuchBucket is a 404 too, but it is a configuration error that must
 * surface, not an object that is simply absent.
 */
function isMissingKey(err: unknown): boolean {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name === "NoSuchBucket" || e?.Code === "NoSuchBucket") return false;
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}

/**
 * The cold tier in an S3-compatible bucket. S3 PUTs are atomic (a reader sees the old object, the
 * new one or none), which is the ObjectStore contract; Content-MD5 makes the store reject a body
 * damaged on the way. The SDK's newer default of trailing CRC checksums is turned down to "when
 * required": many S3-compatible servers do not understand aws-chunked uploads, and the archive
 * verifies what it reads back with its own SHA-256 anyway.
 */
export class S3ObjectStore implements ObjectStore {
  readonly kind = "s3" as const;
  readonly location: string;
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly pageSize: number;

  constructor(config: S3StoreConfig) {
    this.bucket = config.bucket;
    this.prefix = normalizePrefix(config.prefix);
    this.pageSize = Math.max(1, Math.min(1000, config.pageSize ?? 1000));
    const where = config.endpoint ? publicEndpoint(config.endpoint) : `AWS ${config.region}`;
    this.location = `s3://${this.bucket}/${this.prefix} (${where})`;
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle ?? true,
      credentials: config.accessKeyId && config.secretAccessKey ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } : undefined,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  private objectKey(key: string): string {
    return this.prefix + checkKey(key);
  }

  async put(key: string, body: Buffer, contentType = "application/octet-stream"): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.objectKey(key),
        Body: body,
        ContentLength: body.length,
        ContentType: contentType,
        ContentMD5: createHash("md5").update(body).digest("base64"),
      }),
    );
  }

  private async getObject(key: string): Promise<GetObjectCommandOutput | null> {
    try {
      return await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
    } catch (err) {
      if (isMissingKey(err)) return null;
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    const out = await this.getObject(key);
    if (!out) return null;
    if (!out.Body) return Buffer.alloc(0);
    const bytes = await out.Body.transformToByteArray();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async stream(key: string): Promise<Readable | null> {
    const out = await this.getObject(key);
    if (!out) return null;
    if (!out.Body) return Readable.from([]);
    // Under Node the SDK's body is the HTTP response itself (an IncomingMessage).
    if (out.Body instanceof Readable) return out.Body;
    return Readable.fromWeb(out.Body.transformToWebStream() as Parameters<typeof Readable.fromWeb>[0]);
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
    } catch (err) {
      // S3 answers 204 for a missing key; some compatible stores answer NoSuchKey.
      if (!isMissingKey(err)) throw err;
    }
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, MaxKeys: this.pageSize, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        if (!o.Key?.startsWith(this.prefix)) continue;
        yield { key: o.Key.slice(this.prefix.length), size: o.Size ?? 0, modified: o.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** Closes the client's connections (tests, benches, shutdown). */
  close(): void {
    this.client.destroy();
  }
}
