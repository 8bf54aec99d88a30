/**
 * Conformance: Alertmanager's own routing and matcher test cases
 * (../shared/conformance/alertmanager/alertmanager-cases.json, transcribed from its Go tests) run
 * against our route tree and matcher parsers. Routing cases build the tree from the case's YAML
 * and compare the matched routes (receiver, grouping, timers) and their keys; parser cases compare
 * the matchers (or the error: for the UTF-8 and classic parsers the exact message); compliance
 * cases run the UTF-8 parser and honour `skip` (inputs where it deliberately differs from the
 * classic one); matcher cases check `matches`. A summary line goes to the log.
 * Skipped when the conformance folder is absent.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { Matcher, parseMatcher, parseMatchers, type MatcherParserMode, type MatchType } from "./matchers";
import type { RouteConfig } from "./model";
import { buildRouteTree, findRoute, matchRoutes } from "./routing";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const file = path.resolve(repoRoot, "../shared/conformance/alertmanager/alertmanager-cases.json");
const present = fs.existsSync(file);

interface ExpectedRouteOpts {
  Receiver: string;
  GroupBy: string[];
  GroupByAll: boolean;
  GroupWait: number;
  GroupInterval: number;
  RepeatInterval: number;
}
interface RoutingCase {
  id: string;
  routeYaml: string;
  alertLabels?: Record<string, string>;
  expectedRoutes?: ExpectedRouteOpts[];
  expectedKeys?: string[];
  expectedTree?: Record<string, boolean>;
  note?: string;
}
interface PlainMatcher {
  type: MatchType;
  name: string;
  value: string;
}
interface ParseCase {
  id: string;
  name?: string;
  single?: boolean;
  input?: string;
  expected?: PlainMatcher | PlainMatcher[] | null;
  error?: string;
}
interface ClassicCase {
  id: string;
  input: string;
  want?: PlainMatcher[];
  err?: string;
  skip?: boolean;
}
interface MatchCase {
  id: string;
  matcher: { type: MatchType; value: string };
  value: string;
  match: boolean;
}
interface Cases {
  notes: string[];
  routing: RoutingCase[];
  matcherParse: ParseCase[];
  matcherParseClassic: ClassicCase[];
  matcherCompliance: ClassicCase[];
  matcherMatches: MatchCase[];
  inhibitRuleMatches: unknown[];
}

const cases: Cases | null = present ? (JSON.parse(fs.readFileSync(file, "utf8")) as Cases) : null;

const tally = new Map<string, { total: number; passed: number; skipped: string[] }>();
function count(section: string, passed: boolean): void {
  const t = tally.get(section) ?? { total: 0, passed: 0, skipped: [] };
  t.total++;
  if (passed) t.passed++;
  tally.set(section, t);
}
function skipped(section: string, id: string): void {
  const t = tally.get(section) ?? { total: 0, passed: 0, skipped: [] };
  t.skipped.push(id);
  tally.set(section, t);
}

/** Runs an assertion block and counts it. */
function checked(section: string, body: () => void): void {
  try {
    body();
    count(section, true);
  } catch (err) {
    count(section, false);
    throw err;
  }
}

const plain = (ms: readonly Matcher[]): PlainMatcher[] => ms.map((m) => ({ type: m.type, name: m.name, value: m.value }));

