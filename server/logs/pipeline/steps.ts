/**
 * Pipeline step definitions: what a log source's pipeline (an ordered list of steps) may contain.
 * Stored as JSON with the source; validated with `PipelineSchema` at every boundary. Regexes,
 * grok expressions, date formats and time zones are checked here so a form can show the error
 * next to the field; `compilePipeline` re-uses the same compiled objects (cached).
 *
 * Field paths are dot-separated (`http.status`); `message`, `level`, `service`, `host`,
 * `traceId`, `spanId` address the event's core properties (see document.ts).
 * Setting the service or host needs no step of its own: `add` (`service` = `%{kubernetes.app}`)
 * or `rename` (`app` → `service`) does it, and well-known fields map at the end anyway.
 */
import { z } from "zod";
import { LogLevelSchema } from "../event";
import { EcsCompatibilitySchema } from "../grok/patterns";
import { grokLibrary } from "../grok/grok";
import { compileDateFormat } from "./date-format";

export const FieldPathSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^.]+(\.[^.]+)*$/, "a field path is names separated by dots, e.g. http.status");

const messageField = FieldPathSchema.default("message");

/** A JS regular expression source; `flags` is checked along with it. */
const RegexSourceSchema = z.string().min(1).max(2000);
const FLAGS_RE = /^(?!.*(.).*\1)[imsu]*$/;
const RegexFlagsSchema = z.string().regex(FLAGS_RE, "any of i, m, s, u, once each").default("");

/** The regex's syntax error, or null (also null for bad flags: their own issue reports them). */
function regexError(source: string, flags: string): string | null {
  if (!FLAGS_RE.test(flags)) return null;
  try {
    new RegExp(source, flags);
    return null;
  } catch (e) {
    return `invalid regex: ${(e as Error).message}`;
  }
}

export const JsonStepSchema = z.object({
  type: z.literal("json"),
  /** Field holding the JSON text (an object there is taken as already parsed). */
  field: messageField,
  /** Put the parsed value here instead of merging its keys into the event. */
  target: FieldPathSchema.optional(),
  /** Invalid JSON → dead letter (true) or tag `_jsonparsefailure` and continue (false). */
  required: z.boolean().default(true),
});

export const LogfmtStepSchema = z.object({
  type: z.literal("logfmt"),
  field: messageField,
  target: FieldPathSchema.optional(),
});

export const GrokStepSchema = z
  .object({
    type: z.literal("grok"),
    field: messageField,
    /** Tried in order; the first that matches wins. */
    patterns: z.array(z.string().min(1).max(10_000)).min(1).max(20),
    /** Extra definitions, `NAME regex` per line; they override built-ins of the same name. */
    customPatterns: z.string().max(100_000).optional(),
    /** Built-in pattern set: `v1` (ECS field names, Logstash 8 default) or `disabled` (legacy names). */
    ecsCompatibility: EcsCompatibilitySchema.default("v1"),
    /** No pattern matches → dead letter (true) or tag `_grokparsefailure` and continue (false). */
    required: z.boolean().default(false),
  })
  .superRefine((step, ctx) => {
    let lib;
    try {
      lib = grokLibrary({ ecsCompatibility: step.ecsCompatibility, customPatterns: step.customPatterns });
    } catch (e) {
      ctx.addIssue({ code: "custom", path: ["customPatterns"], message: (e as Error).message });
      return;
    }
    step.patterns.forEach((p, i) => {
      try {
        lib.compile(p);
      } catch (e) {
        ctx.addIssue({ code: "custom", path: ["patterns", i], message: (e as Error).message });
      }
    });
  });

export const DateStepSchema = z
  .object({
    type: z.literal("date"),
    field: FieldPathSchema.default("timestamp"),
    /** `ISO8601`, `UNIX`, `UNIX_MS`, `TAI64N` or Joda patterns (`dd/MMM/yyyy:HH:mm:ss Z`); first that parses wins. */
    formats: z.array(z.string().min(1).max(200)).min(1).max(20),
    /** IANA zone for times without an offset (default UTC). */
    timezone: z.string().min(1).max(64).optional(),
    /** Unparseable or missing → dead letter (true) or tag `_dateparsefailure` and continue (false). */
    required: z.boolean().default(true),
    /** Remove the source field once parsed (its value is the event time now). */
    removeField: z.boolean().default(true),
  })
  .superRefine((step, ctx) => {
    step.formats.forEach((f, i) => {
      try {
        compileDateFormat(f, { timezone: step.timezone });
      } catch (e) {
        ctx.addIssue({ code: "custom", path: step.timezone && /time zone/.test((e as Error).message) ? ["timezone"] : ["formats", i], message: (e as Error).message });
      }
    });
  });

