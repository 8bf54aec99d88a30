/**
 * Log block payloads, v1 (one deflate stream of columnar JSON) against v2 (separately compressed
 * sections, attributes as one JSON array) and v3 (attributes columnar, attr-columns.ts), on
 * realistic blocks of 1,000 events: nginx combined lines parsed by grok + date, and JSON app logs
 * (the generators of bench/logs-sender.ts). Per block: payload bytes, encode ms, and decode ms for
 * each section combination and attribute selection (all, one path, two paths, ifText that misses
 * or hits); also histogram bucketing (events per minute and level) from decoded events against
 * decodeBlockMeta's typed arrays. One thread; timings are each block's best of several rounds,
 * averaged.
 *
 *   npx tsx bench/logs-block.ts [blocks=20] [rounds=15]
 */
import { isDeepStrictEqual } from "node:util";
import { LOG_LEVELS, type LogEvent } from "@/server/logs/event";
import { decodeNdjsonLine } from "@/server/logs/ingest/ndjson";
import { compilePipeline } from "@/server/logs/pipeline/run";
import type { PipelineStepInput } from "@/server/logs/pipeline/steps";
import { attributeAt } from "@/server/logs/attribute-path";
import { decodeBlock, decodeBlockMeta, encodeBlock, type BlockSections } from "@/server/logs/store/block";
import { decodePayloadV1, encodePayloadV1 } from "@/server/logs/store/block-v1";
import { encodePayloadV2 } from "@/server/logs/store/block-v2";
import { ByteReader } from "@/server/logs/store/bytes";
import { planBlocks } from "@/server/logs/store/write";
import { appLine, nginxLine } from "./lib/log-lines";

const blockCount = Number(process.argv[2] ?? 20);
const rounds = Number(process.argv[3] ?? 15);
const now = Date.UTC(2026, 0, 15, 12, 0, 0);

function buildBlocks(kind: "nginx" | "app"): LogEvent[][] {
  const steps: PipelineStepInput[] =
    kind === "nginx"
      ? [
          { type: "grok", patterns: ["%{COMBINEDAPACHELOG}"], required: true },
          { type: "date", field: "timestamp", formats: ["dd/MMM/yyyy:HH:mm:ss Z"] },
        ]
      : [];
  const run = compilePipeline(steps);
  const events: LogEvent[] = [];
  for (let i = 0; i < blockCount * 1000; i++) {
    const line = kind === "nginx" ? JSON.stringify({ message: nginxLine(i, now) }) : appLine(i, now);
    const item = decodeNdjsonLine(line, i);
    if (!item.ok) throw new Error(item.error);
    const r = run(item.event, { source: kind, observedTs: now + 5 + Math.floor(i / 2000) });
    if (r.kind !== "event") throw new Error(`pipeline: ${JSON.stringify(r)}`);
    events.push(r.event);
  }
  // As the ingest worker cuts them: batches of 2,000 events, then blocks of at most 1,000.
  const blocks: LogEvent[][] = [];
  for (let i = 0; i < events.length; i += 2000) for (const b of planBlocks(events.slice(i, i + 2000))) blocks.push(b.events);
  return blocks;
}

/**
 * Milliseconds per block of each task: every item is timed on its own and its best of the rounds
 * kept (short timings dodge load from other processes more often), then averaged over the items.
 * Rounds interleave the tasks so that load hits them alike.
 */
function timeAll(tasks: Record<string, [unknown[], (item: never) => unknown]>): Record<string, number> {
  const best: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, [items, fn]] of Object.entries(tasks)) {
      const b = (best[name] ??= items.map(() => Infinity));
      items.forEach((it, i) => {
        const t0 = performance.now();
        fn(it as never);
        b[i] = Math.min(b[i]!, performance.now() - t0);
      });
    }
  }
  return Object.fromEntries(Object.entries(best).map(([name, b]) => [name, b.reduce((x, y) => x + y, 0) / b.length]));
}

