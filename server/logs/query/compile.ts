import { sql, type SQL } from "drizzle-orm";
import { logBlocks } from "@/db/schema";
import { pgArray } from "@/server/lib/sql-array";
import { LOG_LEVELS, normaliseLevel, type LogEvent, type LogLevel } from "@/server/logs/event";
import type { HighlightSpec } from "@/server/logs/search/contract";
import type { AttributeSelection } from "@/server/logs/store/block";
import { attributeAt } from "@/server/logs/attribute-path";
import { fieldValueKey, fnv1a32, MAX_TOKEN_LENGTH } from "@/server/logs/store/tokens";
import { BUILTIN_FIELDS, QueryError, stripAttributesPrefix, type FieldInfo, type QueryNode, type Span } from "./ast";
import { foldedEquals, foldString, PhraseMatcher, textTokens, tokenGlob, valueGlob } from "./text-match";

/**
 * Compiles a query AST against the block store (server/logs/store): a necessary condition over
 * `log_blocks` (token hashes, source ids, level counts — user text only ever reaches SQL as
 * hashes and ids in parameters) and an exact per-event predicate that the search service runs on
 * the decoded events of the selected blocks.
 *
 * Semantics (case-insensitive throughout, with the index's tokenizer):
 * - free term: a token of the message or of any string attribute; `foo-bar` is the phrase "foo bar";
 *   a word without token characters (`%`, `->`) is a substring; `time*` globs over tokens.
 * - phrase: consecutive tokens of the message or of a string attribute (with a field: of that field).
 * - `field:value`: the whole value equals (numbers and booleans by their text; arrays: any element);
 *   `message:x` is a token/phrase of the message; `level`, `service`, `host`, `trace_id`, `span_id`,
 *   `source` are keyword fields (a quoted value is an exact value there). `field:glob` globs the value.
 * - ranges: numeric when bound and value are numbers, else text order; `level` ranges by severity.
 * Attribute values nested deeper than the index reaches (6 levels, counting arrays) are not searched.
 */
export type CompileContext = { fields: ReadonlyMap<string, FieldInfo>; sourceIdsByName: ReadonlyMap<string, string> };
/**
 * Which attributes a query reads (the block decoder inflates no more): none, some paths, all of
 * them only when a block's attribute text holds one of the free-text words (`ifText`), or all.
 */
export type { AttributeSelection };
type Needs = { message: boolean; attributes: AttributeSelection; ids: boolean };
export type CompiledQuery = {
  blockCondition: SQL | null;
  /** The block condition requires tokens the GIN index can find (see `indexable`). */
  tokenIndexed: boolean;
  matches: (e: LogEvent) => boolean;
  needs: Needs;
  blockExact: { levels: ReadonlySet<LogLevel | "none"> } | null;
  /**
   * The block condition evaluated on a block's columns in memory (archived blocks carry the same
   * columns): true exactly when `blockCondition` would select the block; null = every block.
   */
  blockMatches: ((b: BlockColumns) => boolean) | null;
  /** False when no block of this source can match whatever its tokens and levels (listing archived days per role). */
  sourcePossible: (sourceId: string) => boolean;
  highlight: HighlightSpec[];
};

/** The log_blocks columns a block condition reads. */
export type BlockColumns = { tokens: readonly number[]; sourceId: string; levelCounts: readonly number[] };

type LevelKey = LogLevel | "none";
const LEVEL_KEYS: readonly LevelKey[] = [...LOG_LEVELS, "none"];
const MAX_DEPTH = 6; // block.ts indexes attribute values down to this depth (arrays count)
const MAX_INDEXED_VALUE = 256; // block.ts: longer strings get no field=value key
type Pred = (e: LogEvent) => boolean;

// ---- block conditions ------------------------------------------------------------------------

type Cond =
  | { k: "tokensAll"; hashes: number[] }
  | { k: "tokensAny"; hashes: number[] }
  /** Some event has a level in these level_counts slots (LOG_LEVELS order, then "none"). */
  | { k: "levelSlots"; slots: number[] }
  | { k: "sources"; ids: string[] }
  | { k: "false" }
  | { k: "and" | "or"; children: Cond[] }
  | { k: "not"; child: Cond };

