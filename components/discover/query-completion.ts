/**
 * What the query editor offers at the cursor, from the parser's completion context: field names
 * (known fields, `_exists_`), values of a field (top values from the server, quoted when needed)
 * or the boolean operators. Pure: the editor turns these into CodeMirror completions.
 */
import type { FieldInfo } from "@/server/logs/query/ast";
import { formatCount } from "@/server/lib/units";
import { quoteValue } from "./query-edit";

export type CompletionItem = { label: string; apply: string; type: "property" | "constant" | "keyword"; detail?: string; boost?: number };

export const OPERATORS = ["AND", "OR", "NOT"] as const;

export function fieldCompletions(fields: readonly FieldInfo[], prefix: string): CompletionItem[] {
  const p = prefix.toLowerCase();
  const items: CompletionItem[] = fields
    .filter((f) => f.path.toLowerCase().startsWith(p) || (p.length > 1 && f.path.toLowerCase().includes(p)))
    .map((f, i) => ({ label: f.path, apply: `${f.path}:`, type: "property", detail: f.types.join(" | "), boost: -i / 1000 }));
  if ("_exists_".startsWith(p) && p.length > 0) items.push({ label: "_exists_", apply: "_exists_:", type: "keyword", detail: "field is present" });
  return items;
}

export function valueCompletions(values: readonly { value: string; count: number }[]): CompletionItem[] {
  return values.map((v, i) => ({ label: v.value, apply: quoteValue(v.value), type: "constant", detail: formatCount(v.count), boost: -i / 1000 }));
}

export function operatorCompletions(prefix: string): CompletionItem[] {
  const p = prefix.toUpperCase();
  return OPERATORS.filter((o) => o.startsWith(p)).map((o) => ({ label: o, apply: `${o} `, type: "keyword" }));
}
