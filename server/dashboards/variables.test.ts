import { describe, expect, it } from "vitest";
import type { VectorSelector } from "@/server/metrics/promql/ast";
import { parseExpr } from "@/server/metrics/promql/parse";
import { parseQuery } from "@/server/logs/query/parse";
import { ALL_VALUE, AUTO_INTERVAL_VALUE, IntervalVariableSchema, QueryVariableSchema, VariableSchema, type Target, type Variable } from "./model";
import {
  autoInterval,
  builtinVariables,
  interpolateTargets,
  panelIntervalMs,
  queryVariableInput,
  repeatValuesOf,
  resolveVariables,
  stateValue,
  urlCorrections,
  variableValues,
  type FetchedOptions,
  type VariableOptionsInput,
  evaluationOrder,
  interpolate,
  intervalOptions,
  logsEscape,
  parseCustomOptions,
  referencedNames,
  regexEscape,
  resolveCurrent,
  variableDependencies,
  variablesFromUrl,
  variablesToUrl,
  type VariableValue,
} from "./variables";

const v = (x: Record<string, unknown>): Variable => VariableSchema.parse(x);
const ivar = (x: Record<string, unknown>) => IntervalVariableSchema.parse({ type: "interval", ...x });

/** The value of the one matcher of a selector query, as PromQL reads it after unquoting. */
function matcherValue(query: string): string {
  const e = parseExpr(query) as VectorSelector;
  return e.matchers.find((m) => m.name !== "__name__")!.value;
}

const values: Record<string, VariableValue> = {
  job: { value: "api" },
  jobname: { value: "payments" },
  env: { value: ["prod", "staging"], multi: true, options: ["prod", "staging", "dev"] },
  one: { value: ["a.b"], multi: true, options: ["a.b", "c"] },
  inst: { value: ALL_VALUE, includeAll: true, options: ["10.0.0.1:9100", "10.0.0.2:9100"] },
  anyinst: { value: ALL_VALUE, includeAll: true, allValue: ".*", options: ["x", "y"] },
  dc: { value: "eu", text: "Europe", options: [{ text: "Europe", value: "eu" }, { text: "America", value: "us" }] },
  quote: { value: 'say "hi"\\now' },
};

describe("interpolate: references", () => {
  it("reads $name, ${name}, [[name]] and leaves unknown names as written", () => {
    expect(interpolate("$job ${job} [[job]] $nope ${nope} [[nope]]", values)).toBe("api api api $nope ${nope} [[nope]]");
  });

  it("matches whole identifiers: $job and $jobname do not collide", () => {
    expect(interpolate("$jobname/$job/${job}name", values)).toBe("payments/api/apiname");
    expect(interpolate("$job_total", { job: { value: "x" } })).toBe("$job_total");
  });

  it("leaves $1 and a lone $ alone", () => {
    expect(interpolate('label_replace(up, "x", "$1", "instance", "(.*):.*") $ $$', values, { format: "promql" })).toBe('label_replace(up, "x", "$1", "instance", "(.*):.*") $ $$');
  });

  it("accepts a Map of values", () => {
    expect(interpolate("$job", new Map([["job", { value: "m" }]]))).toBe("m");
  });

  it("does not re-read what it wrote", () => {
    expect(interpolate("$a", { a: { value: "$b" }, b: { value: "no" } })).toBe("$b");
  });

  it("returns text without references untouched", () => {
    expect(interpolate("sum(rate(x[5m]))", values, { format: "promql" })).toBe("sum(rate(x[5m]))");
  });

  it("lists referenced names once, built-ins included", () => {
    expect(referencedNames('up{job="$job", env=~"${env:regex}"} [[job]] $__interval')).toEqual(["job", "env", "__interval"]);
  });
});

