/**
 * Conformance: every Grafana dashboard JSON in ../shared/conformance/grafana/ imports. For each:
 * it converts; every source panel is either mapped or listed as unsupported (counts equal, rows
 * and panels inside collapsed rows included); every PromQL expression of the converted dashboard
 * (panel targets, and the selectors/expressions inside query variables) parses with our parser
 * once template variables are replaced by plausible values. A summary line goes to the log.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseExpr } from "@/server/metrics/promql/parse";
import { convertDashboardJson } from "./grafana-import";
import { allVisualPanels, type Dashboard } from "./model";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dir = path.resolve(repoRoot, "../shared/conformance/grafana");
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort() : [];

/**
 * Template variables → plausible values so the expression can be parsed: Grafana's time macros
 * and any variable inside `[…]` (a range or subquery) become `5m`; `$__range_s`-style numbers a
 * number; any other `$var`, `${var}`, `${var:fmt}`, `[[var]]` becomes `x`, or the variable's
 * current value when that is a plain number (`topk($n, …)`).
 */
function interpolateForParse(expr: string, numeric: Map<string, string> = new Map()): string {
  let s = expr.replace(/\[\[([A-Za-z0-9_]+)(?::[^\]]*)?\]\]/g, "$${$1}");
  s = s
    .replace(/\$\{?__(interval_ms|range_ms)\}?/g, "300000")
    .replace(/\$\{?__(range_s|interval_s)\}?/g, "300")
    .replace(/\$\{?__(rate_interval|interval|range)\}?/g, "5m");
  const variable = /\$\{([A-Za-z0-9_]+)(?::[^}]*)?\}|\$([A-Za-z0-9_]+)/g;
  s = s.replace(/\[([^[\]"]*\$[^[\]"]*)\]/g, (_, inner: string) => `[${inner.replace(variable, "5m")}]`);
  return s.replace(variable, (_, a?: string, b?: string) => numeric.get((a ?? b) as string) ?? "x");
}

/** Current values of the dashboard's variables that are plain numbers. */
function numericVariables(d: Dashboard): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of d.variables) {
    const value = v.current ? [v.current.value].flat()[0] : v.type === "constant" || v.type === "textbox" ? v.query : undefined;
    if (value !== undefined && /^-?\d+(\.\d+)?$/.test(value.trim())) out.set(v.name, value.trim());
  }
  return out;
}

/** PromQL inside query variables: the selector of `label_values(sel, label)`, `query_result(expr)`. */
function variableExpressions(d: Dashboard): string[] {
  const out: string[] = [];
  for (const v of d.variables) {
    if (v.type !== "query" || v.datasource !== "promql") continue;
    const q = v.query.trim();
    const lv = /^label_values\(\s*(.+?)\s*,\s*[A-Za-z_][A-Za-z0-9_]*\s*\)$/s.exec(q);
    const qr = /^query_result\(\s*(.+)\s*\)$/s.exec(q);
    const mt = /^metrics\(/.exec(q);
    if (lv) out.push(lv[1]);
    else if (qr) out.push(qr[1]);
    else if (!mt && !/^label_values\(\s*[A-Za-z_][A-Za-z0-9_]*\s*\)$/.test(q) && !/^label_names\(/.test(q)) out.push(q);
  }
  return out;
}

/** Source panel counts, walked independently of the converter. */
function sourceCounts(raw: Record<string, unknown>): { visual: number; rows: number; legacyRows: boolean } {
  const dash = (raw.dashboard && !Array.isArray(raw.panels) ? raw.dashboard : raw) as Record<string, unknown>;
  const panels = Array.isArray(dash.panels) ? (dash.panels as Record<string, unknown>[]) : [];
  let visual = 0;
  let rows = 0;
  if (panels.length > 0) {
    for (const p of panels) {
      if (p.type === "row") {
        rows++;
        visual += Array.isArray(p.panels) ? p.panels.length : 0;
      } else visual++;
    }
    return { visual, rows, legacyRows: false };
  }
  for (const r of Array.isArray(dash.rows) ? (dash.rows as Record<string, unknown>[]) : []) visual += Array.isArray(r.panels) ? r.panels.length : 0;
  return { visual, rows, legacyRows: true };
}

interface Report {
  file: string;
  panels: number;
  mapped: number;
  unsupported: number;
  exprs: number;
  parsed: number;
  failures: string[];
}

const reports: Report[] = [];

describe.skipIf(files.length === 0)("Grafana dashboards in ../shared/conformance/grafana import", () => {
  afterAll(() => {
    for (const r of reports) {
      console.log(`grafana conformance ${r.file}: panels ${r.panels}, mapped ${r.mapped}, unsupported ${r.unsupported}, expressions parsed ${r.parsed}/${r.exprs}`);
      for (const f of r.failures) console.log(`  does not parse: ${f}`);
    }
    const sum = (k: "panels" | "mapped" | "unsupported" | "exprs" | "parsed") => reports.reduce((a, r) => a + r[k], 0);
    console.log(
      `grafana conformance summary: ${reports.length} dashboards, ${sum("panels")} panels (${sum("mapped")} mapped, ${sum("unsupported")} unsupported), ${sum("parsed")}/${sum("exprs")} PromQL expressions parsed`,
    );
  });

  it.each(files)("%s", (file) => {
    const raw = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Record<string, unknown>;
    const r = convertDashboardJson(raw);
    expect(r.format).toBe("grafana");

    const src = sourceCounts(raw);
    const d = r.dashboard;
    const visual = allVisualPanels(d).length;
    const rows = d.panels.filter((p) => p.type === "row").length;
    const unsupportedRows = r.unsupported.filter((u) => u.type === "row").length;
    expect(visual + r.unsupported.length - unsupportedRows, "visual panels mapped + unsupported").toBe(src.visual);
    if (!src.legacyRows) expect(rows + unsupportedRows, "rows mapped + unsupported").toBe(src.rows);
    for (const u of r.unsupported) {
      expect(u.type, "unsupported panels name their type").not.toBe("");
      expect(u.reason).not.toBe("");
    }

    const numeric = numericVariables(d);
    const exprs = [...allVisualPanels(d).flatMap((p) => p.targets.flatMap((t) => (t.kind === "promql" ? [t.expr] : []))), ...variableExpressions(d)];
    const failures: string[] = [];
    for (const e of exprs) {
      const text = interpolateForParse(e, numeric);
      try {
        parseExpr(text);
      } catch (err) {
        failures.push(`${e}  →  ${text}  (${(err as Error).message})`);
      }
    }
    reports.push({ file, panels: src.visual + src.rows, mapped: visual + rows, unsupported: r.unsupported.length, exprs: exprs.length, parsed: exprs.length - failures.length, failures });
    expect(exprs.length).toBeGreaterThan(0);
    expect(failures, "PromQL expressions that do not parse").toEqual([]);
  });
});

describe("interpolateForParse", () => {
  it("puts durations in ranges and subqueries and plain values elsewhere", () => {
    expect(interpolateForParse('rate(x{job=~"$job"}[$__rate_interval])')).toBe('rate(x{job=~"x"}[5m])');
    expect(interpolateForParse("max_over_time(a[${interval}:$__interval])")).toBe("max_over_time(a[5m:5m])");
    expect(interpolateForParse('a{i="[[instance]]"}[[[resolution]]]')).toBe('a{i="x"}[5m]');
    expect(interpolateForParse('b{n="${node:regex}"} / $__range_s')).toBe('b{n="x"} / 300');
    expect(interpolateForParse("topk($n, c)", new Map([["n", "5"]]))).toBe("topk(5, c)");
  });
});
