/**
 * `bin/lookout`: the CLI for automation. stdout carries only the result (a key, an id,
 * "migrated", a JSON summary); progress, notices and errors go to stderr. Exit codes: 0 done, 1 failed, 2 bad arguments.
 */
import path from "node:path";
import type { Db } from "@/db/client";
import type { AuditActor } from "@/server/auth/audit";
import type { ProvisioningPlan } from "@/server/provisioning/parse";
import { USAGE, UsageError, parseCli, type CliCommand } from "./lib/cli-args";
import type { Connection } from "./lib/connect";

/** Audit records of CLI changes name this actor. */
const CLI_ACTOR: AuditActor = { actorType: "system", actorId: null, actorName: "cli" };

const log = (s: string) => process.stderr.write(`lookout: ${s}\n`);
/** Writes to stdout and resolves once flushed, so exiting right after cannot cut the result off. */
const out = (s: string) => new Promise<void>((resolve) => process.stdout.write(s, () => resolve()));

/**
 * The database and domain modules, loaded only once a command needs them (so `help` and argument
 * errors answer at once).
 */
async function load() {
  const [client, migrate, apiKeys, roles, users, errors, connect] = await Promise.all([
    import("@/db/client"),
    import("@/db/migrate"),
    import("@/server/auth/api-keys"),
    import("@/server/auth/roles"),
    import("@/server/auth/users"),
    import("@/server/lib/errors"),
    import("./lib/connect"),
  ]);
  return { ...client, ...migrate, ...apiKeys, ...roles, ...users, ...errors, ...connect };
}
type Modules = Awaited<ReturnType<typeof load>>;

async function findOrCreateServiceAccount(m: Modules, db: Db, name: string) {
  const { createServiceAccount, findServiceAccountByName, isAppError } = m;
  const existing = await findServiceAccountByName(db, name);
  if (existing) return existing;
  try {
    return await createServiceAccount(db, CLI_ACTOR, null, { name });
  } catch (e) {
    // Created concurrently by someone else: use theirs.
    const now = isAppError(e) && e.code === "CONFLICT" ? await findServiceAccountByName(db, name) : null;
    if (now) return now;
    throw e;
  }
}

async function resolveRole(m: Modules, db: Db, wanted: string) {
  const { AppError, listRoles } = m;
  const roles = await listRoles(db);
  const role = roles.find((r) => r.name === wanted) ?? roles.find((r) => r.name.toLowerCase() === wanted.toLowerCase());
  if (!role) {
    throw new AppError("INVALID_INPUT", { userMessage: `unknown role "${wanted}"; roles: ${roles.map((r) => r.name).join(", ")}` });
  }
  return role;
}

/** Runs one command against `db` and returns what to print on stdout. */
async function execute(m: Modules, db: Db, cmd: Exclude<CliCommand, { kind: "help" | "migrate" | "provision.apply" | "retention.run" }>): Promise<string> {
  const { AppError, createApiKey, createUser, ensureBuiltinRoles } = m;
  await ensureBuiltinRoles(db);
  switch (cmd.kind) {
    case "apikey.create": {
      const sa = await findOrCreateServiceAccount(m, db, cmd.serviceAccount);
      if (sa.disabled) throw new AppError("CONFLICT", { userMessage: `service account "${sa.name}" is disabled` });
      const created = await createApiKey(db, CLI_ACTOR, null, { serviceAccountId: sa.id, name: cmd.name, scopes: cmd.scopes });
      return created.key;
    }
    case "user.create": {
      const role = await resolveRole(m, db, cmd.role);
      const u = await createUser(db, CLI_ACTOR, null, { email: cmd.email, password: cmd.password, name: cmd.name, roleId: role.id });
      return u.id;
    }
  }
}

async function main(argv: string[]): Promise<number> {
  let cmd: CliCommand;
  try {
    cmd = parseCli(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`lookout: ${e.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (cmd.kind === "help") {
    await out(`${USAGE}\n`);
    return 0;
  }

  // The provisioning file is read and checked before any database is touched.
  let plan: ProvisioningPlan | null = null;
  if (cmd.kind === "provision.apply") {
    const { env } = await import("@/env");
    const file = cmd.file ?? env().LOOKOUT_CONFIG;
    if (!file) {
      process.stderr.write(`lookout: --file is required (or set LOOKOUT_CONFIG)\n\n${USAGE}\n`);
      return 2;
    }
    const { loadProvisioningFile } = await import("@/server/provisioning/parse");
    try {
      plan = await loadProvisioningFile(path.resolve(file));
    } catch (e) {
      log((e as Error).message);
      return 1;
    }
    for (const notice of plan.notices) log(notice);
  }

  let conn: Connection | null = null;
  const stop = async () => {
    const c = conn;
    conn = null;
    await c?.close().catch((e: unknown) => log(`stopping PostgreSQL failed: ${(e as Error).message}`));
  };
  const onSignal = () => void stop().finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  let m: Modules | null = null;
  try {
    m = await load();
    const { connectDatabase, createDb, createPool, runMigrations } = m;
    conn = await connectDatabase(log);
    // Idempotent: a fresh data dir or an older schema is brought up to date first.
    await runMigrations(conn.url);
    if (cmd.kind === "migrate") {
      await out("migrated\n");
      return 0;
    }
    // Retention holds one connection for its lock beside the ones it works with.
    const pool = createPool(conn.url, cmd.kind === "retention.run" ? 4 : 2);
    try {
      if (cmd.kind === "provision.apply") {
        const { applyProvisioning } = await import("@/server/provisioning/apply");
        const summary = await applyProvisioning(createDb(pool), plan!, { dryRun: cmd.dryRun });
        await out(`${JSON.stringify(summary, null, 2)}\n`);
        return 0;
      }
      if (cmd.kind === "retention.run") {
        const [{ runRetention }, { archiveStore }] = await Promise.all([import("@/server/retention/run"), import("@/server/archive/store-from-env")]);
        const result = await runRetention({ db: createDb(pool), store: archiveStore(), trigger: "cli", actor: "cli" });
        await out(`${JSON.stringify(result, null, 2)}\n`);
        if ("skipped" in result) {
          log(result.skipped);
          return 1;
        }
        if (result.errors.length) log(`${result.errors.length} item(s) failed`);
        return result.errors.length ? 1 : 0;
      }
      await out(`${await execute(m, createDb(pool), cmd)}\n`);
    } finally {
      await pool.end();
    }
    return 0;
  } catch (e) {
    log(m?.isAppError(e) ? e.userMessage : (e as Error).message || String(e));
    return 1;
  } finally {
    await stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    log((e as Error)?.stack ?? String(e));
    process.exit(1);
  },
);
