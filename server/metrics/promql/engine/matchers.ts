/** Label matchers compiled to predicates (absent label = empty value, regexes anchored). */
import type { Labels } from "../../model";
import type { LabelMatcher } from "../ast";
import { compilePromRegex } from "./regex";
import { PromQLExecError } from "./types";

export type LabelPredicate = (labels: Labels) => boolean;

export function compileMatcher(m: LabelMatcher): LabelPredicate {
  const name = m.name;
  switch (m.type) {
    case "=":
      return (l) => (l[name] ?? "") === m.value;
    case "!=":
      return (l) => (l[name] ?? "") !== m.value;
    case "=~":
    case "!~": {
      let re: RegExp;
      try {
        re = compilePromRegex(m.value);
      } catch (err) {
        throw new PromQLExecError("bad_data", `invalid regular expression ${JSON.stringify(m.value)}: ${(err as Error).message}`, { cause: err });
      }
      const want = m.type === "=~";
      return (l) => re.test(l[name] ?? "") === want;
    }
  }
}

export function compileMatchers(ms: readonly LabelMatcher[]): LabelPredicate {
  const preds = ms.map(compileMatcher);
  return (l) => {
    for (const p of preds) if (!p(l)) return false;
    return true;
  };
}
