/**
 * Parses every expression of every `eval` line in Prometheus's promqltest files
 * (../shared/conformance/promql/*.test). Nothing is evaluated: this only checks that the parser
 * accepts what Prometheus's own test-suite queries. Native-histogram cases (`{{…}}`) are skipped,
 * and `eval_fail` lines are only counted (they may be meant to fail at parse time).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseExpr } from "./parse";
import { printExpr } from "./print";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const dir = path.resolve(repoRoot, "../shared/conformance/promql");

const EVAL_RE = /^eval(_\w+)?\s+(?:instant\s+at\s+\S+|range\s+from\s+\S+\s+to\s+\S+\s+step\s+\S+)\s+(.+)$/;

interface EvalCase {
  file: string;
  line: number;
  expr: string;
  expectFail: boolean;
}

function loadCases(): EvalCase[] {
  const out: EvalCase[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".test")).sort()) {
    const lines = fs.readFileSync(path.join(dir, file), "utf8").split("\n");
    lines.forEach((raw, i) => {
      const m = EVAL_RE.exec(raw.trim());
      if (!m || m[2].includes("{{")) return;
      out.push({ file, line: i + 1, expr: m[2], expectFail: m[1] === "_fail" });
    });
  }
  return out;
}

/** Expressions that Prometheus accepts but we reject on purpose (experimental syntax off). */
const EXPERIMENTAL = /\b(limitk|limit_ratio|info|first_over_time|ts_of_\w+|smoothed|anchored|fill(_left|_right)?)\b|[<>]\/|\[[^\]]*\b(step|range|min|max)\(\)|\[[^\]]*[0-9a-z]\s*[-+*/%^]\s*[0-9(]/;

describe.skipIf(!fs.existsSync(dir))("promqltest eval expressions parse", () => {
  it("parses every non-experimental eval expression and round-trips it", () => {
    const cases = loadCases();
    const failures: string[] = [];
    let parsed = 0;
    let experimental = 0;
    let failLinesRejected = 0;
    for (const c of cases) {
      try {
        const ast = parseExpr(c.expr);
        const printed = printExpr(ast);
        expect(printExpr(parseExpr(printed)), `${c.file}:${c.line} round trip`).toBe(printed);
        parsed++;
      } catch (err) {
        if (c.expectFail) failLinesRejected++;
        else if (EXPERIMENTAL.test(c.expr)) experimental++;
        else failures.push(`${c.file}:${c.line}: ${c.expr}\n    ${(err as Error).message}`);
      }
    }
    console.log(
      `promqltest: ${parsed}/${cases.length} eval expressions parse; ` +
        `${experimental} rejected as experimental syntax, ${failLinesRejected} eval_fail lines rejected, ` +
        `${failures.length} unexpected failures`,
    );
    expect(failures, failures.join("\n")).toEqual([]);
  });
});
