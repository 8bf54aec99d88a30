/**
 * Prometheus text 0.0.4 conformance: prometheus/common expfmt's text parser tests
 * (../shared/conformance/exposition/expfmt-text-cases.json), one test per case.
 *
 * The expected output is a list of client_model MetricFamily objects, one Metric per series
 * (summaries and histograms folded). Our output is flat, so the test folds it the way expfmt does
 * (`toClientModel`) and compares:
 * - families by name, in any order (expfmt returns a map);
 * - Type: counter→COUNTER, gauge→GAUGE, summary→SUMMARY, histogram→HISTOGRAM,
 *   gaugehistogram→GAUGE_HISTOGRAM, unknown→UNTYPED; Help "" when absent on both sides;
 * - counter/gauge/untyped: one Metric per sample, in input order, with its Label list (compared
 *   sorted by name) and TimestampMs;
 * - summary: one Metric per label set without `quantile`, in order of first appearance;
 *   `name{quantile=q}` → Quantile {Quantile: q, Value}, `_sum` → SampleSum, `_count` → SampleCount;
 *   TimestampMs = the last timestamp seen for the series (expfmt: "latest timestamp wins");
 * - histogram: the same with `le`: `_bucket{le=b}` → Bucket {UpperBound: b, CumulativeCount};
 *   expfmt's `*Float` variants (SampleCountFloat, CumulativeCountFloat) are the same numbers;
 * - numbers compare by canonical key ("NaN", "Infinity", "-Infinity" or the JS number's text).
 * Error cases: we run in UTF-8 mode (quoted names allowed), so `errUTF8` is the expectation:
 * "" means the input must parse; otherwise it must throw ExpositionParseError on the same line
 * number ("… in line N: …"); the wording of messages is not compared. Inputs given as bytes
 * (`$bytesB64`) go through decodeExpositionBody first.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { decodeExpositionBody, ExpositionParseError, parsePrometheusText, type MetricFamily } from "./index";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const casesPath = path.resolve(repoRoot, "../shared/conformance/exposition/expfmt-text-cases.json");

type Num = number | string;
interface GoLabel {
  Name: string;
  Value: string;
}
interface GoMetric {
  Label?: GoLabel[];
  Counter?: { Value: Num };
  Gauge?: { Value: Num };
  Untyped?: { Value: Num };
  Summary?: { SampleCount?: Num; SampleSum?: Num; Quantile?: { Quantile: Num; Value: Num }[] };
  Histogram?: {
    SampleCount?: Num;
    SampleCountFloat?: Num;
    SampleSum?: Num;
    Bucket?: { UpperBound: Num; CumulativeCount?: Num; CumulativeCountFloat?: Num }[];
  };
  TimestampMs?: number;
}
interface GoFamily {
  Name: string;
  Help?: string;
  Type: string;
  Metric: GoMetric[];
}
type Input = string | { $bytesB64: string; $lossy: string };
interface ParseCase {
  id: string;
  in: Input;
  out: GoFamily[];
}
interface ErrorCase {
  id: string;
  in: Input;
  errUTF8: string;
  errLegacy: string;
}

/** Cases we knowingly do not pass, with the reason. Empty: every case passes. */
const SKIP: Record<string, string> = {};

const TYPE_NAMES: Record<string, string> = {
  counter: "COUNTER",
  gauge: "GAUGE",
  summary: "SUMMARY",
  histogram: "HISTOGRAM",
  gaugehistogram: "GAUGE_HISTOGRAM",
  unknown: "UNTYPED",
};

function key(v: Num | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  const t = v.toLowerCase();
  if (t === "nan") return "NaN";
  if (t === "+inf" || t === "inf") return "Infinity";
  if (t === "-inf") return "-Infinity";
  return String(Number(v));
}

