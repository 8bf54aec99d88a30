import type { HighlightSpec } from "@/server/logs/search/contract";
import { foldedEquals, foldString, PhraseMatcher, textTokens, tokenGlob, valueGlob } from "./text-match";

/**
 * What to highlight in one displayed text: sorted, merged, non-overlapping [start, end) UTF-16
 * ranges of the tokens, phrases and wildcard matches of the query (compile.ts's HighlightSpecs).
 * `field` null or "message" = the message; otherwise that field's value, where a field-specific
 * spec whose value equals the whole value (`service:payment`) highlights all of it.
 * A spec with `field` null applies to the message and to every string field. Pure, browser-safe.
 */
export function highlightRanges(text: string, field: string | null, specs: HighlightSpec[]): Array<[number, number]> {
  const target = field ?? "message";
  const found: Array<[number, number]> = [];
  for (const spec of specs) {
    if (spec.field !== null && spec.field !== target) continue;
    const wholeValue = spec.field !== null && spec.field !== "message";
    if (spec.kind === "wildcard") {
      if (wholeValue) {
        if (valueGlob(spec.value).test(text)) found.push([0, text.length]);
        continue;
      }
      for (const m of text.matchAll(tokenGlob(spec.value, "gi"))) if (m[0].length) found.push([m.index, m.index + m[0].length]);
      continue;
    }
    if (wholeValue && foldedEquals(text, foldString(spec.value))) {
      found.push([0, text.length]);
      continue;
    }
    const tokens = textTokens(spec.value);
    if (tokens.length) {
      found.push(...new PhraseMatcher(tokens).ranges(text));
      continue;
    }
    // No word characters (`->`, `%`): every occurrence of the text itself.
    const needle = foldString(spec.value);
    if (!needle) continue;
    const hay = foldString(text);
    for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) found.push([i, i + needle.length]);
  }
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  for (const r of found) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}
