/**
 * Which kind of datasource a Grafana panel or target queries. Grafana refers to datasources by
 * name (old JSON), by `{type, uid}` (new JSON), through a datasource variable (`$datasource`), or
 * through an export input (`${DS_PROMETHEUS}`), and `null` means the default datasource. We only
 * run PromQL, so all we need is "is this Prometheus?" and, when not, a name for the warning.
 */
import { isObject, objects, str, type Json } from "./json";

/** `prometheus`, another plugin id (`loki`, `elasticsearch`, …), or one of Grafana's special ones. */
export type DatasourceKind = "prometheus" | "mixed" | "grafana" | "dashboard" | (string & {});

const MIXED = new Set(["-- mixed --", "mixed"]);
const GRAFANA = new Set(["-- grafana --", "grafana"]);
const DASHBOARD = new Set(["-- dashboard --", "dashboard"]);

/** A `$name`, `${name}`, `${name:format}` or `[[name]]` reference, or undefined. */
function variableName(s: string): string | undefined {
  const m = /^\$\{([A-Za-z0-9_]+)(?::[^}]*)?\}$|^\$([A-Za-z0-9_]+)$|^\[\[([A-Za-z0-9_]+)(?::[^\]]*)?\]\]$/.exec(s.trim());
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/** Plugin ids that speak PromQL (Prometheus itself and managed Prometheus plugins). */
function isPromPlugin(type: string): boolean {
  return type === "prometheus" || /prometheus/i.test(type);
}

export class Datasources {
  /** Datasource variable or export input name → plugin id. */
  private readonly byVariable = new Map<string, string>();
  /** Datasource names and labels known from `__inputs` → plugin id. */
  private readonly byName = new Map<string, string>();
  /** Datasource plugin ids listed in `__requires`. */
  private readonly required: string[] = [];

  constructor(dash: Json) {
    for (const input of objects(dash.__inputs)) {
      const plugin = str(input.pluginId);
      if (input.type !== "datasource" || !plugin) continue;
      const name = str(input.name);
      if (name) this.byVariable.set(name, plugin);
      const label = str(input.label);
      if (label) this.byName.set(label.toLowerCase(), plugin);
    }
    for (const v of objects(isObject(dash.templating) ? dash.templating.list : undefined)) {
      const name = str(v.name);
      const plugin = str(v.query);
      if (v.type === "datasource" && name && plugin) this.byVariable.set(name, plugin);
    }
    for (const r of objects(dash.__requires)) {
      const id = str(r.id);
      if (r.type === "datasource" && id) this.required.push(id);
    }
  }

  /** The default datasource's kind: Prometheus unless the export requires only other ones. */
  private defaultKind(): DatasourceKind {
    if (this.required.length === 0 || this.required.some(isPromPlugin)) return "prometheus";
    return this.required[0];
  }

  private byString(s: string): DatasourceKind {
    const lower = s.trim().toLowerCase();
    if (lower === "" || lower === "default") return this.defaultKind();
    if (MIXED.has(lower)) return "mixed";
    if (GRAFANA.has(lower)) return "grafana";
    if (DASHBOARD.has(lower)) return "dashboard";
    const variable = variableName(s);
    if (variable !== undefined) {
      const plugin = this.byVariable.get(variable);
      return plugin ? (isPromPlugin(plugin) ? "prometheus" : plugin) : this.defaultKind();
    }
    const named = this.byName.get(lower);
    if (named) return isPromPlugin(named) ? "prometheus" : named;
    if (/prom|thanos|cortex|mimir/.test(lower)) return "prometheus";
    for (const other of ["loki", "elasticsearch", "influxdb", "graphite", "mysql", "postgres", "cloudwatch", "tempo", "jaeger", "zipkin"]) {
      if (lower.includes(other)) return other;
    }
    // A datasource name we cannot place: if the export lists only Prometheus, it is Prometheus.
    return this.defaultKind();
  }

  /** The kind of a panel's or target's `datasource` value. */
  kindOf(ref: unknown): DatasourceKind {
    if (ref === null || ref === undefined) return this.defaultKind();
    if (typeof ref === "string") return this.byString(ref);
    if (!isObject(ref)) return this.defaultKind();
    const type = str(ref.type);
    const uid = str(ref.uid);
    if (type === "datasource" || type === undefined || type === "") {
      if (uid !== undefined) return this.byString(uid);
      return this.defaultKind();
    }
    if (type === "grafana") return "grafana";
    if (isPromPlugin(type)) return "prometheus";
    return type;
  }

  /**
   * The kind a target runs against: its own datasource in a mixed panel (or when it names one),
   * else the panel's.
   */
  targetKind(panelRef: unknown, target: Json): DatasourceKind {
    // Grafana 2–4 targets named their datasource type (`dsType: "influxdb"`).
    const dsType = str(target.dsType);
    if (dsType) return isPromPlugin(dsType) ? "prometheus" : dsType;
    const panelKind = this.kindOf(panelRef);
    const own = target.datasource;
    if (own !== undefined && own !== null && !(isObject(own) && Object.keys(own).length === 0)) return this.kindOf(own);
    if (panelKind === "mixed") return this.defaultKind();
    return panelKind;
  }
}

