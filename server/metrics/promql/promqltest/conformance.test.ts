/**
 * Runs every `eval` of Prometheus's promqltest files (../shared/conformance/promql/*.test) against
 * the engine, one test case per eval (named file:line). Cases needing native histograms are
 * skipped automatically (native_histograms.test, `{{…}}` in the expectation, or a selector that
 * matches a series loaded with histogram samples); the few others we do not pass are listed in
 * SKIPS with the reason. A per-file summary is printed at the end.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, it } from "vitest";
import { createEngine } from "../engine/engine";
import { environments, nativeHistogramReason, runEval } from "./run";
import { parseTestFile, type EvalCommand } from "./test-file";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const dir = path.resolve(repoRoot, "../shared/conformance/promql");

const EXPERIMENTAL_TS_OF = "experimental function ts_of_*_over_time (promql-experimental-functions; the parser rejects it)";

/** file:line → why the case is skipped. */
const SKIPS: Record<string, string> = {
  // Go reads "\xff" as the byte 0xFF, an invalid UTF-8 label name; our string unquoting yields U+00FF, a valid one.
  "functions.test:477": "label name \"\\xff\" is invalid UTF-8 in Go but decodes to the valid U+00FF in JavaScript",
  "functions.test:1228": EXPERIMENTAL_TS_OF,
  "functions.test:1231": EXPERIMENTAL_TS_OF,
  "functions.test:1241": EXPERIMENTAL_TS_OF,
  "functions.test:1244": EXPERIMENTAL_TS_OF,
  "functions.test:1247": EXPERIMENTAL_TS_OF,
  "functions.test:1250": EXPERIMENTAL_TS_OF,
};

const NATIVE_FILE = "native_histograms.test";

interface Tally {
  passed: number;
  skipped: number;
  failed: number;
}

const tallies = new Map<string, Tally>();
const skipReasons = new Map<string, number>();

function tally(file: string): Tally {
  let t = tallies.get(file);
  if (!t) {
    t = { passed: 0, skipped: 0, failed: 0 };
    tallies.set(file, t);
  }
  return t;
}

function skip(file: string, reason: string): void {
  tally(file).skipped++;
  const group = reason.replace(/ \{.*$/, "");
  skipReasons.set(group, (skipReasons.get(group) ?? 0) + 1);
}

const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".test")).sort() : [];

describe.skipIf(files.length === 0)("promqltest conformance", () => {
  const engine = createEngine();

  for (const file of files) {
    const source = fs.readFileSync(path.join(dir, file), "utf8");
    describe(file, () => {
      if (file === NATIVE_FILE) {
        source.split("\n").forEach((raw, i) => {
          if (!/^eval/.test(raw.trim())) return;
          const reason = "native_histograms.test: native histograms are out of scope";
          skip(file, reason);
          it.skip(`${file}:${i + 1} — ${reason}`, () => {});
        });
        return;
      }
      const commands = parseTestFile(source);
      const envs = environments(commands);
      for (const cmd of commands.filter((c): c is EvalCommand => c.kind === "eval")) {
        const id = `${file}:${cmd.line}`;
        const env = envs.get(cmd);
        if (!env) continue;
        const reason = SKIPS[id] ?? nativeHistogramReason(cmd, env);
        const title = `${id} ${cmd.query}`;
        if (reason) {
          skip(file, reason);
          it.skip(`${title} — ${reason}`, () => {});
          continue;
        }
        it(title, async () => {
          try {
            await runEval(engine, env, cmd);
          } catch (err) {
            tally(file).failed++;
            throw err;
          }
          tally(file).passed++;
        });
      }
    });
  }

  afterAll(() => {
    const lines = [...tallies].map(([f, t]) => `  ${f.padEnd(24)} passed ${String(t.passed).padStart(4)}  skipped ${String(t.skipped).padStart(4)}  failed ${t.failed}`);
    const reasons = [...skipReasons].sort((a, b) => b[1] - a[1]).map(([r, n]) => `  ${String(n).padStart(4)}  ${r}`);
    console.log(`promqltest conformance:\n${lines.join("\n")}\nskip reasons:\n${reasons.join("\n")}`);
  });
});
