/**
 * Grok expansion: turns a grok expression (`%{IP:client} %{WORD}`) into one Oniguruma regex
 * plus the list of captures it produces, the way Logstash's grok does:
 * - `%{NAME}` inlines the definition of NAME as a non-capturing group;
 * - `%{NAME:field}` / `%{NAME:field:int|float}` inlines it as a capture into `field` (legacy
 *   `field`, dotted `a.b`, or ECS field reference `[a][b]`), optionally converted;
 * - `%{NAME=regex}` / `%{NAME:field=regex}` defines NAME inline, then behaves as above;
 * - raw named groups in the regex text, `(?<field>…)` or `(?'field'…)`, capture as well (ECS
 *   patterns use `(?<[a][b]>…)`); `\k<field>` back-references follow the renaming.
 * Every capture becomes a synthetic group `(?<gN>…)` (N = its index in `captures`), so field names
 * that are not valid JS group names still work and repeated names stay distinct.
 * Definitions may reference each other recursively; a cycle is an error.
 */
import type { PatternDefinitions } from "./patterns";

export type GrokCaptureType = "string" | "int" | "float";

/** One capture of an expanded expression; its regex group is `g<index>`. */
export type GrokCaptureSpec = {
  /** The name as written: `NAME:field:type` for references, `field` for raw named groups. */
  name: string;
  /** Field path segments (`[http][response][status_code]` → ["http", "response", "status_code"]). */
  path: readonly string[];
  type: GrokCaptureType;
};

export type ExpandedGrok = { source: string; captures: GrokCaptureSpec[] };

export class GrokCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GrokCompileError";
  }
}

/**
 * `%{NAME:subname=definition junk}` as Logstash's grok library recognises it: NAME of `[A-z0-9]`,
 * an optional subname of `[@\[\]A-z0-9_:.-]`; anything else before the closing brace is ignored.
 * The definition (with balanced braces) is scanned by hand, see `readReference`.
 */
const REF_HEAD = /%\{([A-z0-9]+)(?::([@[\]A-z0-9_:.-]+))?/y;

/** Parses a field reference: `[a][b]` → [a, b]; `a.b` → [a, b]; `@timestamp` → [@timestamp]. */
export function parseFieldReference(ref: string): string[] {
  if (ref.startsWith("[")) {
    const parts: string[] = [];
    const re = /\[([^[\]]+)\]/y;
    let end = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(ref)) !== null) {
      parts.push(m[1]!);
      end = re.lastIndex;
    }
    if (end === ref.length) return parts;
  }
  return ref.split(".").filter((p) => p !== "");
}

type Reference = { end: number; pattern: string; field?: string; type: GrokCaptureType; definition?: string; raw: string };

function readReference(text: string, at: number): Reference | null {
  REF_HEAD.lastIndex = at;
  const m = REF_HEAD.exec(text);
  if (!m) return null;
  let i = REF_HEAD.lastIndex;
  let definition: string | undefined;
  if (text[i] === "=") {
    let depth = 0;
    let j = i + 1;
    for (; j < text.length; j++) {
      const c = text[j];
      if (c === "\\") j++;
      else if (c === "{") depth++;
      else if (c === "}") {
        if (depth === 0) break;
        depth--;
      }
    }
    if (j >= text.length) return null;
    definition = text.slice(i + 1, j);
    i = j;
  } else {
    while (i < text.length && text[i] !== "}") i++;
    if (i >= text.length) return null;
  }
  const [field, type] = (m[2] ?? "").split(":");
  const typ: GrokCaptureType = type === "int" || type === "float" ? type : "string";
  return { end: i + 1, pattern: m[1]!, field: field || undefined, type: typ, definition, raw: text.slice(at, i + 1) };
}

/** Skips a character class starting at `at` (`[`), honouring escapes and nested classes; returns the index after it. */
export function skipClass(text: string, at: number): number {
  let i = at + 1;
  if (text[i] === "^") i++;
  if (text[i] === "]") i++; // a leading ] is literal
  let depth = 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === "[") depth++;
    else if (c === "]" && --depth === 0) return i + 1;
  }
  return text.length;
}

/** Expands a grok expression against pattern definitions. `memo` caches capture-free expansions per definition set. */
export function expandGrok(expression: string, defs: PatternDefinitions, memo?: Map<string, string>): ExpandedGrok {
  const captures: GrokCaptureSpec[] = [];
  const inline = new Map<string, string>();
  const lastGroupByField = new Map<string, number>();

  const lookup = (name: string): string | undefined => inline.get(name) ?? defs.get(name);

  const addCapture = (name: string, fieldRef: string, type: GrokCaptureType): number => {
    const pathParts = parseFieldReference(fieldRef);
    if (pathParts.length === 0) throw new GrokCompileError(`invalid field name ${JSON.stringify(fieldRef)} in ${name}`);
    captures.push({ name, path: pathParts, type });
    lastGroupByField.set(fieldRef, captures.length - 1);
    return captures.length - 1;
  };

  const expand = (text: string, stack: string[]): string => {
    let out = "";
    let i = 0;
    while (i < text.length) {
      const c = text[i]!;
      if (c === "%" && text[i + 1] === "{") {
        const ref = readReference(text, i);
        if (ref) {
          out += expandReference(ref, stack);
          i = ref.end;
          continue;
        }
        out += c;
        i++;
      } else if (c === "\\") {
        const k = /^\\k<([^>]+)>/.exec(text.slice(i, i + 200));
        if (k && lastGroupByField.has(k[1]!)) {
          out += `\\k<g${lastGroupByField.get(k[1]!)}>`;
          i += k[0].length;
        } else {
          out += text.slice(i, i + 2);
          i += 2;
        }
      } else if (c === "[") {
        const end = skipClass(text, i);
        out += text.slice(i, end);
        i = end;
      } else if (c === "(" && text[i + 1] === "?" && (text[i + 2] === "<" || text[i + 2] === "'") && text[i + 3] !== "=" && text[i + 3] !== "!") {
        const close = text[i + 2] === "<" ? ">" : "'";
        const end = text.indexOf(close, i + 3);
        if (end < 0) throw new GrokCompileError(`unterminated group name at ${JSON.stringify(text.slice(i, i + 30))}`);
        const fieldRef = text.slice(i + 3, end);
        const id = addCapture(fieldRef, fieldRef, "string");
        out += `(?<g${id}>`;
        i = end + 1;
      } else {
        out += c;
        i++;
      }
    }
    return out;
  };

  const expandReference = (ref: Reference, stack: string[]): string => {
    if (ref.definition !== undefined) inline.set(ref.pattern, ref.definition);
    const body = lookup(ref.pattern);
    if (body === undefined) throw new GrokCompileError(`pattern %{${ref.pattern}} not defined`);
    if (stack.includes(ref.pattern)) throw new GrokCompileError(`pattern %{${ref.pattern}} is recursive (${[...stack, ref.pattern].join(" → ")})`);
    const id = ref.field === undefined ? -1 : addCapture(`${ref.pattern}:${ref.field}${ref.type === "string" ? "" : `:${ref.type}`}`, ref.field, ref.type);
    const memoable = memo !== undefined && inline.size === 0;
    let inner = memoable ? memo.get(ref.pattern) : undefined;
    if (inner === undefined) {
      const before = captures.length;
      inner = expand(body, [...stack, ref.pattern]);
      if (memoable && captures.length === before && inline.size === 0) memo.set(ref.pattern, inner);
    }
    return id < 0 ? `(?:${inner})` : `(?<g${id}>${inner})`;
  };

  const source = expand(expression, []);
  return { source, captures };
}
