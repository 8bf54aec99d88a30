/**
 * Aggregation operators with by/without. Group membership is worked out once per input series
 * (labels do not change across steps); values are then folded step by step into typed arrays.
 */
import type { Labels } from "../../model";
import type { AggregateExpr } from "../ast";
import type { Evaluator } from "./evaluator";
import { dropLabels, keyOf, labelsKey, keepLabels, METRIC_NAME } from "./labels";
import { kahanSumInc } from "./kahan";
import { goFloat } from "./functions/histogram";
import { compareFloats, formatFloat, quantile } from "./stats";
import { execError, PromQLExecError, type StepSeries } from "./types";

interface Group {
  labels: Labels;
  members: StepSeries[];
}

function groupSeries(e: AggregateExpr, series: StepSeries[]): Group[] {
  const groups = new Map<string, Group>();
  const byNames = [...e.grouping].sort();
  const without = new Set([...e.grouping, METRIC_NAME]);
  for (const s of series) {
    let key: string;
    let labels: Labels;
    if (e.without) {
      labels = dropLabels(s.labels, without);
      key = labelsKey(labels);
    } else {
      key = keyOf(s.labels, byNames);
      labels = keepLabels(s.labels, byNames);
    }
    let g = groups.get(key);
    if (!g) {
      g = { labels, members: [] };
      groups.set(key, g);
    }
    g.members.push(s);
  }
  return [...groups.values()];
}

export function evalAggregate(ev: Evaluator, e: AggregateExpr): StepSeries[] {
  const n = ev.n;
  let param: Float64Array | undefined;
  let label = "";
  if (e.op === "count_values") {
    label = ev.evalString(e.param as AggregateExpr["expr"]);
    if (label === "") throw new PromQLExecError("execution", `invalid label name "${label}"`);
  } else if (e.param) {
    param = ev.evalScalar(e.param);
  }
  const series = ev.evalVector(e.expr);
  const groups = groupSeries(e, series);

  switch (e.op) {
    case "topk":
    case "bottomk":
      return selectK(ev, e, groups, param as Float64Array);
    case "count_values":
      return countValues(ev, groups, label);
    case "quantile": {
      const q = param as Float64Array;
      for (const v of q) if (!(v >= 0 && v <= 1)) ev.env.annotations.warn(`quantile value should be between 0 and 1, got ${goFloat(v)}`, e.param?.pos);
      return perStepValues(ev, groups, (values, i) => quantile(q[i], values));
    }
  }

  const out: StepSeries[] = [];
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  const count = new Float64Array(n);
  const incremental = new Uint8Array(n);
  const buf = new Float64Array(2);
  for (const g of groups) {
    a.fill(0);
    b.fill(0);
    c.fill(0);
    count.fill(0);
    incremental.fill(0);
    for (const s of g.members) {
      const vs = s.values;
      const pr = s.present;
      for (let i = 0; i < n; i++) {
        if (pr[i] !== 1) continue;
        const f = vs[i];
        const k = ++count[i];
        switch (e.op) {
          case "sum":
            if (k === 1) {
              a[i] = f;
              b[i] = 0;
            } else {
              kahanSumInc(f, a[i], b[i], buf);
              a[i] = buf[0];
              b[i] = buf[1];
            }
            break;
          case "avg":
            if (k === 1) {
              a[i] = f;
              b[i] = 0;
              break;
            }
            if (incremental[i] === 0) {
              kahanSumInc(f, a[i], b[i], buf);
              if (buf[0] !== Infinity && buf[0] !== -Infinity) {
                a[i] = buf[0];
                b[i] = buf[1];
                break;
              }
              incremental[i] = 1;
              c[i] = a[i] / (k - 1);
              b[i] /= k - 1;
            }
            {
              const q = (k - 1) / k;
              kahanSumInc(f / k, q * c[i], q * b[i], buf);
              c[i] = buf[0];
              b[i] = buf[1];
            }
            break;
          case "min":
            if (k === 1 || a[i] > f || Number.isNaN(a[i])) a[i] = f;
            break;
          case "max":
            if (k === 1 || a[i] < f || Number.isNaN(a[i])) a[i] = f;
            break;
          case "stddev":
          case "stdvar": {
            if (k === 1) {
              a[i] = f;
              b[i] = 0;
              break;
            }
            const delta = f - a[i];
            a[i] += delta / k;
            b[i] += delta * (f - a[i]);
            break;
          }
          default:
            break;
        }
      }
    }
    const res = ev.newSeries(g.labels);
    let any = false;
    for (let i = 0; i < n; i++) {
      const k = count[i];
      if (k === 0) continue;
      any = true;
      res.present[i] = 1;
      switch (e.op) {
        case "sum":
          res.values[i] = a[i] + b[i];
          break;
        case "avg":
          res.values[i] = incremental[i] === 1 ? c[i] + b[i] : a[i] / k + b[i] / k;
          break;
        case "count":
          res.values[i] = k;
          break;
        case "group":
          res.values[i] = 1;
          break;
        case "min":
        case "max":
          res.values[i] = a[i];
          break;
        case "stdvar":
          res.values[i] = b[i] / k;
          break;
        case "stddev":
          res.values[i] = Math.sqrt(b[i] / k);
          break;
        default:
          throw new PromQLExecError("bad_data", `aggregation "${e.op}" is not supported`);
      }
    }
    if (any) out.push(res);
  }
  return out;
}

