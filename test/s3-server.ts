/**
 * A local S3-compatible server for tests: s3rver (npm, a devDependency) in a child process on a
 * free loopback port, with one bucket and its data in a temporary directory. s3rver encrypts
 * ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only offers through its legacy
 * provider, hence `--openssl-legacy-provider` for that process (never for ours).
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { freePort, waitForPort } from "./net";

export type LocalS3 = {
  endpoint: string;
  bucket: string;
  region: string;
  /** s3rver's fixed credentials. */
  accessKeyId: string;
  secretAccessKey: string;
  stop: () => Promise<void>;
};

export async function startLocalS3(bucket = "lookout-test"): Promise<LocalS3> {
  const bin = path.join(path.dirname(createRequire(import.meta.url).resolve("s3rver/package.json")), "bin", "s3rver.js");
  const dir = await mkdtemp(path.join(os.tmpdir(), "lookout-s3-"));
  const port = await freePort();
  const child = spawn(process.execPath, ["--openssl-legacy-provider", bin, "-d", dir, "-a", "127.0.0.1", "-p", String(port), "-s", "--configure-bucket", bucket], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      waitForPort(port, 15_000),
      exited.then(() => {
        throw new Error(`s3rver exited before listening: ${stderr.trim().slice(0, 2000)}`);
      }),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint: `http://127.0.0.1:${port}`, bucket, region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER", stop };
}
