/**
 * Reads the provisioning file: YAML text → a validated plan (what to apply), or a
 * `ProvisioningFileError` listing every problem with its line and path. Pure but for
 * `loadProvisioningFile`, which reads the file from disk.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { DashboardPathEntry } from "@/server/dashboards/provision";
import { LineCounter, parseDocument, type Document } from "yaml";
import type { AlertmanagerConfig } from "@/server/alerting/model";
import { checkRuleGroups, type InlineRuleGroup, type RuleFilePathEntry } from "@/server/alerting/provision";
import { describeRuleFileIssue, parseRuleFileDocument } from "@/server/alerting/rule-file";
import { configProblems } from "@/server/alerting/notifications-service";
import { validateRoutingConfig } from "@/server/alerting/routing";
import type { ProvisionedSourceInput } from "@/server/logs/sources";
import { formatDuration } from "@/server/metrics/duration";
import { DEFAULT_GLOBAL, parseScrapeConfig, ScrapeConfigError, type GlobalScrapeDefaults } from "@/server/metrics/scrape/config";
import { SELF_JOB_NAME } from "@/server/metrics/scrape/self";
import { formatIssues, fromZodIssue, lineOf, type FileIssue, type IssuePath } from "./issues";
import { ProvisioningFileSchema, SECTIONS } from "./schema";

/** What the file asks for, validated. */
export interface ProvisioningPlan {
  /** Scrape defaults from `global:` (Lookout's defaults where the file sets none). */
  global: GlobalScrapeDefaults;
  /** `scrape_configs` as written (the scrape module stores them so). */
  scrapeConfigs: Record<string, unknown>[];
  sources: ProvisionedSourceInput[];
  /** `dashboards:` paths, resolved against the provisioning file's folder. */
  dashboards: DashboardPathEntry[];
  /** The provisioning file's absolute path: what inline `groups` (and the `alertmanager` section) are provisioned from. */
  file: string;
  /** `rule_files:` paths (or globs), resolved against the provisioning file's folder; read when applied. */
  ruleFiles: RuleFilePathEntry[];
  /** Inline `groups:`, checked (General folder). */
  ruleGroups: InlineRuleGroup[];
  /** The interval of rule groups that set none: `global.evaluation_interval` (1m by default, as Prometheus). */
  evaluationInterval: string;
  /** `alertmanager:`, checked as Alertmanager loads it; null when the file has none. */
  alertmanager: AlertmanagerConfig | null;
  /** What is accepted but not applied as written (a recording rule, a group limit), one line each. */
  notices: string[];
}

export const DEFAULT_EVALUATION_INTERVAL = "1m";

export class ProvisioningFileError extends Error {
  constructor(
    readonly file: string,
    readonly issues: FileIssue[],
  ) {
    super(`${file} is not a valid provisioning file (${issues.length} ${issues.length === 1 ? "problem" : "problems"}):\n${formatIssues(issues)}`);
    this.name = "ProvisioningFileError";
  }
}

/** The yaml library's message without its own "at line …" suffix and code excerpt (we give the line). */
function yamlMessage(message: string): string {
  const cut = message.indexOf(" at line ");
  return (cut >= 0 ? message.slice(0, cut) : message.split("\n")[0]!).trim();
}

/**
 * Parses and validates the file's text. `file` names the file in messages. Throws
 * `ProvisioningFileError` with every problem found (YAML syntax first; then the schema; then the
 * checks across entries: duplicate names, a job's timeout above its interval).
 */