/** Compressed bytes of each v2 section (meta, ids, msg, attrs) from the payload header. */
function sectionBytes(payload: Buffer): number[] {
  const r = new ByteReader(payload, 2);
  r.varint();
  return [r.varint(), r.varint(), r.varint(), r.varint()];
}

const MINUTE = 60_000;
const LEVEL_INDEX: Record<string, number> = Object.fromEntries(LOG_LEVELS.map((l, i) => [l, i]));
function histogramFromEvents(events: LogEvent[], counts: Map<number, number>) {
  for (const e of events) {
    const k = Math.floor(e.ts / MINUTE) * 8 + (e.level === null ? 7 : LEVEL_INDEX[e.level]!);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
}
function histogramFromMeta(payload: Buffer, counts: Map<number, number>) {
  const m = decodeBlockMeta(payload);
  for (let i = 0; i < m.count; i++) {
    const k = Math.floor(m.ts[i]! / MINUTE) * 8 + (m.levels[i]! < 0 ? 7 : m.levels[i]!);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
}

const f = (n: number, d = 2) => n.toFixed(d);
const rows: string[][] = [];
for (const kind of ["nginx", "app"] as const) {
  const blocks = buildBlocks(kind);
  const v1 = blocks.map((b) => encodePayloadV1(b));
  const v2 = blocks.map((b) => encodePayloadV2(b, "json"));
  const v3 = blocks.map((b) => encodePayloadV2(b));
  const [path1, path2] = kind === "nginx" ? ["http.response.status_code", "url.original"] : ["user.tier", "amount"];
  const [miss, hit] = [["zqxj"], [kind === "nginx" ? "iphone" : "pro"]];
  blocks.forEach((b, i) => {
    for (const p of [v1[i]!.payload, v2[i]!.payload, v3[i]!.payload]) if (!isDeepStrictEqual(decodeBlock(p), b)) throw new Error(`${kind} block ${i} does not round-trip`);
    const two = decodeBlock(v3[i]!.payload, { attributes: { paths: [path1, path2] } });
    const want = b.map((e) => Object.fromEntries([path1, path2].flatMap((p) => (attributeAt(e.attributes, p) === undefined ? [] : [[p, attributeAt(e.attributes, p)]]))));
    if (!isDeepStrictEqual(two.map((e) => ({ ...e.attributes })), want)) throw new Error(`${kind} block ${i}: paths differ`);
    if (decodeBlock(v3[i]!.payload, { attributes: { ifText: miss } }).some((e) => Object.keys(e.attributes).length)) throw new Error(`${kind} block ${i}: ifText should miss`);
    if (!isDeepStrictEqual(decodeBlock(v3[i]!.payload, { attributes: { ifText: hit } }), decodeBlock(v3[i]!.payload, { attributes: true }))) throw new Error(`${kind} block ${i}: ifText should hit`);
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const p1 = v1.map((p) => p.payload);
  const p2 = v2.map((p) => p.payload);
  const p3 = v3.map((p) => p.payload);
  const sections = [0, 1, 2, 3].map((s) => mean(p3.map((p) => sectionBytes(p)[s]!)));
  const dec = (sections?: BlockSections): [Buffer[], (p: Buffer) => unknown] => [p3, (p) => decodeBlock(p, sections)];
  const t = timeAll({
    encV1: [blocks, encodePayloadV1],
    encV2: [blocks, (b: LogEvent[]) => encodePayloadV2(b, "json")],
    encV3: [blocks, encodePayloadV2],
    encodeBlock: [blocks, encodeBlock],
    decV1: [p1, decodePayloadV1],
    full: dec(),
    meta: dec({}),
    message: dec({ message: true }),
    attributes: dec({ attributes: true }),
    attributesV2: [p2, (p: Buffer) => decodeBlock(p, { attributes: true })],
    path1: dec({ attributes: { paths: [path1] } }),
    path2: dec({ attributes: { paths: [path1, path2] } }),
    ifMiss: dec({ attributes: { ifText: miss } }),
    ifHit: dec({ attributes: { ifText: hit } }),
    ids: dec({ ids: true }),
    blockMeta: [p3, decodeBlockMeta],
    histEvents: [p3, (p: Buffer) => histogramFromEvents(decodeBlock(p, {}), new Map())],
    histMeta: [p3, (p: Buffer) => histogramFromMeta(p, new Map())],
  });
  const check1 = new Map<number, number>();
  const check2 = new Map<number, number>();
  for (const p of p3) {
    histogramFromEvents(decodeBlock(p, {}), check1);
    histogramFromMeta(p, check2);
  }
  if (!isDeepStrictEqual(check1, check2)) throw new Error("histograms differ");
  const results: [string, string][] = [
    ["events / blocks", `${blocks.reduce((a, b) => a + b.length, 0)} / ${blocks.length}`],
    ["payload bytes v1", f(mean(p1.map((p) => p.length)), 0)],
    ["payload bytes v2", `${f(mean(p2.map((p) => p.length)), 0)} (${f((mean(p2.map((p) => p.length)) / mean(p1.map((p) => p.length)) - 1) * 100, 1)}% of v1)`],
    ["payload bytes v3", `${f(mean(p3.map((p) => p.length)), 0)} (${f((mean(p3.map((p) => p.length)) / mean(p2.map((p) => p.length)) - 1) * 100, 1)}% of v2)`],
    ["  v2 attrs section bytes", f(mean(p2.map((p) => sectionBytes(p)[3]!)), 0)],
    ["  v3 sections meta/ids/msg/attrs", sections.map((s) => f(s, 0)).join("/")],
    ["raw bytes v1 JSON / v2 / v3 sections", `${f(mean(v1.map((p) => p.rawBytes)), 0)} / ${f(mean(v2.map((p) => p.rawBytes)), 0)} / ${f(mean(v3.map((p) => p.rawBytes)), 0)}`],
    ["encode payload ms v1", f(t.encV1!, 3)],
    ["encode payload ms v2", f(t.encV2!, 3)],
    ["encode payload ms v3", `${f(t.encV3!, 3)} (${f((t.encV3! / t.encV2! - 1) * 100, 1)}%)`],
    ["encodeBlock ms (tokens + v3)", f(t.encodeBlock!, 3)],
    ["decode full ms v1", f(t.decV1!, 3)],
    ["decode full ms v3", f(t.full!, 3)],
    ["decode meta-only ms", f(t.meta!, 3)],
    ["decode message-only ms", f(t.message!, 3)],
    ["decode attributes ms v2 (JSON)", f(t.attributesV2!, 3)],
    ["decode attributes ms v3: all", f(t.attributes!, 3)],
    [`  one path (${path1})`, f(t.path1!, 3)],
    [`  two paths (+ ${path2})`, f(t.path2!, 3)],
    ["  ifText miss", f(t.ifMiss!, 3)],
    ["  ifText hit", f(t.ifHit!, 3)],
    ["decode ids-only ms", f(t.ids!, 3)],
    ["decodeBlockMeta ms (typed arrays)", f(t.blockMeta!, 3)],
    ["histogram ms via decodeBlock(p, {})", f(t.histEvents!, 3)],
    ["histogram ms via decodeBlockMeta", f(t.histMeta!, 3)],
  ];
  if (rows.length === 0) rows.push(["per block", ...results.map((r) => r[0])]);
  rows.push([kind, ...results.map((r) => r[1])]);
}
const width = Math.max(...rows.flatMap((r) => r.slice(0, 1)).concat(rows[0]!).map((s) => s.length));
console.log(`log blocks: ${blockCount} blocks per generator, best of ${rounds} rounds per block (one thread; noisy on a shared machine)`);
for (let i = 0; i < rows[0]!.length; i++) console.log(`${rows[0]![i]!.padEnd(width)}  ${rows.slice(1).map((r) => r[i]!.padStart(24)).join("")}`);
