/**
 * Helpers for integration tests: users and principals of a given role, tRPC callers, audit
 * look-ups, scratch databases and requests for route handlers. Import only from `*.int.test.ts`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { and, desc, eq, type SQL } from "drizzle-orm";
import pg from "pg";
import { expect, inject } from "vitest";
import { createDb, createPool, getDb, type Db } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { auditLog } from "@/db/schema";
import { createApiKey, createServiceAccount } from "@/server/auth/api-keys";
import type { AuditActor } from "@/server/auth/audit";
import type { ApiKeyScope } from "@/server/auth/permissions";
import type { Principal, RequestMeta } from "@/server/auth/principal";
import { userPrincipal } from "@/server/auth/resolve";
import { ensureBuiltinRoles, findRoleByName } from "@/server/auth/roles";
import { createUser } from "@/server/auth/users";
import { AppError } from "@/server/lib/errors";
import { createCaller } from "@/server/trpc/root";

/** A short random id for unique names, emails and IPs. */
export const uid = (bytes = 4) => randomBytes(bytes).toString("hex");

export const uniqueEmail = (label = "user") => `${label}-${uid()}@example.test`;

/** A random private IPv4 address, so per-IP sign-in throttling never crosses tests. */
export const uniqueIp = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 254) + 1).join(".")}`;

export const TEST_ACTOR: AuditActor = { actorType: "system", actorId: null, actorName: "vitest" };

export function testMeta(over: Partial<RequestMeta> = {}): RequestMeta {
  return { ip: "127.0.0.1", userAgent: "vitest", requestId: randomUUID(), ...over };
}

export type TestUser = { id: string; email: string; password: string; principal: Principal & { type: "user" } };

/** Creates a user with the named role (built-in roles are ensured first) and its principal. */
export async function createTestUser(roleName: string, opts: { db?: Db; email?: string; password?: string } = {}): Promise<TestUser> {
  const db = opts.db ?? getDb();
  await ensureBuiltinRoles(db);
  const role = await findRoleByName(db, roleName);
  if (!role) throw new Error(`no role ${roleName}`);
  const email = opts.email ?? uniqueEmail(roleName.toLowerCase());
  const password = opts.password ?? `pw-${uid(8)}`;
  const u = await createUser(db, TEST_ACTOR, null, { email, password, roleId: role.id });
  const principal = await userPrincipal(db, u.id, `test-session-${uid()}`);
  if (principal?.type !== "user") throw new Error("test user has no principal");
  return { id: u.id, email: u.email, password, principal };
}

/** A new service account with one API key of the given scopes; returns the plaintext key. */
export async function createTestKey(scopes: ApiKeyScope[], opts: { db?: Db; name?: string } = {}) {
  const db = opts.db ?? getDb();
  const sa = await createServiceAccount(db, TEST_ACTOR, null, { name: opts.name ?? `sa-${uid()}` });
  const key = await createApiKey(db, TEST_ACTOR, null, { serviceAccountId: sa.id, name: "test", scopes });
  return { serviceAccount: sa, ...key };
}

/** A tRPC caller acting as `principal` (null: not signed in). */
export function callerFor(principal: Principal | null, opts: { db?: Db; meta?: RequestMeta } = {}) {
  return createCaller({ db: opts.db ?? getDb(), principal, meta: opts.meta ?? testMeta() });
}

/** Audit rows matching every given column, newest first. */
export async function auditRows(
  where: Partial<{ action: string; actorId: string; actorName: string; targetId: string; result: string }>,
  db: Db = getDb(),
) {
  const conds: SQL[] = [];
  if (where.action) conds.push(eq(auditLog.action, where.action));
  if (where.actorId) conds.push(eq(auditLog.actorId, where.actorId));
  if (where.actorName) conds.push(eq(auditLog.actorName, where.actorName));
  if (where.targetId) conds.push(eq(auditLog.targetId, where.targetId));
  if (where.result) conds.push(eq(auditLog.result, where.result as "success"));
  return db.select().from(auditLog).where(and(...conds)).orderBy(desc(auditLog.id));
}

/** Awaits a promise that must reject with a TRPCError of `code`; returns the error. */
export async function expectTrpcError(promise: Promise<unknown>, code: TRPCError["code"]): Promise<TRPCError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected a ${code} TRPCError`).toBeInstanceOf(TRPCError);
  expect((err as TRPCError).code).toBe(code);
  return err as TRPCError;
}

/** Awaits a promise that must reject with an AppError of `code` (domain functions); returns the error. */
export async function expectAppError(promise: Promise<unknown>, code: AppError["code"]): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected AppError ${code}`).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

export type ScratchDatabase = { url: string; db: Db; drop: () => Promise<void> };

/**
 * A migrated, empty database of its own, for tests that need a clean slate (first-run seeding,
 * "the last Admin"). Global teardown drops any left behind.
 */
export async function scratchDatabase(): Promise<ScratchDatabase> {
  const name = `${inject("databaseName")}_s${uid()}`;
  const adminUrl = inject("adminDatabaseUrl");
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${pg.escapeIdentifier(name)}`);
  const u = new URL(inject("databaseUrl"));
  u.pathname = `/${name}`;
  const url = u.toString();
  await runMigrations(url);
  const pool = createPool(url, 3);
  return {
    url,
    db: createDb(pool),
    drop: async () => {
      await pool.end();
      await admin(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    },
  };
}

/** A request for a route handler, as Next.js would pass it. */
export function request(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Request {
  return new Request(`http://localhost:3000${path}`, {
    method: init.method ?? "GET",
    headers: { host: "localhost:3000", ...init.headers },
    body: init.body,
  });
}

export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
