/**
 * The grok engine: expand a grok expression (see expand.ts), compile the Oniguruma result to a JS
 * RegExp with oniguruma-to-es, and read typed captures from a match.
 *
 * Regex semantics follow Logstash (Ruby/Joni): `.` matches newlines (Logstash compiles with
 * Regexp::MULTILINE), `\d \s \w \b` are ASCII, named groups make plain `(…)` non-capturing.
 * Compiled expressions are cached per (definition set, expression).
 */
import { EmulatedRegExp, toRegExpDetails } from "oniguruma-to-es";
import { replayLoop, wrapCaptureLoops, type CaptureLoop } from "./capture-loops";
import { expandGrok, GrokCompileError, type GrokCaptureSpec } from "./expand";
import { builtinPatterns, parsePatternDefinitions, PatternDefinitionError, type EcsCompatibility, type PatternDefinitions } from "./patterns";

export { GrokCompileError, parseFieldReference, type GrokCaptureSpec, type GrokCaptureType } from "./expand";

/** Capture values of one match, aligned with `CompiledGrok.captures` (undefined: the group did not take part). */
export type GrokValues = Array<string | number | undefined>;

export type CompiledGrok = {
  expression: string;
  /** The expanded Oniguruma regex (for display and debugging). */
  source: string;
  captures: readonly GrokCaptureSpec[];
  regex: RegExp;
  /** Matches (unanchored, like Logstash) and returns the converted capture values, or null. */
  exec(text: string): GrokValues | null;
};

/** Oniguruma flags: m = dot matches newline (Ruby MULTILINE); D, S, W = ASCII \d, \s, \w (as in Ruby). */
const ONIG_FLAGS = "mDSW";

/** Ruby `String#to_i`: leading integer, else 0. */
function toInt(s: string): number {
  const n = parseInt(s, 10);
  return Number.isNaN(n) ? 0 : n;
}

/** Ruby `String#to_f`: leading float, else 0. */
function toFloat(s: string): number {
  const n = parseFloat(s);
  return Number.isNaN(n) ? 0 : n;
}

/**
 * Target ES2018 (flag `u`), not the `v` flag: V8 in Node 20 mis-matches some `v`-flag patterns,
 * e.g. `/(?:q[^q]*)+$/v.test("qD")` is false (WINPATH hits it).
 */
const TO_REGEXP_OPTIONS = { flags: ONIG_FLAGS, target: "ES2018" } as const;

function compileRegex(source: string, extraFlags = ""): RegExp {
  let details: ReturnType<typeof toRegExpDetails>;
  try {
    details = toRegExpDetails(source, TO_REGEXP_OPTIONS);
  } catch (e) {
    throw new GrokCompileError(`invalid regex: ${(e as Error).message}`);
  }
  const opts = details.options;
  const flags = details.flags + extraFlags;
  try {
    // Only hidden captures (atomic groups, possessive quantifiers) → a plain RegExp is enough: our
    // captures are read by name, which the hidden (unnamed) groups do not disturb.
    if (!opts || (opts.strategy == null && !opts.transfers?.length && !opts.lazyCompile)) return new RegExp(details.pattern, flags);
    return new EmulatedRegExp(details.pattern, flags, opts);
  } catch (e) {
    throw new GrokCompileError(`invalid regex: ${(e as Error).message}`);
  }
}

type CompiledLoop = { group: string; body: RegExp; captureIds: number[] };

function compileLoops(loops: CaptureLoop[]): CompiledLoop[] {
  const out: CompiledLoop[] = [];
  for (const loop of loops) {
    try {
      out.push({ group: loop.group, body: compileRegex(loop.body, "y"), captureIds: loop.captureIds });
    } catch {
      // a body that cannot stand alone (e.g. a back-reference to an outer group): keep JS semantics
    }
  }
  return out;
}

