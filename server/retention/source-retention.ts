import type { Db } from "@/db/client";
import type { Principal, RequestMeta } from "@/server/auth/principal";
import { AppError } from "@/server/lib/errors";
import { findSourceById, updateSource } from "@/server/logs/sources";

/**
 * A source's hot and archive days changed from Settings → Retention: the source update service
 * with everything else as stored, so its checks (archive ≥ hot, provisioned sources read-only)
 * and its audit record ("source.update") are the Sources page's.
 */
export async function updateSourceRetention(db: Db, principal: Principal, meta: RequestMeta | null, input: { id: string; hotDays: number; archiveDays: number }) {
  const source = await findSourceById(db, input.id);
  if (!source) throw new AppError("NOT_FOUND", { userMessage: "Source not found" });
  const s = await updateSource(db, principal, meta, input.id, {
    name: source.name,
    description: source.description,
    pipeline: source.pipeline,
    hotDays: input.hotDays,
    archiveDays: input.archiveDays,
  });
  return { id: s.id, name: s.name, hotDays: s.hotDays, archiveDays: s.archiveDays };
}
