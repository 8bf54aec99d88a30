/**
 * The alert rule form: its state (strings as typed), conversion to and from the model's
 * AlertRule, the rule's place in a group (a rule is saved by saving its group), and the mapping
 * of zod issue paths (client-side or from the server) to the form's fields. Pure.
 */
import { AlertRuleSchema, DurationSchema, type AlertRule, type AlertRuleInput, type Comparison, type RuleGroup } from "@/server/alerting/model";
import { checkRuleTemplate } from "@/server/alerting/template";

export interface KeyValueRow {
  key: string;
  value: string;
}

export type ConditionMode = "expr" | "threshold";
export type NoDataState = AlertRule["noDataState"];
export type ExecErrState = AlertRule["execErrState"];

export const COMPARISONS: readonly { op: Comparison; label: string }[] = [
  { op: ">", label: "is above (>)" },
  { op: ">=", label: "is at least (>=)" },
  { op: "<", label: "is below (<)" },
  { op: "<=", label: "is at most (<=)" },
  { op: "==", label: "equals (==)" },
  { op: "!=", label: "does not equal (!=)" },
];

export const NO_DATA_OPTIONS: readonly { value: NoDataState; label: string }[] = [
  { value: "NoData", label: "No data (a no-data alert)" },
  { value: "Alerting", label: "Alerting (fire)" },
  { value: "OK", label: "OK (all clear)" },
  { value: "KeepLast", label: "Keep the last state" },
];

export const EXEC_ERR_OPTIONS: readonly { value: ExecErrState; label: string }[] = [
  { value: "Error", label: "Error (an error alert)" },
  { value: "Alerting", label: "Alerting (fire)" },
  { value: "OK", label: "OK (all clear)" },
  { value: "KeepLast", label: "Keep the last state" },
];

/** Annotations the form has a field of its own for. */
export const STANDARD_ANNOTATIONS = ["summary", "description", "runbook_url"] as const;

export interface RuleForm {
  uid?: string;
  title: string;
  kind: "promql" | "logs";
  /** PromQL */
  expr: string;
  conditionMode: ConditionMode;
  /** Threshold condition (PromQL in threshold mode, and every log rule). */
  op: Comparison;
  threshold: string;
  /** Logs */
  logQuery: string;
  window: string;
  groupBy: string;
  for: string;
  keepFiringFor: string;
  labels: KeyValueRow[];
  summary: string;
  description: string;
  runbookUrl: string;
  /** Other annotations. */
  annotations: KeyValueRow[];
  noDataState: NoDataState;
  execErrState: ExecErrState;
  paused: boolean;
}

export function emptyRuleForm(): RuleForm {
  return {
    title: "",
    kind: "promql",
    expr: "",
    conditionMode: "threshold",
    op: ">",
    threshold: "0",
    logQuery: "",
    window: "5m",
    groupBy: "",
    for: "5m",
    keepFiringFor: "",
    labels: [{ key: "severity", value: "" }],
    summary: "",
    description: "",
    runbookUrl: "",
    annotations: [],
    noDataState: "NoData",
    execErrState: "Error",
    paused: false,
  };
}

const rows = (r: Record<string, string>): KeyValueRow[] => Object.entries(r).map(([key, value]) => ({ key, value }));

/** The form of a stored rule. */
export function ruleFormFrom(rule: AlertRule): RuleForm {
  const base = emptyRuleForm();
  const q = rule.query;
  const custom = Object.fromEntries(Object.entries(rule.annotations).filter(([k]) => !(STANDARD_ANNOTATIONS as readonly string[]).includes(k)));
  return {
    ...base,
    uid: rule.uid,
    title: rule.title,
    kind: q.kind,
    expr: q.kind === "promql" ? q.expr : "",
    conditionMode: q.kind === "promql" && !q.condition ? "expr" : "threshold",
    op: q.condition?.op ?? ">",
    threshold: q.condition ? String(q.condition.threshold) : "0",
    logQuery: q.kind === "logs" ? q.query : "",
    window: q.kind === "logs" ? q.window : base.window,
    groupBy: q.kind === "logs" ? (q.groupBy ?? "") : "",
    for: rule.for,
    keepFiringFor: rule.keepFiringFor ?? "",
    labels: rows(rule.labels),
    summary: rule.annotations.summary ?? "",
    description: rule.annotations.description ?? "",
    runbookUrl: rule.annotations.runbook_url ?? "",
    annotations: rows(custom),
    noDataState: rule.noDataState,
    execErrState: rule.execErrState,
    paused: rule.paused,
  };
}

