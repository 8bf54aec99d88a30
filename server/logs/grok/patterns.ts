/**
 * Grok pattern definitions: the standard Logstash library shipped as data files in
 * `./patterns/legacy` and `./patterns/ecs-v1` (logstash-patterns-core, Apache-2.0, see
 * `./patterns/LICENSE` and `NOTICE.TXT`), plus parsing of custom `NAME regex` lines.
 *
 * The two built-in sets are read once, synchronously, when this module is first imported (the
 * only I/O in the grok and pipeline modules).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** Which built-in set a grok expression resolves against (Logstash `ecs_compatibility`). */
export const EcsCompatibilitySchema = z.enum(["disabled", "v1"]);
export type EcsCompatibility = z.infer<typeof EcsCompatibilitySchema>;

/** Pattern name → Oniguruma regex text (may reference other patterns with `%{…}`). */
export type PatternDefinitions = ReadonlyMap<string, string>;

/** A pattern name as Logstash accepts it in definition files and `%{NAME}` references. */
export const PATTERN_NAME_RE = /^[A-Za-z0-9_]+$/;

export class PatternDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PatternDefinitionError";
  }
}

/**
 * Parses pattern-file text: one `NAME regex` per line (name, whitespace, the rest of the line);
 * blank lines and lines starting with `#` are skipped. Later definitions of a name win.
 * With `strict`, a line that is not `NAME regex` is an error (used for user-supplied patterns);
 * otherwise it is skipped, as Logstash does for its files.
 */
export function parsePatternDefinitions(text: string, opts: { strict?: boolean; into?: Map<string, string> } = {}): Map<string, string> {
  const out = opts.into ?? new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^\s+/, "");
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(\S+)\s+(.*)$/.exec(line);
    if (!m || !PATTERN_NAME_RE.test(m[1]!) || m[2]!.trim() === "") {
      if (opts.strict) throw new PatternDefinitionError(`line ${i + 1}: expected "NAME regex" (NAME of letters, digits and _), got ${JSON.stringify(line.slice(0, 80))}`);
      continue;
    }
    out.set(m[1]!, m[2]!);
  }
  return out;
}

/** Reads every file of a pattern directory (sorted by name, like Logstash) into one definition map. */
export function loadPatternDirectory(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
  for (const file of files) parsePatternDefinitions(readFileSync(path.join(dir, file), "utf8"), { into: out });
  return out;
}

/**
 * The pattern data folder: next to this module under tsx/vitest; inside the Next.js server bundle
 * the module lives in .next/, so fall back to the folder under the working directory (the launcher
 * and `next start` run from the project root).
 */
function patternsRoot(): string {
  const candidates = [path.join(path.dirname(fileURLToPath(import.meta.url)), "patterns"), path.join(process.cwd(), "server", "logs", "grok", "patterns")];
  const found = candidates.find((dir) => existsSync(path.join(dir, "legacy")));
  if (!found) throw new Error(`grok pattern library not found (looked in ${candidates.join(", ")})`);
  return found;
}

const PATTERNS_ROOT = patternsRoot();

const BUILTIN: Record<EcsCompatibility, PatternDefinitions> = {
  disabled: loadPatternDirectory(path.join(PATTERNS_ROOT, "legacy")),
  v1: loadPatternDirectory(path.join(PATTERNS_ROOT, "ecs-v1")),
};

/** The standard Logstash definitions for a compatibility mode (legacy field names, or ECS v1). */
export function builtinPatterns(ecs: EcsCompatibility): PatternDefinitions {
  return BUILTIN[ecs];
}
