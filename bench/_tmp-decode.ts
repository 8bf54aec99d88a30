import { decodeChunk, encodeChunk } from "@/server/metrics/chunk/chunk";
const chunks: Uint8Array[] = [];
const perHour = 240;
const ts = new Float64Array(perHour), vs = new Float64Array(perHour);
for (let k = 0; k < 5000; k++) {
  const rate = 1 + (k % 13);
  for (let i = 0; i < perHour; i++) { ts[i] = 1.7e12 + i * 15000 + ((k * 7 + i * 3) % 5); vs[i] = k % 4 === 3 ? Math.random() * 100 : Math.floor(i * 15 * rate + ((k + i) % 3)); }
  chunks.push(encodeChunk(ts, vs));
}
for (let r = 0; r < 6; r++) {
  const t = performance.now();
  let n = 0;
  for (const c of chunks) n += decodeChunk(c).timestamps.length;
  const ms = performance.now() - t;
  console.log(`decodeChunk: ${(ms * 1e6 / n).toFixed(1)} ns/sample`);
}
