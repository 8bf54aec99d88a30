/** The `<aggregation>_over_time` family and double_exponential_smoothing. */
import { kahanSumInc, MeanAccumulator } from "../kahan";
import { quantile } from "../stats";
import { execError } from "../types";
import type { WindowFn } from "./windows";

const buf = new Float64Array(2);
const mean = new MeanAccumulator();

export const sumOverTime: WindowFn = (_ts, vs, from, to) => {
  let sum = 0;
  let c = 0;
  for (let i = from; i < to; i++) {
    kahanSumInc(vs[i], sum, c, buf);
    sum = buf[0];
    c = buf[1];
  }
  if (sum === Infinity || sum === -Infinity) return sum;
  return sum + c;
};

export const avgOverTime: WindowFn = (_ts, vs, from, to) => {
  mean.reset();
  for (let i = from; i < to; i++) mean.add(vs[i]);
  return mean.value();
};

export const countOverTime: WindowFn = (_ts, _vs, from, to) => to - from;

export const minOverTime: WindowFn = (_ts, vs, from, to) => {
  let m = vs[from];
  for (let i = from + 1; i < to; i++) {
    const v = vs[i];
    if (v < m || Number.isNaN(m)) m = v;
  }
  return m;
};

export const maxOverTime: WindowFn = (_ts, vs, from, to) => {
  let m = vs[from];
  for (let i = from + 1; i < to; i++) {
    const v = vs[i];
    if (v > m || Number.isNaN(m)) m = v;
  }
  return m;
};

export const lastOverTime: WindowFn = (_ts, vs, _from, to) => vs[to - 1];

export const presentOverTime: WindowFn = () => 1;

function stdvar(vs: ArrayLike<number>, from: number, to: number): number {
  let count = 0;
  let m = 0, cM = 0, aux = 0, cAux = 0;
  for (let i = from; i < to; i++) {
    const f = vs[i];
    count++;
    const delta = f - (m + cM);
    kahanSumInc(delta / count, m, cM, buf);
    m = buf[0];
    cM = buf[1];
    kahanSumInc(delta * (f - (m + cM)), aux, cAux, buf);
    aux = buf[0];
    cAux = buf[1];
  }
  return (aux + cAux) / count;
}

export const stdvarOverTime: WindowFn = (_ts, vs, from, to) => stdvar(vs, from, to);
export const stddevOverTime: WindowFn = (_ts, vs, from, to) => Math.sqrt(stdvar(vs, from, to));

function windowValues(vs: ArrayLike<number>, from: number, to: number): number[] {
  const out: number[] = new Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = vs[i];
  return out;
}

export function quantileOverTime(q: Float64Array): WindowFn {
  return (_ts, vs, from, to, w) => quantile(q[w.step], windowValues(vs, from, to));
}

export const madOverTime: WindowFn = (_ts, vs, from, to) => {
  const values = windowValues(vs, from, to);
  const median = quantile(0.5, values.slice());
  return quantile(0.5, values.map((v) => Math.abs(v - median)));
};

/** Holt's linear (double exponential) smoothing with smoothing factor sf and trend factor tf. */
export function doubleExponentialSmoothing(sf: Float64Array, tf: Float64Array): WindowFn {
  return (_ts, vs, from, to, w) => {
    const s = sf[w.step];
    const t = tf[w.step];
    if (!(s > 0 && s < 1)) throw execError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${s.toFixed(6)}`);
    if (!(t > 0 && t < 1)) throw execError(`invalid trend factor. Expected: 0 < tf < 1, got: ${t.toFixed(6)}`);
    if (to - from < 2) return undefined;
    let s0 = 0;
    let s1 = vs[from];
    let b = vs[from + 1] - vs[from];
    for (let i = from + 1; i < to; i++) {
      const x = s * vs[i];
      if (i - from - 1 > 0) b = t * (s1 - s0) + (1 - t) * b;
      const y = (1 - s) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return s1;
  };
}

// Over rollup buckets (see ROLLUP_RANGE_FUNCS): min, max, count, last and present are exact; sum
// and avg add the buckets' plain sums (compensated here), so they differ from raw by rounding.

sumOverTime.rollup = (r, from, to) => sumOverTime(r.end, r.sum, from, to, undefined as never);

countOverTime.rollup = (r, from, to) => {
  let n = 0;
  for (let k = from; k < to; k++) n += r.count[k];
  return n;
};

avgOverTime.rollup = (r, from, to) => {
  let n = 0;
  for (let k = from; k < to; k++) n += r.count[k];
  const sum = sumOverTime(r.end, r.sum, from, to, undefined as never)!;
  return sum / n;
};

minOverTime.rollup = (r, from, to) => minOverTime(r.end, r.min, from, to, undefined as never);
maxOverTime.rollup = (r, from, to) => maxOverTime(r.end, r.max, from, to, undefined as never);
lastOverTime.rollup = (r, _from, to) => r.last[to - 1];
presentOverTime.rollup = () => 1;
