/**
 * Label matchers as the console edits them: rows of name, operator and value (silences, the
 * alert list's filter), and Alertmanager matcher strings (`severity="critical"`, notification
 * policies). Checks use the server's own matcher parser and RE2 translation, so what passes here
 * passes there. Pure.
 */
import { Matcher, MatcherError, matcherFromSilenceMatcher, matcherToSilenceMatcher, safeParseMatchers, stringifyMatcher, type MatchType } from "@/server/alerting/matchers";
import type { LabelSet, SilenceMatcher } from "@/server/alerting/model";
import { sortedLabels } from "./state";

export type MatchOp = MatchType;
export const MATCH_OPS: readonly MatchOp[] = ["=", "!=", "=~", "!~"];
export const MATCH_OP_LABEL: Record<MatchOp, string> = { "=": "= equals", "!=": "!= does not equal", "=~": "=~ matches regex", "!~": "!~ does not match regex" };

export interface MatcherRow {
  name: string;
  op: MatchOp;
  value: string;
}

export const emptyMatcherRow = (): MatcherRow => ({ name: "", op: "=", value: "" });

export function rowToSilenceMatcher(r: MatcherRow): SilenceMatcher {
  return matcherToSilenceMatcher({ name: r.name.trim(), type: r.op, value: r.value });
}

export function silenceMatcherToRow(m: SilenceMatcher): MatcherRow {
  const equal = m.isEqual ?? true;
  return { name: m.name, op: m.isRegex ? (equal ? "=~" : "!~") : equal ? "=" : "!=", value: m.value };
}

/** `name="value"` as Alertmanager writes it. */
export function rowToString(r: MatcherRow): string {
  return stringifyMatcher({ name: r.name.trim(), type: r.op, value: r.value });
}

/** `{a="b", c=~"d"}`; empty rows are left out. */
export function rowsToText(rows: readonly MatcherRow[]): string {
  const filled = rows.filter((r) => r.name.trim() !== "");
  return filled.length ? `{${filled.map(rowToString).join(", ")}}` : "";
}

/** One `=` row per label (alertname first): what silencing an alert starts from. */
export function rowsFromLabels(labels: LabelSet): MatcherRow[] {
  return sortedLabels(labels).map(([name, value]) => ({ name, op: "=", value }));
}

/** A matcher list typed by the user (`{a="b", c=~"d"}`, braces optional); empty text is no matcher. */
export function parseMatcherText(text: string): { ok: true; rows: MatcherRow[] } | { ok: false; error: string } {
  if (text.trim() === "") return { ok: true, rows: [] };
  const r = safeParseMatchers(text);
  if (!r.ok) return r;
  return { ok: true, rows: r.matchers.map((m) => ({ name: m.name, op: m.type, value: m.value })) };
}

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What is wrong with a row, or null: a missing or invalid name, an invalid regex. */
export function rowProblem(r: MatcherRow): string | null {
  const name = r.name.trim();
  if (name === "") return "a label name is required";
  if (!LABEL_NAME.test(name)) return "letters, digits and _, not starting with a digit";
  try {
    new Matcher(r.op, name, r.value);
  } catch (e) {
    if (e instanceof MatcherError) return e.message;
    throw e;
  }
  return null;
}

/** Whether the silence matchers would match an alert without any of the labels (Alertmanager refuses such a silence). */
export function matchesEverything(rows: readonly MatcherRow[]): boolean {
  const filled = rows.filter((r) => rowProblem(r) === null);
  return filled.every((r) => matcherFromSilenceMatcher(rowToSilenceMatcher(r)).matches(""));
}

/** A single Alertmanager matcher string as a notification policy holds it: the problem, or null. */
export function matcherStringProblem(text: string): string | null {
  if (text.trim() === "") return "enter a matcher such as severity=\"critical\"";
  const r = safeParseMatchers(text);
  if (!r.ok) return r.error;
  if (r.matchers.length !== 1) return "one matcher per line";
  return null;
}
