/**
 * Compiles validated pipeline steps into functions over the working document (regexes, grok
 * expressions, date formats and field paths are prepared once, not per event), and runs them.
 */
import { AppError } from "../../lib/errors";
import { normaliseLevel, type IncomingEvent, type LogEvent, type LogLevel } from "../event";
import { GrokMatcher, type CompiledGrok } from "../grok/grok";
import { compileDateFormat, type DateParser } from "./date-format";
import {
  addTag,
  cloneData,
  compileFieldPath,
  createDocument,
  DEFAULT_MAX_FIELD_BYTES,
  fieldPathOf,
  findOversize,
  finaliseDocument,
  getField,
  isPlainObject,
  removeField,
  setField,
  type FieldPath,
  type PipelineContext,
  type PipelineDocument,
} from "./document";
import { sampleKeeps, sha256Hex } from "./hashing";
import { parseLogfmt } from "./logfmt";
import { PipelineSchema, type PipelineStep, type PipelineStepInput, type PipelineStepType } from "./steps";

/** What a step decided: continue (undefined), drop the event, or fail it (→ dead letter). */
export type StepOutcome = undefined | { drop: string } | { fail: string };

export type CompiledStep = { index: number; type: PipelineStepType; apply: (doc: PipelineDocument, ctx: PipelineContext) => StepOutcome };

export type PipelineResult =
  | { kind: "event"; event: LogEvent }
  | { kind: "dropped"; step: number; reason: string }
  /** `step` is the failing step's index; -1 (stepType "input") = the event as received, steps.length (stepType "output") = the final event. */
  | { kind: "dead-letter"; step: number; stepType: string; error: string };

/** A pipeline definition that cannot be compiled; `step` is the offending step's index. */
export class PipelineCompileError extends AppError {
  readonly step: number;
  readonly stepType: string | undefined;

  constructor(step: number, stepType: string | undefined, message: string) {
    const where = step >= 0 ? `step ${step + 1}${stepType ? ` (${stepType})` : ""}: ` : "pipeline: ";
    super("INVALID_INPUT", { userMessage: `${where}${message}` });
    this.name = "PipelineCompileError";
    this.step = step;
    this.stepType = stepType;
  }
}

const TAG_JSON_FAILURE = "_jsonparsefailure";
const TAG_GROK_FAILURE = "_grokparsefailure";
const TAG_DATE_FAILURE = "_dateparsefailure";

const keyPath = (key: string) => fieldPathOf([key]);