describe("interpolate: PromQL", () => {
  const p = (t: string, extra: Record<string, VariableValue> = {}) => interpolate(t, { ...values, ...extra }, { format: "promql" });

  it("writes a plain variable as is", () => {
    expect(p('up{job="$job"}')).toBe('up{job="api"}');
  });

  it("writes multi values as an escaped regex alternation", () => {
    expect(p('up{env=~"$env"}')).toBe('up{env=~"(prod|staging)"}');
  });

  it("regex-escapes a single value of a multi variable, doubling the backslash inside a string", () => {
    expect(p('up{x=~"$one"}')).toBe('up{x=~"a\\\\.b"}');
    expect(matcherValue(p('up{x=~"$one"}'))).toBe("a\\.b");
  });

  it("expands All to every option, escaped", () => {
    expect(p('up{instance=~"$inst"}')).toBe('up{instance=~"(10\\\\.0\\\\.0\\\\.1:9100|10\\\\.0\\\\.0\\\\.2:9100)"}');
    expect(new RegExp(`^${matcherValue(p('up{instance=~"$inst"}'))}$`).test("10.0.0.2:9100")).toBe(true);
    expect(new RegExp(`^${matcherValue(p('up{instance=~"$inst"}'))}$`).test("10x0.0.2:9100")).toBe(false);
  });

  it("writes a custom all value verbatim", () => {
    expect(p('up{instance=~"$anyinst"}')).toBe('up{instance=~".*"}');
    expect(p('up{instance=~"${anyinst:csv}"}')).toBe('up{instance=~".*"}');
  });

  it("escapes quotes and backslashes for the string the value lands in", () => {
    expect(p('up{a="$quote"}')).toBe('up{a="say \\"hi\\"\\\\now"}');
    expect(p("up{a='$quote'}")).toBe("up{a='say \"hi\"\\\\now'}");
    expect(p("up{a=`$quote`}")).toBe('up{a=`say "hi"\\now`}');
    for (const q of ['up{a="$quote"}', "up{a='$quote'}"]) expect(matcherValue(p(q))).toBe('say "hi"\\now');
  });

  it("knows when a reference is outside a string", () => {
    expect(p('rate(x{a="b\\"$c"}[$win]) + $quote', { win: { value: "5m" } })).toBe('rate(x{a="b\\"$c"}[5m]) + say "hi"\\now');
    expect(p('x{a="#"} # "$job\n+ y{a="$quote"}')).toBe('x{a="#"} # "api\n+ y{a="say \\"hi\\"\\\\now"}');
    expect(p(`x # "$job x $quote\ny{a="$quote"}`)).toBe(`x # "api x say "hi"\\now\ny{a="say \\"hi\\"\\\\now"}`);
  });

  it("an empty multi selection is empty", () => {
    expect(p('up{env=~"$e"}', { e: { value: [], multi: true } })).toBe('up{env=~""}');
  });

  it("explicit formats are string-escaped inside quotes, except raw", () => {
    expect(p('up{x=~"${one:regex}"}')).toBe('up{x=~"a\\\\.b"}');
    expect(p('up{x="${quote:raw}"}')).toBe('up{x="say "hi"\\now"}');
  });
});

describe("interpolate: formats", () => {
  const f = (t: string, extra: Record<string, VariableValue> = {}) => interpolate(t, { ...values, ...extra });

  it("regex", () => {
    expect(f("${job:regex}", { job: { value: "a.b" } })).toBe("a\\.b");
    expect(f("${env:regex}")).toBe("(prod|staging)");
    expect(f("${one:regex}")).toBe("a\\.b");
  });
  it("pipe, csv, raw", () => {
    expect(f("${env:pipe} ${env:csv} ${env:raw} ${job:csv}")).toBe("prod|staging prod,staging prod,staging api");
  });
  it("json", () => {
    expect(f("${env:json} ${job:json}")).toBe('["prod","staging"] "api"');
  });
  it("glob", () => {
    expect(f("${env:glob} ${job:glob}")).toBe("{prod,staging} api");
  });
  it("text uses option texts and All", () => {
    expect(f("${dc:text} ${inst:text} ${env:text}")).toBe("Europe All prod + staging");
  });
  it("doublequote, singlequote, sqlstring", () => {
    expect(f("${env:doublequote}")).toBe('"prod","staging"');
    expect(f("${q:doublequote} ${q:singlequote} ${q:sqlstring}", { q: { value: `it's "x"` } })).toBe(`"it's \\"x\\"" 'it\\'s "x"' 'it''s "x"'`);
  });
  it("queryparam", () => {
    expect(f("${env:queryparam}")).toBe("var-env=prod&var-env=staging");
    expect(f("${inst:queryparam}")).toBe("var-inst=%24__all");
    expect(f("${anyinst:queryparam}")).toBe("var-anyinst=%24__all");
  });
  it("lucene", () => {
    expect(f("${job:lucene}", { job: { value: "a b:c" } })).toBe("a\\ b\\:c");
    expect(f("${env:lucene}")).toBe('("prod" OR "staging")');
  });
  it("percentencode", () => {
    expect(f("${job:percentencode} ${env:percentencode}", { job: { value: "a b&c" } })).toBe("a%20b%26c %7Bprod%2Cstaging%7D");
  });
  it("date on $__from / $__to", () => {
    const builtins = builtinVariables({ range: { start: Date.UTC(2024, 0, 2, 3, 4, 5), end: Date.UTC(2024, 0, 2, 4, 4, 5) } });
    expect(interpolate("${__from:date} ${__to:date:iso} ${__from:date:seconds} $__from", {}, { builtins })).toBe(
      `2024-01-02T03:04:05.000Z 2024-01-02T04:04:05.000Z ${Date.UTC(2024, 0, 2, 3, 4, 5) / 1000} ${Date.UTC(2024, 0, 2, 3, 4, 5)}`,
    );
  });
  it("[[name:format]]", () => {
    expect(f("[[env:csv]]")).toBe("prod,staging");
  });
  it("an unknown format leaves the reference as written", () => {
    expect(f("${env:nonsense} ${env:}")).toBe("${env:nonsense} prod, staging");
  });
});

