/**
 * Logs ingest, end to end: a separate process sends BENCH_EVENTS (default 1,000,000) realistic
 * events over HTTP (nginx lines through grok + date, JSON app logs) to a production web server +
 * workers on a throw-away database; prints sustained events/s (first send → last commit), MB/s,
 * ingest-to-searchable latency (ack → commit of the batch) p50/p99, and bytes on disk per event.
 *
 *   npm run bench:logs          (BENCH_EVENTS=200000 for a shorter run)
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { createApiKey, createServiceAccount } from "@/server/auth/api-keys";
import { createSource } from "@/server/logs/sources";
import { seedFoundation } from "@/server/setup/seed";
import { buildIsStale, runNextBuild } from "@/scripts/lib/build";
import { startThrowawayStack } from "@/scripts/lib/stack";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.BENCH_PORT || 3400);

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function main() {
  if (buildIsStale(root)) runNextBuild(root);
  let key = "";
  const stack = await startThrowawayStack({
    root,
    port,
    label: "bench",
    env: { LOOKOUT_SYSLOG_PORT: "0" },
    seed: async (db) => {
      await seedFoundation(db, { adminEmail: "bench@lookout.local", adminPassword: "bench-password" });
      await createSource(db, null, null, {
        name: "nginx",
        hotDays: 7,
        archiveDays: 30,
        pipeline: [
          { type: "grok", patterns: ["%{COMBINEDAPACHELOG}"], required: true },
          { type: "date", field: "timestamp", formats: ["dd/MMM/yyyy:HH:mm:ss Z"] },
        ],
      });
      await createSource(db, null, null, { name: "app", hotDays: 7, archiveDays: 30, pipeline: [] });
      const sa = await createServiceAccount(db, null, null, { name: "bench" });
      key = (await createApiKey(db, null, null, { serviceAccountId: sa.id, name: "bench", scopes: ["ingest"] })).key;
    },
  });
  const db = stack.db;
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["bench/logs-sender.ts"], {
        cwd: root,
        env: { ...process.env, BENCH_URL: stack.url, BENCH_KEY: key },
        stdio: ["ignore", "pipe", "inherit"],
      });
      let buf = "";
      child.stdout.on("data", (d: Buffer) => (buf += d.toString()));
      child.on("exit", (code) => (code === 0 ? resolve(buf) : reject(new Error(`sender exited ${code}`))));
    });
    const sent = JSON.parse(out.trim().split("\n").pop()!) as { t0: number; t1: number; bytes: number; retries: number; results: { batchId: string; ackAt: number; events: number }[] };
    const accepted = sent.results.reduce((a, r) => a + r.events, 0);

    // Wait for every batch to commit.
    let committed = 0;
    const deadline = Date.now() + 30 * 60_000;
    while (Date.now() < deadline) {
      const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from log_ingest_batches`);
      committed = r.rows[0]!.n;
      if (committed >= sent.results.length) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    const rows = await db.execute<{ batch_id: string; committed_ms: string; events: number; dead_letters: number }>(
      sql`select batch_id, (extract(epoch from committed_at) * 1000)::bigint::text as committed_ms, events, dead_letters from log_ingest_batches`,
    );
    const commitAt = new Map(rows.rows.map((r) => [r.batch_id, Number(r.committed_ms)]));
    const latencies = sent.results.map((r) => (commitAt.get(r.batchId) ?? NaN) - r.ackAt).filter(Number.isFinite).sort((a, b) => a - b);
    const lastCommit = Math.max(...commitAt.values());
    const stored = rows.rows.reduce((a, r) => a + r.events, 0);
    const dead = rows.rows.reduce((a, r) => a + r.dead_letters, 0);
    const size = await db.execute<{ bytes: string }>(
      sql`select coalesce(sum(pg_total_relation_size(relid)), 0)::text as bytes from pg_partition_tree('log_blocks') where isleaf`,
    );
    const diskBytes = Number(size.rows[0]!.bytes);
    const seconds = (lastCommit - sent.t0) / 1000;
    const avgEventBytes = sent.bytes / accepted;

    console.log(`logs-ingest bench: ${accepted} events sent in ${sent.results.length} requests (${sent.retries} 429 retries), ${stored} stored, ${dead} dead letters`);
    console.log(`  end to end (first send → last commit): ${(accepted / seconds).toFixed(0)} events/s, ${(sent.bytes / seconds / 1e6).toFixed(1)} MB/s over ${seconds.toFixed(1)} s`);
    console.log(`  HTTP accept only: ${(accepted / ((sent.t1 - sent.t0) / 1000)).toFixed(0)} events/s`);
    console.log(`  ack → searchable (batch committed): p50 ${pct(latencies, 0.5)} ms, p99 ${pct(latencies, 0.99)} ms, max ${latencies[latencies.length - 1]} ms`);
    console.log(`  on disk (log_blocks partitions incl. indexes): ${(diskBytes / stored).toFixed(1)} bytes/event for ${avgEventBytes.toFixed(0)}-byte events`);
  } finally {
    await stack.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
