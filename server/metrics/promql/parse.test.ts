import { describe, expect, it } from "vitest";
import type { AtModifier, Expr, VectorSelector } from "./ast";
import { parseExpr, PromQLParseError } from "./parse";
import { printExpr } from "./print";

/** Compact S-expression of an AST: enough to pin node kinds, operands, precedence and modifiers. */
function sx(e: Expr): string {
  const mods = (at: AtModifier | undefined, offset: number) =>
    (offset ? ` off=${offset}` : "") + (at ? ` @${"startOrEnd" in at ? at.startOrEnd : at.timestamp}` : "");
  const sel = (v: VectorSelector) =>
    `sel(${v.name}${v.matchers.filter((m) => m.name !== "__name__" || m.value !== v.name).map((m) => ` ${m.name}${m.type}${JSON.stringify(m.value)}`).join("")}${mods(v.at, v.offset)})`;
  switch (e.kind) {
    case "NumberLiteral":
      return String(e.value);
    case "StringLiteral":
      return JSON.stringify(e.value);
    case "VectorSelector":
      return sel(e);
    case "MatrixSelector":
      return `matrix(${sel(e.vectorSelector)} ${e.range})`;
    case "SubqueryExpr":
      return `subquery(${sx(e.expr)} ${e.range}:${e.step}${mods(e.at, e.offset)})`;
    case "Call":
      return `call(${[e.func, ...e.args.map(sx)].join(" ")})`;
    case "AggregateExpr":
      return `agg(${e.op}${e.without ? " without" : e.grouping.length ? " by" : ""}${e.without || e.grouping.length ? `[${e.grouping.join(",")}]` : ""}${e.param ? ` ${sx(e.param)}` : ""} ${sx(e.expr)})`;
    case "BinaryExpr": {
      const vm = e.vectorMatching;
      const m = vm && (vm.on || vm.matchingLabels.length || vm.card !== "one-to-one")
        ? ` ${vm.on ? "on" : "ignoring"}[${vm.matchingLabels.join(",")}] ${vm.card}${vm.include.length ? `[${vm.include.join(",")}]` : ""}`
        : "";
      return `(${e.op}${e.returnBool ? " bool" : ""}${m} ${sx(e.lhs)} ${sx(e.rhs)})`;
    }
    case "UnaryExpr":
      return `(u${e.op} ${sx(e.expr)})`;
    case "ParenExpr":
      return `paren(${sx(e.expr)})`;
  }
}