const FALSE: Cond = { k: "false" };

function andConds(conds: (Cond | null)[]): Cond | null {
  const list = conds.filter((c): c is Cond => c !== null);
  if (list.length <= 1) return list[0] ?? null;
  return { k: "and", children: list };
}
function orConds(conds: (Cond | null)[]): Cond | null {
  if (conds.some((c) => c === null)) return null;
  return conds.length === 1 ? conds[0]! : { k: "or", children: conds as Cond[] };
}

function renderCond(c: Cond): SQL {
  switch (c.k) {
    case "tokensAll":
      return sql`${logBlocks.tokens} @> ${pgArray([...new Set(c.hashes)].sort((a, b) => a - b))}::int4[]`;
    case "tokensAny":
      return sql`${logBlocks.tokens} && ${pgArray([...new Set(c.hashes)].sort((a, b) => a - b))}::int4[]`;
    case "levelSlots":
      // `level_counts` is 1-based; the indexes are constants.
      return sql`(${sql.join(c.slots.map((i) => sql`${logBlocks.levelCounts}[${sql.raw(String(i + 1))}] > 0`), sql` or `)})`;
    case "sources":
      return sql`${logBlocks.sourceId} = any(${pgArray(c.ids)}::uuid[])`;
    case "false":
      return sql`false`;
    case "not":
      return sql`not (${renderCond(c.child)})`;
    case "or":
      return sql`(${sql.join(c.children.map(renderCond), sql` or `)})`;
    case "and": {
      // All the AND-ed token sets become one `@>` (one GIN probe).
      const hashes: number[] = [];
      const rest: SQL[] = [];
      for (const ch of c.children) {
        if (ch.k === "tokensAll") hashes.push(...ch.hashes);
        else rest.push(renderCond(ch));
      }
      if (hashes.length) rest.unshift(renderCond({ k: "tokensAll", hashes }));
      return rest.length === 1 ? rest[0]! : sql`(${sql.join(rest, sql` and `)})`;
    }
  }
}

/** A block's token hashes as a set, built once per block and only when a condition reads tokens. */
type BlockView = { b: BlockColumns; tokens: ReadonlySet<number> | null };
const tokensOf = (v: BlockView): ReadonlySet<number> => (v.tokens ??= new Set(v.b.tokens));

/** `renderCond` in memory: the same operators over the same columns (no NULLs: the columns are NOT NULL). */
function evalCond(c: Cond, v: BlockView): boolean {
  switch (c.k) {
    case "tokensAll": {
      const t = tokensOf(v);
      return c.hashes.every((h) => t.has(h));
    }
    case "tokensAny": {
      const t = tokensOf(v);
      return c.hashes.some((h) => t.has(h));
    }
    case "levelSlots":
      return c.slots.some((i) => (v.b.levelCounts[i] ?? 0) > 0);
    case "sources":
      return c.ids.includes(v.b.sourceId);
    case "false":
      return false;
    case "not":
      return !evalCond(c.child, v);
    case "and":
      return c.children.every((ch) => evalCond(ch, v));
    case "or":
      return c.children.some((ch) => evalCond(ch, v));
  }
}

/** The in-memory block filter of a condition (CompiledQuery.blockMatches). */
function blockPredicate(c: Cond | null): ((b: BlockColumns) => boolean) | null {
  return c ? (b) => evalCond(c, { b, tokens: null }) : null;
}

/** The condition knowing only a block's source: true, false, or null (depends on tokens/levels). */
function evalSource(c: Cond, sourceId: string): boolean | null {
  switch (c.k) {
    case "sources":
      return c.ids.includes(sourceId);
    case "false":
      return false;
    case "not": {
      const v = evalSource(c.child, sourceId);
      return v === null ? null : !v;
    }
    case "and": {
      let all = true;
      for (const ch of c.children) {
        const v = evalSource(ch, sourceId);
        if (v === false) return false;
        if (v === null) all = false;
      }
      return all ? true : null;
    }
    case "or": {
      let none = true;
      for (const ch of c.children) {
        const v = evalSource(ch, sourceId);
        if (v === true) return true;
        if (v === null) none = false;
      }
      return none ? false : null;
    }
    default:
      return null;
  }
}