function parseOutcome(input: string, mode: MatcherParserMode, single = false): { matchers: PlainMatcher[] } | { error: string } {
  try {
    return { matchers: single ? plain([parseMatcher(input, { mode })]) : plain(parseMatchers(input, { mode })) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

if (!present) {
  describe("Alertmanager conformance", () => {
    it.skip(`skipped: ${file} is absent (the shared conformance data lives next to the repository)`, () => {});
  });
}

describe.skipIf(!present)("Alertmanager conformance (../shared/conformance/alertmanager)", () => {
  const c = cases as Cases;

  afterAll(() => {
    let total = 0;
    let passed = 0;
    let skips = 0;
    const parts: string[] = [];
    for (const [section, t] of tally) {
      total += t.total;
      passed += t.passed;
      skips += t.skipped.length;
      parts.push(`${section} ${t.passed}/${t.total}${t.skipped.length ? ` (${t.skipped.length} skipped)` : ""}`);
    }
    console.log(`alertmanager conformance: ${passed}/${total} passed, ${skips} skipped — ${parts.join(", ")}`);
  });

  describe("routing", () => {
    for (const rc of c.routing) {
      it(rc.id, () =>
        checked("routing", () => {
          const tree = buildRouteTree(parseYaml(rc.routeYaml) as RouteConfig);
          if (rc.expectedTree) {
            for (const [where, want] of Object.entries(rc.expectedTree)) {
              const m = /^(.*)\.GroupByAll$/.exec(where);
              expect(m, `unknown expectation ${where}`).not.toBeNull();
              const route = findRoute(tree, `route.${(m as RegExpExecArray)[1]}`);
              expect(route, where).not.toBeNull();
              expect(route?.options.groupByAll, where).toBe(want);
            }
            return;
          }
          const matched = matchRoutes(tree, rc.alertLabels ?? {});
          const got = matched.map((r) => ({
            Receiver: r.options.receiver,
            GroupBy: [...r.options.groupBy].sort(),
            GroupByAll: r.options.groupByAll,
            GroupWait: r.options.groupWait / 1000,
            GroupInterval: r.options.groupInterval / 1000,
            RepeatInterval: r.options.repeatInterval / 1000,
          }));
          const want = (rc.expectedRoutes ?? []).map((e) => ({
            Receiver: e.Receiver,
            GroupBy: [...e.GroupBy].sort(),
            GroupByAll: e.GroupByAll,
            GroupWait: e.GroupWait,
            GroupInterval: e.GroupInterval,
            RepeatInterval: e.RepeatInterval,
          }));
          expect(got).toEqual(want);
          if (rc.expectedKeys) expect(matched.map((r) => r.key)).toEqual(rc.expectedKeys);
        }),
      );
    }
  });

  describe("matcher parser (UTF-8)", () => {
    for (const pc of c.matcherParse) {
      it(`${pc.id} ${pc.name ?? ""}`, () =>
        checked("matcherParse", () => {
          const got = parseOutcome(pc.input ?? "", "utf8", pc.single === true);
          if (pc.error !== undefined) {
            expect(got).toEqual({ error: pc.error });
            return;
          }
          // `expected: null` without an error is Go's nil slice: no matchers, no error.
          const want = pc.expected === null || pc.expected === undefined ? [] : Array.isArray(pc.expected) ? pc.expected : [pc.expected];
          expect(got).toEqual({ matchers: want });
        }),
      );
    }
  });

  describe("matcher parser (classic, pkg/labels)", () => {
    for (const cc of c.matcherParseClassic) {
      it(cc.id, () =>
        checked("matcherParseClassic", () => {
          const got = parseOutcome(cc.input, "classic");
          expect(got).toEqual(cc.err !== undefined ? { error: cc.err } : { matchers: cc.want ?? [] });
        }),
      );
    }
  });

  describe("matcher compliance (UTF-8 parser on the classic cases)", () => {
    for (const cc of c.matcherCompliance) {
      if (cc.skip) {
        skipped("matcherCompliance", cc.id);
        it.skip(`${cc.id} (skip: the UTF-8 parser deliberately differs here)`, () => {});
        continue;
      }
      it(cc.id, () =>
        checked("matcherCompliance", () => {
          const got = parseOutcome(cc.input, "utf8");
          // Error texts are the classic parser's here; the UTF-8 parser words them its own way.
          if (cc.err !== undefined) expect("error" in got, `${JSON.stringify(cc.input)} should not parse`).toBe(true);
          else expect(got).toEqual({ matchers: cc.want ?? [] });
        }),
      );
    }
  });

  describe("matcher semantics", () => {
    for (const mc of c.matcherMatches) {
      it(mc.id, () =>
        checked("matcherMatches", () => {
          expect(new Matcher(mc.matcher.type, "foo", mc.matcher.value).matches(mc.value)).toBe(mc.match);
        }),
      );
    }
  });

  describe("inhibition rules", () => {
    it.skipIf(c.inhibitRuleMatches.length === 0)("cases (none in this data set)", () => {
      throw new Error(`inhibitRuleMatches now has ${c.inhibitRuleMatches.length} cases: add a runner for them`);
    });
  });
});
