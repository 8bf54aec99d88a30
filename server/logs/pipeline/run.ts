/**
 * Running a log source's pipeline over incoming events (the `logs-ingest` worker's hot path).
 * Compile once per pipeline version with `compilePipeline`, then call the result per event.
 * A bad event is never lost: it comes back as a dead-letter result naming the step and reason.
 */
import type { IncomingEvent } from "../event";
import { compileSteps, executeSteps, type PipelineResult } from "./compile";
import type { PipelineContext } from "./document";
import type { PipelineStep, PipelineStepInput } from "./steps";

export { PipelineCompileError, type PipelineResult } from "./compile";
export { DEFAULT_MAX_FIELD_BYTES, type PipelineContext } from "./document";

export type CompiledPipeline = (event: IncomingEvent, ctx: PipelineContext) => PipelineResult;

/** Validates and compiles a pipeline; throws PipelineCompileError (INVALID_INPUT) for a bad definition. */
export function compilePipeline(steps: readonly PipelineStepInput[] | readonly PipelineStep[]): CompiledPipeline {
  const compiled = compileSteps(steps);
  return (event, ctx) => executeSteps(compiled, event, ctx);
}

const compiledCache = new WeakMap<object, CompiledPipeline>();

/**
 * Runs `steps` over one event. Compiles on first use per `steps` array (kept while the array
 * lives); prefer `compilePipeline` in loops.
 */
export function runPipeline(steps: readonly PipelineStepInput[] | readonly PipelineStep[], event: IncomingEvent, ctx: PipelineContext): PipelineResult {
  let run = compiledCache.get(steps);
  if (!run) compiledCache.set(steps, (run = compilePipeline(steps)));
  return run(event, ctx);
}
