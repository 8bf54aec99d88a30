import { describe, expect, it } from "vitest";
import { Datasources } from "./datasources";
import { Notes } from "./json";
import { convertTargets, legendTemplate, toDuration } from "./targets";

const promOnly = { __requires: [{ type: "datasource", id: "prometheus" }] };

describe("Datasources", () => {
  const ds = new Datasources({
    __inputs: [
      { name: "DS_PROMETHEUS", label: "Prometheus", type: "datasource", pluginId: "prometheus" },
      { name: "DS_LOKI", label: "Logs", type: "datasource", pluginId: "loki" },
    ],
    __requires: [
      { type: "datasource", id: "prometheus" },
      { type: "datasource", id: "loki" },
    ],
    templating: { list: [{ type: "datasource", name: "datasource", query: "prometheus" }, { type: "datasource", name: "logs", query: "loki" }] },
  });

  it("resolves export inputs, datasource variables, names, objects and the default", () => {
    expect(ds.kindOf("${DS_PROMETHEUS}")).toBe("prometheus");
    expect(ds.kindOf("${DS_LOKI}")).toBe("loki");
    expect(ds.kindOf("$datasource")).toBe("prometheus");
    expect(ds.kindOf("[[logs]]")).toBe("loki");
    expect(ds.kindOf({ type: "prometheus", uid: "abc" })).toBe("prometheus");
    expect(ds.kindOf({ uid: "${DS_LOKI}" })).toBe("loki");
    expect(ds.kindOf({ type: "loki", uid: "x" })).toBe("loki");
    expect(ds.kindOf("Prometheus")).toBe("prometheus");
    expect(ds.kindOf("Logs")).toBe("loki");
    expect(ds.kindOf(null)).toBe("prometheus");
    expect(ds.kindOf("-- Mixed --")).toBe("mixed");
    expect(ds.kindOf({ type: "datasource", uid: "-- Mixed --" })).toBe("mixed");
    expect(ds.kindOf({ type: "datasource", uid: "grafana" })).toBe("grafana");
    expect(ds.kindOf("-- Dashboard --")).toBe("dashboard");
    expect(ds.kindOf({ type: "grafana-amazonprometheus-datasource", uid: "x" })).toBe("prometheus");
  });

  it("takes a mixed panel's target datasource, else the panel's", () => {
    expect(ds.targetKind("-- Mixed --", { datasource: "${DS_LOKI}" })).toBe("loki");
    expect(ds.targetKind("-- Mixed --", {})).toBe("prometheus");
    expect(ds.targetKind("${DS_LOKI}", {})).toBe("loki");
    expect(ds.targetKind("${DS_PROMETHEUS}", { datasource: {} })).toBe("prometheus");
    expect(ds.targetKind(null, { dsType: "influxdb", measurement: "cpu" })).toBe("influxdb");
  });

  it("treats the default datasource as the only one an export requires", () => {
    expect(new Datasources({ __requires: [{ type: "datasource", id: "elasticsearch" }] }).kindOf(null)).toBe("elasticsearch");
    expect(new Datasources({}).kindOf(undefined)).toBe("prometheus");
    expect(new Datasources({}).kindOf("my-company-metrics")).toBe("prometheus");
  });
});

describe("toDuration", () => {
  it("accepts Grafana interval forms", () => {
    expect(toDuration("30s")).toBe("30s");
    expect(toDuration(">1m")).toBe("1m");
    expect(toDuration("1m30s")).toBe("90s");
    expect(toDuration("1.5m")).toBe("90s");
    expect(toDuration("250ms")).toBe("250ms");
    expect(toDuration("15")).toBe("15s");
    expect(toDuration("")).toBeUndefined();
    expect(toDuration("$interval")).toBeUndefined();
    expect(toDuration("auto")).toBeUndefined();
  });
});