describe("interpolate: text and logs contexts", () => {
  it("text joins option texts with commas; All is All", () => {
    expect(interpolate("$env / $dc / $inst / $anyinst", values)).toBe("prod, staging / Europe / All / All");
  });

  it("logs: one value escaped, several as an OR group, that parse as the values", () => {
    const l = (t: string, extra: Record<string, VariableValue> = {}) => interpolate(t, { ...values, ...extra }, { format: "logs" });
    expect(l("service:$job")).toBe("service:api");
    expect(l("service:$env")).toBe("service:(prod OR staging)");
    const q = l("service:$s level:error", { s: { value: ["a b", "OR", "x:y", '-q"'], multi: true } });
    expect(q).toBe('service:(a\\ b OR \\OR OR x\\:y OR \\-q\\") level:error');
    const ast = parseQuery(q);
    const or = (ast as { children: { type: string; children?: { value: { text: string } }[] }[] }).children[0]!;
    expect(or.type).toBe("or");
    expect(or.children!.map((c) => c.value.text)).toEqual(["a b", "OR", "x:y", '-q"']);
  });

  it("logs: escaped values also work inside quotes", () => {
    const q = interpolate('message:"$m"', { m: { value: 'a "b" c' } }, { format: "logs" });
    const ast = parseQuery(q) as { type: string; text: string };
    expect(ast).toMatchObject({ type: "phrase", text: 'a "b" c' });
  });

  it("logs: empty values and All", () => {
    expect(interpolate("service:$s", { s: { value: "" } }, { format: "logs" })).toBe('service:""');
    expect(interpolate("service:$anyinst", values, { format: "logs" })).toBe("service:.*");
    expect(interpolate("host:$h", { h: { value: ALL_VALUE, options: ["a", "b"], includeAll: true } }, { format: "logs" })).toBe("host:(a OR b)");
  });

  it("regex context: alternation of escaped values", () => {
    expect(interpolate("/^$env-.*/", values, { format: "regex" })).toBe("/^(prod|staging)-.*/");
    expect(interpolate("/^$job$/", { job: { value: "a.b" } }, { format: "regex" })).toBe("/^a\\.b$/");
  });

  it("logsEscape keeps plain words plain", () => {
    expect(logsEscape("api-gateway")).toBe("api\\-gateway");
    expect(logsEscape("web_01.eu")).toBe("web_01.eu");
    expect(logsEscape("and")).toBe("\\and");
    expect(regexEscape("a+b(c)|d")).toBe("a\\+b\\(c\\)\\|d");
  });
});