function preview(v: unknown): string {
  const s = typeof v === "string" ? v : JSON.stringify(v) ?? String(v);
  return JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…` : s);
}

/** Merges an object's keys into the document root (core names go to the core properties). */
function mergeInto(doc: PipelineDocument, obj: Record<string, unknown>): void {
  for (const k in obj) setField(doc, keyPath(k), obj[k]);
}

/** A failure that is fatal when `required`, else tags the event and lets it continue. */
function failure(required: boolean, tag: string, doc: PipelineDocument, message: string): StepOutcome {
  if (required) return { fail: message };
  addTag(doc, tag);
  return undefined;
}

type Template = (doc: PipelineDocument) => string;

/** `%{path}` references in a string; an unknown reference stays as written (as in Logstash). */
function compileTemplate(text: string): Template | null {
  const re = /%\{([^}]+)\}/g;
  const parts: Array<string | { path: FieldPath; raw: string }> = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push({ path: compileFieldPath(m[1]!.trim()), raw: m[0] });
    last = m.index + m[0].length;
  }
  if (parts.length === 0) return null;
  if (last < text.length) parts.push(text.slice(last));
  return (doc) => {
    let out = "";
    for (const p of parts) {
      if (typeof p === "string") out += p;
      else {
        const v = getField(doc, p.path);
        out += v === undefined || v === null ? p.raw : typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
      }
    }
    return out;
  };
}

function capturePaths(grok: CompiledGrok, cache: Map<CompiledGrok, FieldPath[]>): FieldPath[] {
  let paths = cache.get(grok);
  if (!paths) cache.set(grok, (paths = grok.captures.map((c) => fieldPathOf(c.path))));
  return paths;
}

function compileStep(step: PipelineStep, index: number): CompiledStep["apply"] {
  switch (step.type) {
    case "json": {
      const field = compileFieldPath(step.field);
      const target = step.target ? compileFieldPath(step.target) : null;
      const { required } = step;
      return (doc) => {
        const v = getField(doc, field);
        if (v === undefined || v === null) return failure(required, TAG_JSON_FAILURE, doc, `field ${field.text} is missing`);
        let parsed: unknown;
        if (typeof v === "string") {
          const t = v.trimStart();
          if (t[0] !== "{" && t[0] !== "[") return failure(required, TAG_JSON_FAILURE, doc, `${field.text} is not JSON: ${preview(v)}`);
          try {
            parsed = JSON.parse(v);
          } catch (e) {
            return failure(required, TAG_JSON_FAILURE, doc, `invalid JSON in ${field.text}: ${(e as Error).message}`);
          }
        } else if (typeof v === "object") parsed = cloneData(v);
        else return failure(required, TAG_JSON_FAILURE, doc, `${field.text} is not JSON: ${preview(v)}`);
        if (target) setField(doc, target, parsed);
        else if (isPlainObject(parsed)) mergeInto(doc, parsed);
        else return failure(required, TAG_JSON_FAILURE, doc, `JSON in ${field.text} is not an object (set a target to keep it)`);
        return undefined;
      };
    }
    case "logfmt": {
      const field = compileFieldPath(step.field);
      const target = step.target ? compileFieldPath(step.target) : null;
      return (doc) => {
        const v = getField(doc, field);
        if (typeof v !== "string") return undefined;
        const pairs = parseLogfmt(v);
        if (target) setField(doc, target, pairs);
        else mergeInto(doc, pairs);
        return undefined;
      };
    }
    case "grok": {
      const field = compileFieldPath(step.field);
      const matcher = new GrokMatcher(step.patterns, { ecsCompatibility: step.ecsCompatibility, customPatterns: step.customPatterns });
      const pathCache = new Map<CompiledGrok, FieldPath[]>();
      const { required } = step;
      const count = step.patterns.length;
      return (doc) => {
        const v = getField(doc, field);
        if (v === undefined || v === null) return failure(required, TAG_GROK_FAILURE, doc, `field ${field.text} is missing`);
        if (typeof v === "object") return failure(required, TAG_GROK_FAILURE, doc, `field ${field.text} is not text`);
        const m = matcher.match(typeof v === "string" ? v : String(v));
        if (m === null) return failure(required, TAG_GROK_FAILURE, doc, `${count > 1 ? `none of the ${count} patterns matched` : "the pattern did not match"} ${field.text}: ${preview(v)}`);
        // captures overwrite existing values; a name captured twice keeps the last non-empty value
        const paths = capturePaths(m.grok, pathCache);
        const values = m.values;
        for (let i = 0; i < paths.length; i++) {
          const value = values[i];
          if (value !== undefined && value !== "") setField(doc, paths[i]!, value);
        }
        return undefined;
      };
    }
    case "date": {
      const field = compileFieldPath(step.field);
      const parsers: DateParser[] = step.formats.map((f) => compileDateFormat(f, { timezone: step.timezone }));
      const { required, removeField: remove } = step;
      const formats = step.formats.join(", ");
      return (doc, ctx) => {
        const v = getField(doc, field);
        if (v === undefined || v === null || v === "") return failure(required, TAG_DATE_FAILURE, doc, `field ${field.text} is missing`);
        for (const parse of parsers) {
          const ts = parse(v, ctx.observedTs);
          if (ts !== null) {
            doc.ts = ts;
            if (remove) removeField(doc, field);
            return undefined;
          }
        }
        return failure(required, TAG_DATE_FAILURE, doc, `cannot parse ${field.text} ${preview(v)} as ${formats}`);
      };
    }
    case "level": {
      const field = compileFieldPath(step.field);
      const mapping = new Map<string, LogLevel>(Object.entries(step.mapping ?? {}).map(([k, lvl]) => [k.trim().toLowerCase(), lvl]));
      return (doc) => {
        const v = getField(doc, field);
        if (v === undefined || v === null || typeof v === "object") return undefined;
        const s = String(v).trim();
        const level = mapping.get(s.toLowerCase()) ?? normaliseLevel(s);
        if (level !== null) doc.level = level;
        return undefined;
      };
    }
    case "rename": {
      const from = compileFieldPath(step.from);
      const to = compileFieldPath(step.to);
      return (doc) => {
        const v = getField(doc, from);
        if (v === undefined) return undefined;
        removeField(doc, from);
        setField(doc, to, v);
        return undefined;
      };
    }
    case "remove": {
      const paths = step.fields.map(compileFieldPath);
      return (doc) => {
        for (const p of paths) removeField(doc, p);
        return undefined;
      };
    }
    case "add": {
      const field = compileFieldPath(step.field);
      const template = typeof step.value === "string" ? compileTemplate(step.value) : null;
      const constant = step.value;
      const { overwrite } = step;
      return (doc) => {
        if (!overwrite && getField(doc, field) !== undefined) return undefined;
        setField(doc, field, template ? template(doc) : constant);
        return undefined;
      };
    }
    case "mask": {
      const field = compileFieldPath(step.field);
      const re = new RegExp(step.regex, `${step.flags}g`);
      const { replacement } = step;
      return (doc) => {
        const v = getField(doc, field);
        if (typeof v !== "string" && typeof v !== "number") return undefined;
        const s = String(v);
        const masked = s.replace(re, replacement);
        if (masked !== s) setField(doc, field, masked);
        return undefined;
      };
    }
    case "hash": {
      const field = compileFieldPath(step.field);
      const target = step.target ? compileFieldPath(step.target) : field;
      return (doc) => {
        const v = getField(doc, field);
        if (v === undefined || v === null) return undefined;
        setField(doc, target, sha256Hex(typeof v === "string" ? v : JSON.stringify(v)));
        return undefined;
      };
    }
    case "drop": {
      const field = compileFieldPath(step.field);
      const expected = step.value;
      const expectedText = String(expected);
      const re = step.op === "matches" ? new RegExp(expectedText, step.flags) : null;
      const test: (v: unknown) => boolean = {
        exists: (v: unknown) => v !== undefined && v !== null,
        equals: (v: unknown) => v !== undefined && v !== null && typeof v !== "object" && String(v) === expectedText,
        contains: (v: unknown) => (typeof v === "string" ? v.includes(expectedText) : Array.isArray(v) && v.some((x) => String(x) === expectedText)),
        matches: (v: unknown) => (typeof v === "string" || typeof v === "number") && re!.test(String(v)),
      }[step.op];
      const reason = `${field.text} ${step.not ? "not " : ""}${step.op}${step.op === "exists" ? "" : ` ${JSON.stringify(expected)}`}`;
      const { not } = step;
      return (doc) => (test(getField(doc, field)) !== not ? { drop: reason } : undefined);
    }
    case "sample": {
      const { percent } = step;
      const reason = `sampled out (keeping ${percent}%)`;
      return (doc) => (sampleKeeps(doc.message, percent) ? undefined : { drop: reason });
    }
    default: {
      const never: never = step;
      throw new PipelineCompileError(index, undefined, `unknown step ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Validates and compiles steps. Throws PipelineCompileError (an INVALID_INPUT AppError) naming the
 * step and the problem, e.g. `step 2 (grok): pattern %{FOO} not defined`.
 */
export function compileSteps(steps: readonly PipelineStepInput[] | readonly PipelineStep[]): CompiledStep[] {
  const parsed = PipelineSchema.safeParse(steps);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const index = typeof issue.path[0] === "number" ? issue.path[0] : -1;
    const raw = index >= 0 ? (steps[index] as { type?: unknown } | undefined) : undefined;
    const where = issue.path.slice(1).join(".");
    throw new PipelineCompileError(index, typeof raw?.type === "string" ? raw.type : undefined, `${where ? `${where}: ` : ""}${issue.message}`);
  }
  return parsed.data.map((step, index) => {
    try {
      return { index, type: step.type, apply: compileStep(step, index) };
    } catch (e) {
      if (e instanceof PipelineCompileError) throw e;
      throw new PipelineCompileError(index, step.type, e instanceof Error ? e.message : String(e));
    }
  });
}

