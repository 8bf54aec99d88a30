/**
 * Binary operators: arithmetic, comparison (filtering or `bool`) and set operators between
 * scalars and instant vectors, with on/ignoring and group_left/group_right matching. Matching is
 * resolved once per pair of series; values are combined step by step.
 */
import type { Labels } from "../../model";
import { isComparisonOp, isSetOp, type BinaryExpr, type BinaryOp, type VectorMatching } from "../ast";
import type { Evaluator } from "./evaluator";
import { goPow } from "./functions/math";
import { dropMetricName, formatLabels, keyOf, keyWithout, METRIC_NAME } from "./labels";
import { mergeSameLabels } from "./series-ops";
import { execError, PromQLExecError, type EvalValue, type StepSeries } from "./types";

export function arithmetic(op: BinaryOp, l: number, r: number): number {
  switch (op) {
    case "+":
      return l + r;
    case "-":
      return l - r;
    case "*":
      return l * r;
    case "/":
      return l / r;
    case "%":
      return l % r;
    case "^":
      return goPow(l, r);
    case "atan2":
      return Math.atan2(l, r);
    default:
      throw new PromQLExecError("bad_data", `operator "${op}" not allowed for arithmetic`);
  }
}

export function compare(op: BinaryOp, l: number, r: number): boolean {
  switch (op) {
    case "==":
      return l === r;
    case "!=":
      return l !== r;
    case ">":
      return l > r;
    case "<":
      return l < r;
    case ">=":
      return l >= r;
    case "<=":
      return l <= r;
    default:
      throw new PromQLExecError("bad_data", `operator "${op}" is not a comparison`);
  }
}

export function evalBinary(ev: Evaluator, e: BinaryExpr): EvalValue {
  const lhs = ev.eval(e.lhs);
  const rhs = ev.eval(e.rhs);
  const cmp = isComparisonOp(e.op);
  if (lhs.kind === "scalar" && rhs.kind === "scalar") {
    const values = new Float64Array(ev.n);
    for (let i = 0; i < ev.n; i++) {
      values[i] = cmp ? (compare(e.op, lhs.values[i], rhs.values[i]) ? 1 : 0) : arithmetic(e.op, lhs.values[i], rhs.values[i]);
    }
    return { kind: "scalar", values };
  }
  if (lhs.kind === "vector" && rhs.kind === "scalar") return { kind: "vector", series: vectorScalar(e, lhs.series, rhs.values, false) };
  if (lhs.kind === "scalar" && rhs.kind === "vector") return { kind: "vector", series: vectorScalar(e, rhs.series, lhs.values, true) };
  if (lhs.kind !== "vector" || rhs.kind !== "vector") {
    throw new PromQLExecError("bad_data", "binary expression must contain only scalar and instant vector types");
  }
  const vm = e.vectorMatching ?? { card: isSetOp(e.op) ? "many-to-many" : "one-to-one", matchingLabels: [], on: false, include: [] };
  if (isSetOp(e.op)) return { kind: "vector", series: setOperation(ev, e.op, lhs.series, rhs.series, vm) };
  return { kind: "vector", series: vectorVector(ev, e, lhs.series, rhs.series, vm) };
}

function vectorScalar(e: BinaryExpr, series: StepSeries[], scalar: Float64Array, swap: boolean): StepSeries[] {
  const cmp = isComparisonOp(e.op);
  const dropName = !cmp || e.returnBool;
  const out: StepSeries[] = [];
  for (const s of series) {
    const n = s.values.length;
    const values = new Float64Array(n);
    const present = new Uint8Array(n);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (s.present[i] !== 1) continue;
      const v = s.values[i];
      const l = swap ? scalar[i] : v;
      const r = swap ? v : scalar[i];
      if (!cmp) {
        values[i] = arithmetic(e.op, l, r);
      } else {
        const keep = compare(e.op, l, r);
        if (e.returnBool) values[i] = keep ? 1 : 0;
        else if (!keep) continue;
        else values[i] = v;
      }
      present[i] = 1;
      any = true;
    }
    if (any) out.push({ labels: dropName ? dropMetricName(s.labels) : s.labels, values, present });
  }
  return dropName ? mergeSameLabels(out) : out;
}

function signatureFn(vm: VectorMatching): (l: Labels) => string {
  if (vm.on) {
    const names = [...vm.matchingLabels].sort();
    return (l) => keyOf(l, names);
  }
  const exclude = new Set([...vm.matchingLabels, METRIC_NAME]);
  return (l) => keyWithout(l, exclude);
}

function presenceBySignature(series: StepSeries[], sig: (l: Labels) => string, n: number): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const s of series) {
    const key = sig(s.labels);
    let p = out.get(key);
    if (!p) {
      p = new Uint8Array(n);
      out.set(key, p);
    }
    for (let i = 0; i < n; i++) p[i] |= s.present[i];
  }
  return out;
}

