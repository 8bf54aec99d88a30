/**
 * Prometheus rule files (`groups: [{name, interval, rules: [{alert, expr, for, …}]}]`) in and out.
 *
 * In: the YAML text → our rule groups, with every problem located (`groups[0].rules[2].expr`, and
 * the line in the file). The file is read as strictly as Prometheus reads it (unknown fields, a
 * rule with neither or both of `alert` and `record`, a bad expression or label name are errors);
 * recording rules are valid but not imported (a warning each): Lookout evaluates alerting rules.
 * An alerting rule's `expr` is its condition, as in Prometheus (no threshold is split off), so an
 * imported rule treats "no series" as all clear (noDataState OK: a healthy `errors > 0.05` returns
 * nothing) and keeps its alerts as they were when evaluation fails (execErrState KeepLast), as
 * Prometheus does; the caller may choose otherwise.
 * Group-level `labels` (Prometheus 3) are added to each rule's labels (the rule's own win).
 *
 * Out: our groups → a rule file Prometheus loads. A rule with a threshold condition exports as
 * `expr <op> threshold`; log rules have no Prometheus form and are left out (a warning each).
 *
 * Pure (no I/O).
 */
import { Document, isScalar, LineCounter, parseDocument, type Scalar } from "yaml";
import { z } from "zod";
import { documentedType, exprType, precedence } from "@/server/metrics/promql/ast";
import { parseExpr, PromQLParseError } from "@/server/metrics/promql/parse";
import { formatPath, fromZodIssue, lineOf, type FileIssue, type IssuePath } from "@/server/provisioning/issues";
import { DurationSchema, LabelNameSchema, RuleGroupSchema, type AlertRule, type AlertRuleInput, type Condition, type LabelSet, type RuleGroup } from "./model";

/** A problem (or a warning) in a rule file: where (path in the file, line) and what. */
export type RuleFileIssue = FileIssue;

export type RuleFileParse =
  | { ok: true; groups: RuleGroup[]; warnings: RuleFileIssue[] }
  | { ok: false; errors: RuleFileIssue[]; warnings: RuleFileIssue[] };

/** `line 12: groups[0].rules[2].expr: 1:9: parse error: unexpected …` */
export function describeRuleFileIssue(issue: RuleFileIssue): string {
  const where = formatPath(issue.path);
  return `${issue.line !== undefined ? `line ${issue.line}: ` : ""}${where ? `${where}: ` : ""}${issue.message}`;
}

// ---------------------------------------------------------------------------------------------
// Reading

/** YAML scalars where Prometheus wants a string (Go's YAML decoder takes `severity: 1` as "1"). */
const scalarText = (v: unknown) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v);
const TextSchema = z.preprocess(scalarText, z.string());
const StringMapSchema = z.record(z.string(), TextSchema).nullish();
/** Prometheus durations; `0` (bare) is one too. */
const FileDurationSchema = z.preprocess((v) => (v === 0 || v === "0" ? "0s" : scalarText(v)), DurationSchema);

const RuleNodeSchema = z
  .object({
    alert: TextSchema.optional(),
    record: TextSchema.optional(),
    expr: TextSchema,
    for: FileDurationSchema.optional(),
    keep_firing_for: FileDurationSchema.optional(),
    labels: StringMapSchema,
    annotations: StringMapSchema,
  })
  .strict();

const GroupNodeSchema = z
  .object({
    name: TextSchema,
    interval: FileDurationSchema.optional(),
    query_offset: FileDurationSchema.optional(),
    limit: z.number().int().min(0).optional(),
    labels: StringMapSchema,
    rules: z.array(RuleNodeSchema).nullish(),
  })
  .strict();

const RuleFileSchema = z.object({ groups: z.array(GroupNodeSchema).nullish() }).strict();
type RuleNode = z.output<typeof RuleNodeSchema>;

const METRIC_NAME = /^[A-Za-z_:][A-Za-z0-9_:]*$/;

/** The yaml library's message without its own position suffix and excerpt (we give the line). */
function yamlMessage(message: string): string {
  const cut = message.indexOf(" at line ");
  return (cut >= 0 ? message.slice(0, cut) : message.split("\n")[0]!).trim();
}

export interface RuleFileOptions {
  /** The folder of every group (null: General). */
  folderUid?: string | null;
  /** No-data handling of every imported rule (default OK, Prometheus's behaviour). */
  noDataState?: AlertRule["noDataState"];
  /** Error handling of every imported rule (default KeepLast, Prometheus's behaviour). */
  execErrState?: AlertRule["execErrState"];
  /** The interval of a group that sets none (default 1m; Prometheus: `global.evaluation_interval`). */
  defaultInterval?: string;
}

/**
 * Parses a Prometheus rule file. Every error is reported, not only the first; the groups come only
 * from a file without errors. Rules get no uid (the importer matches or assigns them).
 */
