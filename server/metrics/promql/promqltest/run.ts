/**
 * Runs promqltest commands against the engine: builds the storage each `eval` sees (loads are
 * additive, `clear` empties), evaluates, and compares as promqltest does (floats approximately
 * with its epsilon, NaN equal to NaN, order only when asked for).
 */
import type { Labels } from "../../model";
import type { Expr, VectorSelector } from "../ast";
import { parseExpr } from "../parse";
import type { Engine } from "../engine/engine";
import { formatLabels, labelsKey } from "../engine/labels";
import { compileMatchers } from "../engine/matchers";
import { MemoryQueryable } from "../engine/memory-queryable";
import type { QueryResult } from "../engine/types";
import type { Command, EvalCommand, MessageExpectation } from "./test-file";

export interface EvalEnvironment {
  storage: MemoryQueryable;
  /** Label sets of series holding native histogram samples (not loaded; evals touching them are skipped). */
  native: Labels[];
}

/** The storage state in force at each eval command. */
export function environments(commands: Command[]): Map<EvalCommand, EvalEnvironment> {
  const out = new Map<EvalCommand, EvalEnvironment>();
  let env: EvalEnvironment = { storage: new MemoryQueryable(), native: [] };
  for (const cmd of commands) {
    if (cmd.kind === "clear") {
      env = { storage: new MemoryQueryable(), native: [] };
    } else if (cmd.kind === "load") {
      const storage = env.storage.clone();
      const native = [...env.native];
      for (const s of cmd.series) {
        const samples: { timestampMs: number; value: number; stale?: boolean }[] = [];
        s.points.forEach((p, i) => {
          const t = i * cmd.intervalMs;
          if (p.kind === "float") samples.push({ timestampMs: t, value: p.value });
          else if (p.kind === "stale") samples.push({ timestampMs: t, value: NaN, stale: true });
        });
        if (s.points.some((p) => p.kind === "histogram")) native.push(s.labels);
        if (samples.length > 0) storage.append([{ labels: s.labels, samples }]);
        const name = s.labels.__name__ ?? "";
        if (cmd.withNhcb && name.endsWith("_bucket") && s.labels.le !== undefined) {
          const nhcb: Labels = { ...s.labels, __name__: name.slice(0, -"_bucket".length) };
          delete nhcb.le;
          native.push(nhcb);
        }
      }
      env = { storage, native };
    } else {
      out.set(cmd, env);
    }
  }
  return out;
}

function selectors(e: Expr, out: VectorSelector[] = []): VectorSelector[] {
  switch (e.kind) {
    case "VectorSelector":
      out.push(e);
      break;
    case "MatrixSelector":
      out.push(e.vectorSelector);
      break;
    case "SubqueryExpr":
    case "ParenExpr":
    case "UnaryExpr":
      selectors(e.expr, out);
      break;
    case "Call":
      for (const a of e.args) selectors(a, out);
      break;
    case "AggregateExpr":
      if (e.param) selectors(e.param, out);
      selectors(e.expr, out);
      break;
    case "BinaryExpr":
      selectors(e.lhs, out);
      selectors(e.rhs, out);
      break;
    default:
      break;
  }
  return out;
}

/** Why this eval needs native histograms, or undefined when it does not. */
export function nativeHistogramReason(cmd: EvalCommand, env: EvalEnvironment): string | undefined {
  if (cmd.block.includes("{{")) return "native histogram in the expected result";
  if (env.native.length === 0) return undefined;
  let expr: Expr;
  try {
    expr = parseExpr(cmd.query);
  } catch {
    return undefined;
  }
  for (const vs of selectors(expr)) {
    const pred = compileMatchers(vs.matchers);
    const hit = env.native.find((l) => pred(l));
    if (hit) return `selects native histogram series ${formatLabels(hit)}`;
  }
  return undefined;
}

const MIN_NORMAL = 2.2250738585072014e-308;

/** promqltest's float comparison (relative epsilon 1e-6; NaN equals NaN). */
export function almostEqual(a: number, b: number, epsilon = 1e-6): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

function matches(message: string, exp: MessageExpectation): boolean {
  if (exp.msg !== undefined) return message === exp.msg;
  if (exp.regex !== undefined) return new RegExp(exp.regex).test(message);
  return true;
}

function checkAnnotations(kind: string, got: string[], expected: MessageExpectation[], none: boolean): void {
  if (none && got.length > 0) throw new Error(`expected no ${kind} annotations, got ${JSON.stringify(got)}`);
  if (expected.length === 0) return;
  for (const exp of expected) {
    if (!got.some((g) => matches(g, exp))) throw new Error(`expected ${kind} annotation ${JSON.stringify(exp)}, got ${JSON.stringify(got)}`);
  }
  for (const g of got) {
    if (!expected.some((exp) => matches(g, exp))) throw new Error(`unexpected ${kind} annotation ${JSON.stringify(g)}`);
  }
}

