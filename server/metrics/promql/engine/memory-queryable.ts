/**
 * An in-memory `Queryable`: the promqltest runner's storage, the engine benchmark's, and a
 * fixture for any test that needs series without a database. Series are kept sorted by time;
 * `select` returns views (no copies) of the samples in [hints.start, hints.end].
 */
import type { Labels, Queryable, SelectHints, SeriesData, SeriesSamplesInput, SeriesVisitor } from "../../model";
import type { LabelMatcher } from "../ast";
import { labelsKey } from "./labels";
import { compileMatchers } from "./matchers";

interface StoredSeries {
  labels: Labels;
  ts: Float64Array;
  vs: Float64Array;
  stale?: Uint8Array;
}

function cleanLabels(l: Labels): Labels {
  const out: Labels = {};
  for (const n in l) if (l[n] !== "") out[n] = l[n];
  return out;
}

/** First index with a[i] >= x (a sorted ascending). */
export function lowerBound(a: ArrayLike<number>, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with a[i] > x (a sorted ascending). */
export function upperBound(a: ArrayLike<number>, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class MemoryQueryable implements Queryable {
  private readonly store = new Map<string, StoredSeries>();

  constructor(series: SeriesData[] = []) {
    for (const s of series) this.addSeries(s);
  }

  /** Number of stored series. */
  get size(): number {
    return this.store.size;
  }

  /**
   * Adds one series whose samples are sorted by time without duplicates. Typed arrays are kept
   * as given (not copied) when the series is new, so callers may share a timestamps array.
   * Samples of an existing series with the same labels are merged (the new sample wins a tie).
   */
  addSeries(s: SeriesData): void {
    const labels = cleanLabels(s.labels);
    const key = labelsKey(labels);
    const ts = s.timestamps instanceof Float64Array ? s.timestamps : Float64Array.from(s.timestamps);
    const vs = s.values instanceof Float64Array ? s.values : Float64Array.from(s.values);
    const existing = this.store.get(key);
    if (!existing) {
      this.store.set(key, { labels, ts, vs, stale: s.stale });
      return;
    }
    const samples: { t: number; v: number; stale: boolean }[] = [];
    for (let i = 0; i < existing.ts.length; i++) samples.push({ t: existing.ts[i], v: existing.vs[i], stale: existing.stale?.[i] === 1 });
    for (let i = 0; i < ts.length; i++) samples.push({ t: ts[i], v: vs[i], stale: s.stale?.[i] === 1 });
    this.store.set(key, build(labels, samples));
  }

  /** Appends samples in any order (duplicates: the later one wins). */
  append(input: SeriesSamplesInput[]): void {
    for (const s of input) {
      const sorted = s.samples
        .map((x, i) => ({ t: x.timestampMs, v: x.value, stale: x.stale === true, i }))
        .sort((a, b) => a.t - b.t || a.i - b.i);
      const dedup: { t: number; v: number; stale: boolean }[] = [];
      for (const x of sorted) {
        if (dedup.length > 0 && dedup[dedup.length - 1].t === x.t) dedup[dedup.length - 1] = x;
        else dedup.push(x);
      }
      const built = build(cleanLabels(s.labels), dedup);
      this.addSeries({ labels: built.labels, timestamps: built.ts, values: built.vs, stale: built.stale });
    }
  }

  /** A copy sharing the (immutable) sample arrays. */
  clone(): MemoryQueryable {
    const out = new MemoryQueryable();
    for (const [k, v] of this.store) out.store.set(k, v);
    return out;
  }

  private matching(matcherSets: LabelMatcher[][]): StoredSeries[] {
    const all = [...this.store.values()];
    if (matcherSets.length === 0) return all;
    const preds = matcherSets.map(compileMatchers);
    return all.filter((s) => preds.some((p) => p(s.labels)));
  }

  private hasSamplesIn(s: StoredSeries, start: number, end: number): boolean {
    const i = lowerBound(s.ts, start);
    return i < s.ts.length && s.ts[i] <= end;
  }

  async select(matchers: LabelMatcher[], hints: SelectHints): Promise<SeriesData[]> {
    const pred = compileMatchers(matchers);
    const out: SeriesData[] = [];
    for (const s of this.store.values()) {
      if (!pred(s.labels)) continue;
      const from = lowerBound(s.ts, hints.start);
      const to = upperBound(s.ts, hints.end, from);
      if (to <= from) continue;
      const data: SeriesData = { labels: s.labels, timestamps: s.ts.subarray(from, to), values: s.vs.subarray(from, to) };
      if (s.stale) data.stale = s.stale.subarray(from, to);
      out.push(data);
    }
    return out;
  }

  /** select's series handed over one by one (the engine's streaming path runs over memory too). */
  async selectEach(matchers: LabelMatcher[], hints: SelectHints, visitor: SeriesVisitor): Promise<void> {
    const pred = compileMatchers(matchers);
    const labels: Labels[] = [];
    for (const s of this.store.values()) if (pred(s.labels)) labels.push(s.labels);
    visitor.begin?.(labels);
    for (const s of await this.select(matchers, hints)) visitor.visit(s);
  }

  async labelNames(matcherSets: LabelMatcher[][], start: number, end: number): Promise<string[]> {
    const names = new Set<string>();
    for (const s of this.matching(matcherSets)) {
      if (!this.hasSamplesIn(s, start, end)) continue;
      for (const n in s.labels) names.add(n);
    }
    return [...names].sort();
  }

  async labelValues(name: string, matcherSets: LabelMatcher[][], start: number, end: number): Promise<string[]> {
    const values = new Set<string>();
    for (const s of this.matching(matcherSets)) {
      const v = s.labels[name];
      if (v !== undefined && this.hasSamplesIn(s, start, end)) values.add(v);
    }
    return [...values].sort();
  }

  async series(matcherSets: LabelMatcher[][], start: number, end: number): Promise<Labels[]> {
    return this.matching(matcherSets)
      .filter((s) => this.hasSamplesIn(s, start, end))
      .map((s) => ({ ...s.labels }));
  }
}

function build(labels: Labels, samples: { t: number; v: number; stale: boolean }[]): StoredSeries {
  samples.sort((a, b) => a.t - b.t);
  const ts: number[] = [];
  const vs: number[] = [];
  const st: number[] = [];
  for (const x of samples) {
    if (ts.length > 0 && ts[ts.length - 1] === x.t) {
      vs[vs.length - 1] = x.v;
      st[st.length - 1] = x.stale ? 1 : 0;
      continue;
    }
    ts.push(x.t);
    vs.push(x.v);
    st.push(x.stale ? 1 : 0);
  }
  const out: StoredSeries = { labels, ts: Float64Array.from(ts), vs: Float64Array.from(vs) };
  if (st.includes(1)) out.stale = Uint8Array.from(st);
  return out;
}
