/**
 * Where the cursor is in a (possibly unfinished) query, for the editor's autocompletion:
 * - `field`: at the start of a clause (field names, or free text) — `prefix` is the word so far;
 * - `value`: after `field:` / `field>=`, inside `field:(…)` or `field:"…` — complete `field`'s values;
 * - `operator`: after a complete clause (AND / OR / NOT);
 * - `none`: inside a free phrase or a range.
 * [from, to) is the text a completion replaces. Pure and browser-safe; it tokenises loosely
 * instead of parsing, so it works on text that does not parse yet.
 */
import { stripAttributesPrefix } from "./ast";

export type CompletionContext = { kind: "field" | "value" | "operator" | "none"; field?: string; prefix: string; from: number; to: number };

const WS = /\s/;
const BREAK = /[\s()"[{]/;
const KEYWORD = /^(and|or|not|&&|\|\||!)$/i;
const KEYWORD_PREFIX = /^(a|an|and|o|or|n|no|not)$/i;
const COMPARISON = /^([A-Za-z0-9_@][\w.@-]*)(>=|<=|>|<)/;

function wordEnd(text: string, i: number): number {
  while (i < text.length && !BREAK.test(text[i]!)) i += text[i] === "\\" ? 2 : 1;
  return Math.min(i, text.length);
}

export function completionContext(text: string, cursor: number): CompletionContext {
  cursor = Math.max(0, Math.min(cursor, text.length));
  const groups: (string | null)[] = [];
  let prev: "start" | "op" | "clause" = "start";
  let groupField: string | null = null; // `field:` right before a `(`
  let i = 0;
  while (i < cursor) {
    const c = text[i]!;
    if (WS.test(c)) {
      groupField = null;
      i++;
    } else if (c === "(") {
      groups.push(groupField);
      groupField = null;
      prev = "start";
      i++;
    } else if (c === ")") {
      groups.pop();
      prev = "clause";
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      if (j >= cursor) {
        // Inside a phrase: a value when it belongs to a field.
        const field = groupField ?? groups[groups.length - 1] ?? null;
        const to = j < text.length ? j + 1 : text.length;
        if (field) return { kind: "value", field, prefix: text.slice(i + 1, cursor), from: i, to };
        return { kind: "none", prefix: text.slice(i + 1, cursor), from: i, to };
      }
      prev = "clause";
      groupField = null;
      i = j + 1;
    } else if (c === "[" || c === "{") {
      const j = text.slice(i).search(/[\]}]/);
      if (j < 0 || i + j >= cursor) return { kind: "none", prefix: "", from: cursor, to: cursor };
      prev = "clause";
      i += j + 1;
    } else {
      const end = wordEnd(text, i);
      if (end >= cursor) return current(text, i, end, cursor, prev, groups[groups.length - 1] ?? null);
      const word = text.slice(i, end);
      const colon = word.endsWith(":") && text[end] === "(" ? word.slice(0, -1).replace(/^[-+!]+/, "") : null;
      if (colon) {
        groupField = stripAttributesPrefix(colon);
        prev = "start";
      } else if (word.endsWith(":") && text[end] === '"') {
        groupField = stripAttributesPrefix(word.slice(0, -1).replace(/^[-+!]+/, ""));
      } else prev = KEYWORD.test(word) ? "op" : "clause";
      i = end;
    }
  }
  const field = groups[groups.length - 1] ?? null;
  if (prev === "clause") return { kind: "operator", prefix: "", from: cursor, to: cursor };
  if (field) return { kind: "value", field, prefix: "", from: cursor, to: cursor };
  return { kind: "field", prefix: "", from: cursor, to: cursor };
}

function current(text: string, start: number, end: number, cursor: number, prev: "start" | "op" | "clause", groupField: string | null): CompletionContext {
  let from = start;
  while (from < cursor && /[-+!]/.test(text[from]!) && from + 1 < end) from++;
  const word = text.slice(from, cursor);
  const colon = word.indexOf(":");
  if (colon > 0) {
    const field = stripAttributesPrefix(word.slice(0, colon));
    if (field === "_exists_") return { kind: "field", prefix: word.slice(colon + 1), from: from + colon + 1, to: end };
    const op = /^(>=|<=|>|<)/.exec(word.slice(colon + 1));
    const vfrom = from + colon + 1 + (op ? op[0].length : 0);
    return { kind: "value", field, prefix: text.slice(vfrom, cursor), from: vfrom, to: end };
  }
  const cmp = COMPARISON.exec(word);
  if (cmp) {
    const vfrom = from + cmp[0].length;
    return { kind: "value", field: stripAttributesPrefix(cmp[1]!), prefix: text.slice(vfrom, cursor), from: vfrom, to: end };
  }
  if (prev === "clause" && KEYWORD_PREFIX.test(word)) return { kind: "operator", prefix: word, from, to: end };
  if (groupField) return { kind: "value", field: groupField, prefix: word, from, to: end };
  return { kind: "field", prefix: word, from, to: end };
}
