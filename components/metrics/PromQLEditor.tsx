"use client";

/**
 * The PromQL editor: CodeMirror 6 with @prometheus-io/codemirror-promql (highlighting, the
 * offline linter for syntax errors, completion of functions and keywords, and of metric names,
 * label names and label values from our own `/api/v1` on the same origin). Shift+Enter or
 * Ctrl/⌘+Enter runs the query. Browser only: load it with `next/dynamic` and `ssr: false`.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, closeCompletion, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { bracketMatching, HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { forEachDiagnostic, setDiagnosticsEffect } from "@codemirror/lint";
import { EditorState, Prec } from "@codemirror/state";
import { drawSelection, EditorView, highlightSpecialChars, keymap, placeholder as placeholderExt } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { PromQLExtension } from "@prometheus-io/codemirror-promql";
import { useEffect, useRef, type RefObject } from "react";
import type { EditorDiagnostic } from "./diagnostics";

export type PromQLEditorHandle = {
  /** Replaces the selection with `text` (at the cursor when nothing is selected) and focuses. */
  insert(text: string): void;
  focus(): void;
};

/** How far back completion looks for metric names and labels. */
const LOOKBACK_MS = 12 * 60 * 60 * 1000;

// Colours as Tailwind classes, so they follow the console's light/dark theme.
const highlight = HighlightStyle.define([
  { tag: tags.keyword, class: "text-violet-700 dark:text-violet-300" },
  { tag: [tags.function(tags.variableName)], class: "text-blue-700 dark:text-sky-300" },
  { tag: tags.operatorKeyword, class: "text-violet-700 dark:text-violet-300 font-medium" },
  { tag: tags.modifier, class: "text-violet-700 dark:text-violet-300" },
  { tag: [tags.logicOperator, tags.operator, tags.arithmeticOperator], class: "text-rose-700 dark:text-rose-300" },
  { tag: tags.labelName, class: "text-orange-700 dark:text-orange-300" },
  { tag: tags.string, class: "text-emerald-700 dark:text-emerald-300" },
  { tag: tags.number, class: "text-teal-700 dark:text-teal-300" },
  { tag: tags.comment, class: "text-slate-500 italic" },
  { tag: tags.variableName, class: "text-slate-900 dark:text-slate-100" },
  { tag: tags.invalid, class: "text-red-600 dark:text-red-400" },
]);

const theme = EditorView.theme({
  "&": { fontSize: "13px", backgroundColor: "transparent" },
  "&.cm-focused": { outline: "none" },
  ".cm-content": { fontFamily: "var(--font-mono)", padding: "6px 0", caretColor: "currentColor" },
  ".cm-line": { padding: "0 8px" },
  ".cm-placeholder": { color: "rgb(148 163 184)" },
  ".cm-scroller": { maxHeight: "14rem", overflow: "auto" },
  ".cm-tooltip": { fontSize: "12px", border: "1px solid rgb(203 213 225)", borderRadius: "4px", backgroundColor: "white", color: "rgb(15 23 42)" },
  ".cm-tooltip-autocomplete > ul": { fontFamily: "var(--font-mono)", maxHeight: "16rem" },
  ".cm-tooltip-autocomplete > ul > li[aria-selected]": { backgroundColor: "rgb(219 234 254)", color: "rgb(30 58 138)" },
  ".cm-completionDetail": { marginLeft: "0.75em", fontStyle: "normal", color: "rgb(100 116 139)" },
  ".cm-completionInfo": { maxWidth: "28rem", padding: "6px 8px", whiteSpace: "pre-wrap" },
  ".dark & .cm-tooltip": { backgroundColor: "rgb(15 23 42)", color: "rgb(226 232 240)", borderColor: "rgb(51 65 85)" },
  ".dark & .cm-tooltip-autocomplete > ul > li[aria-selected]": { backgroundColor: "rgb(30 58 138)", color: "white" },
  ".dark & .cm-selectionBackground, .dark &.cm-focused .cm-selectionBackground": { backgroundColor: "rgb(51 65 85)" },
  ".cm-matchingBracket": { backgroundColor: "rgba(59,130,246,0.2)" },
  ".cm-diagnostic-error": { borderLeftColor: "rgb(220 38 38)" },
});

