import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { apiKeys, serviceAccounts } from "@/db/schema";
import { AppError, isUniqueViolation } from "@/server/lib/errors";
import { writeAudit, type AuditActor } from "./audit";
import { ALL_SCOPES, permissionsForScopes, type ApiKeyScope } from "./permissions";
import type { Principal, RequestMeta } from "./principal";

const KEY_PREFIX = "lk_";

/** A signed-in principal, or a system actor such as the CLI (`{ actorType: "system", actorName: "cli" }`). */
type Actor = Principal | AuditActor | null;

/** Who created a row: the principal's id, or the system actor's id (null for the CLI). */
function creatorId(actor: Actor): string | null {
  if (!actor) return null;
  return "actorType" in actor ? actor.actorId : actor.id;
}

/** A new random key: `lk_` + 40 base62-ish chars (240 bits). Only its SHA-256 is stored. */
export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(30).toString("base64url");
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function displayPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX.length + 6);
}

export async function createServiceAccount(
  db: Db,
  actor: Actor,
  meta: Pick<RequestMeta, "ip"> | null,
  input: { name: string; description?: string },
) {
  try {
    return await db.transaction(async (tx) => {
      const [sa] = await tx
        .insert(serviceAccounts)
        .values({ name: input.name, description: input.description ?? "", createdBy: creatorId(actor) })
        .returning();
      await writeAudit(tx, actor, meta, {
        action: "serviceaccount.create",
        result: "success",
        target: { type: "service_account", id: sa!.id, name: sa!.name },
      });
      return sa!;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", { userMessage: `A service account named "${input.name}" already exists` });
    throw e;
  }
}

/** Disabling a service account makes every one of its keys fail (401) until it is enabled again. */
export async function setServiceAccountDisabled(db: Db, actor: Actor, meta: Pick<RequestMeta, "ip"> | null, id: string, disabled: boolean) {
  return db.transaction(async (tx) => {
    const [sa] = await tx.update(serviceAccounts).set({ disabled }).where(eq(serviceAccounts.id, id)).returning();
    if (!sa) throw new AppError("NOT_FOUND", { userMessage: "Service account not found" });
    await writeAudit(tx, actor, meta, {
      action: disabled ? "serviceaccount.disable" : "serviceaccount.enable",
      result: "success",
      target: { type: "service_account", id: sa.id, name: sa.name },
    });
    return sa;
  });
}

export async function findServiceAccountByName(db: DbOrTx, name: string) {
  const [sa] = await db.select().from(serviceAccounts).where(eq(serviceAccounts.name, name));
  return sa ?? null;
}

/**
 * Creates a key; the plaintext is returned once and never stored. `opts.key` is for keys the
 * console derives itself (the demo's ingest key, see server/demo/config.ts) instead of a random one.
 */
export async function createApiKey(
  db: Db,
  actor: Actor,
  meta: Pick<RequestMeta, "ip"> | null,
  input: { serviceAccountId: string; name: string; scopes: ApiKeyScope[]; expiresAt?: Date | null },
  opts: { key?: string } = {},
): Promise<{ id: string; key: string; prefix: string; scopes: ApiKeyScope[] }> {
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0 || scopes.some((s) => !ALL_SCOPES.includes(s))) {
    throw new AppError("INVALID_INPUT", { userMessage: `Scopes must be a non-empty subset of ${ALL_SCOPES.join(", ")}` });
  }
  if (opts.key !== undefined && (!opts.key.startsWith(KEY_PREFIX) || opts.key.length < KEY_PREFIX.length + 32)) {
    throw new Error("a preset API key must start with lk_ and carry at least 32 characters of secret");
  }
  const key = opts.key ?? generateApiKey();
  return db.transaction(async (tx) => {
    const [sa] = await tx.select().from(serviceAccounts).where(eq(serviceAccounts.id, input.serviceAccountId));
    if (!sa) throw new AppError("NOT_FOUND", { userMessage: "Service account not found" });
    const [row] = await tx
      .insert(apiKeys)
      .values({
        serviceAccountId: sa.id,
        name: input.name,
        prefix: displayPrefix(key),
        keyHash: hashApiKey(key),
        scopes,
        createdBy: creatorId(actor),
        expiresAt: input.expiresAt ?? null,
      })
      .returning({ id: apiKeys.id, prefix: apiKeys.prefix });
    await writeAudit(tx, actor, meta, {
      action: "apikey.create",
      result: "success",
      target: { type: "api_key", id: row!.id, name: `${sa.name}/${input.name}` },
      details: { scopes, prefix: row!.prefix },
    });
    return { id: row!.id, key, prefix: row!.prefix, scopes };
  });
}

export async function revokeApiKey(db: Db, actor: Actor, meta: Pick<RequestMeta, "ip"> | null, keyId: string) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix });
    if (!row) throw new AppError("NOT_FOUND", { userMessage: "API key not found or already revoked" });
    await writeAudit(tx, actor, meta, {
      action: "apikey.revoke",
      result: "success",
      target: { type: "api_key", id: row.id, name: row.name },
      details: { prefix: row.prefix },
    });
    return row;
  });
}

