"use client";

import Markdown from "react-markdown";
import type { PanelViewProps } from "@/components/panels/types";
import type { VisualPanel } from "@/server/dashboards/model";

type TextPanel = Extract<VisualPanel, { type: "text" }>;

/** Markdown elements styled in place (no typography plugin in the project). */
const MARKDOWN =
  "text-sm leading-relaxed text-slate-800 dark:text-slate-200 " +
  "[&_h1]:mt-2 [&_h1]:mb-2 [&_h1]:text-xl [&_h1]:font-semibold [&_h2]:mt-2 [&_h2]:mb-1.5 [&_h2]:text-lg [&_h2]:font-semibold " +
  "[&_h3]:mt-2 [&_h3]:mb-1 [&_h3]:font-semibold [&_h4]:font-semibold [&_p]:my-1.5 " +
  "[&_ul]:my-1.5 [&_ul]:list-disc [&_ul]:pl-5 [&_ol]:my-1.5 [&_ol]:list-decimal [&_ol]:pl-5 [&_li]:my-0.5 " +
  "[&_a]:text-blue-600 [&_a]:underline dark:[&_a]:text-blue-400 " +
  "[&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_code]:font-mono [&_code]:text-[0.85em] dark:[&_code]:bg-slate-800 " +
  "[&_pre]:my-2 [&_pre]:overflow-auto [&_pre]:rounded [&_pre]:bg-slate-100 [&_pre]:p-2 dark:[&_pre]:bg-slate-800 [&_pre_code]:bg-transparent [&_pre_code]:p-0 " +
  "[&_blockquote]:my-2 [&_blockquote]:border-l-4 [&_blockquote]:border-slate-300 [&_blockquote]:pl-3 [&_blockquote]:text-slate-600 dark:[&_blockquote]:border-slate-600 dark:[&_blockquote]:text-slate-400 " +
  "[&_hr]:my-3 [&_hr]:border-slate-200 dark:[&_hr]:border-slate-700 [&_img]:max-w-full " +
  "[&_table]:my-2 [&_table]:border-collapse [&_td]:border [&_td]:border-slate-200 [&_td]:px-2 [&_td]:py-1 [&_th]:border [&_th]:border-slate-200 [&_th]:px-2 [&_th]:py-1 dark:[&_td]:border-slate-700 dark:[&_th]:border-slate-700";

/** Text: markdown (raw HTML is not rendered; unsafe link protocols are dropped) or plain text. */
export default function TextView({ panel }: PanelViewProps<TextPanel>) {
  const { mode, content } = panel.options;
  return (
    <div className="h-full w-full overflow-auto" data-testid="text-panel">
      {mode === "markdown" ? (
        <div className={MARKDOWN}>
          <Markdown skipHtml>{content}</Markdown>
        </div>
      ) : (
        <p className="text-sm whitespace-pre-wrap text-slate-800 dark:text-slate-200">{content}</p>
      )}
    </div>
  );
}
