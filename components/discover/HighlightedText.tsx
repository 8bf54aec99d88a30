import { useMemo } from "react";
import type { HighlightSpec } from "@/server/logs/search/contract";
import { segments } from "./highlight-segments";
import { highlightRanges } from "./query-language";

/** `text` with the query's matches in `field` marked (<mark>). */
export function HighlightedText({ text, field, specs }: { text: string; field: string | null; specs: readonly HighlightSpec[] }) {
  const parts = useMemo(() => (specs.length ? segments(text, highlightRanges(text, field, [...specs])) : null), [text, field, specs]);
  if (!parts) return <>{text}</>;
  return (
    <>
      {parts.map((p, i) =>
        p.match ? (
          <mark key={i} className="rounded-sm bg-amber-200 px-px text-inherit dark:bg-amber-500/40">
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}