/**
 * True when the condition can be answered from the GIN token index alone: a token set is
 * required (at the top, or in every branch of an OR). The store then plans block selection on
 * that index rather than on time, which avoids de-TOASTing every block's token array.
 */
function indexable(c: Cond): boolean {
  switch (c.k) {
    case "tokensAll":
    case "tokensAny":
      return true;
    case "and":
      return c.children.some(indexable);
    case "or":
      return c.children.every(indexable);
    default:
      return false;
  }
}

function levelCond(levels: ReadonlySet<LevelKey>): Cond | null {
  if (levels.size === LEVEL_KEYS.length) return null;
  if (levels.size === 0) return FALSE;
  if (!levels.has("none")) return { k: "tokensAny", hashes: [...levels].map((l) => fieldValueKey("level", l)) };
  return { k: "levelSlots", slots: LEVEL_KEYS.flatMap((l, i) => (levels.has(l) ? [i] : [])) };
}

// ---- field access ------------------------------------------------------------------------------

/** Candidate keys for a dotted path: key[i][j] = segments i..j-1 joined (a key may itself hold dots). */
type PathKeys = string[][];
function pathKeys(path: string): PathKeys {
  const segs = path.split(".");
  return segs.map((_, i) => segs.map((__, j) => (j >= i ? segs.slice(i, j + 1).join(".") : "")));
}

/**
 * Finds values at a path in the attributes — `{"http.status":1}` and `{"http":{"status":1}}` alike,
 * through arrays — down to the index's depth, and tells whether `visit` accepts one (scalars, or
 * an object/array-free value at the path). Built once per query; no allocation per event.
 */
class PathVisitor {
  private readonly n: number;
  constructor(
    private readonly keys: PathKeys,
    private readonly visit: (v: unknown) => boolean,
  ) {
    this.n = keys.length;
  }

  test(attrs: Record<string, unknown>): boolean {
    return this.walk(attrs, 0, 0);
  }

  private walk(obj: Record<string, unknown>, i: number, depth: number): boolean {
    const row = this.keys[i]!;
    for (let j = this.n - 1; j >= i; j--) {
      const v = obj[row[j]!];
      if (v === undefined) continue;
      if (j === this.n - 1 ? this.leaf(v, depth + 1) : this.inner(v, j + 1, depth + 1)) return true;
    }
    return false;
  }

  private leaf(v: unknown, depth: number): boolean {
    if (depth > MAX_DEPTH || v === null) return false;
    if (Array.isArray(v)) {
      for (let k = 0; k < v.length; k++) if (this.leaf(v[k], depth + 1)) return true;
      return false;
    }
    return this.visit(v);
  }

  private inner(v: unknown, i: number, depth: number): boolean {
    if (depth > MAX_DEPTH || v === null || typeof v !== "object") return false;
    if (Array.isArray(v)) {
      for (let k = 0; k < v.length; k++) if (this.inner(v[k], i, depth + 1)) return true;
      return false;
    }
    return this.walk(v as Record<string, unknown>, i, depth);
  }
}

const attrPredicate = (field: string, visit: (v: unknown) => boolean): Pred => {
  const pv = new PathVisitor(pathKeys(field), visit);
  return (e) => pv.test(e.attributes);
};

/** Every string attribute value down to the index's depth; stops at the first `true`. */
function visitStrings(v: unknown, depth: number, visit: (s: string) => boolean): boolean {
  if (depth > MAX_DEPTH || v === null || v === undefined) return false;
  if (typeof v === "string") return visit(v);
  if (typeof v !== "object") return false;
  if (Array.isArray(v)) {
    for (const x of v) if (visitStrings(x, depth + 1, visit)) return true;
    return false;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) if (visitStrings(o[k], depth + 1, visit)) return true;
  return false;
}

/** The literal runs of a glob (between unescaped `*` / `?`), lower-cased. */
function globLiterals(glob: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "\\" && i + 1 < glob.length) cur += glob[++i];
    else if (c === "*" || c === "?") {
      if (cur) out.push(cur);
      cur = "";
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out.map((w) => w.toLowerCase());
}