export function parseProvisioningFile(text: string, file: string): ProvisioningPlan {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ProvisioningFileError(
      file,
      doc.errors.map((e) => ({ path: [], line: e.linePos?.[0].line, message: `YAML syntax: ${yamlMessage(e.message)}${e.linePos ? ` (column ${e.linePos[0].col})` : ""}` })),
    );
  }
  const raw: unknown = doc.toJS() ?? {};
  const fail = (issues: FileIssue[]): never => {
    throw new ProvisioningFileError(
      file,
      issues.map((i) => ({ ...i, line: i.line ?? lineOf(doc, lines, i.path) })),
    );
  };

  const parsed = ProvisioningFileSchema.safeParse(raw, { reportInput: true });
  // Inline rule groups are read by the rule-file parser, whatever else is wrong, so every problem is listed.
  const evaluation = parsed.success ? parsed.data.global?.evaluation_interval : undefined;
  const evaluationInterval = evaluation !== undefined ? formatDuration(evaluation) : DEFAULT_EVALUATION_INTERVAL;
  const rules = inlineRuleGroups(doc, lines, raw, evaluationInterval);
  if (!parsed.success) fail([...parsed.error.issues.flatMap((i) => topLevelWording(fromZodIssue(i))), ...rules.errors]);
  const data = parsed.data!;
  const rawFile = raw as { scrape_configs?: Record<string, unknown>[] | null };
  const scrapeConfigs = rawFile.scrape_configs ?? [];

  const global: GlobalScrapeDefaults = {
    scrapeIntervalMs: data.global?.scrape_interval ?? DEFAULT_GLOBAL.scrapeIntervalMs,
    scrapeTimeoutMs: data.global?.scrape_timeout ?? Math.min(DEFAULT_GLOBAL.scrapeTimeoutMs, data.global?.scrape_interval ?? Infinity),
  };

  const issues: FileIssue[] = [...rules.errors];
  const jobIndex = new Map<string, number>();
  data.scrape_configs.forEach((job, i) => {
    const name = job.job_name;
    if (name === SELF_JOB_NAME) {
      issues.push({ path: ["scrape_configs", i, "job_name"], message: `"${SELF_JOB_NAME}" is the console's built-in job (it scrapes Lookout's own /metrics); pick another name` });
    } else if (jobIndex.has(name)) {
      issues.push({ path: ["scrape_configs", i, "job_name"], message: `duplicate job_name "${name}" (also scrape_configs[${jobIndex.get(name)}])` });
    } else jobIndex.set(name, i);
    try {
      parseScrapeConfig(scrapeConfigs[i], global);
    } catch (e) {
      if (!(e instanceof ScrapeConfigError)) throw e;
      for (const issue of e.issues) issues.push({ path: ["scrape_configs", i, ...issue.path], message: issue.message });
    }
  });
  const sourceIndex = new Map<string, number>();
  data.sources.forEach((s, i) => {
    if (sourceIndex.has(s.name)) issues.push({ path: ["sources", i, "name"], message: `duplicate source name "${s.name}" (also sources[${sourceIndex.get(s.name)}])` });
    else sourceIndex.set(s.name, i);
  });
  if (data.alertmanager) issues.push(...alertmanagerIssues(data.alertmanager));
  if (issues.length > 0) fail(issues);
  const notices = rules.warnings.map(describeRuleFileIssue);

  return {
    global,
    scrapeConfigs: scrapeConfigs.map((c) => ({ ...c })),
    sources: data.sources.map((s) => ({ name: s.name, description: s.description, pipeline: s.pipeline, hotDays: s.hot_days, archiveDays: s.archive_days })),
    dashboards: data.dashboards.map((d, index) => {
      const p = typeof d === "string" ? d : d.path;
      return { path: p, resolved: path.resolve(path.dirname(file), p), folder: typeof d === "string" ? undefined : d.folder, index, line: lineOf(doc, lines, ["dashboards", index]) };
    }),
    file: path.resolve(file),
    ruleFiles: data.rule_files.map((r, index) => {
      const p = typeof r === "string" ? r : r.path;
      return { path: p, resolved: path.resolve(path.dirname(file), p), folder: typeof r === "string" ? undefined : r.folder, index, line: lineOf(doc, lines, ["rule_files", index]) };
    }),
    ruleGroups: rules.groups,
    evaluationInterval,
    alertmanager: data.alertmanager,
    notices,
  };
}

/** Inline `groups:`: the rule-file parser's errors and warnings (with their lines in this file), and the groups. */
function inlineRuleGroups(doc: Document, lines: LineCounter, raw: unknown, defaultInterval: string): { groups: InlineRuleGroup[]; errors: FileIssue[]; warnings: FileIssue[] } {
  const groups = raw && typeof raw === "object" ? (raw as { groups?: unknown }).groups : undefined;
  if (groups === undefined || groups === null) return { groups: [], errors: [], warnings: [] };
  const r = parseRuleFileDocument(doc, lines, { groups }, { defaultInterval });
  if (!r.ok) return { groups: [], errors: r.errors, warnings: r.warnings };
  const located = r.groups.map((group, index) => ({ group, index, line: lineOf(doc, lines, ["groups", index]) }));
  const errors = checkRuleGroups(located).map((p) => ({ path: ["groups", p.index, ...p.path], line: lineOf(doc, lines, ["groups", p.index, ...p.path]), message: p.message }));
  return { groups: errors.length ? [] : located, errors, warnings: r.warnings };
}

/** `route.routes[0].matchers[1]` → ["route", "routes", 0, "matchers", 1]. */
function pathOf(text: string): IssuePath {
  return [...text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

/** What Alertmanager refuses to load in `alertmanager:` beyond its schema, each where it is. */
function alertmanagerIssues(config: AlertmanagerConfig): FileIssue[] {
  const out: FileIssue[] = validateRoutingConfig(config).map((p) => ({ path: ["alertmanager", ...pathOf(p.path)], message: p.message }));
  config.receivers.forEach((r, i) => {
    for (const problem of configProblems({ ...config, receivers: [r] })) {
      // `receiver "x": email_configs[0] needs smarthost …`: the receiver is in the path.
      const prefix = `receiver "${r.name}": `;
      const rest = problem.startsWith(prefix) ? problem.slice(prefix.length) : problem;
      const space = rest.indexOf(" ");
      out.push({ path: ["alertmanager", "receivers", i, ...pathOf(rest.slice(0, space))], message: rest.slice(space + 1) });
    }
  });
  return out;
}

/** An unknown top-level key names the sections there are. */
function topLevelWording(issues: FileIssue[]): FileIssue[] {
  return issues.map((i) => (i.path.length === 1 && i.message.startsWith("unknown field") ? { ...i, message: `unknown section (the sections are ${SECTIONS.join(", ")})` } : i));
}

/** Reads and parses the file at `path`; a missing or unreadable file is a `ProvisioningFileError` too. */
export async function loadProvisioningFile(path: string): Promise<ProvisioningPlan> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ProvisioningFileError(path, [{ path: [], message: err.code === "ENOENT" ? "file not found" : `cannot read the file: ${err.message}` }]);
  }
  return parseProvisioningFile(text, path);
}
