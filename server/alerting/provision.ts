/**
 * The provisioning file's alert rules: `rule_files:` (Prometheus rule files; as in Prometheus a
 * path may be a glob, `rules/*.yml`) and inline `groups:` (parsed with the file, parse.ts).
 *
 * Rule files are read here, before the provisioning transaction, like dashboard files: a file that
 * cannot be read or has an error is reported (every error, with its line in the rule file and the
 * line of its entry in the provisioning file) and skipped, and the groups it provisioned before are
 * kept as they were; the rest apply. provisionRuleGroups (rules-service.ts) then upserts the groups
 * (read-only in the console) with their file as the source (the provisioning file for inline
 * groups), and removes the groups of files no longer listed. Groups are matched by folder and name;
 * a name used twice in one folder (two files, or a file and the inline groups) is a problem for the
 * second, as is a name a built-in group (the demo's) holds.
 */
import type { Dirent } from "node:fs";
import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { DbOrTx } from "@/db/client";
import * as folderStore from "@/server/dashboards/store";
import { parseDuration } from "@/server/metrics/duration";
import { formatIssues, type IssuePath } from "@/server/provisioning/issues";
import type { RuleGroup } from "./model";
import { describeRuleFileIssue, parseRuleFile } from "./rule-file";
import { MAX_INTERVAL_MS, MIN_INTERVAL_MS, provisionRuleGroups, type ProvisionRuleGroupEntry } from "./rules-service";
import * as store from "./store";

/** One entry of `rule_files:` as parsed: the path (or glob) as written, resolved against the file's folder. */
export interface RuleFilePathEntry {
  path: string;
  resolved: string;
  /** The folder of its groups (General when unset). */
  folder?: string;
  /** Where the entry is in the provisioning file (for messages). */
  index: number;
  line?: number;
}

/** An inline `groups:` entry, checked, with where it is in the provisioning file. */
export interface InlineRuleGroup {
  group: RuleGroup;
  index: number;
  line?: number;
}

/** A rule file's groups, read. */
export interface RuleFileGroups {
  file: string;
  entry: RuleFilePathEntry;
  groups: RuleGroup[];
}

export interface LoadedRuleFiles {
  files: RuleFileGroups[];
  /** `line 3: rule_files[0]: /etc/lookout/rules/node.yml: line 12: groups[0].rules[1].expr: …` */
  problems: string[];
  warnings: string[];
  /** Whether file provisioning may remove the groups of `source` it no longer lists (not those of a file it could not read now). */
  ownsSource: (source: string) => boolean;
}

/** Rule files bigger than this are refused. */
export const MAX_RULE_FILE_BYTES = 10 * 1024 * 1024;
const MAX_GLOB_MATCHES = 5_000;

