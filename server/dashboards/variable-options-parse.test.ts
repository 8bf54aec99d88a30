import { describe, expect, it } from "vitest";
import { filterOptions, parseVariableQuery, parseVariableRegex, queryResultLine, sortOptions, VariableQueryError } from "./variable-options-parse";

describe("parseVariableQuery", () => {
  it.each([
    ["label_names()", { kind: "label_names" }],
    ["label_names(up{job=\"api\"})", { kind: "label_names", selector: 'up{job="api"}' }],
    ["label_values(job)", { kind: "label_values", label: "job" }],
    ["label_values(up, job)", { kind: "label_values", label: "job", selector: "up" }],
    ['label_values(node_cpu{mode=~"a,b", cpu!="0"}, instance)', { kind: "label_values", label: "instance", selector: 'node_cpu{mode=~"a,b", cpu!="0"}' }],
    [" label_values( up ,  job ) ", { kind: "label_values", label: "job", selector: "up" }],
    ["metrics(node_.*)", { kind: "metrics", regex: "node_.*" }],
    ["metrics()", { kind: "metrics", regex: "" }],
    ["query_result(topk(5, sum by (job) (rate(x[5m]))))", { kind: "query_result", expr: "topk(5, sum by (job) (rate(x[5m])))" }],
    ["up{job=\"api\"}", { kind: "query_result", expr: 'up{job="api"}' }],
    ["label_values_total", { kind: "query_result", expr: "label_values_total" }],
    ["query_result(a) + query_result(b)", { kind: "query_result", expr: "query_result(a) + query_result(b)" }],
  ])("%s", (q, want) => {
    expect(parseVariableQuery(q)).toEqual(want);
  });

  it.each(["", "label_values()", "label_values(up, )", "label_values(, job)", 'label_values(up, "job")', "query_result()"])("refuses %j", (q) => {
    expect(() => parseVariableQuery(q)).toThrow(VariableQueryError);
  });
});

describe("queryResultLine", () => {
  it("prints name{labels} value timestamp with sorted, quoted labels", () => {
    expect(queryResultLine({ __name__: "up", job: "api", instance: 'a"b' }, 1, 1_700_000_000_000)).toBe('up{instance="a\\"b",job="api"} 1 1700000000000');
    expect(queryResultLine({}, 0.25, 5)).toBe("{} 0.25 5");
    expect(queryResultLine({ job: "x" }, Number.POSITIVE_INFINITY, 5)).toBe('{job="x"} +Inf 5');
  });
});

describe("filterOptions", () => {
  it("keeps everything without a regex, dropping duplicate values", () => {
    expect(filterOptions(["a", "b", "a"])).toEqual([
      { text: "a", value: "a" },
      { text: "b", value: "b" },
    ]);
  });

  it("/re/ keeps matches; the first capture group picks text and value", () => {
    const lines = ['up{instance="h1:9100",job="node"} 1 1', 'up{instance="h2:9100",job="node"} 1 1', 'up{instance="h1:9100",job="x"} 1 1', "other"];
    expect(filterOptions(lines, '/instance="([^"]+)"/')).toEqual([
      { text: "h1:9100", value: "h1:9100" },
      { text: "h2:9100", value: "h2:9100" },
    ]);
  });

  it("named groups text and value pick each", () => {
    expect(filterOptions(["10.0.0.1:9100 web", "10.0.0.2:9100 db"], "/(?<value>[\\d.]+):\\d+ (?<text>\\w+)/")).toEqual([
      { text: "web", value: "10.0.0.1" },
      { text: "db", value: "10.0.0.2" },
    ]);
    expect(filterOptions(["a-1"], "/(?<text>\\w)-\\d/")).toEqual([{ text: "a", value: "a" }]);
  });

  it("flags apply; a g flag does not make matching stateful", () => {
    expect(filterOptions(["API", "api", "web"], "/^api$/i").map((o) => o.value)).toEqual(["API", "api"]);
    expect(filterOptions(["a1", "a2", "a3"], "/a/g").map((o) => o.value)).toEqual(["a1", "a2", "a3"]);
  });

  it("a bare pattern must match the whole value", () => {
    expect(filterOptions(["prod", "prod-eu", "staging"], "prod.*").map((o) => o.value)).toEqual(["prod", "prod-eu"]);
    expect(filterOptions(["prod", "prod-eu"], "prod").map((o) => o.value)).toEqual(["prod"]);
  });

  it("an invalid regex is a VariableQueryError", () => {
    expect(() => parseVariableRegex("/(/")).toThrow(VariableQueryError);
  });
});

describe("sortOptions", () => {
  const opts = ["node-10", "node-9", "Beta", "alpha", "node-1.5", "none", "-3 ms"].map((v) => ({ text: v, value: v }));
  const texts = (s: Parameters<typeof sortOptions>[1]) => sortOptions(opts, s).map((o) => o.text);

  it("none keeps the order", () => expect(texts("none")).toEqual(["node-10", "node-9", "Beta", "alpha", "node-1.5", "none", "-3 ms"]));
  it("alphabetical by code point", () => {
    expect(texts("alpha-asc")).toEqual(["-3 ms", "Beta", "alpha", "node-1.5", "node-10", "node-9", "none"]);
    expect(texts("alpha-desc")).toEqual(["none", "node-9", "node-10", "node-1.5", "alpha", "Beta", "-3 ms"]);
  });
  it("numerical by the first number (a dash after a word is no sign); texts without one last", () => {
    expect(texts("num-asc")).toEqual(["-3 ms", "node-1.5", "node-9", "node-10", "Beta", "alpha", "none"]);
    expect(texts("num-desc")).toEqual(["node-10", "node-9", "node-1.5", "-3 ms", "Beta", "alpha", "none"]);
  });
});
