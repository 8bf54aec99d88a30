/** The editor's lint diagnostics as one readable line under the editor (pure). */

export type EditorDiagnostic = { from: number; to: number; severity: "error" | "warning" | "info" | "hint"; message: string };

/** "Syntax error at character 5: unexpected end of input (and 1 more)"; null when there is nothing to say. */
export function describeDiagnostics(list: readonly EditorDiagnostic[]): string | null {
  const shown = list.filter((d) => d.severity === "error" || d.severity === "warning");
  if (shown.length === 0) return null;
  const first = [...shown].sort((a, b) => (a.severity === b.severity ? a.from - b.from : a.severity === "error" ? -1 : 1))[0]!;
  const kind = first.severity === "error" ? "Syntax error" : "Warning";
  const more = shown.length > 1 ? ` (and ${shown.length - 1} more)` : "";
  return `${kind} at character ${first.from + 1}: ${first.message}${more}`;
}
