/**
 * The pipeline editor's form model (pure). A stored step (`PipelineStepSchema` output, see
 * server/logs/pipeline/steps.ts) becomes a draft whose text inputs are plain strings (lists one
 * item per line), and a draft becomes the step object sent to `sources.create|update|testPipeline`,
 * where the server validates it. Nothing here re-implements that validation.
 */

export const STEP_TYPES = [
  { type: "json", label: "JSON", description: "Parse a field holding JSON" },
  { type: "logfmt", label: "logfmt", description: "Parse key=value pairs" },
  { type: "grok", label: "grok", description: "Parse text with grok patterns" },
  { type: "date", label: "date", description: "Take the event time from a field" },
  { type: "level", label: "level", description: "Take the log level from a field" },
  { type: "rename", label: "rename", description: "Move a field" },
  { type: "remove", label: "remove", description: "Delete fields" },
  { type: "add", label: "add", description: "Set a field to a value" },
  { type: "mask", label: "mask", description: "Replace matches of a regex (PII)" },
  { type: "hash", label: "hash", description: "Replace a value by its SHA-256" },
  { type: "drop", label: "drop", description: "Drop events matching a condition" },
  { type: "sample", label: "sample", description: "Keep a share of events" },
] as const;

export type StepType = (typeof STEP_TYPES)[number]["type"];

export const DROP_OPS = ["equals", "contains", "matches", "exists"] as const;
export type DropOp = (typeof DROP_OPS)[number];
export const ADD_VALUE_TYPES = ["string", "number", "boolean"] as const;
export type AddValueType = (typeof ADD_VALUE_TYPES)[number];

type Drafts = {
  json: { field: string; target: string; required: boolean };
  logfmt: { field: string; target: string };
  grok: { field: string; patterns: string; customPatterns: string; ecsCompatibility: "v1" | "disabled"; required: boolean };
  date: { field: string; formats: string; timezone: string; required: boolean; removeField: boolean };
  level: { field: string; mapping: string };
  rename: { from: string; to: string };
  remove: { fields: string };
  add: { field: string; value: string; valueType: AddValueType; overwrite: boolean };
  mask: { field: string; regex: string; flags: string; replacement: string };
  hash: { field: string; target: string };
  drop: { field: string; op: DropOp; value: string; flags: string; not: boolean };
  sample: { percent: string };
};

/** One step in the editor. `key` keeps React state with its step when steps move. */
export type StepDraft =
  | { [T in StepType]: { key: string; type: T } & Drafts[T] }[StepType]
  /** A stored step of a type this console does not know: edited as JSON. */
  | { key: string; type: "raw"; json: string };

export type DraftOf<T extends StepDraft["type"]> = Extract<StepDraft, { type: T }>;

const DEFAULTS: { [T in StepType]: Drafts[T] } = {
  json: { field: "message", target: "", required: true },
  logfmt: { field: "message", target: "" },
  grok: { field: "message", patterns: "", customPatterns: "", ecsCompatibility: "v1", required: false },
  date: { field: "timestamp", formats: "", timezone: "", required: true, removeField: true },
  level: { field: "level", mapping: "" },
  rename: { from: "", to: "" },
  remove: { fields: "" },
  add: { field: "", value: "", valueType: "string", overwrite: true },
  mask: { field: "message", regex: "", flags: "", replacement: "****" },
  hash: { field: "", target: "" },
  drop: { field: "", op: "equals", value: "", flags: "", not: false },
  sample: { percent: "100" },
};

export function isStepType(t: unknown): t is StepType {
  return STEP_TYPES.some((s) => s.type === t);
}

/** A new step of `type` with the schema's defaults. */
export function newStepDraft(type: StepType, key: string): StepDraft {
  return { key, type, ...DEFAULTS[type] } as StepDraft;
}

/** Non-blank lines of a textarea, trimmed. */
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

const str = (v: unknown, fallback = ""): string => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : fallback);
const bool = (v: unknown, fallback: boolean): boolean => (typeof v === "boolean" ? v : fallback);
const list = (v: unknown): string => (Array.isArray(v) ? v.map((x) => str(x)).join("\n") : str(v));

/** A stored step (validated output, defaults filled) → its draft. Unknown shapes become a raw JSON draft. */
export function draftFromStep(step: unknown, key: string): StepDraft {
  const raw = (): StepDraft => ({ key, type: "raw", json: JSON.stringify(step, null, 2) ?? "null" });
  if (typeof step !== "object" || step === null || Array.isArray(step)) return raw();
  const s = step as Record<string, unknown>;
  if (!isStepType(s.type)) return raw();
  const d = DEFAULTS[s.type] as Record<string, unknown>;
  const field = str(s.field, d.field as string);
  switch (s.type) {
    case "json":
      return { key, type: "json", field, target: str(s.target), required: bool(s.required, true) };
    case "logfmt":
      return { key, type: "logfmt", field, target: str(s.target) };
    case "grok":
      return {
        key,
        type: "grok",
        field,
        patterns: list(s.patterns),
        customPatterns: str(s.customPatterns),
        ecsCompatibility: s.ecsCompatibility === "disabled" ? "disabled" : "v1",
        required: bool(s.required, false),
      };
    case "date":
      return { key, type: "date", field, formats: list(s.formats), timezone: str(s.timezone), required: bool(s.required, true), removeField: bool(s.removeField, true) };
    case "level": {
      const mapping = s.mapping && typeof s.mapping === "object" ? Object.entries(s.mapping as Record<string, unknown>).map(([k, v]) => `${k}=${str(v)}`) : [];
      return { key, type: "level", field, mapping: mapping.join("\n") };
    }
    case "rename":
      return { key, type: "rename", from: str(s.from), to: str(s.to) };
    case "remove":
      return { key, type: "remove", fields: list(s.fields) };
    case "add": {
      const valueType: AddValueType = typeof s.value === "number" ? "number" : typeof s.value === "boolean" ? "boolean" : "string";
      return { key, type: "add", field, value: str(s.value), valueType, overwrite: bool(s.overwrite, true) };
    }
    case "mask":
      return { key, type: "mask", field, regex: str(s.regex), flags: str(s.flags), replacement: str(s.replacement, "****") };
    case "hash":
      return { key, type: "hash", field, target: str(s.target) };
    case "drop":
      return {
        key,
        type: "drop",
        field,
        op: (DROP_OPS as readonly unknown[]).includes(s.op) ? (s.op as DropOp) : "equals",
        value: str(s.value),
        flags: str(s.flags),
        not: bool(s.not, false),
      };
    case "sample":
      return { key, type: "sample", percent: str(s.percent, "100") };
  }
}

