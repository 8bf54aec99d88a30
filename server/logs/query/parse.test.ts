import { describe, expect, it } from "vitest";
import { thrownBy } from "@/test/thrown";
import { QueryError, type QueryNode } from "./ast";
import { parseQuery } from "./parse";

const sp = (start: number, end: number) => ({ start, end });
const term = (text: string, start: number, end: number, wildcard = false): QueryNode => ({ type: "term", field: null, fieldSpan: null, value: { text, wildcard }, span: sp(start, end) });
const fterm = (field: string, fs: [number, number], text: string, start: number, end: number, wildcard = false): QueryNode => ({
  type: "term",
  field,
  fieldSpan: sp(...fs),
  value: { text, wildcard },
  span: sp(start, end),
});

/** The AST without spans, for the shape tables. */
function shape(n: QueryNode): unknown {
  switch (n.type) {
    case "all":
      return "*";
    case "and":
    case "or":
      return { [n.type]: n.children.map(shape) };
    case "not":
      return { not: shape(n.child) };
    case "term":
      return `${n.field ? `${n.field}:` : ""}${n.value.text}${n.value.wildcard ? " (glob)" : ""}`;
    case "phrase":
      return `${n.field ? `${n.field}:` : ""}"${n.text}"`;
    case "exists":
      return `exists(${n.field})`;
    case "range":
      return `${n.field}${n.lower ? (n.lower.inclusive ? "[" : "{") + n.lower.value : "(*"} TO ${n.upper ? n.upper.value + (n.upper.inclusive ? "]" : "}") : "*)"}`;
  }
}

describe("parseQuery: full ASTs", () => {
  it.each<[string, QueryNode]>([
    ["", { type: "all", span: sp(0, 0) }],
    ["   ", { type: "all", span: sp(0, 3) }],
    ["*", { type: "all", span: sp(0, 1) }],
    ["timeout", term("timeout", 0, 7)],
    ['"card declined"', { type: "phrase", field: null, fieldSpan: null, text: "card declined", span: sp(0, 15) }],
    ['"say \\"hi\\" \\\\ ok"', { type: "phrase", field: null, fieldSpan: null, text: 'say "hi" \\ ok', span: sp(0, 18) }],
    ["status:500", fterm("status", [0, 6], "500", 0, 10)],
    ["service:pay*", fterm("service", [0, 7], "pay*", 0, 12, true)],
    ['msg:"a phrase"', { type: "phrase", field: "msg", fieldSpan: sp(0, 3), text: "a phrase", span: sp(0, 14) }],
    ["status>=500", { type: "range", field: "status", fieldSpan: sp(0, 6), lower: { value: "500", inclusive: true }, upper: null, span: sp(0, 11) }],
    ["status<500", { type: "range", field: "status", fieldSpan: sp(0, 6), lower: null, upper: { value: "500", inclusive: false }, span: sp(0, 10) }],
    ["status:[500 TO 599]", { type: "range", field: "status", fieldSpan: sp(0, 6), lower: { value: "500", inclusive: true }, upper: { value: "599", inclusive: true }, span: sp(0, 19) }],
    ["_exists_:trace_id", { type: "exists", field: "trace_id", fieldSpan: sp(9, 17), span: sp(0, 17) }],
    ["trace_id:*", { type: "exists", field: "trace_id", fieldSpan: sp(0, 8), span: sp(0, 10) }],
    ["NOT a", { type: "not", child: term("a", 4, 5), span: sp(0, 5) }],
    ["-a", { type: "not", child: term("a", 1, 2), span: sp(0, 2) }],
    ["a b", { type: "and", children: [term("a", 0, 1), term("b", 2, 3)], span: sp(0, 3) }],
    ["a OR b", { type: "or", children: [term("a", 0, 1), term("b", 5, 6)], span: sp(0, 6) }],
    ["attributes.user.id:7", fterm("user.id", [0, 18], "7", 0, 20)],
    ["path:\\/api\\/orders", fterm("path", [0, 4], "/api/orders", 0, 18)],
    ["a\\:b", term("a:b", 0, 4)],
    ["x\\*y*", term("x\\*y*", 0, 5, true)],
  ])("%s", (q, ast) => {
    expect(parseQuery(q)).toEqual(ast);
  });
});