export default function PromQLEditor({
  value,
  onChange,
  onRun,
  label,
  placeholder = "Enter a PromQL query (Shift+Enter to run)",
  handleRef,
  autoFocus,
  onDiagnostics,
}: {
  value: string;
  onChange: (value: string) => void;
  onRun: () => void;
  label: string;
  placeholder?: string;
  handleRef?: RefObject<PromQLEditorHandle | null>;
  autoFocus?: boolean;
  /** The linter's findings, each time it has run. */
  onDiagnostics?: (list: EditorDiagnostic[]) => void;
}) {
  const hostRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  const onRunRef = useRef(onRun);
  const onDiagnosticsRef = useRef(onDiagnostics);
  useEffect(() => {
    onChangeRef.current = onChange;
    onRunRef.current = onRun;
    onDiagnosticsRef.current = onDiagnostics;
  });
  const initial = useRef({ value, label, placeholder, autoFocus });

  useEffect(() => {
    const promql = new PromQLExtension().setComplete({
      remote: {
        url: window.location.origin,
        lookbackInterval: LOOKBACK_MS,
        httpMethod: "GET",
        cache: { maxAge: 60_000 },
        // Completion falls back to functions and keywords; the query itself reports API errors.
        httpErrorHandler: () => {},
      },
    });
    const run = (view: EditorView) => {
      closeCompletion(view);
      onRunRef.current();
      return true;
    };
    const { value: doc, label: ariaLabel, placeholder: hint, autoFocus: focus } = initial.current;
    const view = new EditorView({
      parent: hostRef.current!,
      state: EditorState.create({
        doc,
        extensions: [
          Prec.highest(
            keymap.of([
              { key: "Shift-Enter", run },
              { key: "Mod-Enter", run },
            ]),
          ),
          history(),
          drawSelection(),
          highlightSpecialChars(),
          bracketMatching(),
          closeBrackets(),
          autocompletion({ activateOnTyping: true, maxRenderedOptions: 200 }),
          keymap.of([...closeBracketsKeymap, ...completionKeymap, ...historyKeymap, ...defaultKeymap]),
          placeholderExt(hint),
          EditorView.lineWrapping,
          syntaxHighlighting(highlight),
          theme,
          promql.asExtension(),
          EditorView.contentAttributes.of({ "aria-label": ariaLabel, "data-testid": "promql-editor" }),
          // A completion popup left open after clicking away (e.g. "Run query") would cover the result.
          EditorView.domEventHandlers({
            blur: (_event, view) => {
              closeCompletion(view);
              return false;
            },
          }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChangeRef.current(u.state.doc.toString());
            if (u.transactions.some((tr) => tr.effects.some((e) => e.is(setDiagnosticsEffect)))) {
              const list: EditorDiagnostic[] = [];
              forEachDiagnostic(u.state, (d, from, to) => list.push({ from, to, severity: d.severity, message: d.message }));
              onDiagnosticsRef.current?.(list);
            }
          }),
        ],
      }),
    });
    viewRef.current = view;
    if (focus) view.focus();
    return () => {
      view.destroy();
      promql.destroy();
      viewRef.current = null;
    };
  }, []);

  // Outside changes (URL navigation, metric browser, row duplication) replace the document.
  useEffect(() => {
    const view = viewRef.current;
    if (!view) return;
    const current = view.state.doc.toString();
    if (current !== value) view.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  useEffect(() => {
    if (!handleRef) return;
    handleRef.current = {
      insert(text: string) {
        const view = viewRef.current;
        if (!view) return;
        view.dispatch(view.state.replaceSelection(text));
        view.focus();
      },
      focus() {
        viewRef.current?.focus();
      },
    };
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
