import { describe, expect, it } from "vitest";
import { AppError } from "@/server/lib/errors";
import { convertDashboardJson } from "./grafana-import";
import { allVisualPanels } from "./model";

function error(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("did not throw");
}

/** A Grafana 5-era "export for sharing externally" (schemaVersion 16). */
const grafana5 = {
  __inputs: [{ name: "DS_PROMETHEUS", label: "Prometheus", type: "datasource", pluginId: "prometheus", pluginName: "Prometheus" }],
  __requires: [
    { type: "grafana", id: "grafana", version: "5.2.0" },
    { type: "datasource", id: "prometheus", version: "5.0.0" },
    { type: "panel", id: "graph", version: "5.0.0" },
    { type: "panel", id: "singlestat", version: "5.0.0" },
  ],
  annotations: { list: [{ builtIn: 1, datasource: "-- Grafana --", enable: true, name: "Annotations & Alerts", type: "dashboard" }] },
  editable: true,
  graphTooltip: 1,
  id: null,
  links: [],
  schemaVersion: 16,
  style: "dark",
  tags: ["prometheus"],
  time: { from: "now-1h", to: "now" },
  timezone: "",
  title: "Service",
  uid: "svc-1",
  version: 3,
  refresh: "30s",
  templating: {
    list: [
      { type: "query", name: "job", datasource: "${DS_PROMETHEUS}", query: "label_values(up, job)", refresh: 1, sort: 1, multi: false, includeAll: false, current: {}, hide: 0, options: [], regex: "", tagValuesQuery: "", tags: [], tagsQuery: "", useTags: false },
      { type: "interval", name: "step", query: "1m,5m,10m", auto: false, auto_count: 30, auto_min: "10s", current: { text: "5m", value: "5m" } },
    ],
  },
  panels: [
    {
      type: "graph",
      id: 1,
      title: "Requests",
      datasource: "${DS_PROMETHEUS}",
      gridPos: { h: 9, w: 12, x: 0, y: 0 },
      lines: true,
      fill: 1,
      linewidth: 1,
      legend: { show: true, values: true, current: true, avg: true, alignAsTable: true },
      yaxes: [{ format: "reqps", logBase: 1, show: true, min: "0" }, { format: "short", logBase: 1, show: true }],
      targets: [{ expr: 'sum(rate(http_requests_total{job="$job"}[$step])) by (code)', format: "time_series", intervalFactor: 1, legendFormat: "{{code}}", refId: "A" }],
    },
    {
      type: "singlestat",
      id: 2,
      title: "Up",
      datasource: "${DS_PROMETHEUS}",
      gridPos: { h: 9, w: 6, x: 12, y: 0 },
      format: "none",
      valueName: "current",
      thresholds: "0.5,1",
      colors: ["#d44a3a", "rgba(237, 129, 40, 0.89)", "#299c46"],
      colorBackground: true,
      mappingType: 1,
      valueMaps: [
        { op: "=", text: "DOWN", value: "0" },
        { op: "=", text: "UP", value: "1" },
      ],
      sparkline: { show: false },
      gauge: { show: false },
      targets: [{ expr: 'up{job="$job"}', instant: true, refId: "A" }],
    },
    {
      type: "table",
      id: 3,
      title: "Targets",
      gridPos: { h: 9, w: 6, x: 18, y: 0 },
      transform: "table",
      styles: [{ pattern: "Value", type: "number", unit: "short", decimals: 0 }],
      targets: [{ expr: "up", format: "table", instant: true, refId: "A" }],
    },
    { type: "text", id: 4, title: "Notes", gridPos: { h: 3, w: 24, x: 0, y: 9 }, mode: "markdown", content: "**Runbook**: see wiki" },
    { type: "grafana-piechart-panel", id: 5, title: "Codes", gridPos: { h: 8, w: 12, x: 0, y: 12 }, targets: [{ expr: "x" }] },
  ],
};

