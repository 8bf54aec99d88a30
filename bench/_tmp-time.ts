import { createDb, createPool } from "@/db/client";
import { findSeries, readSamples } from "@/server/metrics/store/read";
const pool = createPool("postgres://postgres@127.0.0.1:5432/lookout_benchq_c47cdd", 4);
const db = createDb(pool);
const end = Date.UTC(2026, 10, 25, 16);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (let r = 0; r < 4; r++) {
  let t = performance.now(); let c = cpu();
  const s = await findSeries(db, [{ name: "__name__", type: "=", value: "bench_big_total" }] as never);
  const t1 = performance.now() - t; t = performance.now(); c = cpu();
  const d = await readSamples(db, s, end - 3600_000 - 300_000, end);
  const t2 = performance.now() - t, c2 = cpu() - c; t = performance.now(); c = cpu();
  const d2 = await readSamples(db, s, end - 86400_000 - 300_000, end);
  console.log(`findSeries ${s.length} ${t1.toFixed(0)} ms; read 1h ${d.length} ${t2.toFixed(0)} ms (cpu ${c2.toFixed(0)}); read 24h ${(performance.now() - t).toFixed(0)} ms (cpu ${(cpu() - c).toFixed(0)}) ${d2[0]?.timestamps.length}`);
}
await pool.end();
