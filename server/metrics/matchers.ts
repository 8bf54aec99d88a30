/**
 * PromQL label matchers as predicates over label sets (Prometheus semantics): a missing label
 * reads as ""; `=~` / `!~` are fully anchored RE2 expressions (server/metrics/relabel/regex.ts).
 */
import { AppError } from "@/server/lib/errors";
import type { Labels } from "./model";
import type { LabelMatcher } from "./promql/ast";
import { compileAnchored } from "./relabel/regex";

export type LabelPredicate = (labels: Labels) => boolean;

const regexCache = new Map<string, RegExp>();

function regexOf(source: string): RegExp {
  let re = regexCache.get(source);
  if (!re) {
    try {
      re = compileAnchored(source).re;
    } catch (err) {
      throw new AppError("INVALID_INPUT", { userMessage: `invalid regular expression "${source}": ${(err as Error).message}` });
    }
    if (regexCache.size > 10_000) regexCache.clear();
    regexCache.set(source, re);
  }
  return re;
}

export function matcherPredicate(m: LabelMatcher): (value: string) => boolean {
  switch (m.type) {
    case "=":
      return (v) => v === m.value;
    case "!=":
      return (v) => v !== m.value;
    case "=~": {
      const re = regexOf(m.value);
      return (v) => re.test(v);
    }
    case "!~": {
      const re = regexOf(m.value);
      return (v) => !re.test(v);
    }
  }
}

/** One predicate for a conjunction of matchers. */
export function compileMatchers(matchers: LabelMatcher[]): LabelPredicate {
  const tests = matchers.map((m) => ({ name: m.name, test: matcherPredicate(m) }));
  return (labels) => {
    for (const t of tests) if (!t.test(labels[t.name] ?? "")) return false;
    return true;
  };
}

/** True when the matcher also matches series that do not have the label at all. */
export function matchesEmpty(m: LabelMatcher): boolean {
  return matcherPredicate(m)("");
}