describe("parseQuery: shapes", () => {
  it.each<[string, unknown]>([
    ["ti?eout", "ti?eout (glob)"],
    ["time*", "time* (glob)"],
    ["a\\*", "a*"],
    ["status>500", "status{500 TO *)"],
    ["status<=599", "status(* TO 599]"],
    ["status:>=500", "status[500 TO *)"],
    ["status >= 500", "status[500 TO *)"],
    ["status:{500 TO 600}", "status{500 TO 600}"],
    ["status:[500 TO 600}", "status[500 TO 600}"],
    ["status:[500 TO *]", "status[500 TO *)"],
    ["status:[* TO *]", "exists(status)"],
    ["ts:[2024-01-01T00:00:00 TO 2024-01-02]", "ts[2024-01-01T00:00:00 TO 2024-01-02]"],
    ['name:["a b" TO c]', "name[a b TO c]"],
    ["a AND b OR c", { or: [{ and: ["a", "b"] }, "c"] }],
    ["a OR b AND c", { or: ["a", { and: ["b", "c"] }] }],
    ["a b OR c d", { or: [{ and: ["a", "b"] }, { and: ["c", "d"] }] }],
    ["NOT a AND b", { and: [{ not: "a" }, "b"] }],
    ["NOT (a OR b)", { not: { or: ["a", "b"] } }],
    ["a and b or not c", { or: [{ and: ["a", "b"] }, { not: "c" }] }],
    ["a && b || !c", { or: [{ and: ["a", "b"] }, { not: "c" }] }],
    ["! c", { not: "c" }],
    ["+a -b", { and: ["a", { not: "b" }] }],
    ["NOT NOT a", "a"],
    ["(a OR b) c", { and: [{ or: ["a", "b"] }, "c"] }],
    ["service:(payment OR checkout)", { or: ["service:payment", "service:checkout"] }],
    ["service:(payment OR NOT checkout*)", { or: ["service:payment", { not: "service:checkout* (glob)" }] }],
    ['service:(a "b c")', { and: ["service:a", 'service:"b c"'] }],
    ["status:(>=500 AND <600)", { and: ["status[500 TO *)", "status(* TO 600}"] }],
    ["status:(404 OR (500 OR 503))", { or: ["status:404", { or: ["status:500", "status:503"] }] }],
    ["foo-bar", "foo-bar"],
    ["a -> b", { and: ["a", "->", "b"] }],
    ["user_id=42", "user_id=42"],
    ["ANDROID notify", { and: ["ANDROID", "notify"] }],
    ["time:10:30", "time:10:30"],
    ["status:-1", "status:-1"],
    ["-status:500", { not: "status:500" }],
    ["http.response.status_code:200", "http.response.status_code:200"],
    ["@version:1", "@version:1"],
    ["k8s.pod-name:web-1", "k8s.pod-name:web-1"],
    ["_exists_:attributes.user.id", "exists(user.id)"],
    ["'); drop table x; --", { and: ["');", "drop", "table", "x;", "--"] }],
    ["100% 50_50", { and: ["100%", "50_50"] }],
    ["日本語 ошибка", { and: ["日本語", "ошибка"] }],
    ["😀:x", { and: ["😀:x"] }],
  ])("%s", (q, expected) => {
    if (q === "😀:x") {
      expect(thrownBy(() => parseQuery(q), QueryError).message).toMatch(/unexpected ':'/);
      return;
    }
    expect(shape(parseQuery(q))).toEqual(expected);
  });
});

