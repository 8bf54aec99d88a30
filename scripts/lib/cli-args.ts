import { parseArgs } from "node:util";
import { z } from "zod";
import { ALL_SCOPES, type ApiKeyScope } from "@/server/auth/permissions";
import { EmailSchema, PasswordSchema } from "@/server/auth/schemas";

/** What `bin/lookout` was asked to do (argument parsing only: no I/O, so it is unit-tested). */
export type CliCommand =
  | { kind: "help" }
  | { kind: "migrate" }
  | { kind: "apikey.create"; name: string; scopes: ApiKeyScope[]; serviceAccount: string }
  | { kind: "user.create"; email: string; password: string; role: string; name?: string };

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

  throw new UsageError(`unknown command "${cmd}"`);
}