function sortLabels(labels: GoLabel[]): GoLabel[] {
  return [...labels].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

interface NormMetric {
  Label: GoLabel[];
  Value?: string;
  SampleCount?: string;
  SampleSum?: string;
  Quantile?: { Quantile: string | undefined; Value: string | undefined }[];
  Bucket?: { UpperBound: string | undefined; CumulativeCount: string | undefined }[];
  TimestampMs?: number;
}
interface NormFamily {
  Name: string;
  Help: string;
  Type: string;
  Metric: NormMetric[];
}

function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function normalizeExpected(families: GoFamily[]): NormFamily[] {
  return families
    .map((f) => ({
      Name: f.Name,
      Help: f.Help ?? "",
      Type: f.Type,
      Metric: f.Metric.map((m) => {
        const scalar = m.Counter ?? m.Gauge ?? m.Untyped;
        const h = m.Histogram;
        const s = m.Summary;
        return dropUndefined<NormMetric>({
          Label: sortLabels(m.Label ?? []),
          Value: key(scalar?.Value),
          SampleCount: key(s?.SampleCount ?? h?.SampleCount ?? h?.SampleCountFloat),
          SampleSum: key(s?.SampleSum ?? h?.SampleSum),
          Quantile: s?.Quantile?.map((q) => ({ Quantile: key(q.Quantile), Value: key(q.Value) })),
          Bucket: h?.Bucket?.map((b) => ({
            UpperBound: key(b.UpperBound),
            CumulativeCount: key(b.CumulativeCount ?? b.CumulativeCountFloat),
          })),
          TimestampMs: m.TimestampMs,
        });
      }),
    }))
    .sort((a, b) => (a.Name < b.Name ? -1 : 1));
}

/** Folds our flat samples into client_model's shape, as expfmt does. */
function toClientModel(families: MetricFamily[]): NormFamily[] {
  return families
    .map((f) => {
      const metrics: NormMetric[] = [];
      const folded = f.type === "summary" || f.type === "histogram" || f.type === "gaugehistogram";
      const bySeries = new Map<string, NormMetric>();
      for (const s of f.samples) {
        const special = f.type === "summary" ? "quantile" : "le";
        const label = sortLabels(
          Object.entries(s.labels)
            .filter(([n]) => !folded || n !== special)
            .map(([Name, Value]) => ({ Name, Value })),
        );
        if (!folded) {
          metrics.push(dropUndefined<NormMetric>({ Label: label, Value: key(s.value), TimestampMs: s.timestampMs }));
          continue;
        }
        const id = JSON.stringify(label);
        let m = bySeries.get(id);
        if (!m) {
          m = { Label: label };
          bySeries.set(id, m);
          metrics.push(m);
        }
        if (s.timestampMs !== undefined) m.TimestampMs = s.timestampMs;
        const suffix = s.name.slice(f.name.length);
        if (suffix === "_sum") m.SampleSum = key(s.value);
        else if (suffix === "_count") m.SampleCount = key(s.value);
        else if (f.type === "summary") (m.Quantile ??= []).push({ Quantile: key(s.labels.quantile), Value: key(s.value) });
        else (m.Bucket ??= []).push({ UpperBound: key(s.labels.le), CumulativeCount: key(s.value) });
      }
      return { Name: f.name, Help: f.help, Type: TYPE_NAMES[f.type], Metric: metrics };
    })
    .sort((a, b) => (a.Name < b.Name ? -1 : 1));
}

function bodyOf(input: Input): string {
  return typeof input === "string" ? input : decodeExpositionBody(Buffer.from(input.$bytesB64, "base64"));
}

const present = fs.existsSync(casesPath);
const data = present
  ? (JSON.parse(fs.readFileSync(casesPath, "utf8")) as { parse: ParseCase[]; parseErrors: ErrorCase[] })
  : { parse: [], parseErrors: [] };

describe("Prometheus text 0.0.4 conformance (prometheus/common expfmt tests)", () => {
  if (!present) {
    it.skip(`conformance file absent: ${casesPath}`, () => {});
    return;
  }

  for (const c of data.parse) {
    const reason = SKIP[c.id];
    if (reason !== undefined) {
      it.skip(`${c.id} — skipped: ${reason}`, () => {});
      continue;
    }
    it(`${c.id} parses as expfmt does`, () => {
      const parsed = parsePrometheusText(bodyOf(c.in));
      expect(toClientModel(parsed.families)).toEqual(normalizeExpected(c.out));
    });
  }

  for (const c of data.parseErrors) {
    const reason = SKIP[c.id];
    if (reason !== undefined) {
      it.skip(`${c.id} — skipped: ${reason}`, () => {});
      continue;
    }
    if (c.errUTF8 === "") {
      it(`${c.id} parses in UTF-8 mode`, () => {
        expect(() => parsePrometheusText(bodyOf(c.in))).not.toThrow();
      });
      continue;
    }
    const line = Number(/in line (\d+):/.exec(c.errUTF8)?.[1]);
    it(`${c.id} is rejected in line ${line}`, () => {
      let error: unknown;
      try {
        parsePrometheusText(bodyOf(c.in));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ExpositionParseError);
      expect((error as ExpositionParseError).line).toBe(line);
    });
  }
});