/** Observes each step as it runs (explain uses it to snapshot the document). */
export type StepObserver = (step: CompiledStep, doc: PipelineDocument, outcome: StepOutcome) => void;

/** Runs compiled steps over one event. Never throws for a bad event: failures become dead letters. */
export function executeSteps(steps: readonly CompiledStep[], event: IncomingEvent, ctx: PipelineContext, observe?: StepObserver): PipelineResult {
  const limit = ctx.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES;
  const tooBig = findOversize(event.message, event, event.fields ?? {}, limit);
  if (tooBig) return { kind: "dead-letter", step: -1, stepType: "input", error: tooBig };
  const doc = createDocument(event);
  for (const step of steps) {
    let outcome: StepOutcome;
    try {
      outcome = step.apply(doc, ctx);
    } catch (e) {
      outcome = { fail: e instanceof Error ? e.message : String(e) };
    }
    observe?.(step, doc, outcome);
    if (outcome !== undefined) {
      if ("drop" in outcome) return { kind: "dropped", step: step.index, reason: outcome.drop };
      return { kind: "dead-letter", step: step.index, stepType: step.type, error: outcome.fail };
    }
  }
  const out = finaliseDocument(doc, ctx);
  const outTooBig = findOversize(out.message, out, out.attributes, limit);
  if (outTooBig) return { kind: "dead-letter", step: steps.length, stepType: "output", error: outTooBig };
  return { kind: "event", event: out };
}
