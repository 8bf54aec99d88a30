/**
 * "Test pipeline": runs one event through the steps and reports the document after each step
 * (or the step's error), then the final result — what the console's test panel shows per line.
 */
import type { IncomingEvent } from "../event";
import { compileSteps, executeSteps, PipelineCompileError, type CompiledStep, type PipelineResult, type StepOutcome } from "./compile";
import { cloneData, createDocument, type PipelineContext, type PipelineDocument } from "./document";
import type { PipelineStep, PipelineStepInput } from "./steps";

/** A copy of the working document at one point. */
export type DocumentSnapshot = {
  ts: number | null;
  message: string;
  level: string | null;
  service: string | null;
  host: string | null;
  traceId: string | null;
  spanId: string | null;
  fields: Record<string, unknown>;
};

export type StepExplanation =
  | { step: number; type: string; status: "ok"; document: DocumentSnapshot }
  | { step: number; type: string; status: "dropped"; reason: string }
  | { step: number; type: string; status: "dead-letter"; error: string }
  /** After a drop or dead letter, the remaining steps do not run. */
  | { step: number; type: string; status: "not-run" };

export type PipelineExplanation =
  | { kind: "explained"; input: DocumentSnapshot; steps: StepExplanation[]; result: PipelineResult }
  /** The definition itself is invalid (`step` -1 when it is not about one step). */
  | { kind: "invalid"; step: number; stepType: string | null; error: string };

function snapshot(doc: PipelineDocument): DocumentSnapshot {
  return {
    ts: doc.ts ?? null,
    message: doc.message,
    level: doc.level ?? null,
    service: doc.service ?? null,
    host: doc.host ?? null,
    traceId: doc.traceId ?? null,
    spanId: doc.spanId ?? null,
    fields: cloneData(doc.fields),
  };
}

function explainStep(step: CompiledStep, doc: PipelineDocument, outcome: StepOutcome): StepExplanation {
  const base = { step: step.index, type: step.type };
  if (outcome === undefined) return { ...base, status: "ok", document: snapshot(doc) };
  if ("drop" in outcome) return { ...base, status: "dropped", reason: outcome.drop };
  return { ...base, status: "dead-letter", error: outcome.fail };
}

export function explainPipeline(steps: readonly PipelineStepInput[] | readonly PipelineStep[], event: IncomingEvent, ctx: PipelineContext): PipelineExplanation {
  let compiled: CompiledStep[];
  try {
    compiled = compileSteps(steps);
  } catch (e) {
    if (e instanceof PipelineCompileError) return { kind: "invalid", step: e.step, stepType: e.stepType ?? null, error: e.userMessage };
    throw e;
  }
  const explained: StepExplanation[] = [];
  const result = executeSteps(compiled, event, ctx, (step, doc, outcome) => explained.push(explainStep(step, doc, outcome)));
  for (const step of compiled.slice(explained.length)) explained.push({ step: step.index, type: step.type, status: "not-run" });
  return { kind: "explained", input: snapshot(createDocument(event)), steps: explained, result };
}