/**
 * A field of an event: built-ins from the event, attribute paths by exact key first, then by
 * walking the dots (`http.status` finds `{"http.status":1}` and `{"http":{"status":1}}`).
 */
export function getField(e: LogEvent, path: string): unknown {
  switch (path) {
    case "message":
      return e.message;
    case "level":
      return e.level;
    case "service":
      return e.service;
    case "host":
      return e.host;
    case "source":
      return e.source;
    case "trace_id":
      return e.traceId;
    case "span_id":
      return e.spanId;
    case "@timestamp":
      return new Date(e.ts).toISOString();
  }
  // One lookup rule for queries and for the block store's per-path attribute columns.
  return attributeAt(e.attributes, stripAttributesPrefix(path));
}

// ---- compilation -----------------------------------------------------------------------------

type Dep = "all" | "source" | "level" | "other";
type Compiled = {
  cond: Cond | null;
  match: Pred;
  /** Rough cost of `match`, to evaluate cheap conjuncts first. */
  cost: number;
  dep: Dep;
  /** dep "level"/"all": the levels that match. */
  levels?: Set<LevelKey>;
  /** Levels that match given that `cond` holds exactly per block (see blockExact), or null. */
  exact: Set<LevelKey> | null;
};

const ALL_LEVELS = () => new Set<LevelKey>(LEVEL_KEYS);
const KEYWORD_FIELDS = new Set(["level", "service", "host", "source", "trace_id", "span_id"]);
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const num = (s: string): number | null => (NUMBER_RE.test(s.trim()) ? Number(s) : null);

function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

class Compiler {
  readonly highlight: HighlightSpec[] = [];
  readonly needs: Needs = { message: false, attributes: false, ids: false };
  /** Attribute paths read by field clauses, and the lower-cased words free text looks for. */
  readonly attrPaths = new Set<string>();
  readonly attrWords = new Set<string>();
  /** Free text whose matches cannot be bounded by literal words (e.g. `*a*`, non-ASCII): read everything. */
  attrAll = false;
  constructor(private readonly ctx: CompileContext) {}

  /** Records literal words that any attribute text matching `text` must contain. */
  private wordsOf(literals: readonly string[]): void {
    const usable = literals.filter((w) => w.length >= 2);
    // Case folding beyond ASCII may differ between the matcher and a plain lower-casing: read all.
    if (usable.length === 0 || usable.some((w) => [...w].some((ch) => ch.charCodeAt(0) > 127))) this.attrAll = true;
    // Any one word suffices as a necessary condition; the longest is the most selective.
    else this.attrWords.add(usable.reduce((a, b) => (b.length > a.length ? b : a)).toLowerCase());
  }

  attributeSelection(): AttributeSelection {
    if (!this.needs.attributes) return false;
    if (this.attrAll || (this.attrPaths.size && this.attrWords.size)) return true;
    if (this.attrPaths.size) return { paths: [...this.attrPaths] };
    return this.attrWords.size ? { ifText: [...this.attrWords] } : true;
  }

  node(n: QueryNode, positive: boolean): Compiled {
    switch (n.type) {
      case "all":
        return { cond: null, match: () => true, cost: 0, dep: "all", levels: ALL_LEVELS(), exact: ALL_LEVELS() };
      case "and":
        return this.and(n.children.map((c) => this.node(c, positive)));
      case "or":
        return this.or(n.children.map((c) => this.node(c, positive)));
      case "not":
        return this.not(this.node(n.child, !positive));
      case "term":
        return this.term(n, positive);
      case "phrase":
        return this.phrase(n, positive);
      case "range":
        return this.range(n);
      case "exists":
        return this.exists(n);
    }
  }

