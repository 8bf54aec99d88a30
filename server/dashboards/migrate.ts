/**
 * Stored dashboards → the current model. A document carries the `schemaVersion` it was written
 * with; `migrateDashboard` runs the upgrade steps from that version to DASHBOARD_SCHEMA_VERSION
 * in order, then validates the result. Only version 1 exists so far, so today this validates.
 *
 * Adding version 2: bump DASHBOARD_SCHEMA_VERSION in model.ts and add `1: (doc) => …` to
 * UPGRADES, a pure function from a version-1 document (plain JSON) to a version-2 one. Steps
 * never see the zod types: old documents are not valid under the new schema until upgraded.
 *
 * Pure module: safe in the browser and in workers.
 */
import { AppError } from "@/server/lib/errors";
import { DashboardSchema, DASHBOARD_SCHEMA_VERSION, type Dashboard } from "./model";

type Doc = Record<string, unknown>;

/** `UPGRADES[n]` turns a version-n document into a version-(n+1) one. */
export const UPGRADES: Readonly<Record<number, (doc: Doc) => Doc>> = {};

/** The first schemaVersion we ever wrote. */
export const FIRST_SCHEMA_VERSION = 1;

function invalid(message: string): AppError {
  return new AppError("INVALID_INPUT", { userMessage: `Invalid dashboard: ${message}` });
}

/** Brings a stored dashboard document of any of our schemaVersions to the current one. */
export function migrateDashboard(raw: unknown): Dashboard {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw invalid("a dashboard must be a JSON object");
  let doc = raw as Doc;
  const version = doc.schemaVersion;
  if (typeof version !== "number" || !Number.isInteger(version)) throw invalid("schemaVersion: must be an integer");
  if (version < FIRST_SCHEMA_VERSION) throw invalid(`schemaVersion: ${version} is not a Lookout dashboard version`);
  if (version > DASHBOARD_SCHEMA_VERSION) {
    throw invalid(`schemaVersion: ${version} is newer than this Lookout understands (${DASHBOARD_SCHEMA_VERSION}); upgrade Lookout to open it`);
  }
  for (let v = version; v < DASHBOARD_SCHEMA_VERSION; v++) {
    const step = UPGRADES[v];
    if (!step) throw new Error(`dashboard migration from schemaVersion ${v} is missing`);
    doc = { ...step(doc), schemaVersion: v + 1 };
  }
  const parsed = DashboardSchema.safeParse(doc);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw invalid(`${first?.path.join(".") || "(root)"}: ${first?.message ?? "invalid"}`);
  }
  return parsed.data;
}
