/**
 * The provisioning file's `dashboards:` section: paths of dashboard JSON files (Grafana's or
 * ours), or of directories of them. Each file is read and converted here; provisionDashboards
 * (service.ts) applies them with the file's absolute path as the source. A file that cannot be
 * read, parsed or converted is reported (with the line of its entry in the provisioning file) and
 * skipped; the rest are applied, and the dashboards it provisioned before are kept as they were.
 *
 * Folders: `{ path, folder }` puts a path's dashboards in that folder; a plain path puts a file's
 * dashboard in General, and the files under a directory's subdirectories in a folder named after
 * the subdirectory (Grafana's "folders from files structure").
 */
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { DbOrTx } from "@/db/client";
import { AppError } from "@/server/lib/errors";
import { DASHBOARD_UID_PATTERN, dashboardFromJson, provisionDashboards, type ProvisionDashboardEntry, type ProvisionDashboardsResult } from "./service";

/** One entry of `dashboards:` as parsed: the path as written, resolved against the file's folder. */
export interface DashboardPathEntry {
  path: string;
  resolved: string;
  folder?: string;
  /** Where the entry is in the provisioning file (for messages). */
  index: number;
  line?: number;
}

export interface DashboardFileProblem {
  index: number;
  line?: number;
  file: string;
  message: string;
}

export interface LoadedDashboardFiles {
  entries: ProvisionDashboardEntry[];
  problems: DashboardFileProblem[];
  /** Unsupported panels and other conversion notes, per file. */
  warnings: DashboardFileProblem[];
  /** Whether file provisioning may remove the dashboards of `source` that it no longer lists. */
  ownsSource: (source: string) => boolean;
  /** Which entry each source came from (for reporting provisionDashboards' problems). */
  entryOf: Map<string, DashboardPathEntry>;
}

/** Files bigger than this are refused (a dashboard JSON is tens of kilobytes). */
export const MAX_DASHBOARD_FILE_BYTES = 10 * 1024 * 1024;
const MAX_FILES_PER_DIRECTORY = 5_000;

/** A uid for a file whose JSON has none (or an invalid one): stable for the same path. */
export function uidForPath(file: string): string {
  return `f${createHash("sha256").update(file).digest("base64url").slice(0, 20)}`;
}

async function jsonFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, depth: number) => {
    const items = await readdir(d, { withFileTypes: true });
    items.sort((a, b) => a.name.localeCompare(b.name));
    for (const it of items) {
      if (out.length >= MAX_FILES_PER_DIRECTORY) return;
      if (it.name.startsWith(".")) continue;
      const p = path.join(d, it.name);
      if (it.isDirectory() && depth < 8) await walk(p, depth + 1);
      else if (it.isFile() && it.name.toLowerCase().endsWith(".json")) out.push(p);
    }
  };
  await walk(dir, 0);
  return out;
}

function fsMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === "ENOENT") return "not found";
  if (err.code === "EACCES") return "permission denied";
  return err.message;
}

async function loadFile(file: string, folder: string | undefined, entry: DashboardPathEntry, out: LoadedDashboardFiles): Promise<boolean> {
  const report = (message: string) => out.problems.push({ index: entry.index, line: entry.line, file, message });
  let text: string;
  try {
    const st = await stat(file);
    if (st.size > MAX_DASHBOARD_FILE_BYTES) {
      report(`larger than ${MAX_DASHBOARD_FILE_BYTES} bytes`);
      return false;
    }
    text = await readFile(file, "utf8");
  } catch (e) {
    report(`cannot read: ${fsMessage(e)}`);
    return false;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    report(`not JSON: ${(e as Error).message}`);
    return false;
  }
  // Grafana's API export wraps the dashboard: `{ dashboard, meta }`.
  if (raw && typeof raw === "object" && !Array.isArray(raw) && "dashboard" in raw && "meta" in raw) raw = (raw as { dashboard: unknown }).dashboard;
  try {
    const converted = dashboardFromJson(raw);
    const uid = converted.uid && DASHBOARD_UID_PATTERN.test(converted.uid) ? converted.uid : uidForPath(file);
    out.entries.push({ uid, json: converted.dashboard, folderTitle: folder ?? null, source: file });
    for (const u of converted.unsupported) out.warnings.push({ index: entry.index, line: entry.line, file, message: `panel "${u.title || "untitled"}" (${u.type}) is not supported: ${u.reason}` });
    for (const w of converted.warnings) out.warnings.push({ index: entry.index, line: entry.line, file, message: w });
    return true;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    report(e.userMessage);
    return false;
  }
}

/** Reads and converts every file the entries name; problems are collected, never thrown. */
export async function loadDashboardFiles(paths: readonly DashboardPathEntry[]): Promise<LoadedDashboardFiles> {
  const failedFiles = new Set<string>();
  const failedDirs: string[] = [];
  const out: LoadedDashboardFiles = { entries: [], problems: [], warnings: [], ownsSource: () => false, entryOf: new Map() };
  for (const entry of paths) {
    let isDir: boolean;
    try {
      isDir = (await stat(entry.resolved)).isDirectory();
    } catch (e) {
      out.problems.push({ index: entry.index, line: entry.line, file: entry.resolved, message: fsMessage(e) });
      // Whatever it provisioned before stays until the path is back (or leaves the file).
      failedDirs.push(entry.resolved);
      failedFiles.add(entry.resolved);
      continue;
    }
    if (!isDir) {
      out.entryOf.set(entry.resolved, entry);
      if (!(await loadFile(entry.resolved, entry.folder, entry, out))) failedFiles.add(entry.resolved);
      continue;
    }
    let files: string[];
    try {
      files = await jsonFilesUnder(entry.resolved);
    } catch (e) {
      out.problems.push({ index: entry.index, line: entry.line, file: entry.resolved, message: `cannot read the directory: ${fsMessage(e)}` });
      failedDirs.push(entry.resolved);
      continue;
    }
    if (files.length === 0) out.warnings.push({ index: entry.index, line: entry.line, file: entry.resolved, message: "no .json files in this directory" });
    for (const file of files) {
      const sub = path.relative(entry.resolved, path.dirname(file));
      const folder = entry.folder ?? (sub && sub !== "." ? sub.split(path.sep)[0] : undefined);
      out.entryOf.set(file, entry);
      if (!(await loadFile(file, folder, entry, out))) failedFiles.add(file);
    }
  }
  // File provisioning owns every file-path source (not `builtin` or other built-in sources), except
  // the files it could not read this time.
  out.ownsSource = (source) => path.isAbsolute(source) && !failedFiles.has(source) && !failedDirs.some((d) => source.startsWith(d + path.sep));
  return out;
}

export interface DashboardFilesSummary {
  created: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
  /** Files (or entries) not applied, and why. */
  problems: DashboardFileProblem[];
  warnings: DashboardFileProblem[];
}

/** Applies loaded files (inside the provisioning transaction). */
export async function provisionDashboardFiles(db: DbOrTx, loaded: LoadedDashboardFiles): Promise<DashboardFilesSummary> {
  const r: ProvisionDashboardsResult = await provisionDashboards(db, loaded.entries, { ownsSource: loaded.ownsSource });
  const problems = [...loaded.problems];
  for (const p of r.problems) {
    const entry = loaded.entryOf.get(p.source);
    problems.push({ index: entry?.index ?? -1, line: entry?.line, file: p.source, message: p.message });
  }
  return { created: r.created, updated: r.updated, unchanged: r.unchanged, removed: r.removed, problems, warnings: loaded.warnings };
}