export async function listServiceAccounts(db: DbOrTx) {
  const accounts = await db.select().from(serviceAccounts).orderBy(serviceAccounts.name);
  const keys = await db
    .select({
      id: apiKeys.id,
      serviceAccountId: apiKeys.serviceAccountId,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      createdAt: apiKeys.createdAt,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .orderBy(desc(apiKeys.createdAt));
  return accounts.map((sa) => ({ ...sa, keys: keys.filter((k) => k.serviceAccountId === sa.id) }));
}

/** The stored row of a key given its plaintext (by hash), whatever its state; null when unknown. */
export async function findApiKeyByPlaintext(db: DbOrTx, key: string) {
  const [row] = await db
    .select({ id: apiKeys.id, serviceAccountId: apiKeys.serviceAccountId, name: apiKeys.name, prefix: apiKeys.prefix, scopes: apiKeys.scopes, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, hashApiKey(key)));
  return row ?? null;
}

/** A service account's keys that are not revoked. */
export async function activeKeysOf(db: DbOrTx, serviceAccountId: string) {
  return db
    .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix })
    .from(apiKeys)
    .where(and(eq(apiKeys.serviceAccountId, serviceAccountId), isNull(apiKeys.revokedAt)));
}

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Resolves a presented key to its service-account principal, or null when unknown, revoked,
 * expired or disabled. Updates last-used time at most once a minute per key.
 */
export async function authenticateApiKey(db: Db, key: string): Promise<Principal | null> {
  if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
  const [row] = await db
    .select({
      keyId: apiKeys.id,
      scopes: apiKeys.scopes,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
      lastUsedAt: apiKeys.lastUsedAt,
      saId: serviceAccounts.id,
      saName: serviceAccounts.name,
      saDisabled: serviceAccounts.disabled,
    })
    .from(apiKeys)
    .innerJoin(serviceAccounts, eq(serviceAccounts.id, apiKeys.serviceAccountId))
    .where(eq(apiKeys.keyHash, hashApiKey(key)));
  const now = Date.now();
  if (!row || row.revokedAt || row.saDisabled || (row.expiresAt && row.expiresAt.getTime() <= now)) return null;
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.update(apiKeys).set({ lastUsedAt: new Date(now) }).where(eq(apiKeys.id, row.keyId));
  }
  return {
    type: "service_account",
    id: row.saId,
    name: row.saName,
    apiKeyId: row.keyId,
    scopes: row.scopes,
    permissions: permissionsForScopes(row.scopes),
    dataFilter: null,
  };
}

/**
 * The key presented in a request, in any of the three accepted forms:
 * `Authorization: Bearer KEY`, HTTP Basic with the key as password, or `X-API-Key: KEY`.
 */
export function extractApiKey(headers: Headers): string | null {
  const x = headers.get("x-api-key");
  if (x) return x.trim();
  const auth = headers.get("authorization");
  if (!auth) return null;
  const [scheme, value] = auth.split(/\s+/, 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === "bearer") return value.trim();
  if (scheme.toLowerCase() === "basic") {
    let decoded: string;
    try {
      decoded = Buffer.from(value, "base64").toString("utf8");
    } catch {
      return null;
    }
    const colon = decoded.indexOf(":");
    return colon >= 0 ? decoded.slice(colon + 1) : decoded;
  }
  return null;
}