  private and(cs: Compiled[]): Compiled {
    if (cs.every((c) => c.dep === "all" || c.dep === "level")) {
      const levels = ALL_LEVELS();
      for (const c of cs) for (const l of LEVEL_KEYS) if (!c.levels!.has(l)) levels.delete(l);
      return this.levelOnly(levels);
    }
    const sorted = [...cs].sort((a, b) => a.cost - b.cost);
    const preds = sorted.map((c) => c.match);
    const match: Pred = preds.length === 2 ? ((a, b) => (e: LogEvent) => a(e) && b(e))(preds[0]!, preds[1]!) : (e) => preds.every((p) => p(e));
    let exact: Set<LevelKey> | null = ALL_LEVELS();
    for (const c of cs) {
      if (!c.exact) exact = null;
      else if (exact) for (const l of LEVEL_KEYS) if (!c.exact.has(l)) exact.delete(l);
    }
    const dep: Dep = cs.every((c) => c.dep === "source" || c.dep === "all") ? "source" : "other";
    return { cond: andConds(cs.map((c) => c.cond)), match, cost: sorted.reduce((a, c) => a + c.cost, 0), dep, exact };
  }

  private or(cs: Compiled[]): Compiled {
    if (cs.some((c) => c.dep === "all")) return this.node({ type: "all", span: { start: 0, end: 0 } }, true);
    if (cs.every((c) => c.dep === "level")) {
      const levels = new Set<LevelKey>();
      for (const c of cs) for (const l of c.levels!) levels.add(l);
      return this.levelOnly(levels);
    }
    const sorted = [...cs].sort((a, b) => a.cost - b.cost);
    const preds = sorted.map((c) => c.match);
    const match: Pred = (e) => preds.some((p) => p(e));
    const source = cs.every((c) => c.dep === "source");
    return { cond: orConds(cs.map((c) => c.cond)), match, cost: sorted.reduce((a, c) => a + c.cost, 0), dep: source ? "source" : "other", exact: source ? ALL_LEVELS() : null };
  }

  private not(c: Compiled): Compiled {
    if (c.dep === "level" || c.dep === "all") return this.levelOnly(new Set(LEVEL_KEYS.filter((l) => !c.levels!.has(l))));
    const inner = c.match;
    if (c.dep === "source") return { cond: c.cond ? { k: "not", child: c.cond } : FALSE, match: (e) => !inner(e), cost: c.cost, dep: "source", exact: ALL_LEVELS() };
    return { cond: null, match: (e) => !inner(e), cost: c.cost, dep: "other", exact: null };
  }

  private levelOnly(levels: Set<LevelKey>): Compiled {
    const ok = LEVEL_KEYS.map((l) => levels.has(l));
    const noneOk = levels.has("none");
    const index = Object.fromEntries(LOG_LEVELS.map((l, i) => [l, i])) as Record<LogLevel, number>;
    const match: Pred = (e) => (e.level === null ? noneOk : ok[index[e.level]]!);
    return { cond: levelCond(levels), match, cost: 1, dep: "level", levels, exact: new Set(levels) };
  }

  private other(cond: Cond | null, match: Pred, cost: number): Compiled {
    return { cond, match, cost, dep: "other", exact: null };
  }

  /** Checks the field exists (built-in or catalogued) and returns its canonical path. */
  private field(name: string, span: Span, exists = false): string {
    if ((BUILTIN_FIELDS as readonly string[]).includes(name)) return name;
    if (name === "@timestamp" || (name === "timestamp" && !this.ctx.fields.has(name))) {
      throw new QueryError(`'${name}' is set by the time range, not by the query`, span);
    }
    const path = stripAttributesPrefix(name);
    if (this.ctx.fields.has(path)) return path;
    if (exists) for (const k of this.ctx.fields.keys()) if (k.startsWith(`${path}.`)) return path;
    let best: string | null = null;
    let bestD = 3;
    for (const k of [...BUILTIN_FIELDS, ...this.ctx.fields.keys()]) {
      const d = editDistance(path.toLowerCase(), k.toLowerCase(), 2);
      if (d < bestD) [best, bestD] = [k, d];
    }
    throw new QueryError(`unknown field '${name}'${best ? ` (did you mean '${best}'?)` : ""}`, span);
  }

  private addHighlight(positive: boolean, field: string | null, kind: HighlightSpec["kind"], value: string): void {
    if (positive && value !== "") this.highlight.push({ field, kind, value });
  }

