/**
 * Problems in the provisioning file, worded for someone editing YAML: the path inside the file
 * (`scrape_configs[1].static_configs[0].targets`), the line it is on, and zod's default messages
 * rewritten in YAML terms ("expected a list, got a string"). Messages a schema wrote itself are
 * kept. Values are never echoed (a wrong value may be a password). Pure.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter } from "yaml";
import type { z } from "zod";

export type IssuePath = readonly (string | number)[];
export type FileIssue = { path: IssuePath; message: string; line?: number };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `scrape_configs[1].static_configs[0].targets`; a key that is not an identifier is quoted: `labels["a.b"]`. */
export function formatPath(path: IssuePath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

const NOUNS: Record<string, string> = {
  array: "a list",
  object: "a mapping",
  record: "a mapping",
  map: "a mapping",
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
};

/** What a YAML value is, in YAML words (never the value itself). */
export function describeValue(value: unknown): string {
  if (value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "boolean") return `${value}`;
  if (typeof value === "number") return Number.isInteger(value) ? "a whole number" : "a number";
  if (typeof value === "string") return "a string";
  return typeof value;
}

/** zod's own (default) messages start like these; a schema's custom messages are kept as written. */
const DEFAULT_MESSAGE = /^(Invalid input|Invalid option|Invalid discriminator|Too small|Too big|Unrecognized key)/;

function plural(n: number | bigint, word: string): string {
  return `${n} ${word}${Number(n) === 1 ? "" : "s"}`;
}

function sizeMessage(issue: { origin: string; inclusive?: boolean }, bound: number | bigint, atLeast: boolean): string {
  const exact = issue.inclusive !== false;
  const cmp = atLeast ? (exact ? "at least" : "more than") : exact ? "at most" : "less than";
  switch (issue.origin) {
    case "array":
    case "set":
      return `needs ${cmp} ${plural(bound, "item")}`;
    case "string":
      return `must be ${cmp} ${plural(bound, "character")}`;
    default:
      return `must be ${cmp} ${bound}`;
  }
}

/** One zod issue as file issues (an unknown-keys issue gives one per key, pointing at that key). */
export function fromZodIssue(issue: z.core.$ZodIssue, prefix: IssuePath = []): FileIssue[] {
  const path = [...prefix, ...(issue.path as (string | number)[])];
  if (!DEFAULT_MESSAGE.test(issue.message)) return [{ path, message: issue.message }];
  switch (issue.code) {
    case "invalid_type": {
      const expected = NOUNS[issue.expected] ?? issue.expected;
      if (issue.input === undefined) return [{ path, message: `missing (expected ${expected})` }];
      return [{ path, message: `expected ${expected}, got ${describeValue(issue.input)}` }];
    }
    case "unrecognized_keys":
      return issue.keys.map((key) => ({ path: [...path, key], message: "unknown field (check the spelling; fields that are not supported are refused)" }));
    case "invalid_value": {
      const values = issue.values.map((v) => JSON.stringify(v));
      return [{ path, message: values.length === 1 ? `expected ${values[0]}` : `expected one of ${values.join(", ")}` }];
    }
    case "invalid_union": {
      const u = issue as z.core.$ZodIssueInvalidUnion & { discriminator?: string; options?: unknown[] };
      if (u.discriminator && u.options) {
        const options = u.options.map(String).join(", ");
        const given = u.input && typeof u.input === "object" ? (u.input as Record<string, unknown>)[u.discriminator] : undefined;
        if (given === undefined) return [{ path, message: `missing (one of ${options})` }];
        return [{ path, message: typeof given === "string" ? `unknown ${u.discriminator} "${given}" (one of ${options})` : `expected a string, one of ${options}` }];
      }
      return [{ path, message: "does not match any of the accepted forms" }];
    }
    case "too_small":
      return [{ path, message: sizeMessage(issue, issue.minimum, true) }];
    case "too_big":
      return [{ path, message: sizeMessage(issue, issue.maximum, false) }];
    default:
      return [{ path, message: issue.message }];
  }
}

function scalarKey(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

/**
 * The 1-based line of `path` in the document: the key's line for a mapping entry, the item's for
 * a list item. A path that goes further than the file (a missing field) stops at the deepest
 * part that exists.
 */
export function lineOf(doc: Document, lines: LineCounter, path: IssuePath): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as { range?: [number, number, number] } | null)?.range?.[0];
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => scalarKey(p.key) === String(seg));
      if (!pair) break;
      const keyRange = (pair.key as { range?: [number, number, number] } | null)?.range;
      if (keyRange) offset = keyRange[0];
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg] as { range?: [number, number, number] } | undefined;
      if (!item) break;
      if (item.range) offset = item.range[0];
      node = item;
    } else break;
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

export const MAX_REPORTED_ISSUES = 20;

/** One line per issue: `line 7: scrape_configs[1].static_configs[0].targets: expected a list, got a string`. */
export function formatIssues(issues: readonly FileIssue[]): string {
  const shown = issues.slice(0, MAX_REPORTED_ISSUES).map((i) => {
    const where = formatPath(i.path);
    return `  ${i.line !== undefined ? `line ${i.line}: ` : ""}${where ? `${where}: ` : ""}${i.message}`;
  });
  if (issues.length > MAX_REPORTED_ISSUES) shown.push(`  … and ${issues.length - MAX_REPORTED_ISSUES} more`);
  return shown.join("\n");
}
