import type { DbOrTx } from "@/db/client";
import { logSources } from "@/db/schema";
import type { Principal } from "@/server/auth/principal";
import { AppError } from "@/server/lib/errors";
import { compileQuery, type CompiledQuery } from "@/server/logs/query/compile";
import { BUILTIN_FIELDS, QueryError, type FieldInfo, type QueryNode } from "@/server/logs/query/ast";
import { parseQuery } from "@/server/logs/query/parse";
import { listFields } from "@/server/logs/store/fields";

/** How long the field catalog and source names are reused between queries. */
const CATALOG_TTL_MS = 10_000;

type Catalog = { fields: Map<string, FieldInfo>; sourceIdsByName: Map<string, string>; loadedAt: number; db: DbOrTx };
let cached: Catalog | null = null;

/** Test hook: forget the cached catalog (after fields or sources changed within the TTL). */
export function forgetCatalog(): void {
  cached = null;
}

export async function loadCatalog(db: DbOrTx): Promise<Catalog> {
  if (cached && cached.db === db && Date.now() - cached.loadedAt < CATALOG_TTL_MS) return cached;
  const [fields, sources] = await Promise.all([listFields(db), db.select({ id: logSources.id, name: logSources.name }).from(logSources)]);
  cached = {
    fields: new Map(fields.map((f) => [f.path, f])),
    sourceIdsByName: new Map(sources.map((s) => [s.name, s.id])),
    loadedAt: Date.now(),
    db,
  };
  return cached;
}

/** The field list for autocompletion: built-ins first, then attribute paths. */
export async function fieldList(db: DbOrTx): Promise<FieldInfo[]> {
  const { fields } = await loadCatalog(db);
  const builtins: FieldInfo[] = BUILTIN_FIELDS.map((path) => ({ path, types: ["string"] }));
  const builtinSet = new Set<string>(BUILTIN_FIELDS);
  return [...builtins, ...[...fields.values()].filter((f) => !builtinSet.has(f.path))];
}

/** A QueryError as the user-facing 400, ending with its 1-based position like the parser's own messages. */
function userError(err: QueryError, what: string): AppError {
  const positioned = /\bat \d+$/.test(err.message) ? err.message : `${err.message} at ${err.span.start + 1}`;
  return new AppError("INVALID_INPUT", { userMessage: `${what}: ${positioned}`, cause: err });
}

export function parseUserQuery(q: string): QueryNode {
  try {
    return parseQuery(q);
  } catch (err) {
    if (err instanceof QueryError) throw userError(err, "Invalid query");
    throw err;
  }
}

/**
 * What a caller's query compiles to: the user's query ANDed with the role's data-access filter
 * (DESIGN.md, Access control), so no endpoint can see past it.
 */
export async function planQuery(db: DbOrTx, principal: Principal, q: string): Promise<CompiledQuery> {
  const user = parseUserQuery(q);
  const catalog = await loadCatalog(db);
  const ctx = { fields: catalog.fields, sourceIdsByName: catalog.sourceIdsByName };
  const roleFilter = principal.dataFilter?.logQuery?.trim();
  let ast = user;
  if (roleFilter) {
    let role: QueryNode;
    try {
      role = parseQuery(roleFilter);
      compileQuery(role, ctx);
    } catch (err) {
      // A broken role filter must not open the data up (nor be revealed): refuse the query.
      throw new AppError("FORBIDDEN", { userMessage: "Your role's log filter is invalid; ask an admin to fix it", cause: err });
    }
    ast = { type: "and", children: [user, role], span: user.span };
  }
  try {
    return compileQuery(ast, ctx);
  } catch (err) {
    if (err instanceof QueryError) throw userError(err, "Invalid query");
    throw err;
  }
}