describe("interpolate: scoped values and built-ins", () => {
  it("a repeat's scoped value wins and keeps the variable's flags", () => {
    expect(interpolate('up{env=~"$env"}', values, { format: "promql", scoped: { env: "a.b" } })).toBe('up{env=~"a\\\\.b"}');
    expect(interpolate("$dc", values, { scoped: { dc: "us" } })).toBe("America");
    expect(interpolate("$inst", values, { scoped: { inst: "10.0.0.2:9100" } })).toBe("10.0.0.2:9100");
    expect(interpolate("$free", {}, { scoped: { free: "x" } })).toBe("x");
  });

  it("fills built-ins when given and leaves them otherwise", () => {
    const builtins = builtinVariables({ range: { start: 1_000, end: 3_601_000 }, intervalMs: 30_000, dashboard: "Host" });
    expect(builtins).toEqual({
      __interval: "30s",
      __interval_ms: "30000",
      __rate_interval: "1m",
      __range: "3600s",
      __range_s: "3600",
      __range_ms: "3600000",
      __from: "1000",
      __to: "3601000",
      __dashboard: "Host",
    });
    expect(interpolate("rate(x[$__rate_interval]) $__interval_ms $__interval ${__range_s} [[__dashboard]]", {}, { builtins, format: "promql" })).toBe("rate(x[1m]) 30000 30s 3600 Host");
    expect(interpolate("rate(x[$__interval])", {}, { format: "promql" })).toBe("rate(x[$__interval])");
  });

  it("$__rate_interval is interval + scrape, at least four scrapes", () => {
    expect(builtinVariables({ intervalMs: 120_000 }).__rate_interval).toBe("2m15s");
    expect(builtinVariables({ intervalMs: 15_000, scrapeIntervalMs: 30_000 }).__rate_interval).toBe("2m");
  });
});

describe("parseCustomOptions", () => {
  it("splits on commas and trims", () => {
    expect(parseCustomOptions(" prod, staging ,dev")).toEqual([
      { text: "prod", value: "prod" },
      { text: "staging", value: "staging" },
      { text: "dev", value: "dev" },
    ]);
  });
  it("reads text : value pairs", () => {
    expect(parseCustomOptions("Production : prod, dev")).toEqual([
      { text: "Production", value: "prod" },
      { text: "dev", value: "dev" },
    ]);
  });
  it("keeps escaped commas and colons without spaces", () => {
    expect(parseCustomOptions("a\\,b, host:9100, 1\\,2 : x")).toEqual([
      { text: "a,b", value: "a,b" },
      { text: "host:9100", value: "host:9100" },
      { text: "1,2", value: "x" },
    ]);
  });
  it("skips blanks and repeats", () => {
    expect(parseCustomOptions("a,,a, ,b,")).toEqual([
      { text: "a", value: "a" },
      { text: "b", value: "b" },
    ]);
    expect(parseCustomOptions("")).toEqual([]);
  });
});

describe("interval options", () => {
  const iv = ivar({ name: "i", query: "1m, 5m,bogus,10m,1m", auto: false });

  it("lists valid durations in order", () => {
    expect(intervalOptions(iv, 3_600_000)).toEqual({ options: ["1m", "5m", "10m"].map((d) => ({ text: d, value: d })), auto: null });
  });

  it("puts auto first and computes it from the range", () => {
    const auto = ivar({ name: "i", query: "1m,1h", auto: true, autoCount: 30, autoMin: "10s" });
    const r = intervalOptions(auto, 6 * 3_600_000);
    expect(r.options[0]).toEqual({ text: "auto", value: AUTO_INTERVAL_VALUE });
    expect(r.options).toHaveLength(3);
    expect(r.auto).toBe("15m"); // 6h / 30 = 12m, rounded up to a nice 15m
  });

  it("auto is never below autoMin", () => {
    expect(autoInterval({ autoCount: 30, autoMin: "10s" }, 60_000)).toBe("10s");
    expect(autoInterval({ autoCount: 10, autoMin: "1m" }, 3_600_000)).toBe("10m");
    expect(autoInterval({ autoCount: 100, autoMin: "1s" }, 7 * 86_400_000)).toBe("2h");
  });
});