  /** Free text (no field): the message or any string attribute. */
  private textAnywhere(test: (s: string) => boolean, cond: Cond | null, cost: number, words: readonly string[]): Compiled {
    this.needs.message = true;
    this.needs.attributes = true;
    this.wordsOf(words);
    return this.other(cond, (e) => test(e.message) || visitStrings(e.attributes, 0, test), cost);
  }

  private phraseCond(tokens: readonly string[]): Cond | null {
    const hashes = tokens.filter((t) => t.length <= MAX_TOKEN_LENGTH).map(fnv1a32);
    return hashes.length ? { k: "tokensAll", hashes } : null;
  }

  /** Tokens / phrase / substring test for a text, by what the words hold. */
  private textTest(text: string): { test: (s: string) => boolean; cond: Cond | null; tokens: string[] } {
    const tokens = textTokens(text);
    if (tokens.length === 0) {
      const folded = foldString(text);
      return { test: (s) => foldString(s).includes(folded), cond: null, tokens };
    }
    const m = new PhraseMatcher(tokens);
    return { test: (s) => m.test(s), cond: this.phraseCond(tokens), tokens };
  }

  private term(n: Extract<QueryNode, { type: "term" }>, positive: boolean): Compiled {
    const { text, wildcard } = n.value;
    if (n.field === null) {
      if (wildcard) {
        const re = tokenGlob(text);
        this.addHighlight(positive, null, "wildcard", text);
        return this.textAnywhere((s) => re.test(s), null, 20, globLiterals(text));
      }
      const t = this.textTest(text);
      this.addHighlight(positive, null, t.tokens.length > 1 ? "phrase" : "token", text);
      return this.textAnywhere(t.test, t.cond, 10, t.tokens.length ? t.tokens : [foldString(text)]);
    }
    const field = this.field(n.field, n.fieldSpan!);
    if (field === "message") {
      this.needs.message = true;
      if (wildcard) {
        const re = tokenGlob(text);
        this.addHighlight(positive, "message", "wildcard", text);
        return this.other(null, (e) => re.test(e.message), 20);
      }
      const t = this.textTest(text);
      this.addHighlight(positive, "message", t.tokens.length > 1 ? "phrase" : "token", text);
      return this.other(t.cond, (e) => t.test(e.message), 10);
    }
    this.addHighlight(positive, field, wildcard ? "wildcard" : "token", text);
    if (KEYWORD_FIELDS.has(field)) return this.keyword(field, text, wildcard, n.span);
    return this.attributeValue(field, text, wildcard);
  }

  private phrase(n: Extract<QueryNode, { type: "phrase" }>, positive: boolean): Compiled {
    if (n.field === null) {
      const t = this.textTest(n.text);
      this.addHighlight(positive, null, "phrase", n.text);
      return this.textAnywhere(t.test, t.cond, 12, t.tokens.length ? t.tokens : [foldString(n.text)]);
    }
    const field = this.field(n.field, n.fieldSpan!);
    if (field === "message") {
      this.needs.message = true;
      const t = this.textTest(n.text);
      this.addHighlight(positive, "message", "phrase", n.text);
      return this.other(t.cond, (e) => t.test(e.message), 12);
    }
    this.addHighlight(positive, field, "phrase", n.text);
    if (KEYWORD_FIELDS.has(field)) return this.keyword(field, n.text, false, n.span);
    // An attribute: the words in a string value, or a number/boolean whose text is the phrase.
    this.needs.attributes = true;
    this.attrPaths.add(field);
    const folded = foldString(n.text);
    const t = this.textTest(n.text);
    const stringTest = t.tokens.length ? t.test : (s: string) => foldedEquals(s, folded);
    const visit = (v: unknown) => (typeof v === "string" ? stringTest(v) : (typeof v === "number" || typeof v === "boolean") && String(v) === folded);
    const keyCond: Cond | null = n.text.length <= MAX_INDEXED_VALUE ? { k: "tokensAll", hashes: [fieldValueKey(field, n.text)] } : null;
    const cond = t.tokens.length ? orConds([t.cond, keyCond]) : keyCond;
    return this.other(cond, attrPredicate(field, visit), 6);
  }

