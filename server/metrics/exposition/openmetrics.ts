/**
 * OpenMetrics 1.0 text format. Strict where the spec is (single spaces, no comments, no blank
 * lines, `# EOF` last), with client_python's parser as the reference for the details:
 * - metadata: `# HELP|TYPE|UNIT <name> <text>`; metadata for a name after its samples, or twice,
 *   is an error; TYPE `untyped` is not OpenMetrics;
 * - a sample belongs to the current family if its name is the family name plus one of the type's
 *   suffixes (counter `_total`/`_created`, histogram `_bucket`/`_count`/`_sum`/`_created`,
 *   gaugehistogram `_bucket`/`_gcount`/`_gsum`, summary ``/`_count`/`_sum`/`_created`, info
 *   `_info`); otherwise it starts an `unknown` family. A name (with its suffixes) may be used by
 *   one family only, so interleaved or repeated families are errors;
 * - label values decode `\\`, `\"`, `\n` and keep other backslashes verbatim;
 * - values: decimal (no hex, no `_`), `[+-]Inf`, `NaN` (any case); timestamps: decimal seconds,
 *   truncated to nanoseconds, returned as epoch milliseconds;
 * - exemplars (` # {labels} value [timestamp]`) only on counter `_total` and histogram
 *   `_bucket` samples, label names + values at most 128 characters;
 * - per type: counter-like values (`_total`, `_count`, `_sum`, `_bucket`, `_gcount`) neither
 *   negative nor NaN (`_gsum` not NaN), counts and buckets integers, `le`/`quantile` labels
 *   present and valid, stateset values 0/1, info values 1, quantile values not negative,
 *   histogram buckets ascending and cumulative with a `+Inf` bucket matching `_count`;
 * - samples of one group (labels minus `le`/`quantile`/the stateset label) are contiguous, with
 *   timestamps all present or all absent and not going backwards. A repeat of a series at the
 *   same timestamp within its group is dropped (the first wins), as client_python does.
 */
import {
  LineError,
  codePointLength,
  isValidMetricName,
  labelsKey,
  newLabels,
  parseFloatToken,
  parseSecondsToMs,
  readQuoted,
  scanLabelName,
  scanMetricName,
  unescapeHelp,
} from "./lex";
import {
  ExpositionParseError,
  type Exemplar,
  type Labels,
  type MetricFamily,
  type MetricType,
  type ParsedExposition,
  type Sample,
} from "./types";

const FORMAT = "openmetrics-1.0";

const TYPE_SUFFIXES: Record<MetricType, readonly string[]> = {
  counter: ["_total", "_created"],
  summary: ["", "_count", "_sum", "_created"],
  histogram: ["_count", "_sum", "_bucket", "_created"],
  gaugehistogram: ["_gcount", "_gsum", "_bucket"],
  info: ["_info"],
  gauge: [""],
  stateset: [""],
  unknown: [""],
};

const COUNTER_LIKE = new Set(["_total", "_sum", "_count", "_bucket", "_gcount"]);
const MAX_EXEMPLAR_LABEL_CHARS = 128;

interface OpenFamily {
  name: string;
  type: MetricType | undefined;
  help: string | undefined;
  unit: string | undefined;
  samples: Sample[];
  sampleLines: number[];
  allowed: readonly string[];
  startLine: number;
  group: string | undefined;
  groupTs: number | undefined;
  groupSeries: Set<string>;
  seenGroups: Set<string>;
}

function openFamily(name: string, type: MetricType | undefined, line: number): OpenFamily {
  return {
    name,
    type,
    help: undefined,
    unit: undefined,
    samples: [],
    sampleLines: [],
    allowed: [name],
    startLine: line,
    group: undefined,
    groupTs: undefined,
    groupSeries: new Set(),
    seenGroups: new Set(),
  };
}

/** Thrown with an explicit line (checks that run when a family closes). */
class FamilyError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

class OpenMetricsParser {
  private readonly families: MetricFamily[] = [];
  private readonly seenNames = new Set<string>();
  private cur: OpenFamily | undefined;

