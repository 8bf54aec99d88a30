import { sql, type SQL } from "drizzle-orm";

/**
 * A JS array as ONE bind parameter (node-pg serialises it as a PostgreSQL array literal; Buffers
 * become bytea). drizzle's `sql` template would otherwise expand an array into `($1, $2, …)`.
 * Follow it with the array type: sql`… = any(${pgArray(ids)}::int4[])`.
 */
export function pgArray(values: readonly unknown[]): SQL {
  return sql`${sql.param(values)}`;
}