describe("dependencies and evaluation order", () => {
  const q = (name: string, query: string, extra: Record<string, unknown> = {}) => v({ type: "query", name, query, ...extra });

  it("finds references in query, regex and log query", () => {
    const vars = [
      q("region", "label_values(up, region)"),
      q("cluster", 'label_values(up{region="$region"}, cluster)'),
      q("node", "label_values(up{cluster=~\"${cluster}\"}, node)", { regex: "/$region-(.*)/" }),
      q("svc", "service", { datasource: "logs", logQuery: "host:[[node]] $__interval $missing" }),
      v({ type: "custom", name: "c", query: "$region" }),
    ];
    expect(variableDependencies(vars)).toEqual({ region: [], cluster: ["region"], node: ["cluster", "region"], svc: ["node"], c: [] });
  });

  it("orders parents first; among ready variables the earliest written goes first", () => {
    const vars = [q("c", 'label_values(x{b="$b"}, c)'), q("a", "label_values(a)"), q("b", 'label_values(x{a="$a"}, b)'), v({ type: "custom", name: "z", query: "1,2" })];
    expect(evaluationOrder(vars)).toEqual({ order: ["a", "b", "c", "z"], errors: {} });
  });

  it("reports cycles per variable and what depends on them", () => {
    const vars = [
      q("a", 'label_values(x{b="$b"}, a)'),
      q("b", 'label_values(x{a="$a"}, b)'),
      q("self", 'label_values(x{s="$self"}, s)'),
      q("child", 'label_values(x{a="$a"}, c)'),
      q("ok", "label_values(ok)"),
    ];
    const r = evaluationOrder(vars);
    expect(r.order).toEqual(["ok"]);
    expect(r.errors).toEqual({
      a: "Circular reference: $a → $b → $a",
      b: "Circular reference: $b → $a → $b",
      self: "Circular reference: $self → $self",
      child: "Depends on $a, which cannot be evaluated",
    });
  });

  it("a longer cycle names every step", () => {
    const vars = [q("a", "$c"), q("b", "$a"), q("c", "$b")];
    expect(evaluationOrder(vars).errors.a).toBe("Circular reference: $a → $c → $b → $a");
  });
});

describe("resolveCurrent", () => {
  const opts = ["a", "b", "c"].map((x) => ({ text: x.toUpperCase(), value: x }));
  const single = v({ type: "custom", name: "s", query: "a,b,c", current: { value: "b" } });
  const multi = v({ type: "custom", name: "m", query: "a,b,c", multi: true, current: { value: ["b", "zz", "c"] } });
  const withAll = v({ type: "custom", name: "w", query: "a,b,c", includeAll: true, current: { value: "gone" } });

  it("keeps a valid saved value", () => {
    expect(resolveCurrent(single, opts)).toEqual(["b"]);
  });
  it("the URL wins over the saved value", () => {
    expect(resolveCurrent(single, opts, ["c"])).toEqual(["c"]);
    expect(resolveCurrent(single, opts, [])).toEqual(["b"]);
  });
  it("matches by text when no value matches", () => {
    expect(resolveCurrent(single, opts, ["C"])).toEqual(["c"]);
  });
  it("falls back to the first option", () => {
    expect(resolveCurrent(single, opts, ["nope"])).toEqual(["a"]);
    expect(resolveCurrent(v({ type: "custom", name: "s", query: "a" }), opts)).toEqual(["a"]);
  });
  it("a single variable takes the first valid of several URL values", () => {
    expect(resolveCurrent(single, opts, ["x", "c", "a"])).toEqual(["c"]);
  });
  it("multi keeps the valid subset without repeats", () => {
    expect(resolveCurrent(multi, opts)).toEqual(["b", "c"]);
    expect(resolveCurrent(multi, opts, ["c", "c", "a"])).toEqual(["c", "a"]);
    expect(resolveCurrent(multi, opts, ["x"])).toEqual(["a"]);
  });
  it("All stays All when included, and is the fallback then", () => {
    expect(resolveCurrent(withAll, opts)).toEqual([ALL_VALUE]);
    expect(resolveCurrent(withAll, opts, [ALL_VALUE])).toEqual([ALL_VALUE]);
    expect(resolveCurrent(withAll, opts, ["b"])).toEqual(["b"]);
    expect(resolveCurrent(single, opts, [ALL_VALUE])).toEqual(["a"]);
  });
  it("nothing to choose from is empty", () => {
    expect(resolveCurrent(single, [])).toEqual([]);
  });
  it("text boxes keep any value, defaulting to their query; constants are their query", () => {
    const tb = v({ type: "textbox", name: "t", query: "def" });
    expect(resolveCurrent(tb, [])).toEqual(["def"]);
    expect(resolveCurrent(tb, [], ["typed"])).toEqual(["typed"]);
    expect(resolveCurrent(v({ type: "textbox", name: "t", query: "def", current: { value: "saved" } }), [])).toEqual(["saved"]);
    expect(resolveCurrent(v({ type: "constant", name: "k", query: "42" }), [], ["x"])).toEqual(["42"]);
  });
  it("interval auto, in our spelling and Grafana's", () => {
    const iv = ivar({ name: "iv", query: "1m,5m", auto: true });
    const { options } = intervalOptions(iv, 3_600_000);
    expect(resolveCurrent(iv, options, [AUTO_INTERVAL_VALUE])).toEqual([AUTO_INTERVAL_VALUE]);
    expect(resolveCurrent(iv, options, ["$__auto_interval_iv"])).toEqual([AUTO_INTERVAL_VALUE]);
    expect(resolveCurrent(iv, options, ["5m"])).toEqual(["5m"]);
  });
  it("is idempotent", () => {
    for (const variable of [single, multi, withAll]) {
      for (const url of [undefined, ["x"], ["c", "a"], [ALL_VALUE]]) {
        const once = resolveCurrent(variable, opts, url);
        expect(resolveCurrent(variable, opts, once)).toEqual(once);
      }
    }
  });
});

