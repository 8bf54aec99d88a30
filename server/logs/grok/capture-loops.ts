/**
 * Oniguruma (and Ruby) keep a capture's value from an earlier iteration of a repeated group when
 * a later iteration does not take part in it; JavaScript resets the captures inside a repeated
 * group at every iteration. Logstash patterns rely on the Ruby behaviour, e.g. EXIM:
 * `(?: (?:%{EXIM_REMOTE_HOST}|%{EXIM_PROTOCOL}|…))*` collects one field per iteration.
 *
 * To emulate it, each outermost repeated group that contains captures is wrapped in a named group
 * `(?<lK>…)` (so the match reports where the repetition lies), and its body is compiled alone.
 * After a match, the body is re-run iteration by iteration (sticky) over that span; when the
 * iterations tile the span exactly, every capture inside takes its value from the last iteration
 * that set it. Otherwise the JS values stay (a safe fallback).
 */
import { skipClass } from "./expand";

export type CaptureLoop = {
  /** Name of the wrapping group in the rewritten source. */
  group: string;
  /** Oniguruma source of one iteration (the repeated group without its quantifier). */
  body: string;
  /** Indexes (N of `gN`) of the captures inside the loop. */
  captureIds: number[];
};

type Range = { open: number; end: number };

/** Returns the index after a quantifier that repeats more than once starting at `at`, or -1. */
function repeatingQuantifierEnd(text: string, at: number): number {
  const c = text[at];
  let end: number;
  if (c === "*" || c === "+") end = at + 1;
  else if (c === "{") {
    const m = /^\{(\d*)(,?)(\d*)\}/.exec(text.slice(at, at + 24));
    if (!m || (m[1] === "" && m[3] === "" )) return -1;
    const max = m[2] === "" ? Number(m[1]) : m[3] === "" ? Infinity : Number(m[3]);
    if (!(max > 1)) return -1;
    end = at + m[0].length;
  } else return -1;
  if (text[end] === "?" || text[end] === "+") end++; // lazy / possessive
  return end;
}

/** Finds the outermost repeated groups that contain captures `(?<gN>`. */
function findLoops(source: string): Range[] {
  const found: Range[] = [];
  const stack: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === "[") i = skipClass(source, i) - 1;
    else if (c === "(") {
      if (source.startsWith("(?#", i)) {
        const close = source.indexOf(")", i);
        i = close < 0 ? source.length : close;
      } else stack.push(i);
    } else if (c === ")") {
      const open = stack.pop();
      if (open === undefined) continue;
      const end = repeatingQuantifierEnd(source, i + 1);
      if (end < 0) continue;
      const inner = source.slice(open + 1, i);
      if (!/\(\?<g\d+>/.test(inner)) continue;
      // keep outermost only: drop loops nested in this one
      while (found.length > 0 && found[found.length - 1]!.open > open) found.pop();
      found.push({ open, end });
    }
  }
  return found;
}

/** Rewrites `source` so that each capture loop is wrapped in `(?<lK>…)`; returns the loops. */
export function wrapCaptureLoops(source: string): { source: string; loops: CaptureLoop[] } {
  const ranges = findLoops(source);
  if (ranges.length === 0) return { source, loops: [] };
  const loops: CaptureLoop[] = [];
  let out = source;
  for (let k = ranges.length - 1; k >= 0; k--) {
    const { open, end } = ranges[k]!;
    const loopText = source.slice(open, end);
    const closeParen = findGroupEnd(source, open);
    const body = source.slice(open, closeParen + 1);
    const captureIds = [...body.matchAll(/\(\?<g(\d+)>/g)].map((m) => Number(m[1]));
    loops.unshift({ group: `l${k}`, body, captureIds });
    out = `${out.slice(0, open)}(?<l${k}>${loopText})${out.slice(end)}`;
  }
  return { source: out, loops };
}

/** Index of the `)` closing the group opened at `open`. */
function findGroupEnd(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === "[") i = skipClass(source, i) - 1;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return source.length - 1;
}

/**
 * Re-runs a loop body (a sticky RegExp) over [start, end) of `text`; returns, per capture name,
 * the value of the last iteration that set it — or null when the iterations do not tile the span.
 */
export function replayLoop(body: RegExp, text: string, start: number, end: number): Map<string, string> | null {
  const values = new Map<string, string>();
  let pos = start;
  while (pos < end) {
    body.lastIndex = pos;
    const m = body.exec(text);
    if (m === null || m[0].length === 0 || pos + m[0].length > end) return null;
    if (m.groups) for (const [name, v] of Object.entries(m.groups)) if (v !== undefined) values.set(name, v);
    pos += m[0].length;
  }
  return values;
}
