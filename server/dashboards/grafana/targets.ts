/**
 * Grafana panel targets → our PromQL targets. Only targets that run against a Prometheus
 * datasource are kept (the panel's, the default one, `${DS_PROMETHEUS}`/`$datasource`, or a mixed
 * panel's Prometheus targets); others are skipped with a warning, the panel stays.
 */
import type { PromTarget } from "../model";
import type { Datasources } from "./datasources";
import { bool, cut, DURATION_RE, int, num, objects, str, text, type Json, type Notes } from "./json";

const MAX_TARGETS = 26;
const MAX_EXPR = 20_000;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/**
 * A Grafana interval (`30s`, `>1m`, `1m30s`, `1.5m`) as one of our duration strings, or undefined
 * when it is empty or not a duration (`$interval`, `auto`).
 */
export function toDuration(raw: unknown): string | undefined {
  if (typeof raw === "number" && Number.isFinite(raw) && raw > 0) return `${Math.round(raw)}s`;
  if (typeof raw !== "string") return undefined;
  const s = raw.trim().replace(/^[<>]=?/, "");
  if (s === "") return undefined;
  if (DURATION_RE.test(s)) return s;
  if (/^\d+$/.test(s)) return `${s}s`;
  const parts = /^((?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w|y))+)$/.exec(s);
  if (!parts) return undefined;
  let ms = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)) ms += Number(m[1]) * UNIT_MS[m[2]];
  ms = Math.round(ms);
  if (ms <= 0) return undefined;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Does the string use a template variable (`$x`, `${x}`, `[[x]]`)? */
export function hasVariable(s: string): boolean {
  return /\$\{?[A-Za-z_]|\[\[[A-Za-z_]/.test(s);
}

/** Target keys that say nothing about the query language. */
const QUIET_KEYS = new Set(["refId", "datasource", "hide", "key", "editorMode", "range", "instant", "format", "legendFormat", "interval", "intervalFactor", "exemplar", "step", "queryType"]);

/** `{{ label }}` → `{{label}}` (Grafana allows the spaces). */
export function legendTemplate(s: string): string {
  return s.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, "{{$1}}");
}

export interface ConvertedTargets {
  targets: PromTarget[];
  /** Grafana `format` values of the kept targets (`time_series`, `table`, `heatmap`). */
  formats: Set<string>;
}

export interface TargetOptions {
  /** Queries that ask for both range and instant results run as instant (tables, stats). */
  preferInstant: boolean;
}

function nextRefId(used: Set<string>): string {
  for (let i = 0; i < 26; i++) {
    const id = String.fromCharCode(65 + i);
    if (!used.has(id)) return id;
  }
  for (let i = 1; ; i++) if (!used.has(`Q${i}`)) return `Q${i}`;
}

function skippedReason(kind: string): string {
  if (kind === "dashboard") return "Query reusing another panel's results (-- Dashboard --) skipped";
  if (kind === "__expr__") return "Server-side expression (math, reduce, resample) skipped";
  if (kind === "grafana") return "Query on Grafana's built-in datasource skipped";
  return `Query on a non-Prometheus datasource (${kind}) skipped`;
}

export function convertTargets(panel: Json, ds: Datasources, notes: Notes, where: string, opts: TargetOptions): ConvertedTargets {
  const targets: PromTarget[] = [];
  const formats = new Set<string>();
  const used = new Set<string>();
  for (const t of objects(panel.targets)) {
    const kind = ds.targetKind(panel.datasource, t);
    if (kind !== "prometheus") {
      notes.add(skippedReason(kind), where);
      continue;
    }
    const expr = text(t.expr)?.trim();
    if (!expr) {
      // An empty PromQL editor is dropped quietly; a query of another language is worth a note.
      if (t.expr === undefined && Object.keys(t).some((k) => !QUIET_KEYS.has(k))) notes.add("Query without a PromQL expression skipped", where);
      continue;
    }
    if (expr.length > MAX_EXPR) {
      notes.add(`Query longer than ${MAX_EXPR} characters skipped`, where);
      continue;
    }
    if (targets.length >= MAX_TARGETS) {
      notes.add(`More than ${MAX_TARGETS} queries; the rest skipped`, where);
      break;
    }

    let refId = text(t.refId)?.trim().slice(0, 20);
    if (!refId || used.has(refId)) refId = nextRefId(used);
    used.add(refId);

    const instantFlag = bool(t.instant) === true;
    const rangeFlag = bool(t.range) === true;
    const instant = instantFlag && (!rangeFlag || opts.preferInstant);

    const target: PromTarget = { kind: "promql", refId, expr, instant, hide: bool(t.hide) === true };

    const legend = str(t.legendFormat);
    if (legend !== undefined && legend.trim() !== "" && legend !== "__auto") target.legendFormat = cut(legendTemplate(legend), 500);

    const rawInterval = str(t.interval)?.trim();
    if (rawInterval) {
      const interval = toDuration(rawInterval);
      if (interval) target.interval = interval;
      else if (hasVariable(rawInterval)) notes.add(`Query min interval from a variable (${rawInterval}) not supported; dropped`, where);
      else notes.add(`Query min interval "${rawInterval}" not understood; dropped`, where);
    }

    const factor = num(t.intervalFactor);
    if (factor !== undefined && factor !== 1) notes.add(`Query resolution (intervalFactor 1/${int(factor) ?? factor}) not supported; dropped`, where);

    const format = str(t.format);
    if (format) formats.add(format);
    targets.push(target);
  }
  return { targets, formats };
}
