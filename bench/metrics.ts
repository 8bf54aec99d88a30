/**
 * Metrics ingest and storage: (a) remote_write of BENCH_SERIES (10,000) series × BENCH_SAMPLES
 * (360) samples from a separate process to a production web server + workers on a throw-away
 * database: samples/s (first send → last commit), head bytes/sample, then compaction of every
 * head hour into chunks: compaction rate and bytes/sample on disk (chunks table with its index
 * and TOAST). Where Debian's `victoria-metrics` is installed, the same requests go to it and the
 * ratio is printed.
 *
 *   npm run bench:metrics        (BENCH_SERIES_PER_REQ / BENCH_SAMPLES_PER_REQ shape the requests)
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { createApiKey, createServiceAccount } from "@/server/auth/api-keys";
import { compactHead } from "@/server/metrics/store/compact";
import { seedFoundation } from "@/server/setup/seed";
import { buildIsStale, runNextBuild } from "@/scripts/lib/build";
import { startThrowawayStack } from "@/scripts/lib/stack";
import { freePort, waitForPort } from "@/test/net";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.BENCH_PORT || 3401);

type SenderResult = { t0: number; t1: number; bytes: number; samples: number; requests: number; retries: number; start: number; end: number };

function send(url: string, key: string, extraEnv: Record<string, string> = {}): Promise<SenderResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["bench/metrics-sender.ts"], {
      cwd: root,
      env: { ...process.env, BENCH_URL: url, BENCH_KEY: key, ...extraEnv },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let buf = "";
    child.stdout.on("data", (d: Buffer) => (buf += d.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(buf.trim().split("\n").pop()!) as SenderResult) : reject(new Error(`sender exited ${code}`))));
  });
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function lookout(): Promise<{ rate: number; bytesPerSample: number }> {
  if (buildIsStale(root)) runNextBuild(root);
  let key = "";
  const stack = await startThrowawayStack({
    root,
    port,
    label: "benchm",
    env: { LOOKOUT_SYSLOG_PORT: "0" },
    seed: async (db) => {
      await seedFoundation(db, { adminEmail: "bench@lookout.local", adminPassword: "bench-password" });
      const sa = await createServiceAccount(db, null, null, { name: "bench" });
      key = (await createApiKey(db, null, null, { serviceAccountId: sa.id, name: "bench", scopes: ["ingest"] })).key;
    },
  });
  const db = stack.db;
  try {
    const sent = await send(`${stack.url}/api/v1/write`, key);
    let stored = 0;
    let lastCommit = 0;
    const deadline = Date.now() + 30 * 60_000;
    while (Date.now() < deadline) {
      const r = await db.execute<{ n: number; s: string; last: string }>(
        sql`select count(*)::int as n, coalesce(sum(samples), 0)::text as s, (extract(epoch from max(committed_at)) * 1000)::bigint::text as last from metric_ingest_batches`,
      );
      stored = Number(r.rows[0]!.s);
      lastCommit = Number(r.rows[0]!.last);
      // Other batches (Lookout's own scrapes) share the table: wait for every sent sample, not a batch count.
      if (r.rows[0]!.n >= sent.requests && stored >= sent.samples) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    const seconds = (lastCommit - sent.t0) / 1000;
    const rate = stored / seconds;
    const head = await db.execute<{ b: string }>(sql`select coalesce(sum(pg_total_relation_size(c.oid)), 0)::text as b from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'metric_head'::regclass`);
    console.log(`lookout  remote_write: ${fmt(sent.samples)} samples in ${fmt(sent.requests)} requests (${(sent.bytes / 1e6).toFixed(1)} MB snappy), ${sent.retries} retries (429/5xx)`);
    console.log(`lookout  ingest: ${fmt(stored)} samples stored, ${seconds.toFixed(1)} s first send → last commit = ${fmt(rate)} samples/s (ack rate ${fmt(sent.samples / ((sent.t1 - sent.t0) / 1000))}/s)`);
    console.log(`lookout  head: ${(Number(head.rows[0]!.b) / stored).toFixed(1)} bytes/sample (hourly partitions incl. indexes)`);
    const t = Date.now();
    const c = await compactHead(db, sent.end + 10 * 3_600_000, 0);
    const ct = (Date.now() - t) / 1000;
    await db.execute(sql`vacuum analyze metric_chunks`);
    const chunks = await db.execute<{ b: string; t: string }>(sql`select pg_total_relation_size('metric_chunks')::text as b, pg_table_size('metric_chunks')::text as t`);
    const bytesPerSample = Number(chunks.rows[0]!.b) / c.samples;
    console.log(
      `lookout  compaction: ${c.hours} hours, ${fmt(c.series)} series-hours, ${fmt(c.samples)} samples in ${ct.toFixed(1)} s (${fmt(c.samples / ct)} samples/s); ` +
        `chunk payload ${(c.chunkBytes / c.samples).toFixed(2)} B/sample; on disk ${bytesPerSample.toFixed(2)} bytes/sample (table ${(Number(chunks.rows[0]!.t) / c.samples).toFixed(2)} + index)`,
    );
    return { rate, bytesPerSample };
  } finally {
    await stack.stop();
  }
}

async function victoria(): Promise<{ rate: number; bytesPerSample: number } | null> {
  if (spawnSync("victoria-metrics", ["-version"]).status !== 0) return null;
  const dir = mkdtempSync(path.join(tmpdir(), "bench-vm-"));
  const vmPort = await freePort();
  const vm = spawn("victoria-metrics", [`-storageDataPath=${dir}`, `-httpListenAddr=127.0.0.1:${vmPort}`, "-retentionPeriod=100y", "-search.disableCache"], { stdio: "ignore" });
  try {
    await waitForPort(vmPort, 20_000);
    const base = `http://127.0.0.1:${vmPort}`;
    const sent = await send(`${base}/api/v1/write`, "");
    // VictoriaMetrics acknowledges after buffering; wait until every sample is queryable.
    let lastCount = 0;
    for (let i = 0; i < 600; i++) {
      await fetch(`${base}/internal/force_flush`).catch(() => {});
      const q = new URLSearchParams({ query: `sum(count_over_time(bench_requests_total[${Math.ceil((sent.end - sent.start) / 1000) + 60}s]))`, time: String(sent.end / 1000 + 1) });
      const r = (await (await fetch(`${base}/api/v1/query?${q}`)).json()) as { data: { result: { value: [number, string] }[] } };
      lastCount = Number(r.data.result[0]?.value[1] ?? 0);
      if (lastCount >= sent.samples) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const done = Date.now();
    const rate = sent.samples / ((done - sent.t0) / 1000);
    await fetch(`${base}/internal/force_merge`).catch(() => {});
    await new Promise((res) => setTimeout(res, 3000));
    const du = spawnSync("du", ["-sb", path.join(dir, "data")], { encoding: "utf8" });
    const bytes = Number(du.stdout.split(/\s/)[0]);
    console.log(`victoria ingest: ${fmt(lastCount)} samples queryable in ${((done - sent.t0) / 1000).toFixed(1)} s = ${fmt(rate)} samples/s; on disk ${(bytes / sent.samples).toFixed(2)} bytes/sample (data dir after force_merge)`);
    return { rate, bytesPerSample: bytes / sent.samples };
  } finally {
    vm.kill("SIGTERM");
    await new Promise((res) => setTimeout(res, 500));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const l = await lookout();
  const v = process.env.BENCH_SKIP_VM ? null : await victoria();
  if (v) console.log(`ratio    lookout/victoria: ingest ${(l.rate / v.rate).toFixed(2)}×, bytes/sample ${(l.bytesPerSample / v.bytesPerSample).toFixed(2)}×`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