describe("URL", () => {
  it("writes Grafana's repeated var- parameters and reads them back", () => {
    const p = variablesToUrl({ job: ["a", "b"], inst: [ALL_VALUE], q: ["x y&z"] });
    expect(p.toString()).toBe("var-job=a&var-job=b&var-inst=%24__all&var-q=x+y%26z");
    expect(variablesFromUrl(p)).toEqual({ job: ["a", "b"], inst: [ALL_VALUE], q: ["x y&z"] });
    expect(variablesFromUrl(p.toString())).toEqual({ job: ["a", "b"], inst: [ALL_VALUE], q: ["x y&z"] });
  });

  it("replaces earlier values and keeps other parameters", () => {
    const p = new URLSearchParams("from=now-1h&var-job=old&var-env=e");
    variablesToUrl({ job: ["new"] }, p);
    expect(p.toString()).toBe("from=now-1h&var-env=e&var-job=new");
    expect(variablesFromUrl(p)).toEqual({ env: ["e"], job: ["new"] });
  });

  it("an empty selection is one empty value, told apart from absent", () => {
    const p = variablesToUrl({ job: [] });
    expect(p.toString()).toBe("var-job=");
    expect(variablesFromUrl(p)).toEqual({ job: [""] });
  });

  it("ignores other parameters and a bare var-", () => {
    expect(variablesFromUrl("from=1&var-=x&variable=y&var-a=1")).toEqual({ a: ["1"] });
  });
});

describe("queryVariableInput", () => {
  it("interpolates the query (PromQL), log query (logs) and regex (regex), over whole minutes", () => {
    const qv = QueryVariableSchema.parse({ type: "query", name: "x", query: 'label_values(up{env=~"$env"}, x)', regex: "/^$job-(.*)/", sort: "num-desc" });
    expect(queryVariableInput(qv, values, { start: 61_500, end: 119_000 })).toEqual({
      datasource: "promql",
      query: 'label_values(up{env=~"(prod|staging)"}, x)',
      regex: "/^api-(.*)/",
      sort: "num-desc",
      start: 60_000,
      end: 120_000,
    });
    const lv = QueryVariableSchema.parse({ type: "query", name: "x", datasource: "logs", query: "host", logQuery: "service:$env" });
    expect(queryVariableInput(lv, values, { start: 0, end: 60_000 })).toEqual({ datasource: "logs", query: "host", logQuery: "service:(prod OR staging)", sort: "alpha-asc", start: 0, end: 60_000 });
  });
});

