/**
 * OpenMetrics conformance: the OpenMetrics project's parser test inputs
 * (../shared/conformance/exposition/openmetrics-parser-cases.json), one test per case.
 *
 * Mapping from the oracle (client_python's parser output) to ours, field by field:
 * - family `name`, `type`, `help`, `unit`: compared as is ("" when absent on both sides);
 * - sample `name`, `labels`: as is (our labels are a null-prototype record, compared by entries);
 * - sample `value`: the oracle's number text ("1", "1.0", "NaN", "+Inf", …) and our number are
 *   both turned into a canonical key (`NaN`, `Infinity`, `-Infinity` or the JS number's text),
 *   so `1` and `1.0` agree and NaN equals NaN;
 * - `timestamp` (oracle: seconds as text, null when absent) ↔ our `timestampMs`: seconds × 1000,
 *   both rounded to 15 significant digits (the oracle's own precision is nanoseconds);
 * - `exemplar` (null when absent) ↔ our optional `exemplar`, with the same value/timestamp rules.
 * Rejected cases (shouldParse false) must throw ExpositionParseError; the oracle's messages are
 * Python's and are not compared.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ExpositionParseError, parseOpenMetrics, type MetricFamily } from "./index";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const casesPath = path.resolve(repoRoot, "../shared/conformance/exposition/openmetrics-parser-cases.json");

interface OracleSample {
  name: string;
  labels: Record<string, string>;
  value: string;
  timestamp: string | null;
  exemplar: { labels: Record<string, string>; value: string; timestamp: string | null } | null;
}
interface OracleFamily {
  name: string;
  type: string;
  help: string;
  unit: string;
  samples: OracleSample[];
}
interface OmCase {
  name: string;
  type: string;
  shouldParse: boolean;
  input: string;
  clientPython: { parsed: boolean; families?: OracleFamily[]; error?: string };
}

/** Cases we knowingly do not pass, with the reason. Empty: every case passes. */
const SKIP: Record<string, string> = {};

function numKey(v: number): string {
  return Number.isNaN(v) ? "NaN" : String(v);
}

function oracleNumKey(text: string): string {
  const t = text.toLowerCase();
  if (t === "nan") return "NaN";
  if (t === "+inf" || t === "inf") return "Infinity";
  if (t === "-inf") return "-Infinity";
  return numKey(Number(text));
}

function tsKey(ms: number | undefined): number | null {
  return ms === undefined ? null : Number(ms.toPrecision(15));
}

function oracleTsKey(seconds: string | null): number | null {
  return seconds === null ? null : Number((Number(seconds) * 1000).toPrecision(15));
}

function normalizeOurs(families: MetricFamily[]) {
  return families.map((f) => ({
    name: f.name,
    type: f.type,
    help: f.help,
    unit: f.unit,
    samples: f.samples.map((s) => ({
      name: s.name,
      labels: { ...s.labels },
      value: numKey(s.value),
      timestamp: tsKey(s.timestampMs),
      exemplar: s.exemplar
        ? { labels: { ...s.exemplar.labels }, value: numKey(s.exemplar.value), timestamp: tsKey(s.exemplar.timestampMs) }
        : null,
    })),
  }));
}

function normalizeOracle(families: OracleFamily[]) {
  return families.map((f) => ({
    name: f.name,
    type: f.type,
    help: f.help,
    unit: f.unit,
    samples: f.samples.map((s) => ({
      name: s.name,
      labels: { ...s.labels },
      value: oracleNumKey(s.value),
      timestamp: oracleTsKey(s.timestamp),
      exemplar: s.exemplar
        ? { labels: { ...s.exemplar.labels }, value: oracleNumKey(s.exemplar.value), timestamp: oracleTsKey(s.exemplar.timestamp) }
        : null,
    })),
  }));
}

const present = fs.existsSync(casesPath);
const cases: OmCase[] = present ? (JSON.parse(fs.readFileSync(casesPath, "utf8")) as { cases: OmCase[] }).cases : [];

describe("OpenMetrics conformance (OpenMetrics testdata, client_python as oracle)", () => {
  if (!present) {
    it.skip(`conformance file absent: ${casesPath}`, () => {});
    return;
  }

  it("has the expected number of cases", () => {
    expect(cases.length).toBe(211);
  });

  for (const c of cases) {
    const reason = SKIP[c.name];
    if (reason !== undefined) {
      it.skip(`${c.name} — skipped: ${reason}`, () => {});
      continue;
    }
    if (c.shouldParse) {
      it(`${c.name} parses as client_python does`, () => {
        const parsed = parseOpenMetrics(c.input);
        expect(normalizeOurs(parsed.families)).toEqual(normalizeOracle(c.clientPython.families ?? []));
      });
    } else {
      it(`${c.name} is rejected`, () => {
        expect(() => parseOpenMetrics(c.input)).toThrow(ExpositionParseError);
      });
    }
  }
});
