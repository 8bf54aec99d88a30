/** Element-wise float functions: math, trigonometry, rounding and clamping, calendar fields. */

export const MATH_FUNCTIONS: Record<string, (v: number) => number> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  sqrt: Math.sqrt,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sgn: (v) => (v < 0 ? -1 : v > 0 ? 1 : v),
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  deg: (v) => (v * 180) / Math.PI,
  rad: (v) => (v * Math.PI) / 180,
};

function utc(v: number): Date {
  return new Date(Math.trunc(v) * 1000);
}

/** Calendar fields of a Unix time in seconds, UTC. NaN and ±Inf give NaN. */
export const DATE_FUNCTIONS: Record<string, (v: number) => number> = {
  year: (v) => utc(v).getUTCFullYear(),
  month: (v) => utc(v).getUTCMonth() + 1,
  day_of_month: (v) => utc(v).getUTCDate(),
  day_of_week: (v) => utc(v).getUTCDay(),
  day_of_year: (v) => {
    const d = utc(v);
    return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
  },
  days_in_month: (v) => {
    const d = utc(v);
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  },
  hour: (v) => utc(v).getUTCHours(),
  minute: (v) => utc(v).getUTCMinutes(),
};

/** Go's math.Pow special cases that differ from JS `**`. */
export function goPow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return x ** y;
}