describe("resolveVariables", () => {
  /** A fake options service: label values by the query text, recording what was asked. */
  function service(table: Record<string, string[]>, pending: string[] = []) {
    const asked: VariableOptionsInput[] = [];
    const fetched = (input: VariableOptionsInput): FetchedOptions => {
      asked.push(input);
      if (pending.includes(input.query)) return { loading: true };
      const vals = table[input.query];
      if (!vals) return { loading: false, error: `unknown query ${input.query}` };
      return { loading: false, options: vals.map((x) => ({ text: x, value: x })) };
    };
    return { asked, fetched };
  }
  const dashVars = [
    v({ type: "query", name: "cluster", query: 'label_values(up{region="$region"}, cluster)', multi: true, includeAll: true, current: { value: ["c2"] } }),
    v({ type: "query", name: "region", query: "label_values(up, region)", refresh: "time", current: { value: "eu" } }),
    v({ type: "custom", name: "size", query: "S : small, L : large", current: { value: "large" } }),
    v({ type: "interval", name: "iv", query: "1m,5m", auto: true, current: { value: AUTO_INTERVAL_VALUE } }),
    v({ type: "textbox", name: "filter", query: "x" }),
    v({ type: "constant", name: "k", query: "42", hide: "variable" }),
  ];
  const table = {
    "label_values(up, region)": ["eu", "us"],
    'label_values(up{region="eu"}, cluster)': ["c1", "c2"],
    'label_values(up{region="us"}, cluster)': ["c3"],
  };
  const range = { start: 0, end: 6 * 3_600_000 };

  it("resolves parents first, feeding their values to the children's queries", () => {
    const { asked, fetched } = service(table);
    const states = resolveVariables(dashVars, { urlValues: {}, range, fetched });
    expect(states.map((s) => s.variable.name)).toEqual(["cluster", "region", "size", "iv", "filter", "k"]);
    expect(asked.map((a) => a.query)).toEqual(["label_values(up, region)", 'label_values(up{region="eu"}, cluster)']);
    expect(states.map((s) => s.selected)).toEqual([["c2"], ["eu"], ["large"], [AUTO_INTERVAL_VALUE], ["x"], ["42"]]);
    expect(states[0]!.options.map((o) => o.value)).toEqual(["c1", "c2"]);
    expect(states[3]!.auto).toBe("15m");
    const vals = variableValues(states);
    expect(interpolate('x{cluster=~"$cluster", region="$region"}[$iv] $size $filter $k', vals, { format: "promql" })).toBe('x{cluster=~"c2", region="eu"}[15m] large x 42');
  });

  it("a parent's change from the URL re-asks the child and re-resolves its selection", () => {
    const { asked, fetched } = service(table);
    const states = resolveVariables(dashVars, { urlValues: { region: ["us"] }, range, fetched });
    expect(asked.map((a) => a.query)).toContain('label_values(up{region="us"}, cluster)');
    expect(states[0]!.selected).toEqual([ALL_VALUE]); // c2 is gone; includeAll → All
    expect(repeatValuesOf(states).cluster).toEqual(["c3"]);
    expect(urlCorrections(states, { region: ["us"] })).toEqual({});
    expect(urlCorrections(states, { region: ["us"], cluster: ["c2"] })).toEqual({ cluster: [ALL_VALUE] });
  });

  it("a child waits while its parent loads, keeping the wanted selection", () => {
    const { asked, fetched } = service(table, ["label_values(up, region)"]);
    const states = resolveVariables(dashVars, { urlValues: { cluster: ["c9"] }, range, fetched });
    expect(asked.map((a) => a.query)).toEqual(["label_values(up, region)"]);
    expect(states[1]).toMatchObject({ loading: true, selected: ["eu"] });
    expect(states[0]).toMatchObject({ loading: true, selected: ["c9"] });
    expect(states[0]!.input).toBeUndefined();
    expect(urlCorrections(states, { cluster: ["c9"] })).toEqual({});
  });

  it("a failed query keeps the wanted selection and reports the error", () => {
    const { fetched } = service({});
    const states = resolveVariables(dashVars, { urlValues: {}, range, fetched });
    expect(states[1]).toMatchObject({ error: "unknown query label_values(up, region)", selected: ["eu"] });
  });

  it("refresh load uses the range at load, refresh time the current one", () => {
    const { asked, fetched } = service(table);
    resolveVariables(dashVars, { urlValues: {}, range: { start: 600_000, end: 1_200_000 }, loadRange: { start: 0, end: 60_000 }, fetched });
    expect(asked.map((a) => [a.query, a.start, a.end])).toEqual([
      ["label_values(up, region)", 600_000, 1_200_000],
      ['label_values(up{region="eu"}, cluster)', 0, 60_000],
    ]);
  });

  it("without a range, query variables report it and fetch nothing", () => {
    const { asked, fetched } = service(table);
    const states = resolveVariables(dashVars, { urlValues: {}, range: null, fetched });
    expect(asked).toEqual([]);
    expect(states[1]!.error).toBe("No valid time range");
  });

  it("variables in a cycle get their error and no fetch", () => {
    const { asked, fetched } = service(table);
    const cyc = [v({ type: "query", name: "a", query: "$b" }), v({ type: "query", name: "b", query: "$a", current: { value: "z" } })];
    const states = resolveVariables(cyc, { urlValues: {}, range, fetched });
    expect(asked).toEqual([]);
    expect(states[1]).toMatchObject({ error: "Circular reference: $b → $a → $b", selected: ["z"] });
  });

  it("stateValue: single, multi, All, interval auto", () => {
    const [cluster, region, , iv] = resolveVariables(dashVars, { urlValues: { cluster: ["c1", "c2"] }, range, fetched: service(table).fetched });
    expect(stateValue(cluster!)).toMatchObject({ value: ["c1", "c2"], multi: true, includeAll: true, isAll: false });
    expect(stateValue(region!)).toMatchObject({ value: "eu", multi: false, isAll: false });
    expect(stateValue(iv!)).toMatchObject({ value: "15m" });
    expect(repeatValuesOf([cluster!, region!, iv!])).toEqual({ cluster: ["c1", "c2"], region: ["eu"], iv: ["15m"] });
  });

  it("url corrections: a second value of a single variable, a vanished value", () => {
    const url = { region: ["us", "eu"], size: ["medium"], filter: ["y", "z"], k: ["1"] };
    const states = resolveVariables(dashVars, { urlValues: url, range, fetched: service(table).fetched });
    expect(urlCorrections(states, url)).toEqual({ region: ["us"], size: ["small"], filter: ["y"] });
  });
});