/** Omits empty optional strings so the server's defaults apply. */
const optional = (v: string): string | undefined => (v.trim() === "" ? undefined : v.trim());

/** A number typed into a text box; anything else is sent as typed so the server names the problem. */
function numberOrText(v: string): number | string {
  const t = v.trim();
  return t !== "" && Number.isFinite(Number(t)) ? Number(t) : t;
}

/** `NAME=level` lines → mapping. A line without "=" maps to "" (the server reports it). */
export function mappingFromText(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const line of linesOf(text)) {
    const at = line.indexOf("=");
    if (at < 0) out[line] = "";
    else out[line.slice(0, at).trim()] = line.slice(at + 1).trim().toLowerCase();
  }
  return Object.keys(out).length ? out : undefined;
}

/** A draft → the step object for the API (undefined properties are dropped by JSON). */
export function stepFromDraft(d: StepDraft): unknown {
  switch (d.type) {
    case "raw":
      try {
        return JSON.parse(d.json) as unknown;
      } catch {
        return d.json;
      }
    case "json":
      return { type: "json", field: optional(d.field), target: optional(d.target), required: d.required };
    case "logfmt":
      return { type: "logfmt", field: optional(d.field), target: optional(d.target) };
    case "grok":
      return {
        type: "grok",
        field: optional(d.field),
        patterns: linesOf(d.patterns),
        customPatterns: d.customPatterns.trim() === "" ? undefined : d.customPatterns,
        ecsCompatibility: d.ecsCompatibility,
        required: d.required,
      };
    case "date":
      return { type: "date", field: optional(d.field), formats: linesOf(d.formats), timezone: optional(d.timezone), required: d.required, removeField: d.removeField };
    case "level":
      return { type: "level", field: optional(d.field), mapping: mappingFromText(d.mapping) };
    case "rename":
      return { type: "rename", from: d.from.trim(), to: d.to.trim() };
    case "remove":
      return { type: "remove", fields: linesOf(d.fields) };
    case "add":
      return {
        type: "add",
        field: d.field.trim(),
        value: d.valueType === "number" ? numberOrText(d.value) : d.valueType === "boolean" ? d.value.trim() === "true" : d.value,
        overwrite: d.overwrite,
      };
    case "mask":
      return { type: "mask", field: optional(d.field), regex: d.regex, flags: d.flags.trim(), replacement: d.replacement };
    case "hash":
      return { type: "hash", field: d.field.trim(), target: optional(d.target) };
    case "drop":
      return { type: "drop", field: d.field.trim(), op: d.op, value: d.op === "exists" ? undefined : d.value, flags: d.flags.trim(), not: d.not };
    case "sample":
      return { type: "sample", percent: numberOrText(d.percent) };
  }
}

export function pipelineFromDrafts(drafts: readonly StepDraft[]): unknown[] {
  // Through JSON so `undefined` properties vanish, exactly as they will on the wire.
  return JSON.parse(JSON.stringify(drafts.map(stepFromDraft))) as unknown[];
}

/** Moves the item at `from` by `delta` places (clamped); a new array. */
export function moveItem<T>(items: readonly T[], from: number, delta: number): T[] {
  const to = Math.max(0, Math.min(items.length - 1, from + delta));
  if (to === from) return [...items];
  const out = [...items];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item!);
  return out;
}

export type StepIssue = { step: number; field: string | null; message: string };

/**
 * The per-step problems in a pipeline error message. The server reports an invalid pipeline as
 * "Invalid pipeline: " + zod's prettified issues (`✖ message` then `→ at [2].patterns[0]`);
 * `field` is the step property (`patterns`), null when the issue is about the whole step.
 */
export function pipelineIssues(message: string | null | undefined): StepIssue[] {
  if (!message) return [];
  const out: StepIssue[] = [];
  const re = /✖ ([\s\S]*?)\n\s*→ at \[(\d+)\]([^\n]*)/g;
  for (const m of message.matchAll(re)) {
    const rest = m[3]!.trim();
    const first = /^\.?([^.[\]]+)/.exec(rest)?.[1] ?? null;
    out.push({ step: Number(m[2]), field: first === "type" ? null : first, message: m[1]!.trim() });
  }
  return out;
}
