/**
 * Reads the provisioning file: YAML text → a validated plan (what to apply), or a
 * `ProvisioningFileError` listing every problem with its line and path. Pure but for
 * `loadProvisioningFile`, which reads the file from disk.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { DashboardPathEntry } from "@/server/dashboards/provision";
import { LineCounter, parseDocument } from "yaml";
import type { ProvisionedSourceInput } from "@/server/logs/sources";
import { DEFAULT_GLOBAL, parseScrapeConfig, ScrapeConfigError, type GlobalScrapeDefaults } from "@/server/metrics/scrape/config";
import { SELF_JOB_NAME } from "@/server/metrics/scrape/self";
import { formatIssues, fromZodIssue, lineOf, type FileIssue } from "./issues";
import { NOT_YET_APPLIED, ProvisioningFileSchema, SECTIONS } from "./schema";

/** What the file asks for, validated. */
export interface ProvisioningPlan {
  /** Scrape defaults from `global:` (Lookout's defaults where the file sets none). */
  global: GlobalScrapeDefaults;
  /** `scrape_configs` as written (the scrape module stores them so). */
  scrapeConfigs: Record<string, unknown>[];
  sources: ProvisionedSourceInput[];
  /** `dashboards:` paths, resolved against the provisioning file's folder. */
  dashboards: DashboardPathEntry[];
  /** Sections and fields accepted but not applied (yet), one sentence each. */
  notices: string[];
}

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
  if (!parsed.success) fail(parsed.error.issues.flatMap((i) => topLevelWording(fromZodIssue(i))));
  const data = parsed.data!;
  const rawFile = raw as { scrape_configs?: Record<string, unknown>[] | null };
  const scrapeConfigs = rawFile.scrape_configs ?? [];

  const global: GlobalScrapeDefaults = {
    scrapeIntervalMs: data.global?.scrape_interval ?? DEFAULT_GLOBAL.scrapeIntervalMs,
    scrapeTimeoutMs: data.global?.scrape_timeout ?? Math.min(DEFAULT_GLOBAL.scrapeTimeoutMs, data.global?.scrape_interval ?? Infinity),
  };

  const issues: FileIssue[] = [];
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
  if (issues.length > 0) fail(issues);

  const notices: string[] = [];
  if (data.global?.evaluation_interval !== undefined) notices.push(`global.evaluation_interval is accepted but not used yet: ${NOT_YET_APPLIED.rule_files}`);
  for (const [section, why] of Object.entries(NOT_YET_APPLIED)) {
    if ((data as Record<string, unknown>)[section] !== undefined) notices.push(`"${section}" is accepted but not applied yet: ${why}`);
  }

  return {
    global,
    scrapeConfigs: scrapeConfigs.map((c) => ({ ...c })),
    sources: data.sources.map((s) => ({ name: s.name, description: s.description, pipeline: s.pipeline, hotDays: s.hot_days, archiveDays: s.archive_days })),
    dashboards: data.dashboards.map((d, index) => {
      const p = typeof d === "string" ? d : d.path;
      return { path: p, resolved: path.resolve(path.dirname(file), p), folder: typeof d === "string" ? undefined : d.folder, index, line: lineOf(doc, lines, ["dashboards", index]) };
    }),
    notices,
  };
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
