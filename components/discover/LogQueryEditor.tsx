"use client";

/**
 * The log query editor: a single-line CodeMirror 6 editor with syntax colouring, inline syntax
 * errors from the real parser (underline at the error's span) and completion of field names,
 * field values (fetched, debounced) and operators at the cursor. Enter runs the query (unless
 * the completion list is open). Browser only: load it with `next/dynamic` and `ssr: false`.
 */
import {
  autocompletion,
  closeCompletion,
  completionKeymap,
  insertCompletionText,
  startCompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult,
} from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { HighlightStyle, StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { linter, type Diagnostic } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { drawSelection, EditorView, highlightSpecialChars, keymap, placeholder as placeholderExt } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { useEffect, useRef, type RefObject } from "react";
import type { FieldInfo } from "@/server/logs/query/ast";
import { fieldCompletions, operatorCompletions, valueCompletions, type CompletionItem } from "./query-completion";
import { queryDiagnostic, type QueryDiagnostic } from "./query-diagnostics";
import { completionContext, parseQuery } from "./query-language";
import { queryTokens } from "./query-tokens";

export type LogQueryEditorHandle = { focus(): void };

/** Where completion gets its data (kept in a ref by the page, so the editor is created once). */
export type QuerySuggestions = {
  fields: () => readonly FieldInfo[];
  values: (field: string, prefix: string, signal: AbortSignal) => Promise<{ value: string; count: number }[]>;
};

const VALUE_DEBOUNCE_MS = 200;

const highlight = HighlightStyle.define([
  { tag: tags.keyword, class: "text-violet-700 dark:text-violet-300 font-medium" },
  { tag: tags.propertyName, class: "text-orange-700 dark:text-orange-300" },
  { tag: tags.string, class: "text-emerald-700 dark:text-emerald-300" },
  { tag: tags.special(tags.string), class: "text-teal-700 dark:text-teal-300" },
  { tag: tags.number, class: "text-sky-700 dark:text-sky-300" },
  { tag: [tags.operator, tags.bracket], class: "text-rose-700 dark:text-rose-300" },
]);

const theme = EditorView.theme({
  "&": { fontSize: "13px", backgroundColor: "transparent" },
  "&.cm-focused": { outline: "none" },
  ".cm-content": { fontFamily: "var(--font-mono)", padding: "6px 0", caretColor: "currentColor" },
  ".cm-line": { padding: "0 8px" },
  ".cm-placeholder": { color: "rgb(148 163 184)" },
  ".cm-tooltip": { fontSize: "12px", border: "1px solid rgb(203 213 225)", borderRadius: "4px", backgroundColor: "white", color: "rgb(15 23 42)" },
  ".cm-tooltip-autocomplete > ul": { fontFamily: "var(--font-mono)", maxHeight: "16rem" },
  ".cm-tooltip-autocomplete > ul > li[aria-selected]": { backgroundColor: "rgb(219 234 254)", color: "rgb(30 58 138)" },
  ".cm-completionDetail": { marginLeft: "0.75em", fontStyle: "normal", color: "rgb(100 116 139)" },
  ".dark & .cm-tooltip": { backgroundColor: "rgb(15 23 42)", color: "rgb(226 232 240)", borderColor: "rgb(51 65 85)" },
  ".dark & .cm-tooltip-autocomplete > ul > li[aria-selected]": { backgroundColor: "rgb(30 58 138)", color: "white" },
  ".dark & .cm-selectionBackground, .dark &.cm-focused .cm-selectionBackground": { backgroundColor: "rgb(51 65 85)" },
  ".cm-lintRange-error": { textDecoration: "underline wavy rgb(220 38 38)", textUnderlineOffset: "3px", backgroundImage: "none" },
  ".cm-diagnostic-error": { borderLeftColor: "rgb(220 38 38)" },
});

/** A field completion also opens the value list right after `field:`. */
function toCompletion(item: CompletionItem): Completion {
  if (item.type !== "property") return item;
  return {
    ...item,
    apply: (view, _c, from, to) => {
      view.dispatch(insertCompletionText(view.state, item.apply, from, to));
      startCompletion(view);
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });
}

export default function LogQueryEditor({
  value,
  onChange,
  onRun,
  suggestions,
  onDiagnostic,
  handleRef,
  label = "Log query",
  placeholder = 'Search logs: timeout, "card declined", level:error AND service:pay*, status>=500',
}: {
  value: string;
  onChange: (value: string) => void;
  onRun: () => void;
  suggestions: RefObject<QuerySuggestions>;
  onDiagnostic?: (d: QueryDiagnostic | null) => void;
  handleRef?: RefObject<LogQueryEditorHandle | null>;
  label?: string;
  placeholder?: string;
}) {
  const hostRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const callbacks = useRef({ onChange, onRun, onDiagnostic });
  useEffect(() => {
    callbacks.current = { onChange, onRun, onDiagnostic };
  });
  const initial = useRef({ value, label, placeholder });

  useEffect(() => {
    async function complete(ctx: CompletionContext): Promise<CompletionResult | null> {
      const text = ctx.state.doc.toString();
      const c = completionContext(text, ctx.pos);
      if (c.kind === "none") return null;
      if (c.kind === "field") {
        if (!ctx.explicit && c.prefix === "") return null;
        const options = [...fieldCompletions(suggestions.current.fields(), c.prefix), ...operatorCompletions(c.prefix)].map(toCompletion);
        return { from: c.from, to: c.to, options, validFor: /^[\w.@-]*$/ };
      }
      if (c.kind === "operator") return { from: c.from, to: c.to, options: operatorCompletions(c.prefix).map(toCompletion), validFor: /^\w*$/ };
      if (!c.field) return null;
      const abort = new AbortController();
      ctx.addEventListener("abort", () => abort.abort(), { onDocChange: true });
      await sleep(VALUE_DEBOUNCE_MS, abort.signal);
      if (abort.signal.aborted) return null;
      try {
        const values = await suggestions.current.values(c.field, c.prefix.replace(/^"/, ""), abort.signal);
        return { from: c.from, to: c.to, options: valueCompletions(values).map(toCompletion), filter: false };
      } catch {
        return null; // Completion is a convenience; the query itself reports errors.
      }
    }

    const run = (view: EditorView) => {
      closeCompletion(view);
      callbacks.current.onRun();
      return true;
    };
    const { value: doc, label: ariaLabel, placeholder: hint } = initial.current;
    const view = new EditorView({
      parent: hostRef.current!,
      state: EditorState.create({
        doc,
        extensions: [
          // One line: pasted newlines become spaces.
          EditorState.transactionFilter.of((tr) => {
            if (!tr.docChanged || tr.newDoc.lines <= 1) return tr;
            const flat = tr.newDoc.toString().replace(/\r?\n/g, " ");
            return [tr, { changes: { from: 0, to: tr.newDoc.length, insert: flat }, sequential: true }];
          }),
          history(),
          drawSelection(),
          highlightSpecialChars(),
          autocompletion({ override: [complete], activateOnTyping: true, maxRenderedOptions: 100, icons: false }),
          keymap.of([{ key: "Enter", run }, ...completionKeymap, ...historyKeymap, ...defaultKeymap]),
          placeholderExt(hint),
          StreamLanguage.define(queryTokens),
          syntaxHighlighting(highlight),
          theme,
          linter(
            (v): Diagnostic[] => {
              const d = queryDiagnostic(v.state.doc.toString(), parseQuery);
              callbacks.current.onDiagnostic?.(d);
              return d ? [{ from: d.from, to: d.to, severity: "error", message: d.message }] : [];
            },
            { delay: 150 },
          ),
          EditorView.contentAttributes.of({ "aria-label": ariaLabel, "data-testid": "log-query-editor" }),
          EditorView.domEventHandlers({
            blur: (_e, v) => {
              closeCompletion(v);
              return false;
            },
          }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) callbacks.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    viewRef.current = view;
    return () => {
      view.destroy();
      viewRef.current = null;
    };
  }, [suggestions]);

  // Outside changes (URL navigation, + / − filters, history) replace the document.
  useEffect(() => {
    const view = viewRef.current;
    if (!view) return;
    const current = view.state.doc.toString();
    if (current !== value) view.dispatch({ changes: { from: 0, to: current.length, insert: value }, selection: { anchor: value.length } });
  }, [value]);

  useEffect(() => {
    if (!handleRef) return;
    handleRef.current = { focus: () => viewRef.current?.focus() };
    return () => {
      handleRef.current = null;
    };
  }, [handleRef]);

  return (
    <div
      ref={hostRef}
      className="min-h-8 w-full min-w-0 rounded border border-slate-300 bg-white focus-within:border-blue-500 focus-within:ring-2 focus-within:ring-blue-500/40 dark:border-slate-700 dark:bg-slate-950"
    />
  );
}
