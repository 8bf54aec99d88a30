/** Kahan–Neumaier compensated summation, as PromQL's sum/avg functions use it. */

/** Adds `inc` to `sum` with compensation `c`; returns the new pair in `out` ([sum, c]). */
export function kahanSumInc(inc: number, sum: number, c: number, out: Float64Array): void {
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) {
    c = 0;
  } else if (Math.abs(sum) >= Math.abs(inc)) {
    c += sum - t + inc;
  } else {
    c += inc - t + sum;
  }
  out[0] = t;
  out[1] = c;
}

/**
 * Running mean as Prometheus computes it: a compensated sum divided at the end, switching to an
 * incremental mean once the sum would overflow.
 */
export class MeanAccumulator {
  private sum = 0;
  private c = 0;
  private mean = 0;
  private count = 0;
  private incremental = false;
  private readonly buf = new Float64Array(2);

  reset(): void {
    this.sum = 0;
    this.c = 0;
    this.mean = 0;
    this.count = 0;
    this.incremental = false;
  }

  add(f: number): void {
    this.count++;
    if (this.count === 1) {
      this.sum = f;
      this.c = 0;
      return;
    }
    if (!this.incremental) {
      kahanSumInc(f, this.sum, this.c, this.buf);
      if (this.buf[0] !== Infinity && this.buf[0] !== -Infinity) {
        this.sum = this.buf[0];
        this.c = this.buf[1];
        return;
      }
      this.incremental = true;
      this.mean = this.sum / (this.count - 1);
      this.c /= this.count - 1;
    }
    const q = (this.count - 1) / this.count;
    kahanSumInc(f / this.count, q * this.mean, q * this.c, this.buf);
    this.mean = this.buf[0];
    this.c = this.buf[1];
  }

  get n(): number {
    return this.count;
  }

  value(): number {
    if (this.incremental) return this.mean + this.c;
    return this.sum / this.count + this.c / this.count;
  }
}