  parse(body: string): ParsedExposition {
    let pos = 0;
    let lineNo = 0;
    let eof = false;
    try {
      while (pos < body.length) {
        lineNo++;
        let end = body.indexOf("\n", pos);
        if (end < 0) end = body.length;
        const line = body.slice(pos, end);
        pos = end + 1;
        if (eof) throw new LineError("text after # EOF");
        if (line.length === 0) throw new LineError("blank line");
        if (line === "# EOF") eof = true;
        else if (line.charCodeAt(0) === 35 /* # */) this.metadata(line, lineNo);
        else this.sample(line, lineNo);
      }
      if (!eof) {
        if (lineNo === 0) lineNo = 1;
        throw new LineError("missing # EOF at the end");
      }
      this.close();
    } catch (err) {
      if (err instanceof LineError) throw new ExpositionParseError(FORMAT, lineNo, err.message);
      if (err instanceof FamilyError) throw new ExpositionParseError(FORMAT, err.line, err.message);
      throw err;
    }
    return { format: FORMAT, families: this.families };
  }

  private metadata(line: string, lineNo: number): void {
    if (line.charCodeAt(1) !== 32) throw new LineError(`invalid line: ${line}`);
    const sp1 = line.indexOf(" ", 2);
    const sp2 = sp1 < 0 ? -1 : line.indexOf(" ", sp1 + 1);
    const keyword = sp1 < 0 ? "" : line.slice(2, sp1);
    if (sp2 < 0 || (keyword !== "HELP" && keyword !== "TYPE" && keyword !== "UNIT")) {
      throw new LineError(`invalid line: ${line}`);
    }
    const name = line.slice(sp1 + 1, sp2);
    if (!isValidMetricName(name)) throw new LineError(`invalid metric name "${name}"`);
    const text = line.slice(sp2 + 1);

    let fam = this.cur;
    if (fam && fam.name === name) {
      if (fam.samples.length > 0) throw new LineError(`${keyword} for "${name}" after its samples`);
    } else {
      this.close();
      fam = this.cur = openFamily(name, undefined, lineNo);
    }
    if (keyword === "HELP") {
      if (fam.help !== undefined) throw new LineError(`more than one HELP for "${name}"`);
      fam.help = unescapeHelp(text);
    } else if (keyword === "UNIT") {
      if (fam.unit !== undefined) throw new LineError(`more than one UNIT for "${name}"`);
      fam.unit = text;
    } else {
      if (fam.type !== undefined) throw new LineError(`more than one TYPE for "${name}"`);
      if (!Object.hasOwn(TYPE_SUFFIXES, text)) throw new LineError(`invalid metric type "${text}"`);
      const type = text as MetricType;
      fam.type = type;
      fam.allowed = TYPE_SUFFIXES[type].map((s) => name + s);
    }
  }

  private sample(line: string, lineNo: number): void {
    const s = parseSampleLine(line);
    let fam = this.cur;
    if (!fam || !fam.allowed.includes(s.name)) {
      this.close();
      fam = this.cur = openFamily(s.name, "unknown", lineNo);
    }
    const type = fam.type ?? "unknown";
    const name = fam.name;
    const suffix = s.name.slice(name.length);
    const labels = s.labels;
    const isBucket = (type === "histogram" || type === "gaugehistogram") && suffix === "_bucket";
    const isQuantile = type === "summary" && suffix === "";

    if (type === "stateset" && labels[name] === undefined) {
      throw new LineError(`stateset sample lacks the label "${name}"`);
    }
    if (isBucket) {
      const le = labels.le;
      const bound = le === undefined ? undefined : parseFloatToken(le, "openmetrics");
      if (bound === undefined || Number.isNaN(bound) || (bound === Infinity && le !== "+Inf")) {
        throw new LineError(`invalid or missing "le" label on ${s.name}`);
      }
    }
    if (isQuantile) {
      const q = labels.quantile === undefined ? undefined : parseFloatToken(labels.quantile, "openmetrics");
      if (q === undefined || !(q >= 0 && q <= 1)) {
        throw new LineError(`invalid or missing "quantile" label on ${s.name}`);
      }
    }

    // Grouping and timestamps.
    const g =
      type === "info"
        ? ""
        : labelsKey(labels, isQuantile ? "quantile" : isBucket ? "le" : type === "stateset" ? name : undefined);
    const ts = s.timestampMs;
    if (fam.group !== undefined && g !== fam.group && fam.seenGroups.has(g)) {
      throw new LineError(`samples of ${s.name} with these labels are not contiguous`);
    }
    if (fam.group !== undefined && g === fam.group) {
      if ((ts === undefined) !== (fam.groupTs === undefined)) {
        throw new LineError("mix of samples with and without timestamp in one group");
      }
      if (ts !== undefined && fam.groupTs !== undefined && fam.groupTs > ts && type !== "info") {
        throw new LineError("timestamps went backwards within a group");
      }
    } else {
      fam.groupSeries = new Set();
    }
    const seriesId = `${s.name}\u0002${labelsKey(labels)}`;
    const duplicate = ts === fam.groupTs && fam.groupSeries.has(seriesId);
    fam.groupSeries.add(seriesId);
    fam.group = g;
    fam.groupTs = ts;
    fam.seenGroups.add(g);

    // Values.
    const v = s.value;
    if (type === "stateset" && v !== 0 && v !== 1) throw new LineError("stateset values must be 0 or 1");
    if (type === "info" && v !== 1) throw new LineError("info values must be 1");
    if (isQuantile && v < 0) throw new LineError("quantile values cannot be negative");
    if (COUNTER_LIKE.has(suffix) || suffix === "_gsum") {
      if (Number.isNaN(v)) throw new LineError(`${s.name} cannot be NaN`);
      if (suffix !== "_gsum" && v < 0) throw new LineError(`${s.name} cannot be negative`);
      const isCount =
        isBucket ||
        (suffix === "_count" && (type === "histogram" || type === "summary")) ||
        (suffix === "_gcount" && type === "gaugehistogram");
      if (isCount && !Number.isInteger(v)) throw new LineError(`${s.name} must be an integer`);
    }
    if (s.exemplar) {
      if (!(isBucket || (type === "counter" && suffix === "_total"))) {
        throw new LineError("only counter _total and histogram _bucket samples can have exemplars");
      }
      let chars = 0;
      for (const k in s.exemplar.labels) chars += codePointLength(k) + codePointLength(s.exemplar.labels[k]);
      if (chars > MAX_EXEMPLAR_LABEL_CHARS) {
        throw new LineError(`exemplar labels are longer than ${MAX_EXEMPLAR_LABEL_CHARS} characters`);
      }
    }
    if (!duplicate) {
      fam.samples.push(s);
      fam.sampleLines.push(lineNo);
    }
  }