function setOperation(ev: Evaluator, op: BinaryOp, lhs: StepSeries[], rhs: StepSeries[], vm: VectorMatching): StepSeries[] {
  const n = ev.n;
  const sig = signatureFn(vm);
  const filter = (series: StepSeries[], other: Map<string, Uint8Array>, keepIfPresent: boolean): StepSeries[] => {
    const out: StepSeries[] = [];
    for (const s of series) {
      const p = other.get(sig(s.labels));
      if (!p) {
        if (!keepIfPresent) out.push(s);
        continue;
      }
      const present = new Uint8Array(n);
      let any = false;
      for (let i = 0; i < n; i++) {
        if (s.present[i] === 1 && (p[i] === 1) === keepIfPresent) {
          present[i] = 1;
          any = true;
        }
      }
      if (any) out.push({ labels: s.labels, values: s.values, present });
    }
    return out;
  };
  switch (op) {
    case "and":
      return filter(lhs, presenceBySignature(rhs, sig, n), true);
    case "unless":
      return filter(lhs, presenceBySignature(rhs, sig, n), false);
    default:
      return mergeSameLabels([...lhs, ...filter(rhs, presenceBySignature(lhs, sig, n), false)]);
  }
}

function resultLabels(e: BinaryExpr, vm: VectorMatching, many: Labels, one: Labels): Labels {
  let out: Labels = { ...many };
  if (!isComparisonOp(e.op) || e.returnBool) delete out[METRIC_NAME];
  if (vm.card === "one-to-one") {
    if (vm.on) {
      const kept: Labels = {};
      for (const n of vm.matchingLabels) if (out[n] !== undefined) kept[n] = out[n];
      out = kept;
    } else {
      for (const n of vm.matchingLabels) delete out[n];
    }
  }
  for (const n of vm.include) {
    const v = one[n];
    if (v !== undefined && v !== "") out[n] = v;
    else delete out[n];
  }
  return out;
}

function vectorVector(ev: Evaluator, e: BinaryExpr, lhs: StepSeries[], rhs: StepSeries[], vm: VectorMatching): StepSeries[] {
  const n = ev.n;
  const sig = signatureFn(vm);
  const swapped = vm.card === "one-to-many";
  const many = swapped ? rhs : lhs;
  const one = swapped ? lhs : rhs;
  const cmp = isComparisonOp(e.op);

  const oneBySig = new Map<string, StepSeries[]>();
  for (const s of one) {
    const key = sig(s.labels);
    const list = oneBySig.get(key);
    if (list) list.push(s);
    else oneBySig.set(key, [s]);
  }
  for (const list of oneBySig.values()) {
    if (list.length < 2) continue;
    for (let i = 0; i < n; i++) {
      const dups = list.filter((s) => s.present[i] === 1);
      if (dups.length > 1) {
        const side = swapped ? "left" : "right";
        throw execError(
          `found duplicate series for the match group ${formatLabels(matchGroup(dups[0].labels, vm))} on the ${side} hand-side of the operation: ` +
            `[${dups.map((s) => formatLabels(s.labels)).join(", ")}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
    }
  }

  const manySigs = many.map((s) => sig(s.labels));
  if (vm.card === "one-to-one") {
    const manyBySig = new Map<string, StepSeries[]>();
    many.forEach((s, idx) => {
      const list = manyBySig.get(manySigs[idx]);
      if (list) list.push(s);
      else manyBySig.set(manySigs[idx], [s]);
    });
    for (const [key, list] of manyBySig) {
      const ones = oneBySig.get(key);
      if (list.length < 2 || !ones) continue;
      for (let i = 0; i < n; i++) {
        if (!ones.some((s) => s.present[i] === 1)) continue;
        if (list.filter((s) => s.present[i] === 1).length > 1) {
          throw execError("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
        }
      }
    }
  }

  const out: StepSeries[] = [];
  many.forEach((m, idx) => {
    const ones = oneBySig.get(manySigs[idx]);
    if (!ones) return;
    for (const o of ones) {
      const values = new Float64Array(n);
      const present = new Uint8Array(n);
      let any = false;
      for (let i = 0; i < n; i++) {
        if (m.present[i] !== 1 || o.present[i] !== 1) continue;
        const l = swapped ? o.values[i] : m.values[i];
        const r = swapped ? m.values[i] : o.values[i];
        if (!cmp) {
          values[i] = arithmetic(e.op, l, r);
        } else {
          const keep = compare(e.op, l, r);
          if (e.returnBool) values[i] = keep ? 1 : 0;
          else if (!keep) continue;
          else values[i] = l;
        }
        present[i] = 1;
        any = true;
      }
      if (any) out.push({ labels: resultLabels(e, vm, m.labels, o.labels), values, present });
    }
  });
  try {
    return mergeSameLabels(out);
  } catch (err) {
    if (vm.card !== "one-to-one") throw execError("multiple matches for labels: grouping labels must ensure unique matches");
    throw err;
  }
}

function matchGroup(l: Labels, vm: VectorMatching): Labels {
  if (vm.on) {
    const out: Labels = {};
    for (const n of vm.matchingLabels) if (l[n]) out[n] = l[n];
    return out;
  }
  const out: Labels = { ...l };
  delete out[METRIC_NAME];
  for (const n of vm.matchingLabels) delete out[n];
  return out;
}