const valid: Array<[string, string]> = [
  // literals
  ["1", "1"],
  ["-1", "-1"],
  ["+5", "5"],
  ["1.5", "1.5"],
  [".5", "0.5"],
  ["1e3", "1000"],
  ["2.", "2"],
  ["1./4.", "(/ 1 0.25)".replace("0.25", "4")],
  ['foo{a="1."} * 3.', '(* sel(foo a="1.") 3)'],
  ["1E-2", "0.01"],
  ["0x1f", "31"],
  ["Inf", "Infinity"],
  ["-inf", "-Infinity"],
  ["NaN", "NaN"],
  ["5m", "300"],
  ["1h30m", "5400"],
  ["- -1", "1"],
  ['"double"', '"double"'],
  ["'single'", '"single"'],
  ["`raw\\n`", '"raw\\\\n"'],
  ['"a\\nb\\t\\"q\\"\\x41\\u00e9\\101"', '"a\\nb\\t\\"q\\"Aé A"'.replace(" A", "A")],
  ["'it\\'s'", '"it\'s"'],
  // selectors and matchers
  ["foo", "sel(foo)"],
  ["foo:bar_total", "sel(foo:bar_total)"],
  ['foo{a="b"}', 'sel(foo a="b")'],
  ['foo{a!="b"}', 'sel(foo a!="b")'],
  ['foo{a=~"b.*"}', 'sel(foo a=~"b.*")'],
  ['foo{a!~"b.*"}', 'sel(foo a!~"b.*")'],
  ['foo{a="b", c=~"d", e!="", f!~"g",}', 'sel(foo a="b" c=~"d" e!="" f!~"g")'],
  ['{a="b"}', 'sel( a="b")'],
  ['{__name__="x"}', "sel(x)"],
  ['{__name__=~"x|y"}', 'sel( __name__=~"x|y")'],
  ['{"my.metric"}', "sel(my.metric)"],
  ['{"my.metric", "lab.el"="v"}', 'sel(my.metric lab.el="v")'],
  ["foo{}", "sel(foo)"],
  ["sum", "sel(sum)"],
  ["rate", "sel(rate)"],
  // offset and @
  ["foo offset 5m", "sel(foo off=300000)"],
  ["foo offset -1h30m", "sel(foo off=-5400000)"],
  ["foo offset 1w", "sel(foo off=604800000)"],
  ["foo offset 1y", "sel(foo off=31536000000)"],
  ["foo offset 100ms", "sel(foo off=100)"],
  ["foo @ 1609746000", "sel(foo @1609746000000)"],
  ["foo @ 1.5", "sel(foo @1500)"],
  ["foo @ -10", "sel(foo @-10000)"],
  ["foo @ start()", "sel(foo @start)"],
  ["foo @ end()", "sel(foo @end)"],
  ["foo @ end() offset 1m", "sel(foo off=60000 @end)"],
  ["foo offset 1m @ 10", "sel(foo off=60000 @10000)"],
  // range vectors
  ["foo[5m]", "matrix(sel(foo) 300000)"],
  ['foo{a="b"}[1h30m]', 'matrix(sel(foo a="b") 5400000)'],
  ["foo[30]", "matrix(sel(foo) 30000)"],
  ["foo[500ms]", "matrix(sel(foo) 500)"],
  ["foo[1d] offset 1d", "matrix(sel(foo off=86400000) 86400000)"],
  ["foo[5m] @ 100 offset -5m", "matrix(sel(foo off=-300000 @100000) 300000)"],
  // subqueries
  ["foo[5m:1m]", "subquery(sel(foo) 300000:60000)"],
  ["foo[5m:]", "subquery(sel(foo) 300000:0)"],
  ["rate(foo[1m])[1h:5m] offset 1h @ end()", "subquery(call(rate matrix(sel(foo) 60000)) 3600000:300000 off=3600000 @end)"],
  ["(a + b)[10m:]", "subquery(paren((+ sel(a) sel(b))) 600000:0)"],
  ["max_over_time(rate(x[5m])[30m:1m])", "call(max_over_time subquery(call(rate matrix(sel(x) 300000)) 1800000:60000))"],
  // calls
  ["time()", "call(time)"],
  ["pi()", "call(pi)"],
  ["rate(http_requests_total[5m])", "call(rate matrix(sel(http_requests_total) 300000))"],
  ["abs(-x)", "call(abs (u- sel(x)))"],
  ["clamp(x, 0, 1)", "call(clamp sel(x) 0 1)"],
  ["round(x)", "call(round sel(x))"],
  ["round(x, 0.5)", "call(round sel(x) 0.5)"],
  ["hour()", "call(hour)"],
  ["day_of_week(x)", "call(day_of_week sel(x))"],
  ["histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))", "call(histogram_quantile 0.9 agg(sum by[le] call(rate matrix(sel(x_bucket) 300000))))"],
  ['label_replace(up, "dst", "$1", "src", "(.*)")', 'call(label_replace sel(up) "dst" "$1" "src" "(.*)")'],
  ['label_join(up, "dst", ",", "a", "b", "c")', 'call(label_join sel(up) "dst" "," "a" "b" "c")'],
  ['sort_by_label(up, "a", "b")', 'call(sort_by_label sel(up) "a" "b")'],
  ["quantile_over_time(0.5, x[5m])", "call(quantile_over_time 0.5 matrix(sel(x) 300000))"],
  ["predict_linear(x[1h], 3600)", "call(predict_linear matrix(sel(x) 3600000) 3600)"],
  ["double_exponential_smoothing(x[1h], 0.5, 0.5)", "call(double_exponential_smoothing matrix(sel(x) 3600000) 0.5 0.5)"],
  ["vector(1)", "call(vector 1)"],
  ["scalar(x) + 1", "(+ call(scalar sel(x)) 1)"],
  ["deg(x) * pi()", "(* call(deg sel(x)) call(pi))"],
  ["rate((x[5m]))", "call(rate paren(matrix(sel(x) 300000)))"],
  // aggregations
  ["sum(x)", "agg(sum sel(x))"],
  ["sum by (a, b) (x)", "agg(sum by[a,b] sel(x))"],
  ["sum(x) by (a)", "agg(sum by[a] sel(x))"],
  ["avg without (a) (x)", "agg(avg without[a] sel(x))"],
  ["max(x) without ()", "agg(max without[] sel(x))"],
  ["min by () (x)", "agg(min sel(x))"],
  ['count by ("a.b") (x)', "agg(count by[a.b] sel(x))"],
  ["group(x)", "agg(group sel(x))"],
  ["stddev(x)", "agg(stddev sel(x))"],
  ["stdvar(x)", "agg(stdvar sel(x))"],
  ["topk(5, x)", "agg(topk 5 sel(x))"],
  ["bottomk by (a) (2, x)", "agg(bottomk by[a] 2 sel(x))"],
  ["quantile(0.9, x)", "agg(quantile 0.9 sel(x))"],
  ['count_values("value", x)', 'agg(count_values "value" sel(x))'],
  ["SUM(x)", "agg(sum sel(x))"],
  // binary operators and precedence
  ["1 + 2 * 3", "(+ 1 (* 2 3))"],
  ["1 * 2 + 3", "(+ (* 1 2) 3)"],
  ["1 - 2 - 3", "(- (- 1 2) 3)"],
  ["2 ^ 3 ^ 2", "(^ 2 (^ 3 2))"],
  ["-2 ^ 2", "(u- (^ 2 2))"],
  ["-x ^ 2", "(u- (^ sel(x) 2))"],
  ["2 ^ -x", "(^ 2 (u- sel(x)))"],
  ["-1 * 2", "(* -1 2)"],
  ["x % 2 / 3", "(/ (% sel(x) 2) 3)"],
  ["x atan2 y", "(atan2 sel(x) sel(y))"],
  ["a and b or c", "(or many-to-many (and many-to-many sel(a) sel(b)) sel(c))".replace(/many-to-many /g, "ignoring[] many-to-many ")],
  ["a or b and c", "(or ignoring[] many-to-many sel(a) (and ignoring[] many-to-many sel(b) sel(c)))"],
  ["a unless b", "(unless ignoring[] many-to-many sel(a) sel(b))"],
  ["a or b unless c", "(or ignoring[] many-to-many sel(a) (unless ignoring[] many-to-many sel(b) sel(c)))"],
  ["a > b and c", "(and ignoring[] many-to-many (> sel(a) sel(b)) sel(c))"],
  ["a + b > c * d", "(> (+ sel(a) sel(b)) (* sel(c) sel(d)))"],
  ["a == b != c", "(!= (== sel(a) sel(b)) sel(c))"],
  ["1 < bool 2", "(< bool 1 2)"],
  ["1 >= bool 2 == bool 3", "(== bool (>= bool 1 2) 3)"],
  ["x <= 1", "(<= sel(x) 1)"],
  ["x == bool 1", "(== bool sel(x) 1)"],
  ["a * on(x, y) b", "(* on[x,y] one-to-one sel(a) sel(b))"],
  ["a * ignoring(x) b", "(* ignoring[x] one-to-one sel(a) sel(b))"],
  ["a / on(x) group_left b", "(/ on[x] many-to-one sel(a) sel(b))"],
  ["a / on(x) group_left(y, z) b", "(/ on[x] many-to-one[y,z] sel(a) sel(b))"],
  ["a - ignoring(x) group_right(y) b", "(- ignoring[x] one-to-many[y] sel(a) sel(b))"],
  ["a > bool on() b", "(> bool on[] one-to-one sel(a) sel(b))"],
  ["a and on(x) b", "(and on[x] many-to-many sel(a) sel(b))"],
  ["(1 + 2) * 3", "(* paren((+ 1 2)) 3)"],
  ["-(1 + 2)", "(u- paren((+ 1 2)))"],
  ["+x", "(u+ sel(x))"],
  ["sum(rate(x[5m])) by (job) / ignoring(job) group_left sum(rate(y[5m]))", "(/ ignoring[job] many-to-one agg(sum by[job] call(rate matrix(sel(x) 300000))) agg(sum call(rate matrix(sel(y) 300000))))"],
  ["# comment\nfoo", "sel(foo)"],
  ["sum( # why\n  x # trailing\n) by (a) # end", "agg(sum by[a] sel(x))"],
];