export type RuleField =
  | "title"
  | "folder"
  | "group"
  | "groupName"
  | "groupInterval"
  | "expr"
  | "threshold"
  | "logQuery"
  | "window"
  | "groupBy"
  | "for"
  | "keepFiringFor"
  | "labels"
  | "summary"
  | "description"
  | "runbookUrl"
  | "annotations"
  | "noDataState"
  | "execErrState";

export type RuleFieldErrors = Partial<Record<RuleField, string>>;

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Key/value rows as a record: empty rows dropped; a bad or repeated key is a problem. */
function record(list: readonly KeyValueRow[], what: string, dropEmptyValues: boolean): { value: Record<string, string>; problem?: string } {
  const out: Record<string, string> = {};
  for (const r of list) {
    const key = r.key.trim();
    if (key === "" && r.value.trim() === "") continue;
    if (key === "") return { value: out, problem: `a ${what} with the value "${r.value}" has no name` };
    if (!LABEL_NAME.test(key)) return { value: out, problem: `${what} "${key}": letters, digits and _, not starting with a digit` };
    if (key in out) return { value: out, problem: `${what} "${key}" is given twice` };
    if (dropEmptyValues && r.value.trim() === "") continue;
    out[key] = r.value;
  }
  return { value: out };
}

/**
 * The rule of a form, checked as the server checks it (AlertRuleSchema) plus what only the form
 * knows (a threshold that is not a number, label rows): the rule, or the errors by field.
 */
export function ruleFromForm(form: RuleForm): { rule: AlertRule; errors?: undefined } | { rule?: undefined; errors: RuleFieldErrors } {
  const errors: RuleFieldErrors = {};
  const needsThreshold = form.kind === "logs" || form.conditionMode === "threshold";
  const threshold = Number(form.threshold.trim());
  if (needsThreshold && (form.threshold.trim() === "" || !Number.isFinite(threshold))) errors.threshold = "a number, e.g. 0.05";
  const labels = record(form.labels, "label", true);
  if (labels.problem) errors.labels = labels.problem;
  const custom = record(form.annotations, "annotation", true);
  if (custom.problem) errors.annotations = custom.problem;
  const annotations: Record<string, string> = {};
  if (form.summary.trim()) annotations.summary = form.summary;
  if (form.description.trim()) annotations.description = form.description;
  if (form.runbookUrl.trim()) annotations.runbook_url = form.runbookUrl.trim();
  for (const [k, v] of Object.entries(custom.value)) {
    if ((STANDARD_ANNOTATIONS as readonly string[]).includes(k)) errors.annotations ??= `annotation "${k}" has a field of its own above`;
    else annotations[k] = v;
  }
  // Template syntax, as the evaluator will parse it (`{{ $labels.x }}`, `{{ $value | humanize }}`).
  const templateProblem = (text: string, name: string) => (text.includes("{{") ? (checkRuleTemplate(text, name)?.message ?? null) : null);
  for (const [field, key, text] of [
    ["summary", "summary", form.summary],
    ["description", "description", form.description],
    ["runbookUrl", "runbook_url", form.runbookUrl],
  ] as const) {
    const p = templateProblem(text, key);
    if (p) errors[field] ??= p;
  }
  for (const [k, v] of Object.entries(custom.value)) {
    const p = templateProblem(v, k);
    if (p) errors.annotations ??= p;
  }
  for (const [k, v] of Object.entries(labels.value)) {
    const p = templateProblem(v, k);
    if (p) errors.labels ??= p;
  }
  const condition = needsThreshold && Number.isFinite(threshold) ? { op: form.op, threshold } : undefined;
  const query: AlertRuleInput["query"] =
    form.kind === "promql"
      ? { kind: "promql", expr: form.expr, ...(form.conditionMode === "threshold" && condition ? { condition } : {}) }
      : { kind: "logs", query: form.logQuery, window: form.window.trim(), ...(form.groupBy.trim() ? { groupBy: form.groupBy.trim() } : {}), condition: condition ?? { op: form.op, threshold: 0 } };
  const input: AlertRuleInput = {
    ...(form.uid ? { uid: form.uid } : {}),
    title: form.title,
    query,
    for: form.for.trim() || "0s",
    ...(form.keepFiringFor.trim() ? { keepFiringFor: form.keepFiringFor.trim() } : {}),
    labels: labels.value,
    annotations,
    noDataState: form.noDataState,
    execErrState: form.execErrState,
    paused: form.paused,
  };
  const parsed = AlertRuleSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOfRulePath(issue.path.map(String));
      if (field && !errors[field]) errors[field] = issue.message;
    }
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { rule: parsed.data! };
}

