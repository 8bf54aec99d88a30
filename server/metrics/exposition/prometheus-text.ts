/**
 * Prometheus text exposition format 0.0.4, with the semantics of prometheus/common expfmt's
 * TextParser (UTF-8 mode):
 * - blank lines and `#` comments other than `# HELP` / `# TYPE` are ignored; leading blanks,
 *   blanks around label tokens and a trailing comma inside `{}` are allowed;
 * - metric and label names may be quoted (`{"my.metric","label.name"="v"}`);
 * - label values decode `\\`, `\"`, `\n`; any other escape is an error;
 * - values are Go floats (decimal, `NaN`, `[+-]Inf`); timestamps are integer milliseconds;
 * - samples `x_sum`/`x_count` (and `x_bucket`) belong to a family `x` typed summary (histogram);
 *   a family may be continued after other families (expfmt merges them by name);
 * - a second HELP or TYPE for a name, or a TYPE after the name's samples, is an error;
 * - families without samples (a lone HELP) are dropped;
 * - the last line must end with a new-line (expfmt: "unexpected end of input stream").
 */
import {
  LineError,
  parseFloatToken,
  parseIntegerMs,
  readQuoted,
  scanLabelName,
  scanMetricName,
  newLabels,
  unescapeHelp,
} from "./lex";
import {
  ExpositionParseError,
  type MetricFamily,
  type MetricType,
  type ParsedExposition,
  type Sample,
} from "./types";

const FORMAT = "prometheus-text-0.0.4";

const TYPES: Record<string, MetricType> = {
  counter: "counter",
  gauge: "gauge",
  summary: "summary",
  histogram: "histogram",
  gauge_histogram: "gaugehistogram",
  gaugehistogram: "gaugehistogram",
  untyped: "unknown",
};

interface FamilyState {
  family: MetricFamily;
  /** TYPE seen, or samples seen (which fix the type to untyped). */
  typed: boolean;
  helpSeen: boolean;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

function skipBlank(s: string, i: number): number {
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  return i;
}

class TextParser {
  private readonly byName = new Map<string, FamilyState>();

  parse(body: string): ParsedExposition {
    let pos = 0;
    let lineNo = 0;
    try {
      while (pos < body.length) {
        lineNo++;
        let end = body.indexOf("\n", pos);
        const terminated = end >= 0;
        if (!terminated) end = body.length;
        const line = body.slice(pos, end);
        pos = end + 1;
        const start = skipBlank(line, 0);
        if (start === line.length) continue;
        if (line.charCodeAt(start) === 35 /* # */) this.comment(line, start + 1);
        else this.sample(line, start);
        if (!terminated) throw new LineError("unexpected end of input stream");
      }
    } catch (err) {
      if (err instanceof LineError) throw new ExpositionParseError(FORMAT, lineNo, err.message);
      throw err;
    }
    const families: MetricFamily[] = [];
    for (const state of this.byName.values()) {
      if (state.family.samples.length > 0) families.push(state.family);
    }
    return { format: FORMAT, families };
  }

  private state(name: string): FamilyState {
    let state = this.byName.get(name);
    if (!state) {
      state = {
        family: { name, type: "unknown", help: "", unit: "", samples: [] },
        typed: false,
        helpSeen: false,
      };
      this.byName.set(name, state);
    }
    return state;
  }

  private comment(line: string, from: number): void {
    let i = skipBlank(line, from);
    let kwEnd = i;
    while (kwEnd < line.length && !isBlank(line.charCodeAt(kwEnd))) kwEnd++;
    const keyword = line.slice(i, kwEnd);
    if (keyword !== "HELP" && keyword !== "TYPE") return; // an ordinary comment
    i = skipBlank(line, kwEnd);
    if (i === line.length) return; // `# HELP` alone is a comment too
    let name: string;
    let nameEnd: number;
    if (line.charCodeAt(i) === 34) {
      const q = readQuoted(line, i, true, "metric name");
      name = q.value;
      nameEnd = q.end;
    } else {
      nameEnd = scanMetricName(line, i);
      name = line.slice(i, nameEnd);
    }
    if (nameEnd === line.length && name !== "") return; // no text: a comment, as in expfmt
    if (name === "" || (nameEnd < line.length && !isBlank(line.charCodeAt(nameEnd)))) {
      throw new LineError("invalid metric name in comment");
    }
    const text = line.slice(skipBlank(line, nameEnd));
    const state = this.state(name);
    if (keyword === "HELP") {
      if (state.helpSeen) throw new LineError(`second HELP line for metric name "${name}"`);
      state.helpSeen = true;
      state.family.help = unescapeHelp(text);
      return;
    }
    if (state.typed) {
      throw new LineError(`second TYPE line for metric name "${name}", or TYPE reported after samples`);
    }
    let typeEnd = text.length;
    while (typeEnd > 0 && isBlank(text.charCodeAt(typeEnd - 1))) typeEnd--;
    const type = TYPES[text.slice(0, typeEnd).toLowerCase()];
    if (type === undefined) throw new LineError(`unknown metric type "${text}"`);
    state.family.type = type;
    state.typed = true;
  }

