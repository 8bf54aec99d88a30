/** Turning a failed tRPC call into what a form shows: per-field zod messages and one general message. */

type ErrorLike = { message: string; data?: { zodIssues?: { path: string[]; message: string }[] | null } | null } | null | undefined;

/** `{ email: "Enter a valid email address", "dataFilter.logQuery": "…" }` from `error.data.zodIssues`. */
export function fieldErrors(error: ErrorLike): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error?.data?.zodIssues ?? []) {
    const key = issue.path.join(".");
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

/**
 * The general message for a form: null when every zod issue belongs to one of `shownFields`
 * (they are displayed next to the fields), otherwise the server's user-facing message.
 */
export function formError(error: ErrorLike, shownFields: readonly string[]): string | null {
  if (!error) return null;
  const issues = error.data?.zodIssues;
  if (issues && issues.length > 0) {
    const unshown = issues.filter((i) => !shownFields.includes(i.path.join(".")) && !shownFields.includes(String(i.path[0])));
    if (unshown.length === 0) return null;
    return unshown.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("\n");
  }
  return error.message;
}