const invalid: Array<[string, string, { start: number; end: number }?]> = [
  ["", "unexpected end of input", { start: 0, end: 0 }],
  ["foo)", "unexpected right parenthesis ')'", { start: 3, end: 4 }],
  ["foo{", "unexpected end of input", { start: 4, end: 4 }],
  ["foo bar", 'unexpected identifier "bar"', { start: 4, end: 7 }],
  ["1 +", "unexpected end of input"],
  ["sum(x) by (a) without (b)", "unexpected"],
  ["foo(x)", 'unknown function with name "foo"', { start: 0, end: 3 }],
  ["info(x)", 'unknown function with name "info"', { start: 0, end: 4 }],
  ["1 == 1", "comparisons between scalars must use BOOL modifier", { start: 0, end: 6 }],
  ["a + bool b", "bool modifier can only be used on comparison operators"],
  ["rate(x)", 'expected type range vector in call to function "rate", got instant vector', { start: 5, end: 6 }],
  ["abs(x[5m])", 'expected type instant vector in call to function "abs", got range vector'],
  ["time(1)", 'expected 0 argument(s) in call to "time", got 1'],
  ["clamp(x, 1)", 'expected 3 argument(s) in call to "clamp", got 2'],
  ["round(x, 1, 2)", 'expected at most 2 argument(s) in call to "round", got 3'],
  ['label_join(x, "a")', 'expected at least 3 argument(s) in call to "label_join", got 2'],
  ['label_replace(x, "a", "b", "c", 1)', 'expected type string in call to function "label_replace", got scalar'],
  ["vector(x)", 'expected type scalar in call to function "vector", got instant vector'],
  ["sum()", "no arguments for aggregate expression provided"],
  ["sum(x, y)", "wrong number of arguments for aggregate expression provided, expected 1, got 2"],
  ["topk(x)", "wrong number of arguments for aggregate expression provided, expected 2, got 1"],
  ["topk(x, y)", "expected type scalar in aggregation parameter, got instant vector"],
  ["count_values(1, x)", "expected type string in aggregation parameter, got scalar"],
  ["sum(x[5m])", "expected type instant vector in aggregation expression, got range vector"],
  ["limitk(1, x)", "limitk() is experimental"],
  ["x and 1", 'set operator "and" not allowed in binary scalar expression'],
  ["1 or 2", 'set operator "or" not allowed in binary scalar expression'],
  ["a and on(x) group_left b", 'no grouping allowed for "and" operation'],
  ["1 + on(a) x", "vector matching only allowed between instant vectors"],
  ["a + on(x) group_left(x) b", 'label "x" must not occur in ON and GROUP clause at once'],
  ["x[5m] + 1", "binary expression must contain only scalar and instant vector types"],
  ['"a" + 1', "binary expression must contain only scalar and instant vector types"],
  ["-(x[5m])", "unary expression only allowed on expressions of type scalar or instant vector"],
  ["{}", "vector selector must contain at least one non-empty matcher"],
  ["deg(pi())", 'expected type instant vector in call to function "deg", got scalar'],
  ['{a=""}', "vector selector must contain at least one non-empty matcher"],
  ['{a=~".*"}', "vector selector must contain at least one non-empty matcher"],
  ['foo{"bar"}', 'metric name must not be set twice: "foo" or "bar"'],
  ["sum(x)[5m]", "ranges only allowed for vector selectors"],
  ["(x)[5m]", "ranges only allowed for vector selectors"],
  ["x offset 1m [5m]", "no offset modifiers allowed before range"],
  ["x @ 1 [5m]", "no @ modifiers allowed before range"],
  ["x offset 1m offset 2m", "offset may not be set multiple times"],
  ["x @ 1 @ 2", "@ <timestamp> may not be set multiple times"],
  ["sum(x) offset 1m", "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"],
  ["(x) @ 1", "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery"],
  ["x @ Inf", "timestamp out of bounds for @ modifier"],
  ["x[0s]", "duration must be greater than 0"],
  ["x[5m + 1m]", "experimental duration expression is not enabled"],
  ["x[5m:1m:1m]", "unexpected"],
  ["time()[5m:]", "subquery is only allowed on instant vector, got scalar instead"],
  ["x[5m][5m:]", "subquery is only allowed on instant vector, got matrix instead"],
  ['"\\q"', "unknown escape sequence"],
  ["rate(x[5m],)", "unexpected right parenthesis ')'"],
  ["x > </ y", "unexpected"],
];

