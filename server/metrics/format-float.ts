/**
 * Float formatting as Prometheus writes sample values, `le` and `quantile` labels: Go's
 * `strconv.FormatFloat(v, 'f', -1, 64)` (the shortest decimal that reads back as the same float64,
 * never in exponent notation), with "NaN", "+Inf" and "-Inf" for the special values.
 */

/** `0.1 + 0.2` → "0.30000000000000004", `1e21` → "1000000000000000000000", `1e-7` → "0.0000001". */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const s = String(v);
  if (!s.includes("e")) return s;
  // toExponential() with no argument gives the shortest round-trip digits, like String().
  const [mantissa, exp] = Math.abs(v).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const point = Number(exp) + 1; // position of the decimal point after the first digit
  let out: string;
  if (point <= 0) out = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return v < 0 ? `-${out}` : out;
}
