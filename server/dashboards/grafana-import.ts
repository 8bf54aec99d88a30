/**
 * Dashboard JSON in: ours (a Lookout `schemaVersion` with `variables`) is migrated to the current
 * version and validated; Grafana dashboard JSON (any schemaVersion, bare, in the HTTP API's
 * `{dashboard, meta}` envelope, or in the "export for sharing" form with `__inputs`/`__requires`)
 * is converted (server/dashboards/grafana/), with the panels we cannot show listed and everything
 * else that was lost in `warnings`.
 */
import { AppError } from "@/server/lib/errors";
import { convertGrafanaDashboard, GrafanaInputError } from "./grafana/dashboard";
import { isObject, type Json } from "./grafana/json";
import { migrateDashboard } from "./migrate";
import type { Dashboard } from "./model";

/** A Grafana panel that has no counterpart here; reported, never silently dropped. */
export interface UnsupportedPanel {
  id: number | null;
  title: string;
  type: string;
  reason: string;
}

export interface ConvertedDashboard {
  format: "lookout" | "grafana";
  dashboard: Dashboard;
  /** The Grafana uid, when the JSON had one (kept so re-imports overwrite). */
  uid?: string;
  unsupported: UnsupportedPanel[];
  /** Other notes (a variable type we don't have, a panel option dropped). */
  warnings: string[];
}

function invalid(message: string): AppError {
  return new AppError("INVALID_INPUT", { userMessage: message });
}

/** Ours: a numeric schemaVersion with a `variables` list, and none of Grafana's `templating`. */
function isLookout(obj: Json): boolean {
  return typeof obj.schemaVersion === "number" && Array.isArray(obj.variables) && !("templating" in obj);
}

function looksLikeGrafana(obj: Json): boolean {
  return Array.isArray(obj.panels) || Array.isArray(obj.rows) || isObject(obj.templating) || typeof obj.schemaVersion === "number";
}

/**
 * The dashboard inside the envelopes Grafana wraps it in: `{dashboard, meta}` (GET
 * /api/dashboards/uid), `{dashboard, folderUid, overwrite}` (POST /api/dashboards/db), and the
 * Kubernetes-style `{apiVersion, kind: "Dashboard", spec}` of Grafana 12 when `spec` is classic.
 */
function unwrap(obj: Json): Json {
  if (isObject(obj.dashboard) && !Array.isArray(obj.panels) && !Array.isArray(obj.variables)) return obj.dashboard;
  // Grafana 2–3 exported `{"Dashboard": {…}}`.
  if (isObject(obj.Dashboard) && !Array.isArray(obj.panels) && !Array.isArray(obj.rows)) return obj.Dashboard;
  if (obj.kind === "Dashboard" && isObject(obj.spec)) {
    const spec = obj.spec;
    if ("elements" in spec || "layout" in spec) {
      throw invalid("Grafana's v2 dashboard schema (elements and layout) cannot be imported; export the dashboard from Grafana as classic JSON.");
    }
    const uid = isObject(obj.metadata) && typeof obj.metadata.name === "string" ? obj.metadata.name : undefined;
    return uid && spec.uid === undefined ? { ...spec, uid } : spec;
  }
  return obj;
}

/** Converts a dashboard JSON (ours or Grafana's); throws INVALID_INPUT with the reason. */
export function convertDashboardJson(raw: unknown): ConvertedDashboard {
  if (!isObject(raw)) throw invalid("A dashboard must be a JSON object.");
  const obj = unwrap(raw);
  if (isLookout(obj)) {
    const dashboard = migrateDashboard(obj);
    return { format: "lookout", dashboard, uid: typeof obj.uid === "string" ? obj.uid : undefined, unsupported: [], warnings: [] };
  }
  if (!looksLikeGrafana(obj)) {
    throw invalid("Not a dashboard: expected a Grafana dashboard JSON (with panels or templating) or a Lookout one (with schemaVersion and variables).");
  }
  try {
    const r = convertGrafanaDashboard(obj);
    return { format: "grafana", dashboard: r.dashboard, uid: r.uid, unsupported: r.unsupported, warnings: r.warnings };
  } catch (e) {
    if (e instanceof GrafanaInputError) throw invalid(`Invalid Grafana dashboard: ${e.message}`);
    throw e;
  }
}