describe("parseExpr: valid expressions", () => {
  it.each(valid)("%s", (input, expected) => {
    expect(sx(parseExpr(input))).toBe(expected);
  });

  it.each(valid)("round-trips through printExpr: %s", (input) => {
    const ast = parseExpr(input);
    const printed = printExpr(ast);
    expect(sx(parseExpr(printed))).toBe(sx(ast));
    expect(printExpr(parseExpr(printed))).toBe(printed);
  });
});

describe("parseExpr: invalid expressions", () => {
  it.each(invalid)("%s", (input, message, position) => {
    let caught: unknown;
    try {
      parseExpr(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PromQLParseError);
    const err = caught as PromQLParseError;
    expect(err.message.startsWith("parse error: ")).toBe(true);
    expect(err.message).toContain(message);
    if (position) expect(err.position).toEqual(position);
    expect(err.position.start).toBeLessThanOrEqual(err.position.end);
    expect(err.position.end).toBeLessThanOrEqual(input.length);
  });
});

describe("parseExpr: details", () => {
  it("keeps positions and Prometheus-style matchers", () => {
    const e = parseExpr('foo{a="b"}');
    expect(e).toEqual({
      kind: "VectorSelector",
      name: "foo",
      matchers: [
        { type: "=", name: "a", value: "b" },
        { type: "=", name: "__name__", value: "foo" },
      ],
      offset: 0,
      pos: { start: 0, end: 10 },
    });
  });

  it("prints canonical text", () => {
    expect(printExpr(parseExpr("sum(rate(foo{a='b'}[90m] offset 1d @ start())) by (x)"))).toBe(
      'sum by (x) (rate(foo{a="b"}[1h30m] @ start() offset 1d))',
    );
    expect(printExpr(parseExpr("a/on(x)group_left(y)b"))).toBe("a / on(x) group_left(y) b");
    expect(printExpr(parseExpr("x[5m:] @ 1.5"))).toBe("x[5m:] @ 1.500");
    expect(printExpr(parseExpr("-Inf"))).toBe("-Inf");
    expect(printExpr(parseExpr('{"a.b"="c"}'))).toBe('{"a.b"="c"}');
  });
});

describe("parseExpr: postfix binding (lezer attaches postfixes loosely; PromQL binds them tightest)", () => {
  it.each([
    ["a offset 15m or b offset 45m", "(or ignoring[] many-to-many sel(a off=900000) sel(b off=2700000))"],
    ["a @ 1 + b @ 2", "(+ sel(a @1000) sel(b @2000))"],
    ["-a offset 1m", "(u- sel(a off=60000))"],
    ["a * -b @ end()", "(* sel(a) (u- sel(b @end)))"],
    ["a + b[5m:] offset 1m", "error"],
    ["- - - 1", "-1"],
  ])("%s", (input, expected) => {
    if (expected === "error") expect(() => parseExpr(input)).toThrow(PromQLParseError);
    else expect(sx(parseExpr(input))).toBe(expected);
  });

  it("rejects ranges and subqueries on the right operand", () => {
    expect(() => parseExpr("a + b[5m]")).toThrow("binary expression must contain only scalar and instant vector types");
    expect(() => parseExpr("-a[5m:]")).toThrow("unary expression only allowed on expressions of type scalar or instant vector");
    expect(sx(parseExpr("rate(a[5m:]) + 1"))).toBe("(+ call(rate subquery(sel(a) 300000:0)) 1)");
  });
});
