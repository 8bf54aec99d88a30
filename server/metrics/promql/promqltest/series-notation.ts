/**
 * promqltest's series notation: `metric{label="value"} <points>` with the expanding point syntax
 * of promtool unit tests (`1+2x3`, `1-2x3`, `1x3`, `_`, `_x3`, `stale`, `{{…}}` native
 * histograms, which are only recognised so callers can skip them).
 */
import type { Labels } from "../../model";
import { unquoteString } from "../parse";

export type Point = { kind: "float"; value: number } | { kind: "stale" } | { kind: "omit" } | { kind: "histogram" };

export interface SeriesLine {
  labels: Labels;
  points: Point[];
}

/** A float as promqltest writes it: decimals, exponents, Inf/NaN with optional sign, hex. */
export function parseNumber(text: string): number | undefined {
  const m = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
  if (m) return m[2].toLowerCase() === "nan" ? NaN : m[1] === "-" ? -Infinity : Infinity;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return Number(text);
  if (/^[+-]?0x[0-9a-f]+$/i.test(text)) return (text[0] === "-" ? -1 : 1) * parseInt(text.replace(/^[+-]?0x/i, ""), 16);
  return undefined;
}

const NUM = String.raw`(?:\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?|inf|nan)`;
const EXPANSION = new RegExp(String.raw`^([+-]?${NUM})(?:([+-])(${NUM}))?x(\d+)$`, "i");

function expand(token: string): Point[] {
  if (token.includes("{{")) {
    const m = /}}x(\d+)$/.exec(token);
    return Array.from({ length: m ? Number(m[1]) + 1 : 1 }, () => ({ kind: "histogram" }) as Point);
  }
  if (token === "_") return [{ kind: "omit" }];
  if (token === "stale") return [{ kind: "stale" }];
  let m = /^_x(\d+)$/.exec(token);
  if (m) return Array.from({ length: Number(m[1]) }, () => ({ kind: "omit" }) as Point);
  m = /^stalex(\d+)$/.exec(token);
  if (m) return Array.from({ length: Number(m[1]) }, () => ({ kind: "stale" }) as Point);
  m = EXPANSION.exec(token);
  if (m) {
    let value = parseNumber(m[1]) as number;
    const delta = m[3] === undefined ? 0 : (m[2] === "-" ? -1 : 1) * (parseNumber(m[3]) as number);
    const out: Point[] = [];
    for (let i = 0; i <= Number(m[4]); i++) {
      out.push({ kind: "float", value });
      value += delta;
    }
    return out;
  }
  const v = parseNumber(token);
  if (v === undefined) throw new Error(`invalid point "${token}"`);
  return [{ kind: "float", value: v }];
}

/** Splits the points part into tokens, keeping `{{ … }}` (with suffixes) together. */
function tokenize(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    let tok = "";
    while (i < text.length && !/\s/.test(text[i])) {
      if (text.startsWith("{{", i)) {
        const end = text.indexOf("}}", i);
        const stop = end === -1 ? text.length : end + 2;
        tok += text.slice(i, stop);
        i = stop;
      } else {
        tok += text[i++];
      }
    }
    out.push(tok);
  }
  return out;
}

function readQuoted(text: string, at: number): { value: string; end: number } {
  const q = text[at];
  let j = at + 1;
  while (j < text.length && text[j] !== q) j += text[j] === "\\" && q !== "`" ? 2 : 1;
  return { value: unquoteString(text.slice(at, j + 1), { start: at, end: j + 1 }), end: j + 1 };
}

/** Parses `metric{a="b"}` at the start of `text`; returns labels and where the descriptor ends. */
export function parseMetric(text: string): { labels: Labels; end: number } {
  const labels: Labels = {};
  let i = 0;
  const name = /^[a-zA-Z_:][\w:]*/.exec(text);
  if (name) {
    labels.__name__ = name[0];
    i = name[0].length;
  }
  if (text[i] !== "{") {
    if (!name) throw new Error(`invalid series "${text}"`);
    return { labels, end: i };
  }
  i++;
  for (;;) {
    while (/[\s,]/.test(text[i] ?? "")) i++;
    if (text[i] === "}") return { labels, end: i + 1 };
    if (i >= text.length) throw new Error(`unterminated label set in "${text}"`);
    let key: string;
    if (text[i] === '"' || text[i] === "'" || text[i] === "`") {
      const q = readQuoted(text, i);
      key = q.value;
      i = q.end;
    } else {
      const m = /^[a-zA-Z_][\w]*/.exec(text.slice(i));
      if (!m) throw new Error(`invalid label name in "${text}"`);
      key = m[0];
      i += m[0].length;
    }
    while (/\s/.test(text[i] ?? "")) i++;
    if (text[i] !== "=") throw new Error(`expected "=" in "${text}"`);
    i++;
    while (/\s/.test(text[i] ?? "")) i++;
    const q = readQuoted(text, i);
    i = q.end;
    if (q.value !== "") labels[key] = q.value;
  }
}

export function parseSeriesLine(line: string): SeriesLine {
  const { labels, end } = parseMetric(line);
  const points = tokenize(line.slice(end)).flatMap(expand);
  return { labels, points };
}