describe("panelIntervalMs", () => {
  it("range over the width in pixels, rounded up, at least 15 s", () => {
    expect(panelIntervalMs({}, 3_600_000, 600)).toBe(15_000); // 6 s → 10 s, below the 15 s floor
    expect(panelIntervalMs({}, 24 * 3_600_000, 600)).toBe(300_000); // 144 s → 5m
    expect(panelIntervalMs({}, 24 * 3_600_000, 0)).toBe(120_000); // no width yet: 1100 points, 78.5 s → 2m
  });
  it("the panel's min interval and max data points", () => {
    expect(panelIntervalMs({ interval: "1m" }, 3_600_000, 1200)).toBe(60_000);
    expect(panelIntervalMs({ interval: "1s" }, 3_600_000, 1200)).toBe(5_000);
    expect(panelIntervalMs({ maxDataPoints: 100 }, 3_600_000, 1200)).toBe(60_000); // 36 s → 1m
  });
  it("never more than Prometheus's 11,000 points", () => {
    expect(panelIntervalMs({ interval: "1ms" }, 3_600_000, 50_000)).toBeGreaterThanOrEqual(3_600_000 / 11_000);
  });
});

describe("interpolateTargets", () => {
  const targets: Target[] = [
    { kind: "promql", refId: "A", expr: 'sum(rate(http_requests_total{env=~"$env", job="$job"}[$__rate_interval])) by (le)', legendFormat: "{{le}} $job", instant: false, hide: false },
    { kind: "promql", refId: "B", expr: "up", instant: false, hide: true },
    { kind: "promql", refId: "C", expr: "rate(x[$__interval])", interval: "1m", instant: false, hide: false },
    { kind: "logs", refId: "D", query: "service:$env $__dashboard", mode: "lines", limit: 100, hide: false },
  ];
  const opts = { range: { start: 0, end: 3_600_000 }, intervalMs: 15_000, dashboard: "RED" };

  it("drops hidden targets and interpolates each in its language", () => {
    expect(interpolateTargets(targets, values, opts)).toEqual([
      { ...targets[0], expr: 'sum(rate(http_requests_total{env=~"(prod|staging)", job="api"}[1m])) by (le)', legendFormat: "{{le}} api" },
      { ...targets[2], expr: "rate(x[1m])" },
      { ...targets[3], query: "service:(prod OR staging) RED" },
    ]);
  });

  it("scoped values override (repeats)", () => {
    const [a] = interpolateTargets(targets, values, { ...opts, scoped: { job: "web", env: "dev" } });
    expect(a).toMatchObject({ expr: 'sum(rate(http_requests_total{env=~"dev", job="web"}[1m])) by (le)', legendFormat: "{{le}} web" });
  });

  it("a target's own interval is its scrape interval for $__rate_interval", () => {
    const [t] = interpolateTargets([{ kind: "promql", refId: "A", expr: "rate(x[$__rate_interval])", interval: "30s", instant: false, hide: false }], {}, opts);
    expect(t).toMatchObject({ expr: "rate(x[2m])" });
  });

  it("keeps targets without a legend format without one", () => {
    const [t] = interpolateTargets([{ kind: "promql", refId: "A", expr: "up", instant: false, hide: false }], {}, opts);
    expect(t).toEqual({ kind: "promql", refId: "A", expr: "up", instant: false, hide: false });
  });
});
