import { parseArgs } from "node:util";
import { z } from "zod";
import { ALL_SCOPES, type ApiKeyScope } from "@/server/auth/permissions";
import { EmailSchema, PasswordSchema } from "@/server/auth/schemas";

/** What `bin/lookout` was asked to do (argument parsing only: no I/O, so it is unit-tested). */
export type CliCommand =
  | { kind: "help" }
  | { kind: "migrate" }
  | { kind: "apikey.create"; name: string; scopes: ApiKeyScope[]; serviceAccount: string }
  | { kind: "user.create"; email: string; password: string; role: string; name?: string }
  /** `file` unset: LOOKOUT_CONFIG's (the CLI fills it in). */
  | { kind: "provision.apply"; file?: string; dryRun: boolean }
  | { kind: "retention.run" };

/** Bad arguments: the CLI prints the message and the usage to stderr and exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const USAGE = `Usage: bin/lookout <command> [options]

Commands
  apikey create --name NAME --scopes SCOPES [--service-account SA]
      Creates an API key for service account SA (default: NAME; created when missing) and
      prints the key (shown only this once). SCOPES: comma-separated, of ${ALL_SCOPES.join(", ")}.
  user create --email EMAIL --password PASSWORD [--role ROLE] [--name NAME]
      Creates a user (ROLE default: Viewer) and prints the new user's id.
  migrate
      Applies pending database migrations and prints "migrated".
  provision apply [--file FILE] [--dry-run]
      Applies the provisioning file (default: LOOKOUT_CONFIG) and prints a JSON summary: per
      kind, the names created, updated, unchanged and released (no longer in the file). With
      --dry-run nothing is written; the summary says what applying would do. Scrape schedules
      follow within a minute.
  retention run
      Runs retention now (partitions ahead, archive and drop log days past hot, drop expired
      archives and partitions) and prints the run's JSON summary. Exit code 1 when an item
      failed (see "errors") or another run is in progress ({"skipped": ...}).
  help
      Prints this text.

Database: DATABASE_URL when set; otherwise the console running from LOOKOUT_DATA_DIR (.data);
otherwise the embedded PostgreSQL in LOOKOUT_DATA_DIR/pg, started for the command.
Exit codes: 0 done, 1 failed, 2 bad arguments.`;

function parse<O extends Record<string, { type: "string" | "boolean"; short?: string }>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function required(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`${flag} is required`);
  return value.trim();
}

function validate<T>(schema: z.ZodType<T>, value: unknown, flag: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(`${flag}: ${r.error.issues.map((i) => i.message).join("; ")}`);
  return r.data;
}

export function parseScopes(value: string): ApiKeyScope[] {
  const scopes = [...new Set(value.split(",").map((s) => s.trim()).filter(Boolean))];
  if (scopes.length === 0) throw new UsageError(`--scopes needs at least one of ${ALL_SCOPES.join(", ")}`);
  const unknown = scopes.filter((s) => !(ALL_SCOPES as string[]).includes(s));
  if (unknown.length) throw new UsageError(`unknown scope(s): ${unknown.join(", ")} (known: ${ALL_SCOPES.join(", ")})`);
  return scopes as ApiKeyScope[];
}

const NameSchema = z.string().trim().min(1).max(100, "at most 100 characters");

export function parseCli(argv: string[]): CliCommand {
  const [cmd, sub, ...rest] = argv;
  if (cmd === undefined) throw new UsageError("no command given");
  if (cmd === "help" || cmd === "--help" || cmd === "-h") return { kind: "help" };

  if (cmd === "migrate") {
    parse(argv.slice(1), {});
    return { kind: "migrate" };
  }

  if (cmd === "apikey") {
    if (sub !== "create") throw new UsageError(sub ? `unknown apikey command "${sub}"` : "apikey needs a command: create");
    const v = parse(rest, { name: { type: "string" }, scopes: { type: "string" }, "service-account": { type: "string" } });
    const name = validate(NameSchema, required(v.name, "--name"), "--name");
    const scopes = parseScopes(required(v.scopes, "--scopes"));
    const sa = v["service-account"] === undefined ? name : validate(NameSchema, required(v["service-account"], "--service-account"), "--service-account");
    return { kind: "apikey.create", name, scopes, serviceAccount: sa };
  }

  if (cmd === "user") {
    if (sub !== "create") throw new UsageError(sub ? `unknown user command "${sub}"` : "user needs a command: create");
    const v = parse(rest, { email: { type: "string" }, password: { type: "string" }, role: { type: "string" }, name: { type: "string" } });
    const email = validate(EmailSchema, required(v.email, "--email"), "--email");
    // Not trimmed: a password may begin or end with spaces.
    if (typeof v.password !== "string" || v.password === "") throw new UsageError("--password is required");
    const password = validate(PasswordSchema, v.password, "--password");
    const role = v.role === undefined ? "Viewer" : required(v.role, "--role");
    const name = v.name === undefined ? undefined : validate(z.string().trim().min(1).max(200), v.name, "--name");
    return { kind: "user.create", email, password, role, ...(name ? { name } : {}) };
  }

  if (cmd === "provision") {
    if (sub !== "apply") throw new UsageError(sub ? `unknown provision command "${sub}"` : "provision needs a command: apply");
    const v = parse(rest, { file: { type: "string" }, "dry-run": { type: "boolean" } });
    const file = v.file === undefined ? undefined : required(v.file, "--file");
    return { kind: "provision.apply", ...(file ? { file } : {}), dryRun: v["dry-run"] === true };
  }

  if (cmd === "retention") {
    if (sub !== "run") throw new UsageError(sub ? `unknown retention command "${sub}"` : "retention needs a command: run");
    parse(rest, {});
    return { kind: "retention.run" };
  }

  throw new UsageError(`unknown command "${cmd}"`);
}