describe("parseQuery: errors", () => {
  it.each<[string, string, [number, number]]>([
    ["status:", "expected a value after 'status:' at 8", [7, 7]],
    ["status: ", "expected a value after 'status:' at 8", [7, 8]],
    ["status>=", "expected a value after 'status>=' at 9", [8, 8]],
    ["a AND", "expected a query after 'AND' at 6", [5, 5]],
    ["a OR", "expected a query after 'OR' at 5", [4, 4]],
    ["NOT", "expected a query after 'NOT' at 4", [3, 3]],
    ["a AND NOT", "expected a query after 'NOT' at 10", [9, 9]],
    ["AND a", "'AND' needs a query on each side at 1", [0, 3]],
    ["a OR OR b", "'OR' needs a query on each side at 6", [5, 7]],
    ["(a", "unbalanced parenthesis: '(' is never closed at 1", [0, 1]],
    ["a )", "unbalanced parenthesis: ')' without '(' at 3", [2, 3]],
    ["(a))", "unbalanced parenthesis: ')' without '(' at 4", [3, 4]],
    ["()", "empty parentheses at 1", [0, 2]],
    ['"card declined', "unterminated quote at 1", [0, 14]],
    ['msg:"abc\\"', "unterminated quote at 5", [4, 10]],
    ["status:[500 TO", "a range is written [low TO high] or {low TO high} (* for an open end) at 8", [7, 8]],
    ["status:[500 600]", "a range is written [low TO high] or {low TO high} (* for an open end) at 8", [7, 8]],
    ["[1 TO 2]", "a range needs a field: status:[500 TO 599] at 1", [0, 1]],
    ["_exists_:", "expected a field name after '_exists_:' at 10", [9, 9]],
    ["status>*", "'status>' needs a value, not * at 1", [0, 8]],
    ["a\\", "a backslash must be followed by the character it escapes at 2", [1, 2]],
    ["service:OR", "expected a value after 'service:' at 9", [8, 9]],
  ])("%s → %s", (q, message, span) => {
    const e = thrownBy(() => parseQuery(q), QueryError);
    expect(e.message).toBe(message);
    expect(e.span).toEqual(sp(...span));
  });
});

describe("parseQuery: hostile input", () => {
  it("parses a 10 kB query quickly", () => {
    const q = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? `f${i}:v${i}` : i % 3 === 1 ? `"p ${i}"` : `w${i}*`)).join(" OR ");
    expect(q.length).toBeGreaterThan(10_000);
    const n = parseQuery(q);
    expect(n.type === "or" && n.children.length).toBe(1000);
  });

  it("treats a 10 kB word as one term", () => {
    const w = "x".repeat(10_000);
    expect(parseQuery(w)).toEqual(term(w, 0, 10_000));
  });

  it("caps nesting", () => {
    expect(shape(parseQuery(`${"(".repeat(100)}a${")".repeat(100)}`))).toBe("a");
    const e = thrownBy(() => parseQuery(`${"(".repeat(101)}a${")".repeat(101)}`), QueryError);
    expect(e.message).toBe("too many nested parentheses (more than 100) at 101");
    expect(e.span).toEqual(sp(100, 101));
    expect(thrownBy(() => parseQuery("(".repeat(10_000)), QueryError).message).toMatch(/too many nested/);
  });

  it("survives long runs of operators and negations", () => {
    expect(shape(parseQuery(`${"NOT ".repeat(2001)}a`))).toEqual({ not: "a" });
    expect(shape(parseQuery(`${"!".repeat(5000)}a`))).toBe("a");
    expect(thrownBy(() => parseQuery("AND ".repeat(3000)), QueryError).message).toMatch(/'AND' needs a query/);
    expect(thrownBy(() => parseQuery('"'.repeat(5001)), QueryError).message).toMatch(/unterminated quote/);
    expect(shape(parseQuery('"'.repeat(5000)))).toEqual({ and: Array(2500).fill('""') });
    expect(shape(parseQuery("\\\\".repeat(3000)))).toBe("\\".repeat(3000));
  });

  it("keeps quotes, backslashes, % and _ as text", () => {
    expect(shape(parseQuery(`msg:"it's 100% \\"real\\" C:\\\\dir"`))).toBe(`msg:"it's 100% "real" C:\\dir"`);
    expect(shape(parseQuery("a_b%c'd"))).toBe("a_b%c'd");
    expect(shape(parseQuery("x:1' OR '1'='1"))).toEqual({ or: ["x:1'", "'1'='1"] });
  });

  it("never throws anything but QueryError on random input", () => {
    const alphabet = ['a', 'b', ' ', '(', ')', '"', "\\", ':', '*', '?', '[', ']', '{', '}', 'TO', 'AND', 'OR', 'NOT', '-', '!', '>', '=', '<', '%', '_', 'é', '😀', '\n'];
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let k = 0; k < 3000; k++) {
      const q = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join("");
      try {
        parseQuery(q);
      } catch (e) {
        if (!(e instanceof QueryError)) throw new Error(`${JSON.stringify(q)}: ${String(e)}`, { cause: e });
        expect(e.span.start).toBeGreaterThanOrEqual(0);
        expect(e.span.end).toBeLessThanOrEqual(q.length);
        expect(e.message).toMatch(/ at \d+$/);
      }
    }
  });
});