function perStepValues(ev: Evaluator, groups: Group[], f: (values: number[], step: number) => number): StepSeries[] {
  const out: StepSeries[] = [];
  for (const g of groups) {
    const res = ev.newSeries(g.labels);
    let any = false;
    for (let i = 0; i < ev.n; i++) {
      const values: number[] = [];
      for (const s of g.members) if (s.present[i] === 1) values.push(s.values[i]);
      if (values.length === 0) continue;
      res.values[i] = f(values, i);
      res.present[i] = 1;
      any = true;
    }
    if (any) out.push(res);
  }
  return out;
}

/** topk / bottomk: per step and group, the k best series keep their value; NaN ranks last. */
function selectK(ev: Evaluator, e: AggregateExpr, groups: Group[], param: Float64Array): StepSeries[] {
  const desc = e.op === "topk";
  const outBySeries = new Map<StepSeries, StepSeries>();
  const order: StepSeries[] = [];
  for (let i = 0; i < ev.n; i++) {
    const kf = param[i];
    if (Number.isNaN(kf) || Math.abs(kf) >= 2 ** 63) throw execError(`Scalar value ${goFloat(kf)} overflows int64`);
    const k = Math.trunc(kf);
    if (k < 1) continue;
    for (const g of groups) {
      const members = g.members.filter((s) => s.present[i] === 1);
      members.sort((x, y) => {
        const a = x.values[i];
        const b = y.values[i];
        if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) === Number.isNaN(b) ? 0 : Number.isNaN(a) ? 1 : -1;
        return desc ? b - a : a - b;
      });
      for (const s of members.slice(0, k)) {
        let o = outBySeries.get(s);
        if (!o) {
          o = ev.newSeries(s.labels);
          outBySeries.set(s, o);
          order.push(s);
        }
        o.values[i] = s.values[i];
        o.present[i] = 1;
      }
    }
  }
  if (ev.n === 1) {
    // Instant query: best first.
    return order
      .map((s) => outBySeries.get(s) as StepSeries)
      .sort((x, y) => (desc ? -compareFloats(x.values[0], y.values[0]) : compareFloats(x.values[0], y.values[0])));
  }
  return order.map((s) => outBySeries.get(s) as StepSeries);
}

function countValues(ev: Evaluator, groups: Group[], label: string): StepSeries[] {
  const out = new Map<string, StepSeries>();
  for (const g of groups) {
    for (let i = 0; i < ev.n; i++) {
      for (const s of g.members) {
        if (s.present[i] !== 1) continue;
        const labels: Labels = { ...g.labels, [label]: formatFloat(s.values[i]) };
        const key = labelsKey(labels);
        let o = out.get(key);
        if (!o) {
          o = ev.newSeries(labels);
          out.set(key, o);
        }
        o.values[i] = (o.present[i] === 1 ? o.values[i] : 0) + 1;
        o.present[i] = 1;
      }
    }
  }
  return [...out.values()];
}
