"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card, CardBody, CardHeader } from "@/components/ui/Card";
import { cn } from "@/components/ui/cn";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { TextareaField } from "@/components/ui/Field";
import type { DocumentSnapshot, StepExplanation } from "@/server/logs/pipeline/explain";
import { displayDocument, displayEvent, documentChanges, lineOutcome, type LineOutcome } from "./explain-display";
import { JsonDetails } from "./JsonDetails";
import type { LineExplanation } from "./types";

const MAX_LINES = 50;

export const SAMPLE_NGINX_LINE =
  '203.0.113.9 - - [10/Oct/2024:13:55:36 +0000] "GET /index.html HTTP/1.1" 200 2326 "https://example.com/" "Mozilla/5.0 (X11; Linux x86_64)"';

/**
 * "Test pipeline": runs pasted lines (each one event's message) through the editor's current,
 * unsaved steps on the server and shows every step's output. Nothing is stored.
 * `onPipelineError` gets the server's message for an invalid pipeline (null after a good run).
 */
export function PipelineTestPanel({
  pipeline,
  sourceName,
  onPipelineError,
}: {
  pipeline: unknown[];
  /** Shown as the stored events' source (the server's test run has none). */
  sourceName: string;
  onPipelineError: (message: string | null) => void;
}) {
  const trpc = useTRPC();
  const id = useId();
  const [text, setText] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const test = useMutation(
    trpc.sources.testPipeline.mutationOptions({
      onSuccess: () => onPipelineError(null),
      onError: (e) => onPipelineError(e.message),
    }),
  );
  const current = JSON.stringify(pipeline);
  const tested = test.data && test.variables ? { results: test.data, lines: test.variables.lines } : null;
  const stale = tested !== null && JSON.stringify(test.variables?.pipeline) !== current;

  function run() {
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
    if (lines.length === 0) return setLocalError("Paste at least one line to test.");
    if (lines.length > MAX_LINES) return setLocalError(`At most ${MAX_LINES} lines at a time (got ${lines.length}).`);
    setLocalError(null);
    test.mutate({ pipeline, lines });
  }

  return (
    <section aria-labelledby={`${id}-title`}>
      <Card>
        <CardHeader title={<span id={`${id}-title`}>Test pipeline</span>}>
          Runs sample lines through the steps as they are in the editor, unsaved changes included. Nothing is stored.
        </CardHeader>
        <CardBody className="space-y-3">
          <TextareaField
            id={id}
            label="Sample lines"
            hint={`One event per line, taken as its message (up to ${MAX_LINES}).`}
            rows={4}
            spellCheck={false}
            placeholder={SAMPLE_NGINX_LINE}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                run();
              }
            }}
          />
          <div className="flex items-center gap-2">
            <Button variant="primary" onClick={run} busy={test.isPending}>
              Test
            </Button>
            <span className="text-xs text-slate-500 dark:text-slate-400">Ctrl+Enter in the box runs it too.</span>
          </div>
          {localError && <ErrorMessage>{localError}</ErrorMessage>}
          {test.error && <ErrorMessage title="The pipeline cannot run">{test.error.message}</ErrorMessage>}
          {stale && (
            <p role="status" className="rounded border border-amber-300 bg-amber-50 px-3 py-1.5 text-xs text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-200">
              The steps changed since this run. Press Test again to see their effect.
            </p>
          )}
          <div data-testid="pipeline-result" aria-live="polite" className="space-y-3">
            {tested?.results.map((e, i) => <LineResult key={i} n={i + 1} line={tested.lines[i] ?? ""} explanation={e} sourceName={sourceName} />)}
          </div>
        </CardBody>
      </Card>
    </section>
  );
}

const OUTCOME_TONE: Record<LineOutcome["kind"], BadgeTone> = { stored: "green", "dead-letter": "red", dropped: "amber", invalid: "red" };

