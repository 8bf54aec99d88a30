/**
 * Dashboard JSON in: ours (schemaVersion 1 with `variables`) is validated as is; a Grafana
 * dashboard JSON is converted. Conversion of Grafana JSON is being written (see the Dashboards
 * issue); until it lands, Grafana JSON is refused with a clear message.
 */
import { AppError } from "@/server/lib/errors";
import { DashboardSchema, DASHBOARD_SCHEMA_VERSION, type Dashboard } from "./model";

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

function isLookout(raw: Record<string, unknown>): boolean {
  return raw.schemaVersion === DASHBOARD_SCHEMA_VERSION && Array.isArray(raw.variables);
}

/** Converts a dashboard JSON (ours or Grafana's); throws INVALID_INPUT with the reason. */
export function convertDashboardJson(raw: unknown): ConvertedDashboard {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new AppError("INVALID_INPUT", { userMessage: "A dashboard must be a JSON object." });
  const obj = raw as Record<string, unknown>;
  if (!isLookout(obj)) throw new AppError("INVALID_INPUT", { userMessage: "Grafana dashboard JSON cannot be imported yet." });
  const parsed = DashboardSchema.safeParse(obj);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new AppError("INVALID_INPUT", { userMessage: `Invalid dashboard: ${first?.path.join(".") || "(root)"}: ${first?.message ?? "invalid"}` });
  }
  return { format: "lookout", dashboard: parsed.data, uid: typeof obj.uid === "string" ? obj.uid : undefined, unsupported: [], warnings: [] };
}
