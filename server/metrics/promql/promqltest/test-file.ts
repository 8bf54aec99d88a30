/**
 * Parser of Prometheus's promqltest script format (see ../shared/conformance/promql/FORMAT.md):
 * `load`/`load_with_nhcb`, `clear` and `eval` commands with their expectation lines, including
 * the deprecated `eval_fail`/`eval_warn`/`eval_info`/`eval_ordered` and `expected_fail_*` forms.
 */
import { parseDurationMs } from "../parse";
import { parseNumber, parseSeriesLine, type SeriesLine } from "./series-notation";

export interface LoadCommand {
  kind: "load";
  line: number;
  intervalMs: number;
  withNhcb: boolean;
  series: SeriesLine[];
}

export interface ClearCommand {
  kind: "clear";
  line: number;
}

export interface MessageExpectation {
  /** Exact message, or a regex source; neither = any. */
  msg?: string;
  regex?: string;
}

export interface EvalCommand {
  kind: "eval";
  line: number;
  query: string;
  /** Instant: at; range: start/end/step (ms). */
  instantAt?: number;
  range?: { start: number; end: number; step: number };
  fail?: MessageExpectation;
  warn: MessageExpectation[];
  info: MessageExpectation[];
  noWarn: boolean;
  noInfo: boolean;
  ordered: boolean;
  string?: string;
  rangeVector?: { start: number; end: number; step: number };
  scalar?: number;
  series: SeriesLine[];
  /** Raw text of the expectation block (for `{{` detection). */
  block: string;
}

export type Command = LoadCommand | ClearCommand | EvalCommand;

/** Times in test files: `50m`, `8000s`, `1ms`, `0`, or bare seconds. */
export function parseTestTime(text: string): number {
  const d = parseDurationMs(text);
  if (d !== undefined) return d;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new Error(`invalid time "${text}"`);
  return Math.round(n * 1000);
}

const INSTANT = /^eval(?:_(fail|warn|info|ordered))?\s+instant\s+at\s+(\S+)\s+(.+)$/;
const RANGE = /^eval(?:_(fail|warn|info|ordered))?\s+range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.+)$/;
const LOAD = /^load(_with_nhcb)?\s+(\S+)$/;

function messageExpectation(rest: string): MessageExpectation {
  const m = /^(msg|regex):\s*(.*)$/.exec(rest.trim());
  if (!m) return {};
  let text = m[2];
  if (m[1] === "msg" && text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1);
  return m[1] === "msg" ? { msg: text } : { regex: text };
}

export function parseTestFile(source: string): Command[] {
  // As promqltest: lines are trimmed and comment lines count as blank (they end a block).
  const lines = source.split("\n").map((l) => {
    const t = l.trim();
    return t.startsWith("#") ? "" : t;
  });
  const out: Command[] = [];
  const isCommand = (l: string) => /^(eval|load|clear)\b/.test(l);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === "") continue;
    const block: string[] = [];
    const readBlock = () => {
      while (i + 1 < lines.length && lines[i + 1] !== "" && !isCommand(lines[i + 1])) block.push(lines[++i]);
    };
    const lineNo = i + 1;
    if (line === "clear") {
      out.push({ kind: "clear", line: lineNo });
      continue;
    }
    let m = LOAD.exec(line);
    if (m) {
      readBlock();
      const intervalMs = parseTestTime(m[2]);
      out.push({ kind: "load", line: lineNo, intervalMs, withNhcb: m[1] !== undefined, series: block.map(parseSeriesLine) });
      continue;
    }
    m = INSTANT.exec(line);
    const r = m ? null : RANGE.exec(line);
    if (!m && !r) throw new Error(`line ${lineNo}: unknown command "${line}"`);
    readBlock();
    const variant = (m ?? r)?.[1];
    const cmd: EvalCommand = {
      kind: "eval",
      line: lineNo,
      query: m ? m[3] : (r as RegExpExecArray)[5],
      warn: [],
      info: [],
      noWarn: false,
      noInfo: false,
      ordered: variant === "ordered",
      series: [],
      block: block.join("\n"),
    };
    if (m) cmd.instantAt = parseTestTime(m[2]);
    else if (r) cmd.range = { start: parseTestTime(r[2]), end: parseTestTime(r[3]), step: parseTestTime(r[4]) };
    if (variant === "fail") cmd.fail = {};
    if (variant === "warn") cmd.warn.push({});
    if (variant === "info") cmd.info.push({});
    for (const b of block) {
      let x: RegExpExecArray | null;
      if ((x = /^expected_fail_message\s+(.*)$/.exec(b))) cmd.fail = { msg: x[1] };
      else if ((x = /^expected_fail_regexp\s+(.*)$/.exec(b))) cmd.fail = { regex: x[1] };
      else if ((x = /^expect\s+fail\b(.*)$/.exec(b))) cmd.fail = messageExpectation(x[1]);
      else if ((x = /^expect\s+warn\b(.*)$/.exec(b))) cmd.warn.push(messageExpectation(x[1]));
      else if ((x = /^expect\s+info\b(.*)$/.exec(b))) cmd.info.push(messageExpectation(x[1]));
      else if (/^expect\s+no_warn$/.test(b)) cmd.noWarn = true;
      else if (/^expect\s+no_info$/.test(b)) cmd.noInfo = true;
      else if (/^expect\s+ordered$/.test(b)) cmd.ordered = true;
      else if ((x = /^expect\s+string\s+(["`])(.*)\1$/.exec(b))) cmd.string = x[2];
      else if ((x = /^expect\s+range\s+vector\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)$/.exec(b))) {
        cmd.rangeVector = { start: parseTestTime(x[1]), end: parseTestTime(x[2]), step: parseTestTime(x[3]) };
      } else if (parseNumber(b) !== undefined) cmd.scalar = parseNumber(b);
      else cmd.series.push(parseSeriesLine(b));
    }
    out.push(cmd);
  }
  return out;
}