describe("convertTargets", () => {
  it("maps a Prometheus target", () => {
    const notes = new Notes();
    const r = convertTargets(
      {
        datasource: { type: "prometheus", uid: "${DS_PROMETHEUS}" },
        targets: [{ expr: "rate(x[5m])", legendFormat: "{{instance}}", interval: "30s", intervalFactor: 2, refId: "A", hide: true, format: "time_series", step: 240, exemplar: true }],
      },
      new Datasources(promOnly),
      notes,
      '"P"',
      { preferInstant: false },
    );
    expect(r.targets).toEqual([{ kind: "promql", refId: "A", expr: "rate(x[5m])", legendFormat: "{{instance}}", interval: "30s", instant: false, hide: true }]);
    expect(r.formats).toEqual(new Set(["time_series"]));
    expect(notes.list()).toEqual(['Query resolution (intervalFactor 1/2) not supported; dropped: "P"']);
  });

  it("runs instant targets (also format table + instant) as instant; range+instant by panel kind", () => {
    const panel = {
      targets: [
        { expr: "a", instant: true, refId: "A" },
        { expr: "b", instant: true, format: "table", refId: "B" },
        { expr: "c", instant: true, range: true, refId: "C" },
        { expr: "d", range: true, instant: false, refId: "D" },
      ],
    };
    const ds = new Datasources(promOnly);
    expect(convertTargets(panel, ds, new Notes(), "p", { preferInstant: false }).targets.map((t) => t.instant)).toEqual([true, true, false, false]);
    expect(convertTargets(panel, ds, new Notes(), "p", { preferInstant: true }).targets.map((t) => t.instant)).toEqual([true, true, true, false]);
  });

  it("drops empty expressions, skips other datasources' targets with a warning, keeps a mixed panel's Prometheus ones", () => {
    const notes = new Notes();
    const ds = new Datasources({
      __inputs: [
        { name: "DS_PROM", type: "datasource", pluginId: "prometheus" },
        { name: "DS_LOKI", type: "datasource", pluginId: "loki" },
      ],
    });
    const r = convertTargets(
      {
        datasource: { type: "datasource", uid: "-- Mixed --" },
        targets: [
          { datasource: { uid: "${DS_PROM}" }, expr: "up", refId: "A" },
          { datasource: { type: "loki", uid: "${DS_LOKI}" }, expr: 'sum(count_over_time({app="x"}[1m]))', refId: "B" },
          { datasource: { uid: "${DS_PROM}" }, expr: "   ", refId: "C" },
          { datasource: { type: "prometheus" }, refId: "D" },
        ],
      },
      ds,
      notes,
      '"Mixed"',
      { preferInstant: false },
    );
    expect(r.targets.map((t) => t.expr)).toEqual(["up"]);
    expect(notes.list()).toEqual(['Query on a non-Prometheus datasource (loki) skipped: "Mixed"']);
  });

  it("fills missing and repeated refIds, drops __auto legends, reports variable intervals", () => {
    const notes = new Notes();
    const r = convertTargets(
      {
        targets: [
          { expr: "a", refId: "A", legendFormat: "__auto" },
          { expr: "b", refId: "A" },
          { expr: "c", interval: "$interval" },
        ],
      },
      new Datasources({}),
      notes,
      '"P"',
      { preferInstant: false },
    );
    expect(r.targets.map((t) => [t.refId, t.legendFormat, t.interval])).toEqual([
      ["A", undefined, undefined],
      ["B", undefined, undefined],
      ["C", undefined, undefined],
    ]);
    expect(notes.list()).toEqual(['Query min interval from a variable ($interval) not supported; dropped: "P"']);
  });

  it("keeps at most 26 targets", () => {
    const notes = new Notes();
    const targets = Array.from({ length: 30 }, (_, i) => ({ expr: `m${i}` }));
    const r = convertTargets({ targets }, new Datasources({}), notes, '"Big"', { preferInstant: false });
    expect(r.targets).toHaveLength(26);
    expect(new Set(r.targets.map((t) => t.refId)).size).toBe(26);
    expect(notes.list()).toEqual(['More than 26 queries; the rest skipped: "Big"']);
  });

  it("notes queries of another language and server-side expressions, drops empty PromQL quietly", () => {
    const notes = new Notes();
    const r = convertTargets(
      {
        datasource: "-- Mixed --",
        targets: [
          { refId: "A", target: "aliasByNode(servers.*.cpu, 1)" },
          { refId: "B", datasource: { type: "__expr__", uid: "__expr__" }, type: "math", expression: "$A * 2" },
          { refId: "C", editorMode: "code", range: true },
          { refId: "D", expr: "up", legendFormat: "{{ instance }} / {{job}}" },
        ],
      },
      new Datasources({}),
      notes,
      '"P"',
      { preferInstant: false },
    );
    expect(r.targets.map((t) => [t.refId, t.legendFormat])).toEqual([["D", "{{instance}} / {{job}}"]]);
    expect(notes.list()).toEqual(['Query without a PromQL expression skipped: "P"', 'Server-side expression (math, reduce, resample) skipped: "P"']);
  });

  it("legendTemplate trims spaces inside braces only", () => {
    expect(legendTemplate("{{ a }}-{{b}} {x}")).toBe("{{a}}-{{b}} {x}");
  });
});
