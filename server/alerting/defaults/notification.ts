/**
 * The notification configuration of a fresh installation: the root route to a receiver `default`
 * without integrations, alerts grouped by name (notifications-service.ts DEFAULT_NOTIFICATION_CONFIG).
 * Alerts are visible in the console; adding a contact point to `default` (or a route) makes them
 * notify. Stored as version 1 when there is no configuration yet, so it shows in the history;
 * never touches a configuration someone saved or provisioned.
 */
import type { DbOrTx } from "@/db/client";
import { writeAudit } from "@/server/auth/audit";
import { DEFAULT_NOTIFICATION_CONFIG } from "../notifications-service";
import { PROVISIONING_ACTOR } from "../rules-service";
import * as store from "../store";

/** `created` when there was no configuration (this call stored the default), else `exists`. */
export async function ensureDefaultNotificationConfig(db: DbOrTx): Promise<"created" | "exists"> {
  const existing = await store.configRow(db);
  if (existing && existing.version > 0) return "exists";
  return db.transaction(async (tx) => {
    const json = DEFAULT_NOTIFICATION_CONFIG as unknown as Record<string, unknown>;
    // The row lock: another process starting at the same moment waits, then finds it stored.
    const row = await store.lockConfigRow(tx, json);
    if (row.version > 0) return "exists";
    await store.writeConfigRow(tx, { config: json, version: 1, provisioned: false, updatedBy: PROVISIONING_ACTOR.actorName });
    await store.insertConfigVersion(tx, { version: 1, config: json, message: "Default configuration: alerts are shown in the console; add a contact point to be notified", createdBy: null, createdByName: PROVISIONING_ACTOR.actorName });
    await writeAudit(tx, PROVISIONING_ACTOR, null, { action: "notification_config.update", result: "success", target: { type: "notification_config", id: "1" }, details: { version: 1, reason: "default configuration" } });
    return "created";
  });
}