/** What `interval` problems a checked group has (the rule-file parser checks the rest); path inside the group. */
export function checkRuleGroups(groups: readonly { group: RuleGroup; index: number }[]): { index: number; path: IssuePath; message: string }[] {
  const out: { index: number; path: IssuePath; message: string }[] = [];
  for (const { group, index } of groups) {
    const ms = parseDuration(group.interval);
    if (ms === undefined || ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) out.push({ index, path: ["interval"], message: "a rule group is evaluated every 1s to 24h" });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Globs (Go's filepath.Match, as Prometheus expands rule_files)
// ---------------------------------------------------------------------------------------------

const GLOB_META = /[*?[]/;

/** One path segment's pattern as a RegExp: `*` any run, `?` one character, `[a-z]`, `[^abc]`, `\` escapes. */
export function globSegmentRegExp(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "\\" && i + 1 < pattern.length) out += escapeRegExp(pattern[++i]!);
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) throw new Error(`unclosed [ in the pattern "${pattern}"`);
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith("^") || body.startsWith("!");
      if (negate) body = body.slice(1);
      out += `[${negate ? "^" : ""}${body.replace(/[\]\\^]/g, "\\$&")}]`;
      i = end;
    } else out += escapeRegExp(c);
  }
  return new RegExp(`^${out}$`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Whether `file` is one of the files the absolute glob `pattern` names. */
export function matchesGlob(pattern: string, file: string): boolean {
  const p = pattern.split(path.sep);
  const f = file.split(path.sep);
  if (p.length !== f.length) return false;
  return p.every((seg, i) => (GLOB_META.test(seg) ? globSegmentRegExp(seg).test(f[i]!) : seg === f[i]));
}

/**
 * The files an absolute path or glob names, sorted; a path without wildcards is itself (even when
 * missing). A directory on the way that exists but cannot be read throws.
 */
export async function expandGlob(pattern: string): Promise<string[]> {
  if (!GLOB_META.test(pattern)) return [pattern];
  const { root } = path.parse(pattern);
  const segments = pattern.slice(root.length).split(path.sep).filter(Boolean);
  let current = [root];
  for (const [i, seg] of segments.entries()) {
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const dir of current) {
      if (!GLOB_META.test(seg)) {
        next.push(path.join(dir, seg));
        continue;
      }
      const re = globSegmentRegExp(seg);
      let items: Dirent[];
      try {
        items = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "ENOTDIR") continue;
        throw new Error(`cannot read the directory ${dir}: ${fsMessage(e)}`, { cause: e });
      }
      for (const it of items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (re.test(it.name) && (last || it.isDirectory())) next.push(path.join(dir, it.name));
      }
    }
    current = next.slice(0, MAX_GLOB_MATCHES);
  }
  const files: string[] = [];
  for (const f of current) {
    const st = await stat(f).catch(() => null);
    if (st?.isFile()) files.push(f);
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

function fsMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === "ENOENT") return "not found";
  if (err.code === "EACCES") return "permission denied";
  if (err.code === "EISDIR") return "a directory (name the files, or a glob such as dir/*.yml)";
  return err.message;
}

/** `line 3: rule_files[0]: <file>: <message>`, as the provisioning file's other problems. */
function entryLine(entry: { index: number; line?: number }, file: string | null, message: string): string {
  return formatIssues([{ path: ["rule_files", entry.index], line: entry.line, message: file ? `${file}: ${message}` : message }]).trim();
}

/**
 * Reads every rule file the entries name (globs expanded; a file named twice is read once).
 * Problems are collected, never thrown.
 */
export async function loadRuleFiles(entries: readonly RuleFilePathEntry[], opts: { defaultInterval?: string } = {}): Promise<LoadedRuleFiles> {
  const out: LoadedRuleFiles = { files: [], problems: [], warnings: [], ownsSource: () => false };
  // Files (or globs) not read this time: what they provisioned stays as it was.
  const failed: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    let files: string[];
    try {
      files = await expandGlob(entry.resolved);
    } catch (e) {
      out.problems.push(entryLine(entry, null, (e as Error).message));
      failed.push(entry.resolved);
      continue;
    }
    if (files.length === 0) out.warnings.push(entryLine(entry, entry.resolved, "no file matches"));
    for (const file of files) {
      if (seen.has(file)) continue;
      seen.add(file);
      const groups = await loadOne(file, entry, opts, out);
      if (groups) out.files.push({ file, entry, groups });
      else failed.push(file);
    }
  }
  out.ownsSource = (source) => path.isAbsolute(source) && !failed.some((f) => matchesGlob(f, source));
  return out;
}

async function loadOne(file: string, entry: RuleFilePathEntry, opts: { defaultInterval?: string }, out: LoadedRuleFiles): Promise<RuleGroup[] | null> {
  const report = (message: string) => out.problems.push(entryLine(entry, file, message));
  let text: string;
  try {
    const st = await stat(file);
    if (st.isDirectory()) {
      report(fsMessage({ code: "EISDIR" }));
      return null;
    }
    if (st.size > MAX_RULE_FILE_BYTES) {
      report(`larger than ${MAX_RULE_FILE_BYTES} bytes`);
      return null;
    }
    text = await readFile(file, "utf8");
  } catch (e) {
    report(`cannot read: ${fsMessage(e)}`);
    return null;
  }
  const r = parseRuleFile(text, { defaultInterval: opts.defaultInterval });
  for (const w of r.warnings) out.warnings.push(entryLine(entry, file, describeRuleFileIssue(w)));
  if (!r.ok) {
    for (const e of r.errors) report(describeRuleFileIssue(e));
    return null;
  }
  const intervals = checkRuleGroups(r.groups.map((group, index) => ({ group, index })));
  for (const p of intervals) report(describeRuleFileIssue({ path: ["groups", p.index, ...p.path], message: p.message }));
  return intervals.length ? null : r.groups;
}