export function parseRuleFile(text: string, opts: RuleFileOptions = {}): RuleFileParse {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({ path: [], line: e.linePos?.[0].line, message: `YAML syntax: ${yamlMessage(e.message)}${e.linePos ? ` (column ${e.linePos[0].col})` : ""}` })),
      warnings: [],
    };
  }
  return parseRuleFileDocument(doc, lines, doc.toJS() ?? {}, opts);
}

/**
 * The rule groups of a document parsed already: `raw` is what must be a rule file (`{ groups }`),
 * its paths those of `doc`, so a provisioning file's inline `groups:` (`{ groups: doc.groups }`)
 * are reported with their lines in that file.
 */
export function parseRuleFileDocument(doc: Document, lines: LineCounter, raw: unknown, opts: RuleFileOptions = {}): RuleFileParse {
  const at = (path: IssuePath, message: string): RuleFileIssue => ({ path, message, line: lineOf(doc, lines, path) });
  const parsed = RuleFileSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.flatMap((i) => fromZodIssue(i)).map((i) => at(i.path, i.message)), warnings: [] };
  }

  const errors: RuleFileIssue[] = [];
  const warnings: RuleFileIssue[] = [];
  const groups: RuleGroup[] = [];
  const groupIndex = new Map<string, number>();

  (parsed.data.groups ?? []).forEach((g, gi) => {
    const gp = ["groups", gi] as const;
    const name = g.name.trim();
    if (!name) errors.push(at([...gp, "name"], "a group name is required"));
    else if (groupIndex.has(name)) errors.push(at([...gp, "name"], `group name "${name}" is repeated in the file (also groups[${groupIndex.get(name)}])`));
    else groupIndex.set(name, gi);
    checkNames(g.labels, [...gp, "labels"], errors, at);
    if (g.limit) warnings.push(at([...gp, "limit"], "not enforced: every alert of the group is kept"));
    if (g.query_offset !== undefined && g.query_offset !== "0s") warnings.push(at([...gp, "query_offset"], "not supported: rules are evaluated at the scheduled time"));

    const rules: AlertRuleInput[] = [];
    /** File rule index of each imported rule (recording rules are skipped). */
    const fileIndex: number[] = [];
    (g.rules ?? []).forEach((r, ri) => {
      const rp = [...gp, "rules", ri] as const;
      const before = errors.length;
      checkRule(r, rp, doc, lines, errors, at);
      if (errors.length > before) return;
      if (r.record !== undefined) {
        warnings.push(at(rp, `recording rule "${r.record}" is not imported: Lookout evaluates alerting rules only`));
        return;
      }
      const labels: LabelSet = { ...(g.labels ?? {}), ...(r.labels ?? {}) };
      rules.push({
        title: r.alert!.trim(),
        query: { kind: "promql", expr: r.expr.trim() },
        for: r.for ?? "0s",
        keepFiringFor: r.keep_firing_for && r.keep_firing_for !== "0s" ? r.keep_firing_for : undefined,
        labels,
        annotations: { ...(r.annotations ?? {}) },
        noDataState: opts.noDataState ?? "OK",
        execErrState: opts.execErrState ?? "KeepLast",
      });
      fileIndex.push(ri);
    });

    const built = RuleGroupSchema.safeParse({ name: name || "-", folderUid: opts.folderUid ?? null, interval: g.interval ?? opts.defaultInterval ?? "1m", rules });
    if (!built.success) {
      for (const issue of built.error.issues.flatMap((i) => fromZodIssue(i))) errors.push(at([...gp, ...filePath(issue.path, fileIndex)], issue.message));
    } else groups.push(built.data);
  });

  return errors.length ? { ok: false, errors, warnings } : { ok: true, groups, warnings };
}

/** A model path inside a group (`rules.3.query.expr`) → the file's (`rules.5.expr`). */
function filePath(path: IssuePath, fileIndex: number[]): IssuePath {
  if (path[0] !== "rules" || typeof path[1] !== "number") return path;
  const field = { title: "alert", query: "expr", keepFiringFor: "keep_firing_for" }[String(path[2])] ?? path[2];
  const rest = path[2] === "query" ? [] : path.slice(3);
  return ["rules", fileIndex[path[1]] ?? path[1], ...(field === undefined ? [] : [field]), ...rest];
}

type At = (path: IssuePath, message: string) => RuleFileIssue;

function checkNames(map: Record<string, string> | null | undefined, path: IssuePath, errors: RuleFileIssue[], at: At): void {
  for (const name of Object.keys(map ?? {})) {
    const r = LabelNameSchema.safeParse(name);
    if (!r.success) errors.push(at([...path, name], `invalid name (${r.error.issues[0]!.message})`));
  }
}