  private close(): void {
    const fam = this.cur;
    if (!fam) return;
    this.cur = undefined;
    const type = fam.type ?? "unknown";
    const names = new Set(TYPE_SUFFIXES[type].map((s) => fam.name + s));
    names.add(fam.name);
    for (const n of names) {
      if (this.seenNames.has(n)) throw new FamilyError(fam.startLine, `name "${n}" used by two metric families`);
      this.seenNames.add(n);
    }
    const unit = fam.unit ?? "";
    if (unit !== "" && !fam.name.endsWith(`_${unit}`)) {
      throw new FamilyError(fam.startLine, `metric name "${fam.name}" does not end with its unit "_${unit}"`);
    }
    if (unit !== "" && (type === "info" || type === "stateset")) {
      throw new FamilyError(fam.startLine, `${type} metrics cannot have a unit`);
    }
    if (type === "histogram" || type === "gaugehistogram") checkHistogram(fam);
    this.families.push({ name: fam.name, type, help: fam.help ?? "", unit, samples: fam.samples });
  }
}

/** Bucket order and consistency, per group (labels minus `le`, and timestamp). */
function checkHistogram(fam: OpenFamily): void {
  const name = fam.name;
  let group: string | undefined;
  let groupTs: number | undefined;
  let lastLine = fam.startLine;
  let count: number | undefined;
  let bound: number | undefined;
  let cumulative = 0;
  let negativeBuckets = false;
  let hasSum = false;
  let hasGsum = false;
  let negativeGsum = false;

  const finish = (): void => {
    const fail = (msg: string): never => {
      throw new FamilyError(lastLine, `histogram ${name}: ${msg}`);
    };
    if (bound !== Infinity) fail("+Inf bucket missing");
    if (count !== undefined && cumulative !== count) fail("count does not match the +Inf bucket");
    if (hasSum && count === undefined) fail("_count must be present if _sum is present");
    if (hasGsum && count === undefined) fail("_gcount must be present if _gsum is present");
    if (!(hasSum || hasGsum) && count !== undefined) fail("_sum/_gsum must be present if _count is present");
    if (negativeBuckets && hasSum) fail("cannot have _sum with negative buckets");
    if (!negativeBuckets && negativeGsum) fail("cannot have negative _gsum with non-negative buckets");
  };

  for (let k = 0; k < fam.samples.length; k++) {
    const s = fam.samples[k];
    const suffix = s.name.slice(name.length);
    const g = labelsKey(s.labels, suffix === "_bucket" ? "le" : undefined);
    if (k === 0 || g !== group || s.timestampMs !== groupTs) {
      if (k > 0) finish();
      count = undefined;
      bound = undefined;
      cumulative = 0;
      negativeBuckets = hasSum = hasGsum = negativeGsum = false;
    }
    group = g;
    groupTs = s.timestampMs;
    lastLine = fam.sampleLines[k];
    if (suffix === "_bucket") {
      const b = parseFloatToken(s.labels.le, "openmetrics") as number;
      if (b < 0) negativeBuckets = true;
      if (bound !== undefined && b <= bound) throw new FamilyError(lastLine, `histogram ${name}: buckets out of order`);
      if (s.value < cumulative) {
        throw new FamilyError(lastLine, `histogram ${name}: bucket values decrease (buckets are cumulative)`);
      }
      bound = b;
      cumulative = s.value;
    } else if (suffix === "_count" || suffix === "_gcount") {
      count = s.value;
    } else if (suffix === "_sum") {
      hasSum = true;
    } else if (suffix === "_gsum") {
      hasGsum = true;
      if (s.value < 0) negativeGsum = true;
    }
  }
  if (fam.samples.length > 0) finish();
}