// ---------------------------------------------------------------------------------------------
// Applying
// ---------------------------------------------------------------------------------------------

export interface RuleGroupsSummary {
  /** Groups as `Folder/name`. */
  created: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
  /** Files and groups not applied, and why (`line N: rule_files[i]: file: …`, `line N: groups[i]: …`). */
  problems: string[];
  warnings: string[];
}

const folderKey = (title: string | null | undefined) => {
  const t = title?.trim().toLowerCase() ?? "";
  return t === "general" ? "" : t;
};

/**
 * Applies the inline groups (source: the provisioning file) and the loaded rule files, inside the
 * provisioning transaction. Provisioned groups of other origins (built-in: `builtin:…`) are
 * neither removed nor taken over.
 */
export async function provisionRuleSources(tx: DbOrTx, input: { file: string; inline: readonly InlineRuleGroup[]; files: LoadedRuleFiles }): Promise<RuleGroupsSummary> {
  type Located = { entry: ProvisionRuleGroupEntry; name: string; where: (message: string) => string };
  const candidates: Located[] = [
    ...input.inline.map(({ group, index, line }) => ({
      entry: { group, folderTitle: null, source: input.file },
      name: group.name,
      where: (message: string) => formatIssues([{ path: ["groups", index], line, message }]).trim(),
    })),
    ...input.files.files.flatMap(({ file, entry, groups }) =>
      groups.map((group) => ({
        entry: { group, folderTitle: entry.folder ?? null, source: file },
        name: group.name,
        where: (message: string) => entryLine(entry, file, `group "${group.name}": ${message}`),
      })),
    ),
  ];
  const owns = (source: string) => input.files.ownsSource(source) || source === input.file;
  const problems = [...input.files.problems];

  // Names held by provisioned groups of other origins (the demo's), by folder.
  const foreign = new Map<string, string>();
  for (const g of await store.provisionedGroupRows(tx)) {
    if (!g.provisionedFrom || owns(g.provisionedFrom)) continue;
    const folder = g.folderUid ? await folderStore.findFolder(tx, { uid: g.folderUid }) : null;
    foreign.set(`${folderKey(folder?.title)}\u0000${g.name}`, g.provisionedFrom);
  }
  const taken = new Map<string, string>();
  const entries: Located[] = [];
  for (const c of candidates) {
    const key = `${folderKey(c.entry.folderTitle)}\u0000${c.name}`;
    const folder = c.entry.folderTitle?.trim() || "General";
    if (foreign.has(key)) problems.push(c.where(`the folder ${JSON.stringify(folder)} already has a built-in rule group of this name (${foreign.get(key)}); rename one of them`));
    else if (taken.has(key)) problems.push(c.where(`the folder ${JSON.stringify(folder)} already gets a rule group of this name from ${taken.get(key)}; group names must be unique in a folder`));
    else {
      taken.set(key, c.entry.source);
      entries.push(c);
    }
  }

  const r = await provisionRuleGroups(
    tx,
    entries.map((e) => e.entry),
    { ownsSource: owns },
  );
  for (const p of r.problems) {
    const at = entries.find((e) => e.entry.source === p.source && e.name === p.group);
    problems.push(at ? at.where(p.message) : `${p.source}: group "${p.group}": ${p.message}`);
  }
  return { created: r.created, updated: r.updated, unchanged: r.unchanged, removed: r.removed, problems, warnings: input.files.warnings };
}
