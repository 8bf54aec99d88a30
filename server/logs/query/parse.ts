import peggy, { type Parser } from "peggy";
import { QueryError, type QueryNode, type Span } from "./ast";
import { GRAMMAR } from "./grammar";

/**
 * Parses the log query language (grammar.ts) into a QueryNode. Pure and browser-safe: the console
 * parses as the user types. Syntax errors are QueryErrors whose message ends with the 1-based
 * column ("expected a value after 'status:' at 8") and whose span points at the problem.
 */
export const MAX_NESTING = 100;

let parser: Parser | null = null;
function getParser(): Parser {
  parser ??= peggy.generate(GRAMMAR);
  return parser;
}

type FieldRef = { raw: string; name: string; span: Span };
type Bound = { value: string; inclusive: boolean } | null;

const at = (pos: number) => ` at ${pos + 1}`;

function comparison(f: FieldRef, op: string, value: string | null, span: Span): QueryNode {
  if (value === null) throw new QueryError(`'${f.raw}${op}' needs a value, not *${at(span.start)}`, span);
  const b = { value, inclusive: op.length === 2 };
  const lower = op[0] === ">" ? b : null;
  const upper = op[0] === "<" ? b : null;
  return { type: "range", field: f.name, fieldSpan: f.span, lower, upper, span };
}

function range(f: FieldRef, lower: Bound, upper: Bound, span: Span): QueryNode {
  if (!lower && !upper) return { type: "exists", field: f.name, fieldSpan: f.span, span };
  return { type: "range", field: f.name, fieldSpan: f.span, lower, upper, span };
}


/** Quotes and parentheses first: exact messages for them, and deep nesting is refused before the parser recurses. */
function checkStructure(text: string): Set<number> {
  const open: number[] = [];
  const stray = new Set<number>();
  let quote = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) {
      i++;
      continue;
    }
    if (quote >= 0) {
      if (c === 34) quote = -1;
      continue;
    }
    if (c === 34 /* " */) quote = i;
    else if (c === 40 /* ( */) {
      open.push(i);
      if (open.length > MAX_NESTING) throw new QueryError(`too many nested parentheses (more than ${MAX_NESTING})${at(i)}`, { start: i, end: i + 1 });
    } else if (c === 41 /* ) */) {
      if (open.length) open.pop();
      else if (i > 0 && !/[\s()]/.test(text[i - 1]!)) stray.add(i);
      else throw new QueryError(`unbalanced parenthesis: ')' without '('${at(i)}`, { start: i, end: i + 1 });
    }
  }
  if (quote >= 0) throw new QueryError(`unterminated quote${at(quote)}`, { start: quote, end: text.length });
  if (open.length) {
    const i = open[open.length - 1]!;
    throw new QueryError(`unbalanced parenthesis: '(' is never closed${at(i)}`, { start: i, end: i + 1 });
  }
  return stray;
}

const KEYWORD_AT = /^(AND|OR|NOT)(?![\w.@*?\\:-])|^(&&|\|\||!)/i;

/** Peggy's "Expected … but … found" turned into one short sentence. */
function syntaxError(text: string, err: { message: string; location?: { start: { offset: number }; end: { offset: number } }; found?: string | null; expected?: unknown }): QueryError {
  const loc = err.location ?? { start: { offset: 0 }, end: { offset: text.length } };
  if (!("expected" in err) || err.expected === null || err.expected === undefined) {
    // error() from a grammar action: "expected …" points after what was read, anything else at its start.
    const pos = err.message.startsWith("expected") ? loc.end.offset : loc.start.offset;
    return new QueryError(`${err.message}${at(pos)}`, { start: pos, end: Math.min(Math.max(pos + 1, loc.end.offset), text.length) });
  }
  const pos = loc.start.offset;
  if (pos >= text.length) {
    if (/(^|[^\\])(\\\\)*\\$/.test(text)) return new QueryError(`a backslash must be followed by the character it escapes${at(text.length - 1)}`, { start: text.length - 1, end: text.length });
    const before = text.trimEnd();
    const kw = /(AND|OR|NOT|&&|\|\||!)$/i.exec(before);
    const msg = kw ? `expected a query after '${kw[1]}'` : "unexpected end of query";
    return new QueryError(`${msg}${at(pos)}`, { start: pos, end: pos });
  }
  const rest = text.slice(pos);
  const kw = KEYWORD_AT.exec(rest);
  if (kw) {
    const word = (kw[1] ?? kw[2])!;
    return new QueryError(`'${word}' needs a query on each side${at(pos)}`, { start: pos, end: pos + word.length });
  }
  const ch = String.fromCodePoint(rest.codePointAt(0)!);
  if (ch === "\\") return new QueryError(`a backslash must be followed by the character it escapes${at(pos)}`, { start: pos, end: pos + 1 });
  if (ch === ":") return new QueryError(`unexpected ':' (field names are letters, digits and _ . @ -; quote text containing ':')${at(pos)}`, { start: pos, end: pos + 1 });
  return new QueryError(`unexpected '${ch}'${at(pos)}`, { start: pos, end: pos + ch.length });
}

export function parseQuery(text: string): QueryNode {
  if (text.trim() === "" || text.trim() === "*") return { type: "all", span: { start: 0, end: text.length } };
  const stray = checkStructure(text);
  try {
    return getParser().parse(text, { comparison, range, stray }) as QueryNode;
  } catch (e) {
    if (e instanceof QueryError) throw e;
    if (e instanceof Error && e.name === "SyntaxError" && "location" in e) throw syntaxError(text, e as never);
    throw e;
  }
}