function buildExec(regex: RegExp, captures: readonly GrokCaptureSpec[], loops: CompiledLoop[]): (text: string) => GrokValues | null {
  const names = captures.map((_, i) => `g${i}`);
  const types = captures.map((c) => c.type);
  const n = captures.length;
  return (text) => {
    const m = regex.exec(text);
    if (m === null) return null;
    const out: GrokValues = new Array(n);
    const groups = m.groups;
    if (groups === undefined) return out;
    for (let i = 0; i < n; i++) out[i] = groups[names[i]!];
    if (loops.length > 0) {
      const spans = m.indices?.groups;
      for (const loop of loops) {
        const span = spans?.[loop.group];
        if (!span || span[0] === span[1]) continue;
        const replayed = replayLoop(loop.body, text, span[0], span[1]);
        if (replayed) for (const id of loop.captureIds) out[id] = replayed.get(names[id]!);
      }
    }
    for (let i = 0; i < n; i++) {
      const v = out[i];
      const t = types[i];
      if (v !== undefined && t !== "string") out[i] = t === "int" ? toInt(v as string) : toFloat(v as string);
    }
    return out;
  };
}

/**
 * A set of pattern definitions (built-in, optionally overlaid with custom ones) with its own
 * caches of expansions and compiled expressions.
 */
export class GrokLibrary {
  readonly definitions: PatternDefinitions;
  private readonly memo = new Map<string, string>();
  private readonly compiled = new Map<string, CompiledGrok>();

  constructor(definitions: PatternDefinitions) {
    this.definitions = definitions;
  }

  compile(expression: string): CompiledGrok {
    const hit = this.compiled.get(expression);
    if (hit) return hit;
    const { source, captures } = expandGrok(expression, this.definitions, this.memo);
    const wrapped = wrapCaptureLoops(source);
    const loops = compileLoops(wrapped.loops);
    const regex = loops.length > 0 ? compileRegex(wrapped.source, "d") : compileRegex(source);
    const compiled: CompiledGrok = { expression, source, captures, regex, exec: buildExec(regex, captures, loops) };
    if (this.compiled.size >= 500) this.compiled.clear();
    this.compiled.set(expression, compiled);
    return compiled;
  }
}

const builtinLibraries = new Map<EcsCompatibility, GrokLibrary>();
const customLibraries = new Map<string, GrokLibrary>();

export type GrokLibraryOptions = {
  ecsCompatibility?: EcsCompatibility;
  /** Custom definitions, `NAME regex` per line; they override built-ins of the same name. */
  customPatterns?: string;
};

/** The (cached) library for a compatibility mode plus optional custom definitions. */
export function grokLibrary(opts: GrokLibraryOptions = {}): GrokLibrary {
  const ecs = opts.ecsCompatibility ?? "v1";
  const custom = opts.customPatterns?.trim() ?? "";
  if (custom === "") {
    let lib = builtinLibraries.get(ecs);
    if (!lib) builtinLibraries.set(ecs, (lib = new GrokLibrary(builtinPatterns(ecs))));
    return lib;
  }
  const key = `${ecs}\u0000${custom}`;
  let lib = customLibraries.get(key);
  if (!lib) {
    let defs: Map<string, string>;
    try {
      defs = parsePatternDefinitions(custom, { strict: true, into: new Map(builtinPatterns(ecs)) });
    } catch (e) {
      throw new GrokCompileError(`custom patterns: ${e instanceof PatternDefinitionError ? e.message : String(e)}`);
    }
    lib = new GrokLibrary(defs);
    if (customLibraries.size >= 200) customLibraries.clear();
    customLibraries.set(key, lib);
  }
  return lib;
}

/** Compiles one grok expression (cached). Throws GrokCompileError with a readable message. */
export function compileGrok(expression: string, opts: GrokLibraryOptions = {}): CompiledGrok {
  return grokLibrary(opts).compile(expression);
}

export type GrokMatch = { patternIndex: number; grok: CompiledGrok; values: GrokValues };

/** Several expressions tried in order; the first that matches wins (Logstash `match => [field, [p1, p2]]`). */
export class GrokMatcher {
  readonly groks: readonly CompiledGrok[];

  constructor(expressions: readonly string[], opts: GrokLibraryOptions = {}) {
    if (expressions.length === 0) throw new GrokCompileError("at least one pattern is required");
    const lib = grokLibrary(opts);
    this.groks = expressions.map((e, i) => {
      try {
        return lib.compile(e);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        throw new GrokCompileError(expressions.length > 1 ? `pattern ${i + 1}: ${msg}` : msg);
      }
    });
  }

  match(text: string): GrokMatch | null {
    for (let i = 0; i < this.groks.length; i++) {
      const grok = this.groks[i]!;
      const values = grok.exec(text);
      if (values !== null) return { patternIndex: i, grok, values };
    }
    return null;
  }
}