function LineResult({ n, line, explanation, sourceName }: { n: number; line: string; explanation: LineExplanation; sourceName: string }) {
  const outcome = lineOutcome(explanation);
  return (
    <section aria-label={`Line ${n}`} data-testid="pipeline-line" className="rounded-md border border-slate-200 dark:border-slate-800">
      <div className="flex items-center gap-2 border-b border-slate-200 px-3 py-1.5 dark:border-slate-800">
        <span className="text-xs font-semibold">Line {n}</span>
        <Badge tone={OUTCOME_TONE[outcome.kind]}>{outcome.label}</Badge>
        <code className="min-w-0 flex-1 truncate font-mono text-[11px] text-slate-500 dark:text-slate-400" title={line}>
          {line}
        </code>
      </div>
      <div className="space-y-2 px-3 py-2">
        {"reason" in outcome && (
          <p className={cn("text-sm", outcome.kind === "dropped" ? "text-amber-800 dark:text-amber-300" : "text-red-700 dark:text-red-300")}>
            <span className="font-medium">Reason:</span> <span data-testid="pipeline-reason">{outcome.reason}</span>
          </p>
        )}
        {explanation.kind === "explained" && (
          <>
            <JsonDetails summary="Input event" value={displayDocument(explanation.input)} />
            {explanation.steps.length > 0 && (
              <ol className="space-y-1.5" aria-label={`Steps for line ${n}`}>
                {explanation.steps.map((s, i) => (
                  <StepResult key={s.step} step={s} before={previousDocument(explanation.input, explanation.steps, i)} />
                ))}
              </ol>
            )}
            {explanation.result.kind === "event" && <JsonDetails summary="Stored event" value={{ ...displayEvent(explanation.result.event), source: sourceName || "(this source)" }} open testId="stored-event" />}
          </>
        )}
      </div>
    </section>
  );
}

/** The document a step started from: the last successful step's output, or the input. */
function previousDocument(input: DocumentSnapshot, steps: StepExplanation[], i: number): DocumentSnapshot {
  for (let j = i - 1; j >= 0; j--) {
    const s = steps[j]!;
    if (s.status === "ok") return s.document;
  }
  return input;
}

const STATUS: Record<StepExplanation["status"], { text: string; tone: BadgeTone }> = {
  ok: { text: "ok", tone: "green" },
  dropped: { text: "dropped", tone: "amber" },
  "dead-letter": { text: "dead letter", tone: "red" },
  "not-run": { text: "not run", tone: "neutral" },
};

function StepResult({ step, before }: { step: StepExplanation; before: DocumentSnapshot }) {
  const status = STATUS[step.status];
  const head = (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <span className="font-mono">
        {step.step + 1}. {step.type}
      </span>
      <Badge tone={status.tone}>{status.text}</Badge>
    </span>
  );
  return (
    <li className="text-xs">
      {step.status === "ok" ? (
        <JsonDetails
          summary={
            <>
              {head}
              <Changes before={before} after={step.document} />
            </>
          }
          value={displayDocument(step.document)}
        />
      ) : (
        <div className="pl-4">
          {head}
          {step.status === "dead-letter" && <p className="mt-0.5 text-red-700 dark:text-red-300">{step.error}</p>}
          {step.status === "dropped" && <p className="mt-0.5 text-amber-800 dark:text-amber-300">{step.reason}</p>}
        </div>
      )}
    </li>
  );
}

/** Field paths listed per kind of change before "and N more" (all of them are in the tooltip). */
const MAX_CHANGES = 6;

function Changes({ before, after }: { before: DocumentSnapshot; after: DocumentSnapshot }) {
  const c = documentChanges(before, after);
  const parts: { sign: string; list: string[]; className: string }[] = [
    { sign: "+", list: c.added, className: "text-emerald-700 dark:text-emerald-400" },
    { sign: "~", list: c.changed, className: "text-blue-700 dark:text-blue-400" },
    { sign: "−", list: c.removed, className: "text-red-700 dark:text-red-400" },
  ];
  if (parts.every((p) => p.list.length === 0)) return <span className="ml-2 font-normal text-slate-400 dark:text-slate-500">no change</span>;
  return (
    <span className="ml-2 font-mono font-normal break-words">
      {parts
        .filter((p) => p.list.length > 0)
        .map((p) => (
          <span key={p.sign} className={cn("mr-2", p.className)} title={p.list.join(", ")}>
            {p.sign}
            {p.list.length > MAX_CHANGES ? `${p.list.slice(0, MAX_CHANGES).join(" ")} and ${p.list.length - MAX_CHANGES} more` : p.list.join(" ")}
          </span>
        ))}
    </span>
  );
}