  /** level, service, host, source, trace_id, span_id: the whole value (`text` is a glob when `wildcard`). */
  private keyword(field: string, text: string, wildcard: boolean, span: Span): Compiled {
    const re = wildcard ? valueGlob(text) : null;
    const test = re ? (s: string) => re.test(s) : ((f: string) => (s: string) => foldedEquals(s, f))(foldString(text));
    if (field === "level") {
      let levels: LevelKey[];
      if (re) levels = LOG_LEVELS.filter((l) => re.test(l));
      else {
        const l = /^\d+$/.test(text) ? null : normaliseLevel(text);
        if (!l) throw new QueryError(`unknown level '${text}' (levels: ${LOG_LEVELS.join(", ")})`, span);
        levels = [l];
      }
      return this.levelOnly(new Set(levels));
    }
    if (field === "source") {
      const ids = [...this.ctx.sourceIdsByName].filter(([name]) => test(name)).map(([, id]) => id);
      if (!re && ids.length === 0) throw new QueryError(`unknown source '${text}'`, span);
      return this.sourceOnly(ids, (e) => test(e.source));
    }
    const get: (e: LogEvent) => string | null =
      field === "service" ? (e) => e.service : field === "host" ? (e) => e.host : field === "trace_id" ? (e) => e.traceId : (e) => e.spanId;
    if (field === "trace_id" || field === "span_id") this.needs.ids = true;
    const match: Pred = (e) => {
      const v = get(e);
      return v !== null && test(v);
    };
    const cond: Cond | null = re || field === "span_id" ? null : { k: "tokensAll", hashes: [fieldValueKey(field, text)] };
    return this.other(cond, match, 2);
  }

  private sourceOnly(ids: string[], match: Pred): Compiled {
    const cond: Cond = ids.length ? { k: "sources", ids } : FALSE;
    return { cond, match, cost: 1, dep: "source", exact: ALL_LEVELS() };
  }

  /** `path:value` on an attribute: the whole value equals (text of numbers/booleans), or a glob over it. */
  private attributeValue(field: string, text: string, wildcard: boolean): Compiled {
    this.needs.attributes = true;
    this.attrPaths.add(field);
    if (wildcard) {
      const re = valueGlob(text);
      const visit = (v: unknown) => (typeof v === "string" ? re.test(v) : (typeof v === "number" || typeof v === "boolean") && re.test(String(v)));
      return this.other(null, attrPredicate(field, visit), 8);
    }
    const folded = foldString(text);
    const n = num(text);
    const canonicalNumber = n !== null && String(n) === text ? n : null;
    const bool = folded === "true" ? true : folded === "false" ? false : null;
    const visit = (v: unknown) => (typeof v === "string" ? foldedEquals(v, folded) : typeof v === "number" ? v === canonicalNumber : typeof v === "boolean" && v === bool);
    let cond: Cond | null;
    if (text.length <= MAX_INDEXED_VALUE) cond = { k: "tokensAll", hashes: [fieldValueKey(field, text)] };
    else cond = this.phraseCond(textTokens(text)); // long strings are indexed by their words only
    return this.other(cond, attrPredicate(field, visit), 5);
  }