export const LevelStepSchema = z.object({
  type: z.literal("level"),
  field: FieldPathSchema.default("level"),
  /** Custom names (case-insensitive) tried before the standard normalisation, e.g. {"I": "info"}. */
  mapping: z.record(z.string().min(1).max(64), LogLevelSchema).optional(),
});

export const RenameStepSchema = z.object({ type: z.literal("rename"), from: FieldPathSchema, to: FieldPathSchema });

export const RemoveStepSchema = z.object({ type: z.literal("remove"), fields: z.array(FieldPathSchema).min(1).max(100) });

export const AddStepSchema = z.object({
  type: z.literal("add"),
  field: FieldPathSchema,
  /** Strings may reference fields: `%{kubernetes.labels.app}` (an unknown reference stays as written). */
  value: z.union([z.string().max(10_000), z.number(), z.boolean()]),
  /** Replace an existing value (default) or keep it. */
  overwrite: z.boolean().default(true),
});

export const MaskStepSchema = z
  .object({
    type: z.literal("mask"),
    field: messageField,
    /** JavaScript regex; every match is replaced. */
    regex: RegexSourceSchema,
    flags: RegexFlagsSchema,
    /** `$1`…`$9`, `$<name>` and `$&` refer to the match. */
    replacement: z.string().max(1000).default("****"),
  })
  .superRefine((step, ctx) => {
    const err = regexError(step.regex, step.flags);
    if (err) ctx.addIssue({ code: "custom", path: ["regex"], message: err });
  });

export const HashStepSchema = z.object({
  type: z.literal("hash"),
  field: FieldPathSchema,
  /** Where the SHA-256 hex goes (default: replaces the field's value). */
  target: FieldPathSchema.optional(),
});

export const DropConditionOpSchema = z.enum(["equals", "contains", "matches", "exists"]);

export const DropStepSchema = z
  .object({
    type: z.literal("drop"),
    field: FieldPathSchema,
    op: DropConditionOpSchema,
    /** Compared value (equals, contains) or JS regex (matches); unused for exists. */
    value: z.union([z.string().max(2000), z.number(), z.boolean()]).optional(),
    flags: RegexFlagsSchema,
    /** Drop when the condition does NOT hold. */
    not: z.boolean().default(false),
  })
  .superRefine((step, ctx) => {
    if (step.op !== "exists" && step.value === undefined) ctx.addIssue({ code: "custom", path: ["value"], message: `"${step.op}" needs a value` });
    if (step.op === "matches") {
      const err = regexError(String(step.value ?? ""), step.flags);
      if (err) ctx.addIssue({ code: "custom", path: ["value"], message: err });
    }
  });

export const SampleStepSchema = z.object({
  type: z.literal("sample"),
  /** Share of events kept, 0–100; decided by a hash of the message, so replays keep the same events. */
  percent: z.number().min(0).max(100),
});

export const PipelineStepSchema = z.discriminatedUnion("type", [
  JsonStepSchema,
  LogfmtStepSchema,
  GrokStepSchema,
  DateStepSchema,
  LevelStepSchema,
  RenameStepSchema,
  RemoveStepSchema,
  AddStepSchema,
  MaskStepSchema,
  HashStepSchema,
  DropStepSchema,
  SampleStepSchema,
]);
export type PipelineStep = z.output<typeof PipelineStepSchema>;
export type PipelineStepInput = z.input<typeof PipelineStepSchema>;
export type PipelineStepType = PipelineStep["type"];

export const MAX_PIPELINE_STEPS = 50;
export const PipelineSchema = z.array(PipelineStepSchema).max(MAX_PIPELINE_STEPS);
export type Pipeline = z.output<typeof PipelineSchema>;