/** The form field of a path inside a rule (`["query", "expr"]` → expr). */
export function fieldOfRulePath(path: readonly string[]): RuleField | null {
  const [a, b] = path;
  switch (a) {
    case "title":
    case "for":
    case "keepFiringFor":
    case "labels":
    case "noDataState":
    case "execErrState":
      return a;
    case "annotations":
      return b === "summary" ? "summary" : b === "description" ? "description" : b === "runbook_url" ? "runbookUrl" : "annotations";
    case "query":
      if (b === "expr") return "expr";
      if (b === "query") return "logQuery";
      if (b === "window") return "window";
      if (b === "groupBy") return "groupBy";
      if (b === "condition") return "threshold";
      return "expr";
    default:
      return null;
  }
}

/**
 * Field errors from the server's zod issues of `alertRules.save` (`group.rules.3.query.expr`):
 * issues of the edited rule (`ruleIndex`) and of the group's head go to fields, the rest to `other`.
 */
export function ruleSaveErrors(issues: readonly { path: readonly string[]; message: string }[] | null | undefined, ruleIndex: number): { fields: RuleFieldErrors; other: string[] } {
  const fields: RuleFieldErrors = {};
  const other: string[] = [];
  for (const issue of issues ?? []) {
    const p = issue.path[0] === "group" ? issue.path.slice(1) : issue.path;
    let field: RuleField | null = null;
    if (p[0] === "name") field = "groupName";
    else if (p[0] === "interval") field = "groupInterval";
    else if (p[0] === "folderUid") field = "folder";
    else if (p[0] === "rules" && p[1] === String(ruleIndex)) field = fieldOfRulePath(p.slice(2));
    if (field) fields[field] ??= issue.message;
    else other.push(`${issue.path.join(".")}: ${issue.message}`);
  }
  return { fields, other };
}

/** A new group's name and interval, checked. */
export function newGroupProblems(name: string, interval: string): RuleFieldErrors {
  const errors: RuleFieldErrors = {};
  if (!name.trim()) errors.groupName = "a group name is required";
  if (!DurationSchema.safeParse(interval.trim()).success) errors.groupInterval = "a duration such as 30s, 1m, 5m";
  return errors;
}

type StoredRule = AlertRule & { uid?: string };
type GroupWithRules = Omit<RuleGroup, "rules"> & { rules: StoredRule[] };

/** The group with `rule` in it: replacing the rule of the same uid, or appended. Also where it is. */
export function groupWithRule(group: GroupWithRules, rule: StoredRule): { group: GroupWithRules; ruleIndex: number } {
  const at = rule.uid ? group.rules.findIndex((r) => r.uid === rule.uid) : -1;
  if (at >= 0) return { group: { ...group, rules: group.rules.map((r, i) => (i === at ? rule : r)) }, ruleIndex: at };
  return { group: { ...group, rules: [...group.rules, rule] }, ruleIndex: group.rules.length };
}

/** The group without the rule `uid`. */
export function groupWithoutRule(group: GroupWithRules, uid: string): GroupWithRules {
  return { ...group, rules: group.rules.filter((r) => r.uid !== uid) };
}

/** The group with the rule `uid` paused or resumed. */
export function groupWithPaused(group: GroupWithRules, uid: string, paused: boolean): GroupWithRules {
  return { ...group, rules: group.rules.map((r) => (r.uid === uid ? { ...r, paused } : r)) };
}

/** The template hint under the annotations. */
export const TEMPLATE_HINT = "Templates: {{ $labels.instance }} is a label of the alert, {{ $value }} its value ({{ $value | humanize }}, {{ $value | humanizePercentage }}).";
