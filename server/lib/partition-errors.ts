/**
 * A write that found its partition missing: "no partition of relation found for row" (23514), or a
 * partition dropped (by compaction or retention) while the write waited for it (42P01, XX000).
 * The writer forgets its cached partitions, creates them again and retries.
 */
export function isMissingPartition(err: unknown): boolean {
  for (let cur = err; cur; cur = (cur as { cause?: unknown }).cause) {
    const code = (cur as { code?: unknown }).code;
    if (code === "23514" || code === "42P01" || code === "XX000") return true;
  }
  return false;
}