function checkRule(r: RuleNode, path: IssuePath, doc: Document, lines: LineCounter, errors: RuleFileIssue[], at: At): void {
  if (r.alert === undefined && r.record === undefined) {
    errors.push(at(path, "one of alert or record must be set"));
    return;
  }
  if (r.alert !== undefined && r.record !== undefined) {
    errors.push(at(path, "only one of alert and record may be set"));
    return;
  }
  if (r.record !== undefined) {
    if (!METRIC_NAME.test(r.record)) errors.push(at([...path, "record"], `invalid recording rule name "${r.record}" (a metric name: letters, digits, _ and :)`));
    for (const field of ["for", "keep_firing_for", "annotations"] as const) {
      if (r[field] !== undefined && r[field] !== null) errors.push(at([...path, field], "not allowed in a recording rule"));
    }
  } else if (!r.alert!.trim()) {
    errors.push(at([...path, "alert"], "an alert name is required"));
  }
  checkNames(r.labels, [...path, "labels"], errors, at);
  checkNames(r.annotations, [...path, "annotations"], errors, at);

  const exprPath = [...path, "expr"];
  const expr = r.expr;
  if (!expr.trim()) {
    errors.push(at(exprPath, "an expression is required"));
    return;
  }
  try {
    const type = exprType(parseExpr(expr.trimEnd()));
    if (type !== "vector" && type !== "scalar") errors.push(at(exprPath, `the expression must be an instant vector or a scalar, not ${documentedType(type) === "range vector" ? "a range vector" : `a ${documentedType(type)}`}`));
  } catch (err) {
    if (!(err instanceof PromQLParseError)) throw err;
    const { line, col } = lineCol(expr.trimEnd(), err.position.start);
    const issue = at(exprPath, `${line}:${col}: ${err.message}`);
    errors.push({ ...issue, line: exprLine(doc, lines, exprPath, line) ?? issue.line });
  }
}

/** 1-based line and column of an offset in a text. */
function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}

/** The file line of line `n` of an expression: exact for one-line values and block literals (`expr: |`). */
function exprLine(doc: Document, lines: LineCounter, path: IssuePath, n: number): number | undefined {
  const node = doc.getIn(path, true);
  if (!isScalar(node) || !node.range) return undefined;
  const start = lines.linePos(node.range[0]).line;
  const type = (node as Scalar).type;
  if (type === "BLOCK_LITERAL") return start + n;
  return n === 1 ? start : undefined;
}

// ---------------------------------------------------------------------------------------------
// Writing

/** A number as a PromQL literal. */
function numberLiteral(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  return String(n);
}

/** `expr <op> threshold`, with the expression parenthesised where the comparison would bind into it. */
export function conditionExpr(expr: string, condition: Condition): string {
  const text = expr.trim();
  const tail = ` ${condition.op} ${numberLiteral(condition.threshold)}`;
  // A comment runs to the end of its line: close the parenthesis on the next one.
  if (text.includes("#")) return `(\n${text}\n)${tail}`;
  return needsParens(text, condition.op) ? `(${text})${tail}` : `${text}${tail}`;
}

/** Whether `text <op> …` would bind `op` into the expression (or the expression does not parse). */
function needsParens(text: string, op: Condition["op"]): boolean {
  try {
    const e = parseExpr(text);
    return e.kind === "BinaryExpr" && precedence(e.op) <= precedence(op);
  } catch {
    return true;
  }
}

interface RuleFileRule {
  alert: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * Our groups as a Prometheus rule file (YAML text). Log rules are left out; what Prometheus has no
 * form for (no-data/error handling other than its own, a paused rule) is said in a warning.
 */
export function toPrometheusRuleFile(groups: readonly RuleGroup[]): { text: string; warnings: string[] } {
  const warnings: string[] = [];
  const out = groups.map((g) => {
    const rules: RuleFileRule[] = [];
    for (const r of g.rules) {
      const where = `group "${g.name}", rule "${r.title}"`;
      if (r.query.kind !== "promql") {
        warnings.push(`${where}: a log rule has no Prometheus form; left out`);
        continue;
      }
      rules.push(fileRule(r, r.query.condition ? conditionExpr(r.query.expr, r.query.condition) : r.query.expr.trim()));
      if (r.noDataState !== "OK") warnings.push(`${where}: no-data handling ${r.noDataState} has no Prometheus form (Prometheus treats no data as all clear)`);
      if (r.execErrState !== "KeepLast") warnings.push(`${where}: error handling ${r.execErrState} has no Prometheus form (Prometheus keeps a failing rule's alerts as they were)`);
      if (r.paused) warnings.push(`${where}: paused here, but Prometheus will evaluate it`);
    }
    return { name: g.name, interval: g.interval, rules };
  });
  const doc = new Document({ groups: out });
  return { text: doc.toString({ lineWidth: 0 }), warnings };
}

function fileRule(r: AlertRule, expr: string): RuleFileRule {
  const out: RuleFileRule = { alert: r.title, expr };
  if (r.for !== "0s") out.for = r.for;
  if (r.keepFiringFor && r.keepFiringFor !== "0s") out.keep_firing_for = r.keepFiringFor;
  if (Object.keys(r.labels).length) out.labels = { ...r.labels };
  if (Object.keys(r.annotations).length) out.annotations = { ...r.annotations };
  return out;
}