  private sample(line: string, start: number): void {
    let i = start;
    let name: string | undefined;
    if (line.charCodeAt(i) !== 123 /* { */) {
      const end = scanMetricName(line, i);
      if (end === i) throw new LineError("invalid metric name");
      name = line.slice(i, end);
      i = skipBlank(line, end);
    }
    const labels = newLabels();
    if (line.charCodeAt(i) === 123) {
      const r = this.labels(line, i + 1, labels, name);
      i = r.end;
      name = r.name;
    }
    if (name === undefined) throw new LineError("invalid metric name");

    i = skipBlank(line, i);
    let valueEnd = i;
    while (valueEnd < line.length && !isBlank(line.charCodeAt(valueEnd))) valueEnd++;
    const value = parseFloatToken(line.slice(i, valueEnd), "prometheus");
    if (value === undefined) throw new LineError("expected float as value");

    let timestampMs: number | undefined;
    i = skipBlank(line, valueEnd);
    if (i < line.length) {
      let tsEnd = i;
      while (tsEnd < line.length && !isBlank(line.charCodeAt(tsEnd))) tsEnd++;
      timestampMs = parseIntegerMs(line.slice(i, tsEnd));
      if (timestampMs === undefined) throw new LineError("expected integer as timestamp");
      if (skipBlank(line, tsEnd) < line.length) throw new LineError("spurious string after timestamp");
    }

    const state = this.familyFor(name);
    const family = state.family;
    if (!state.typed) state.typed = true; // samples fix the type (untyped unless TYPE came first)
    const type = family.type;
    if (type === "summary" && name === family.name && labels.quantile !== undefined) {
      if (!isFloatLabel(labels.quantile)) throw new LineError("expected float as value for 'quantile' label");
    } else if (type === "histogram" || type === "gaugehistogram") {
      const suffix = name.slice(family.name.length);
      if (suffix === "_bucket") {
        if (labels.le !== undefined && !isFloatLabel(labels.le)) {
          throw new LineError("expected float as value for 'le' label");
        }
        if (value < 0) throw new LineError(`negative bucket population for histogram "${family.name}"`);
      } else if (suffix === "_count" && value < 0) {
        throw new LineError(`negative count for histogram "${family.name}"`);
      }
    }
    const sample: Sample = { name, labels, value };
    if (timestampMs !== undefined) sample.timestampMs = timestampMs;
    family.samples.push(sample);
  }

  /** Parses after `{` up to and including `}`; a quoted string not followed by `=` is the name. */
  private labels(
    line: string,
    from: number,
    labels: Record<string, string>,
    givenName: string | undefined,
  ): { end: number; name: string | undefined } {
    let name = givenName;
    let i = from;
    for (;;) {
      i = skipBlank(line, i);
      const c = line.charCodeAt(i);
      if (c === 125 /* } */) return { end: i + 1, name };
      let labelName: string;
      if (c === 34 /* " */) {
        const q = readQuoted(line, i, true, name === undefined ? "metric name" : "label name");
        const j = skipBlank(line, q.end);
        const next = line.charCodeAt(j);
        if (next === 44 /* , */ || next === 125) {
          if (name !== undefined) throw new LineError("multiple metric names");
          if (q.value === "") throw new LineError("invalid metric name");
          name = q.value;
          i = next === 44 ? j + 1 : j;
          continue;
        }
        if (next !== 61 /* = */) throw new LineError("unexpected end of metric name");
        if (q.value === "") throw new LineError("invalid label name for metric");
        labelName = q.value;
        i = j;
      } else {
        const end = scanLabelName(line, i);
        if (end === i) throw new LineError("invalid label name for metric");
        labelName = line.slice(i, end);
        i = skipBlank(line, end);
        if (line.charCodeAt(i) !== 61) throw new LineError("expected '=' after label name");
      }
      if (labelName === "__name__") throw new LineError(`label name "__name__" is reserved`);
      i = skipBlank(line, i + 1);
      if (line.charCodeAt(i) !== 34) throw new LineError(`expected '"' at start of label value`);
      const v = readQuoted(line, i, true, "label value");
      if (labels[labelName] !== undefined) throw new LineError("duplicate label names for metric");
      labels[labelName] = v.value;
      i = skipBlank(line, v.end);
      const after = line.charCodeAt(i);
      if (after === 44) i++;
      else if (after !== 125) throw new LineError("unexpected end of label value");
    }
  }

  /** expfmt's family lookup: exact name, then summary `_sum`/`_count`, then histogram suffixes. */
  private familyFor(name: string): FamilyState {
    const exact = this.byName.get(name);
    if (exact) return exact;
    const base = stripSuffix(name, false);
    if (base !== undefined) {
      const summary = this.byName.get(base);
      if (summary && summary.family.type === "summary") return summary;
    }
    const hbase = stripSuffix(name, true);
    if (hbase !== undefined) {
      const histogram = this.byName.get(hbase);
      const t = histogram?.family.type;
      if (histogram && (t === "histogram" || t === "gaugehistogram")) return histogram;
    }
    return this.state(name);
  }
}

function stripSuffix(name: string, bucket: boolean): string | undefined {
  if (name.endsWith("_sum")) return name.slice(0, -4);
  if (name.endsWith("_count")) return name.slice(0, -6);
  if (bucket && name.endsWith("_bucket")) return name.slice(0, -7);
  return undefined;
}

function isFloatLabel(v: string): boolean {
  return parseFloatToken(v, "prometheus") !== undefined;
}

/** Parses a Prometheus text 0.0.4 body. Throws `ExpositionParseError` (with the line) if invalid. */
export function parsePrometheusText(body: string): ParsedExposition {
  return new TextParser().parse(body);
}
