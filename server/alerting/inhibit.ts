/**
 * Inhibition rules, as Alertmanager applies them: an alert (the target) is muted while another
 * alert (the source) is firing when
 * - the target matches the rule's target matchers (`target_matchers`, plus the deprecated
 *   `target_match` / `target_match_re`),
 * - the source matches its source matchers (`source_matchers`, `source_match`, `source_match_re`),
 * - both have the same value for every label in `equal` (a label missing on both sides is equal),
 * - and, when the target matches the source matchers too, the source does not match the target
 *   matchers (so an alert never inhibits itself, and two alerts matching both sides do not mute
 *   each other).
 * Resolved alerts never inhibit.
 *
 * Pure module: safe in the browser and in workers.
 */
import { labelsMatch, Matcher, MatcherError, parseMatchers } from "./matchers";
import { isValidClassicLabelName } from "./matchers";
import type { InhibitRule, LabelSet } from "./model";
import type { ConfigProblem } from "./time-intervals";

export interface CompiledInhibitRule {
  /** Position in `inhibit_rules`. */
  index: number;
  rule: InhibitRule;
  source: Matcher[];
  target: Matcher[];
  equal: string[];
}

export class InhibitRuleError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join("; "));
    this.name = "InhibitRuleError";
  }
}

function sideMatchers(
  equalMap: Record<string, string> | undefined,
  regexMap: Record<string, string> | undefined,
  texts: string[] | undefined,
  prefix: "source" | "target",
  path: string,
  problems: ConfigProblem[],
): Matcher[] {
  const out: Matcher[] = [];
  for (const [name, value] of Object.entries(equalMap ?? {})) {
    if (!isValidClassicLabelName(name)) problems.push({ path: `${path}.${prefix}_match.${name}`, message: `invalid label name ${JSON.stringify(name)}` });
    else out.push(new Matcher("=", name, String(value)));
  }
  for (const [name, value] of Object.entries(regexMap ?? {})) {
    if (!isValidClassicLabelName(name)) {
      problems.push({ path: `${path}.${prefix}_match_re.${name}`, message: `invalid label name ${JSON.stringify(name)}` });
      continue;
    }
    try {
      out.push(new Matcher("=~", name, `^(?:${String(value)})$`));
    } catch (err) {
      if (!(err instanceof MatcherError)) throw err;
      problems.push({ path: `${path}.${prefix}_match_re.${name}`, message: err.message });
    }
  }
  (texts ?? []).forEach((text, i) => {
    try {
      out.push(...parseMatchers(String(text), { mode: "fallback" }));
    } catch (err) {
      if (!(err instanceof MatcherError)) throw err;
      problems.push({ path: `${path}.${prefix}_matchers[${i}]`, message: `${JSON.stringify(text)}: ${err.message}` });
    }
  });
  return out;
}

function compile(rule: InhibitRule, index: number, path: string, problems: ConfigProblem[]): CompiledInhibitRule {
  const source = sideMatchers(rule.source_match, rule.source_match_re, rule.source_matchers, "source", path, problems);
  const target = sideMatchers(rule.target_match, rule.target_match_re, rule.target_matchers, "target", path, problems);
  const equal = [...(rule.equal ?? [])];
  equal.forEach((name, i) => {
    if (!isValidClassicLabelName(name)) problems.push({ path: `${path}.equal[${i}]`, message: `invalid label name ${JSON.stringify(name)} in equal` });
  });
  return { index, rule, source, target, equal };
}

/** Compiles rules for matching. Throws InhibitRuleError listing every problem. */
export function compileInhibitRules(rules: readonly InhibitRule[]): CompiledInhibitRule[] {
  const problems: ConfigProblem[] = [];
  const out = rules.map((r, i) => compile(r, i, `inhibit_rules[${i}]`, problems));
  if (problems.length > 0) throw new InhibitRuleError(problems);
  return out;
}

/** Every problem of a list of rules (bad matchers, regexes, label names), with paths. */
export function validateInhibitRules(rules: readonly InhibitRule[], basePath = "inhibit_rules"): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  rules.forEach((r, i) => compile(r, i, `${basePath}[${i}]`, problems));
  return problems;
}

/** An alert that may inhibit others. `resolved: true` ones are ignored. */
export interface InhibitionCandidate {
  labels: LabelSet;
  resolved?: boolean;
}

export interface Inhibition<T extends InhibitionCandidate> {
  rule: CompiledInhibitRule;
  /** The firing alert that inhibits. */
  source: T;
}

function equalLabels(a: LabelSet, b: LabelSet, names: readonly string[]): boolean {
  for (const n of names) if ((a[n] ?? "") !== (b[n] ?? "")) return false;
  return true;
}

/**
 * Inhibition against a fixed set of alerts, with each rule's source alerts found once: build it
 * per evaluation or flush and ask `inhibitedBy` for each alert.
 */
export class Inhibitor<T extends InhibitionCandidate> {
  private readonly sources: { rule: CompiledInhibitRule; alerts: T[] }[];

  constructor(rules: readonly CompiledInhibitRule[], alerts: readonly T[]) {
    this.sources = rules.map((rule) => ({ rule, alerts: alerts.filter((a) => !a.resolved && labelsMatch(rule.source, a.labels)) }));
  }

  /** The first rule and source alert that mute an alert with these labels, or null. */
  inhibitedBy(labels: LabelSet): Inhibition<T> | null {
    for (const { rule, alerts } of this.sources) {
      if (alerts.length === 0 || !labelsMatch(rule.target, labels)) continue;
      const alsoSource = labelsMatch(rule.source, labels);
      for (const source of alerts) {
        if (!equalLabels(source.labels, labels, rule.equal)) continue;
        if (alsoSource && labelsMatch(rule.target, source.labels)) continue;
        return { rule, source };
      }
    }
    return null;
  }
}

/**
 * Whether an alert with `labels` is inhibited by one of `alerts` (the firing ones count) under
 * `rules` (compiled, or as configured); the inhibiting rule and alert, or null.
 */
export function isInhibited<T extends InhibitionCandidate>(labels: LabelSet, alerts: readonly T[], rules: readonly CompiledInhibitRule[] | readonly InhibitRule[]): Inhibition<T> | null {
  const compiled = rules.length > 0 && "target" in rules[0] && Array.isArray((rules[0] as CompiledInhibitRule).target) ? (rules as readonly CompiledInhibitRule[]) : compileInhibitRules(rules as readonly InhibitRule[]);
  return new Inhibitor(compiled, alerts).inhibitedBy(labels);
}
