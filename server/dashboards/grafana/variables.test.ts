import { describe, expect, it } from "vitest";
import { Datasources } from "./datasources";
import { Notes } from "./json";
import { AUTO_INTERVAL_VALUE } from "../model";
import { convertCurrent, convertVariables, variableSort } from "./variables";

function convert(list: unknown[], extra: Record<string, unknown> = {}) {
  const dash = { templating: { list }, ...extra };
  const notes = new Notes();
  return { variables: convertVariables(dash, new Datasources(dash), notes), warnings: notes.list() };
}

describe("query variables", () => {
  it("maps a Prometheus query variable with a string query (old JSON)", () => {
    const { variables, warnings } = convert([
      {
        type: "query",
        name: "job",
        label: "Job",
        datasource: "${DS_PROMETHEUS}",
        query: "label_values(up, job)",
        regex: "/(.*)-exporter/",
        sort: 1,
        multi: true,
        includeAll: true,
        allValue: ".+",
        refresh: 2,
        hide: 0,
        current: { selected: true, text: ["All"], value: ["$__all"] },
      },
    ]);
    expect(warnings).toEqual([]);
    expect(variables).toEqual([
      {
        type: "query",
        name: "job",
        label: "Job",
        hide: "none",
        datasource: "promql",
        query: "label_values(up, job)",
        regex: "/(.*)-exporter/",
        sort: "alpha-asc",
        multi: true,
        includeAll: true,
        allValue: ".+",
        refresh: "time",
        current: { text: ["All"], value: ["$__all"] },
      },
    ]);
  });

  it("reads the {query, refId} object form and the builder form", () => {
    const { variables } = convert([
      { type: "query", name: "ns", datasource: { type: "prometheus", uid: "${datasource}" }, query: { query: 'label_values(kube_pod_info{cluster="$cluster"}, namespace)', refId: "X" }, refresh: 1 },
      { type: "query", name: "inst", datasource: null, query: { qryType: 1, label: "instance", metric: "up", refId: "Y" }, definition: "" },
      { type: "query", name: "d", query: { qryType: 1, refId: "Z" }, definition: "label_values(device)" },
    ]);
    expect(variables.map((v) => (v.type === "query" ? [v.query, v.refresh] : null))).toEqual([
      ['label_values(kube_pod_info{cluster="$cluster"}, namespace)', "load"],
      ["label_values(up, instance)", "load"],
      ["label_values(device)", "load"],
    ]);
  });

  it("turns a query variable on another datasource into a custom one from its saved options", () => {
    const { variables, warnings } = convert(
      [
        {
          type: "query",
          name: "app",
          datasource: "${DS_LOKI}",
          query: "label_values(app)",
          options: [
            { text: "api", value: "api" },
            { text: "Web", value: "web" },
          ],
          current: { text: "api", value: "api" },
        },
      ],
      { __inputs: [{ name: "DS_LOKI", type: "datasource", pluginId: "loki" }] },
    );
    expect(variables).toEqual([{ type: "custom", name: "app", hide: "none", query: "api,Web : web", multi: false, includeAll: false, current: { text: "api", value: "api" } }]);
    expect(warnings).toEqual(["Query variable on a non-Prometheus datasource (loki) became a custom variable with its saved options: $app"]);
  });

  it("maps every Grafana sort code", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, undefined].map(variableSort)).toEqual([
      "none",
      "alpha-asc",
      "alpha-desc",
      "num-asc",
      "num-desc",
      "alpha-asc",
      "alpha-desc",
      "alpha-asc",
      "alpha-desc",
      "none",
    ]);
  });
});

describe("other variable types", () => {
  it("maps custom, interval (auto), textbox and constant variables", () => {
    const { variables, warnings } = convert([
      { type: "custom", name: "resolution", query: "1s, 15s, 30s", current: { text: "30s", value: "30s" }, multi: false },
      { type: "interval", name: "interval", query: "30s,1m,5m", auto: true, auto_count: 50, auto_min: "20s", current: { text: "auto", value: "$__auto_interval_interval" } },
      { type: "textbox", name: "filter", query: "abc", hide: 1 },
      { type: "constant", name: "cluster", query: "prod", hide: 2 },
    ]);
    expect(warnings).toEqual([]);
    expect(variables).toEqual([
      { type: "custom", name: "resolution", hide: "none", query: "1s, 15s, 30s", multi: false, includeAll: false, current: { text: "30s", value: "30s" } },
      { type: "interval", name: "interval", hide: "none", query: "30s,1m,5m", auto: true, autoCount: 50, autoMin: "20s", current: { text: "auto", value: AUTO_INTERVAL_VALUE } },
      { type: "textbox", name: "filter", hide: "label", query: "abc" },
      { type: "constant", name: "cluster", hide: "variable", query: "prod" },
    ]);
  });

  it("builds a custom variable's list from its options when the query is empty", () => {
    const { variables } = convert([{ type: "custom", name: "c", query: "", options: [{ text: "All", value: "$__all" }, { text: "a", value: "a" }, { text: "b", value: "b" }] }]);
    expect(variables[0]).toMatchObject({ type: "custom", query: "a,b" });
  });

  it("drops datasource and ad hoc variables with warnings, and unknown types", () => {
    const { variables, warnings } = convert([
      { type: "datasource", name: "datasource", query: "prometheus" },
      { type: "adhoc", name: "filters", datasource: "$datasource" },
      { type: "system", name: "sys" },
    ]);
    expect(variables).toEqual([]);
    expect(warnings).toEqual([
      "Datasource variables dropped (Lookout queries its own metrics store): $datasource",
      "Ad hoc filter variables not supported; dropped: $filters",
      'Variables of type "system" not supported; dropped: $sys',
    ]);
  });

  it("refuses unusable and repeated names", () => {
    const { variables, warnings } = convert([
      { type: "constant", name: "my-var", query: "1" },
      { type: "constant", name: "a", query: "1" },
      { type: "constant", name: "a", query: "2" },
    ]);
    expect(variables.map((v) => v.name)).toEqual(["a"]);
    expect(warnings).toEqual(['Variable name "my-var" is not usable here (letters, digits and _ only); dropped', 'Variable "$a" defined twice; the second one dropped']);
  });
});

describe("current", () => {
  it("keeps text and value, numbers as strings, and leaves empty selections out", () => {
    expect(convertCurrent({ selected: false, text: "monitoring", value: "monitoring" })).toEqual({ text: "monitoring", value: "monitoring" });
    expect(convertCurrent({ text: ["a", "b"], value: ["a", "b"] })).toEqual({ text: ["a", "b"], value: ["a", "b"] });
    expect(convertCurrent({ text: "All", value: "$__all" })).toEqual({ text: "All", value: "$__all" });
    expect(convertCurrent({ text: "5", value: 5 })).toEqual({ text: "5", value: "5" });
    expect(convertCurrent({ text: "", value: "" })).toBeUndefined();
    expect(convertCurrent({})).toBeUndefined();
    expect(convertCurrent(undefined)).toBeUndefined();
  });
});
