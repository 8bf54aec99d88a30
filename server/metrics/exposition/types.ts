/**
 * The parsed shape shared by the Prometheus text 0.0.4 and OpenMetrics 1.0 parsers.
 *
 * One family per metric name, in order of first appearance. Samples are kept flat, exactly as
 * exposed (`foo_bucket{le="1"}`, `foo_sum`, `foo_created`, …), so callers decide what to store:
 * `_created` samples, for instance, stay in their family with their suffix and can be dropped by
 * name.
 */

/** `untyped` (0.0.4) is reported as `unknown`, its OpenMetrics name. */
export type MetricType =
  | "counter"
  | "gauge"
  | "histogram"
  | "gaugehistogram"
  | "summary"
  | "info"
  | "stateset"
  | "unknown";

/** Label name → value. A null-prototype object, so any label name (even `__proto__`) is safe. */
export type Labels = Record<string, string>;

export interface Exemplar {
  labels: Labels;
  value: number;
  /** Epoch milliseconds (fractional when the source had sub-millisecond precision). */
  timestampMs?: number;
}

export interface Sample {
  /** The full series name, suffix included (`http_requests_total`, `latency_bucket`). */
  name: string;
  labels: Labels;
  /** `NaN`, `Infinity` and `-Infinity` are possible where the format allows them. */
  value: number;
  /** Epoch milliseconds; 0.0.4 gives integers, OpenMetrics seconds are converted (ns precision). */
  timestampMs?: number;
  /** OpenMetrics only, on counter `_total` and histogram `_bucket` samples. */
  exemplar?: Exemplar;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  /** Unescaped HELP text; "" when absent. */
  help: string;
  /** OpenMetrics UNIT; "" when absent (always "" for 0.0.4). */
  unit: string;
  samples: Sample[];
}

export interface ParsedExposition {
  format: ExpositionFormat;
  families: MetricFamily[];
}

export type ExpositionFormat = "prometheus-text-0.0.4" | "openmetrics-1.0";

/**
 * Invalid exposition input. `line` is 1-based; the message reads
 * `<format> parse error in line N: <detail>` and is fit to show to the user who owns the target.
 * Callers at a boundary (scrape, Pushgateway) map it to `AppError("INVALID_INPUT", …)`.
 */
export class ExpositionParseError extends Error {
  readonly line: number;
  readonly detail: string;
  readonly format: ExpositionFormat;

  constructor(format: ExpositionFormat, line: number, detail: string) {
    const label = format === "openmetrics-1.0" ? "OpenMetrics" : "text format";
    super(`${label} parse error in line ${line}: ${detail}`);
    this.name = "ExpositionParseError";
    this.format = format;
    this.line = line;
    this.detail = detail;
  }
}