function fmt(v: number): string {
  return Number.isNaN(v) ? "NaN" : String(v);
}

/** Evaluates one eval command; throws an Error describing the first mismatch. */
export async function runEval(engine: Engine, env: EvalEnvironment, cmd: EvalCommand): Promise<void> {
  let result: QueryResult;
  try {
    result = cmd.range
      ? await engine.rangeQuery(env.storage, cmd.query, cmd.range.start, cmd.range.end, cmd.range.step)
      : await engine.instantQuery(env.storage, cmd.query, cmd.instantAt as number);
  } catch (err) {
    if (cmd.fail) {
      const message = (err as Error).message;
      if (!matches(message, cmd.fail)) throw new Error(`error message ${JSON.stringify(message)} does not match ${JSON.stringify(cmd.fail)}`, { cause: err });
      return;
    }
    throw err;
  }
  if (cmd.fail) throw new Error(`expected the query to fail, got ${result.resultType} result`);
  checkAnnotations("warn", result.warnings ?? [], cmd.warn, cmd.noWarn);
  checkAnnotations("info", result.infos ?? [], cmd.info, cmd.noInfo);

  if (cmd.string !== undefined) {
    if (result.resultType !== "string" || result.result.v !== cmd.string) throw new Error(`expected string ${JSON.stringify(cmd.string)}, got ${JSON.stringify(result)}`);
    return;
  }
  if (cmd.scalar !== undefined) {
    if (result.resultType !== "scalar") throw new Error(`expected scalar ${fmt(cmd.scalar)}, got ${result.resultType}`);
    if (!almostEqual(cmd.scalar, result.result.v)) throw new Error(`expected scalar ${fmt(cmd.scalar)}, got ${fmt(result.result.v)}`);
    return;
  }

  if (cmd.range || result.resultType === "matrix") {
    if (result.resultType !== "matrix") throw new Error(`expected a matrix, got ${result.resultType}`);
    const grid = cmd.range ?? cmd.rangeVector;
    if (!grid) throw new Error("instant query returned a range vector but no `expect range vector` was given");
    const expected = new Map<string, { labels: Labels; t: number[]; v: number[] }>();
    for (const s of cmd.series) {
      const t: number[] = [];
      const v: number[] = [];
      s.points.forEach((p, i) => {
        if (p.kind === "float") {
          t.push(grid.start + i * grid.step);
          v.push(p.value);
        }
      });
      if (t.length > 0) expected.set(labelsKey(s.labels), { labels: s.labels, t, v });
    }
    if (expected.size !== result.result.length) {
      throw new Error(`expected ${expected.size} series, got ${result.result.length}: ${result.result.map((s) => formatLabels(s.labels)).join(" ")}`);
    }
    for (const s of result.result) {
      const exp = expected.get(labelsKey(s.labels));
      if (!exp) throw new Error(`unexpected series ${formatLabels(s.labels)}`);
      const got = s.timestamps.map((t, i) => `${t}:${fmt(s.values[i])}`).join(" ");
      const want = exp.t.map((t, i) => `${t}:${fmt(exp.v[i])}`).join(" ");
      if (exp.t.length !== s.timestamps.length || exp.t.some((t, i) => t !== s.timestamps[i] || !almostEqual(exp.v[i], s.values[i]))) {
        throw new Error(`series ${formatLabels(s.labels)}: expected ${want}, got ${got}`);
      }
    }
    return;
  }

  if (result.resultType !== "vector") throw new Error(`expected a vector, got ${result.resultType} ${JSON.stringify(result.result)}`);
  const expected = cmd.series.map((s) => ({ labels: s.labels, v: s.points.find((p) => p.kind === "float") }));
  if (expected.length !== result.result.length) {
    throw new Error(
      `expected ${expected.length} samples, got ${result.result.length}: ${result.result.map((s) => `${formatLabels(s.labels)} ${fmt(s.v)}`).join(", ")}`,
    );
  }
  const byKey = new Map(expected.map((e, i) => [labelsKey(e.labels), { ...e, i }]));
  result.result.forEach((s, pos) => {
    const exp = byKey.get(labelsKey(s.labels));
    if (!exp) throw new Error(`unexpected sample ${formatLabels(s.labels)} ${fmt(s.v)}`);
    const want = exp.v?.kind === "float" ? exp.v.value : NaN;
    if (!almostEqual(want, s.v)) throw new Error(`sample ${formatLabels(s.labels)}: expected ${fmt(want)}, got ${fmt(s.v)}`);
    if (cmd.ordered && exp.i !== pos) throw new Error(`sample ${formatLabels(s.labels)} at position ${pos}, expected at ${exp.i}`);
  });
}