  private range(n: Extract<QueryNode, { type: "range" }>): Compiled {
    const field = this.field(n.field, n.fieldSpan);
    if (field === "message") throw new QueryError("ranges do not apply to message; use words or phrases", n.span);
    if (field === "level") return this.levelRange(n);
    const types = this.ctx.fields.get(field)?.types ?? [];
    const only = (t: string) => types.length > 0 && types.every((x) => x === t);
    if (only("boolean")) throw new QueryError(`${field} is a boolean field; ranges need numbers or text`, n.span);
    const lo = n.lower ? { v: n.lower.value, n: num(n.lower.value), inc: n.lower.inclusive } : null;
    const hi = n.upper ? { v: n.upper.value, n: num(n.upper.value), inc: n.upper.inclusive } : null;
    for (const b of [lo, hi]) {
      if (b && b.n === null && only("number")) throw new QueryError(`${field} is a number field; '${b.v}' is not a number`, n.span);
    }
    if (lo && hi) {
      const inverted = lo.n !== null && hi.n !== null ? lo.n > hi.n : lo.v > hi.v;
      if (inverted) throw new QueryError(`the range's lower bound ${lo.v} is above its upper bound ${hi.v}`, n.span);
    }
    const inRange = (v: unknown): boolean => {
      let vn: number | null = null;
      let vs: string;
      if (typeof v === "number") {
        if (!Number.isFinite(v)) return false;
        vn = v;
        vs = String(v);
      } else if (typeof v === "string") {
        vs = v;
        if (lo?.n != null || hi?.n != null) vn = num(v);
      } else if (typeof v === "boolean") vs = String(v);
      else return false;
      if (lo) {
        const c = lo.n !== null && vn !== null ? vn - lo.n : vs < lo.v ? -1 : vs > lo.v ? 1 : 0;
        if (c < 0 || (c === 0 && !lo.inc)) return false;
      }
      if (hi) {
        const c = hi.n !== null && vn !== null ? vn - hi.n : vs < hi.v ? -1 : vs > hi.v ? 1 : 0;
        if (c > 0 || (c === 0 && !hi.inc)) return false;
      }
      return true;
    };
    if (KEYWORD_FIELDS.has(field)) {
      if (field === "source") return this.sourceOnly([...this.ctx.sourceIdsByName].filter(([name]) => inRange(name)).map(([, id]) => id), (e) => inRange(e.source));
      if (field === "trace_id" || field === "span_id") this.needs.ids = true;
      return this.other(null, (e) => inRange(getField(e, field)), 3);
    }
    this.needs.attributes = true;
    this.attrPaths.add(field);
    return this.other(null, attrPredicate(field, inRange), 8);
  }

  private levelRange(n: Extract<QueryNode, { type: "range" }>): Compiled {
    const rank = (b: { value: string }) => {
      const l = normaliseLevel(b.value);
      if (!l) throw new QueryError(`unknown level '${b.value}' (levels: ${LOG_LEVELS.join(", ")})`, n.span);
      return LOG_LEVELS.indexOf(l);
    };
    const lo = n.lower ? rank(n.lower) + (n.lower.inclusive ? 0 : 1) : 0;
    const hi = n.upper ? rank(n.upper) - (n.upper.inclusive ? 0 : 1) : LOG_LEVELS.length - 1;
    if (n.lower && n.upper && rank(n.lower) > rank(n.upper)) throw new QueryError(`the range's lower bound ${n.lower.value} is above its upper bound ${n.upper.value}`, n.span);
    return this.levelOnly(new Set(LOG_LEVELS.filter((_, i) => i >= lo && i <= hi)));
  }

  private exists(n: Extract<QueryNode, { type: "exists" }>): Compiled {
    const field = this.field(n.field, n.fieldSpan, true);
    if (field === "level") return this.levelOnly(new Set(LOG_LEVELS));
    if (field === "source") return { cond: null, match: () => true, cost: 0, dep: "all", levels: ALL_LEVELS(), exact: ALL_LEVELS() };
    if (field === "message") {
      this.needs.message = true;
      return this.other(null, (e) => e.message !== "", 1);
    }
    if (KEYWORD_FIELDS.has(field)) {
      if (field === "trace_id" || field === "span_id") this.needs.ids = true;
      return this.other(null, (e) => {
        const v = getField(e, field);
        return v !== null && v !== "";
      }, 1);
    }
    this.needs.attributes = true;
    this.attrPaths.add(field);
    const yes = () => true;
    return this.other(null, attrPredicate(field, yes), 4);
  }
}

export function compileQuery(ast: QueryNode, ctx: CompileContext): CompiledQuery {
  const c = new Compiler(ctx);
  const root = c.node(ast, true);
  return {
    blockCondition: root.cond ? renderCond(root.cond) : null,
    tokenIndexed: root.cond ? indexable(root.cond) : false,
    matches: root.match,
    needs: { ...c.needs, attributes: c.attributeSelection() },
    blockExact: root.exact ? { levels: root.exact } : null,
    blockMatches: blockPredicate(root.cond),
    sourcePossible: (sourceId) => (root.cond ? evalSource(root.cond, sourceId) !== false : true),
    highlight: c.highlight,
  };
}
