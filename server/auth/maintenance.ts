import { lt } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { session, verification } from "@/db/schema";

/** Deletes expired sessions and verification tokens; returns how many of each. */
export async function purgeExpiredSessions(db: DbOrTx, now = new Date()) {
  const s = await db.delete(session).where(lt(session.expiresAt, now)).returning({ id: session.id });
  const v = await db.delete(verification).where(lt(verification.expiresAt, now)).returning({ id: verification.id });
  return { sessions: s.length, verifications: v.length };
}
