/**
 * Conformance with logstash-patterns-core's own specs (recorded as data in
 * ../shared/conformance/grok/grok-cases.json): each case runs a grok expression over a message,
 * builds the event the way the Logstash grok filter does (captures appended into existing
 * fields, `_grokparsefailure` tag on mismatch) and checks the recorded RSpec assertions.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { applyCapturesLogstash } from "./captures";
import { compileGrok } from "./grok";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const casesFile = path.resolve(repoRoot, "../shared/conformance/grok/grok-cases.json");

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = Record<string, unknown>;

type Assertion =
  | { kind: "includes" | "notIncludes" | "equals" | "have_key" | "end_with"; path: string[]; ops: string[]; expected: Json; pending?: boolean; negated?: boolean }
  | { kind: "matches"; value: boolean; pending?: boolean }
  | { kind: "keysAbsent"; path: string[]; keys: string[]; pending?: boolean }
  | { kind: "onlyTopLevelKeys"; allowed: string[]; pending?: boolean };

type Case = {
  grok: string;
  pattern: string;
  ecsCompatibility: "disabled" | "v1" | "default";
  message: string;
  exact: boolean;
  source: string;
  examples: string[];
  assertions: Assertion[];
};

/**
 * Cases that cannot pass for a principled reason, keyed by `source|ecsCompatibility|message`.
 * Keep this short and honest.
 */
const SKIP = new Map<string, string>([]);

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** RSpec `values_match?`: `hash_including` is partial, plain hashes and arrays compare element-wise, else ==. */
function valuesMatch(expected: unknown, actual: unknown): boolean {
  if (isObj(expected) && expected.$matcher === "hash_including") {
    const [want] = expected.args as [Obj];
    return isObj(actual) && Object.entries(want).every(([k, v]) => k in actual && valuesMatch(v, actual[k]));
  }
  if (isObj(expected)) {
    return isObj(actual) && Object.keys(expected).length === Object.keys(actual).length && Object.entries(expected).every(([k, v]) => k in actual && valuesMatch(v, actual[k]));
  }
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.length === actual.length && expected.every((v, i) => valuesMatch(v, actual[i]));
  if (expected === null) return actual === null || actual === undefined;
  return expected === actual;
}

/** RSpec `include(item)` for hashes, arrays and strings. */
function includesItem(actual: unknown, item: unknown): boolean {
  if (isObj(actual)) {
    if (isObj(item)) return Object.entries(item).every(([k, v]) => k in actual && valuesMatch(v, actual[k]));
    return typeof item === "string" && item in actual;
  }
  if (Array.isArray(actual)) return actual.some((a) => valuesMatch(item, a));
  if (typeof actual === "string") return typeof item === "string" && actual.includes(item);
  return false;
}

function dig(event: Obj, keys: string[], ops: string[] = []): unknown {
  let v: unknown = event;
  for (const k of keys) v = isObj(v) ? v[k] : undefined;
  for (const op of ops) {
    if (op === "to_s") v = v === undefined || v === null ? "" : String(v);
    else if (op === "last()") v = Array.isArray(v) ? v[v.length - 1] : undefined;
    else throw new Error(`unknown op ${op}`);
  }
  return v;
}

/** Evaluates one assertion; returns a failure description or null. */
function check(event: Obj, a: Assertion): string | null {
  const fail = (what: string) => `${a.kind} ${JSON.stringify(a)}: ${what}`;
  switch (a.kind) {
    case "matches": {
      const failed = Array.isArray(event.tags) && event.tags.includes("_grokparsefailure");
      return failed === !a.value ? null : fail(a.value ? "did not match" : "matched");
    }
    case "includes":
    case "notIncludes": {
      const actual = dig(event, a.path, a.ops);
      const items = a.expected as Json[];
      const hit = a.kind === "includes" ? items.every((it) => includesItem(actual, it)) : !items.some((it) => includesItem(actual, it));
      return hit ? null : fail(`actual ${JSON.stringify(actual)}`);
    }
    case "equals": {
      const actual = dig(event, a.path, a.ops);
      return valuesMatch(a.expected, actual) ? null : fail(`actual ${JSON.stringify(actual)}`);
    }
    case "have_key": {
      const actual = dig(event, a.path, a.ops);
      const has = isObj(actual) && (a.expected as string[]).every((k) => k in actual);
      return has !== Boolean(a.negated) ? null : fail(`actual keys ${JSON.stringify(isObj(actual) ? Object.keys(actual) : actual)}`);
    }
    case "end_with": {
      const actual = dig(event, a.path, a.ops);
      const suffix = a.expected as Json[];
      const ends =
        typeof actual === "string"
          ? suffix.every((s) => typeof s === "string") && actual.endsWith(suffix.join(""))
          : Array.isArray(actual) && suffix.length <= actual.length && suffix.every((s, i) => valuesMatch(s, actual[actual.length - suffix.length + i]));
      return ends !== Boolean(a.negated) ? null : fail(`actual ${JSON.stringify(actual)}`);
    }
    case "keysAbsent": {
      const actual = dig(event, a.path);
      const present = isObj(actual) ? a.keys.filter((k) => k in actual) : [];
      return present.length === 0 ? null : fail(`present: ${present.join(", ")}`);
    }
    case "onlyTopLevelKeys": {
      // Event#to_hash leaves out @metadata
      const extra = Object.keys(event).filter((k) => k !== "@metadata" && !a.allowed.includes(k));
      return extra.length === 0 ? null : fail(`extra keys: ${extra.join(", ")}`);
    }
  }
}

function runCase(c: Case): Obj {
  const grok = compileGrok(c.grok, { ecsCompatibility: c.ecsCompatibility === "v1" ? "v1" : "disabled" });
  const event: Obj = { message: c.message, "@timestamp": "2024-01-01T00:00:00.000Z", "@version": "1" };
  const values = grok.exec(c.message);
  if (values) applyCapturesLogstash(event, grok, values);
  else event.tags = ["_grokparsefailure"];
  return event;
}

const caseKey = (c: Case) => `${c.source}|${c.ecsCompatibility}|${c.message}`;

const available = existsSync(casesFile);
const cases: Case[] = available ? (JSON.parse(readFileSync(casesFile, "utf8")) as { cases: Case[] }).cases : [];

describe.skipIf(!available)(`grok conformance (logstash-patterns-core specs${available ? "" : `: ${casesFile} not found, suite skipped`})`, () => {
  for (const c of cases) {
    const name = `${c.source} [${c.ecsCompatibility}] ${c.grok} ← ${JSON.stringify(c.message.length > 60 ? `${c.message.slice(0, 60)}…` : c.message)}`;
    const skipReason = SKIP.get(caseKey(c));
    if (skipReason) {
      it.skip(`${name} (skipped: ${skipReason})`, () => {});
      continue;
    }
    it(name, () => {
      const event = runCase(c);
      const failures: string[] = [];
      for (const a of c.assertions) {
        const problem = check(event, a);
        // RSpec `pending`: the spec's intended result, which Logstash itself fails (its comments
        // blame a grok :int coercion bug). We hold neither the bug nor the intent against us.
        if (problem && !a.pending) failures.push(problem);
      }
      expect(failures, `event: ${JSON.stringify(event)}`).toEqual([]);
    });
  }
});