describe("convertDashboardJson: Grafana JSON", () => {
  it("converts a Grafana 5 export", () => {
    const r = convertDashboardJson(grafana5);
    expect(r.format).toBe("grafana");
    expect(r.uid).toBe("svc-1");
    const d = r.dashboard;
    expect(d).toMatchObject({ title: "Service", tags: ["prometheus"], refresh: "30s", graphTooltip: "crosshair", time: { from: "now-1h", to: "now" } });
    expect(d.variables.map((v) => [v.type, v.name])).toEqual([
      ["query", "job"],
      ["interval", "step"],
    ]);
    expect(d.panels.map((p) => [p.type, p.id])).toEqual([
      ["timeseries", 1],
      ["stat", 2],
      ["table", 3],
      ["text", 4],
    ]);
    const [graph, stat, table] = allVisualPanels(d);
    expect(graph).toMatchObject({
      targets: [{ kind: "promql", refId: "A", expr: 'sum(rate(http_requests_total{job="$job"}[$step])) by (code)', legendFormat: "{{code}}", instant: false, hide: false }],
      fieldConfig: { defaults: { unit: "reqps", min: 0 } },
      options: { legend: { displayMode: "table", calcs: ["mean", "last"] } },
    });
    expect(stat).toMatchObject({
      options: { reduce: "lastNotNull", colorMode: "background", graphMode: "none" },
      fieldConfig: { defaults: { unit: "none", mappings: [{ type: "value", value: "0", text: "DOWN" }, { type: "value", value: "1", text: "UP" }] } },
      targets: [{ instant: true }],
    });
    expect(table).toMatchObject({ options: { format: "series" }, fieldConfig: { overrides: [{ matcher: { id: "byName", options: "Value" }, properties: { unit: "short", decimals: 0 } }] } });
    expect(r.unsupported).toEqual([{ id: 5, title: "Codes", type: "grafana-piechart-panel", reason: 'panel type "grafana-piechart-panel" has no counterpart in Lookout' }]);
    expect(r.warnings).toEqual([]);
  });

  it("unwraps the HTTP API envelopes", () => {
    const get = convertDashboardJson({ dashboard: grafana5, meta: { type: "db", slug: "service", folderUid: "" } });
    expect(get.format).toBe("grafana");
    expect(get.dashboard.title).toBe("Service");
    const post = convertDashboardJson({ dashboard: { ...grafana5, uid: "other" }, folderUid: "f", overwrite: true, message: "x" });
    expect(post.uid).toBe("other");
    expect(convertDashboardJson({ Dashboard: { title: "Grafana 2", rows: [] } }).dashboard.title).toBe("Grafana 2");
  });

  it("reads a Kubernetes-style classic spec and refuses the v2 schema", () => {
    const k8s = convertDashboardJson({ apiVersion: "dashboard.grafana.app/v1beta1", kind: "Dashboard", metadata: { name: "k8s-uid" }, spec: { ...grafana5, uid: undefined } });
    expect(k8s.uid).toBe("k8s-uid");
    const e = error(() => convertDashboardJson({ apiVersion: "dashboard.grafana.app/v2beta1", kind: "Dashboard", spec: { title: "x", elements: {}, layout: {} } }));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.userMessage).toMatch(/v2 dashboard schema/);
  });

  it("names the field of an unusable Grafana dashboard", () => {
    const e = error(() => convertDashboardJson({ ...grafana5, title: "" }));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.userMessage).toBe("Invalid Grafana dashboard: title: a dashboard title is required");
  });
});

describe("convertDashboardJson: ours", () => {
  it("passes our own JSON through validation, and a converted dashboard round-trips", () => {
    const converted = convertDashboardJson(grafana5).dashboard;
    const again = convertDashboardJson({ ...JSON.parse(JSON.stringify(converted)), uid: "mine" });
    expect(again.format).toBe("lookout");
    expect(again.uid).toBe("mine");
    expect(again.dashboard).toEqual(converted);
    expect(again.unsupported).toEqual([]);
    expect(again.warnings).toEqual([]);
  });

  it("accepts ours inside an envelope too", () => {
    const converted = convertDashboardJson(grafana5).dashboard;
    expect(convertDashboardJson({ dashboard: converted, meta: {} }).format).toBe("lookout");
  });

  it("refuses invalid JSON of ours with the field", () => {
    const e = error(() => convertDashboardJson({ schemaVersion: 1, title: "x", variables: [{ type: "query", name: "1bad", query: "" }] }));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.userMessage).toMatch(/^Invalid dashboard: variables\.0\.name: /);
  });
});

describe("convertDashboardJson: not a dashboard", () => {
  it("refuses non-objects and objects that are no dashboard", () => {
    for (const raw of [null, 3, "x", []]) expect(error(() => convertDashboardJson(raw)).userMessage).toBe("A dashboard must be a JSON object.");
    expect(error(() => convertDashboardJson({ foo: 1 })).userMessage).toMatch(/^Not a dashboard/);
  });
});