function parseLabels(line: string, open: number, labels: Labels): number {
  let i = open + 1;
  if (line.charCodeAt(i) === 125 /* } */) return i + 1;
  for (;;) {
    const end = scanLabelName(line, i);
    if (end === i) throw new LineError("invalid label name");
    const name = line.slice(i, end);
    if (line.charCodeAt(end) !== 61 /* = */) throw new LineError("expected '=' after label name");
    if (line.charCodeAt(end + 1) !== 34 /* " */) throw new LineError(`expected '"' at start of label value`);
    const q = readQuoted(line, end + 1, false, "label value");
    if (name === "__name__") throw new LineError(`label name "__name__" is reserved`);
    if (labels[name] !== undefined) throw new LineError(`duplicate label name "${name}"`);
    labels[name] = q.value;
    i = q.end;
    const c = line.charCodeAt(i);
    if (c === 125) return i + 1;
    if (c !== 44 /* , */) throw new LineError("expected ',' or '}' after label value");
    i++;
  }
}

function tokenEnd(line: string, from: number): number {
  const sp = line.indexOf(" ", from);
  return sp < 0 ? line.length : sp;
}

function parseValue(token: string): number {
  const v = parseFloatToken(token, "openmetrics");
  if (v === undefined) throw new LineError(`invalid value "${token}"`);
  return v;
}

function parseTimestamp(token: string): number {
  const ts = parseSecondsToMs(token);
  if (ts === undefined) throw new LineError(`invalid timestamp "${token}"`);
  return ts;
}

function parseExemplar(line: string, at: number): Exemplar {
  if (line.charCodeAt(at) !== 123) throw new LineError("exemplar must start with '{'");
  const labels = newLabels();
  let i = parseLabels(line, at, labels);
  if (line.charCodeAt(i) !== 32) throw new LineError("expected a space and a value after exemplar labels");
  i++;
  const vEnd = tokenEnd(line, i);
  const exemplar: Exemplar = { labels, value: parseValue(line.slice(i, vEnd)) };
  if (vEnd < line.length) {
    const tsEnd = tokenEnd(line, vEnd + 1);
    if (tsEnd < line.length) throw new LineError("unexpected text after exemplar timestamp");
    exemplar.timestampMs = parseTimestamp(line.slice(vEnd + 1, tsEnd));
  }
  return exemplar;
}

function parseSampleLine(line: string): Sample {
  const nameEnd = scanMetricName(line, 0);
  if (nameEnd === 0) throw new LineError("invalid metric name");
  const name = line.slice(0, nameEnd);
  const labels = newLabels();
  let i = nameEnd;
  if (line.charCodeAt(i) === 123 /* { */) i = parseLabels(line, i, labels);
  if (line.charCodeAt(i) !== 32) {
    throw new LineError(i >= line.length ? "missing value" : "invalid metric name or labels");
  }
  i++;
  const vEnd = tokenEnd(line, i);
  const sample: Sample = { name, labels, value: parseValue(line.slice(i, vEnd)) };
  i = vEnd;
  if (i >= line.length) return sample;
  if (!line.startsWith(" # ", i)) {
    const tsEnd = tokenEnd(line, i + 1);
    sample.timestampMs = parseTimestamp(line.slice(i + 1, tsEnd));
    i = tsEnd;
    if (i >= line.length) return sample;
    if (!line.startsWith(" # ", i)) throw new LineError("unexpected text after timestamp");
  }
  sample.exemplar = parseExemplar(line, i + 3);
  return sample;
}

/** Parses an OpenMetrics 1.0 text body. Throws `ExpositionParseError` (with the line) if invalid. */
export function parseOpenMetrics(body: string): ParsedExposition {
  return new OpenMetricsParser().parse(body);
}
