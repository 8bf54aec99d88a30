import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PipelineSchema } from "@/server/logs/pipeline/steps";
import { draftFromStep, mappingFromText, moveItem, newStepDraft, pipelineFromDrafts, pipelineIssues, STEP_TYPES, stepFromDraft, type StepDraft } from "./pipeline-draft";

describe("drafts", () => {
  it("new steps carry the schema's defaults", () => {
    expect(newStepDraft("grok", "k")).toEqual({ key: "k", type: "grok", field: "message", patterns: "", customPatterns: "", ecsCompatibility: "v1", required: false });
    expect(newStepDraft("date", "k")).toMatchObject({ field: "timestamp", required: true, removeField: true });
    expect(newStepDraft("sample", "k")).toEqual({ key: "k", type: "sample", percent: "100" });
  });

  it("turns list textareas into arrays and leaves empty optionals out", () => {
    const grok: StepDraft = { ...(newStepDraft("grok", "a") as Extract<StepDraft, { type: "grok" }>), patterns: "%{COMBINEDAPACHELOG}\n\n  %{COMMONAPACHELOG} \n", required: true };
    const date: StepDraft = { ...(newStepDraft("date", "b") as Extract<StepDraft, { type: "date" }>), formats: "dd/MMM/yyyy:HH:mm:ss Z\nISO8601" };
    expect(pipelineFromDrafts([grok, date])).toEqual([
      { type: "grok", field: "message", patterns: ["%{COMBINEDAPACHELOG}", "%{COMMONAPACHELOG}"], ecsCompatibility: "v1", required: true },
      { type: "date", field: "timestamp", formats: ["dd/MMM/yyyy:HH:mm:ss Z", "ISO8601"], required: true, removeField: true },
    ]);
  });

  it("sends typed values for add, sample and drop", () => {
    expect(stepFromDraft({ key: "k", type: "add", field: "env", value: "42", valueType: "number", overwrite: false })).toEqual({ type: "add", field: "env", value: 42, overwrite: false });
    expect(stepFromDraft({ key: "k", type: "add", field: "on", value: "true", valueType: "boolean", overwrite: true })).toMatchObject({ value: true });
    expect(stepFromDraft({ key: "k", type: "sample", percent: " 12.5 " })).toEqual({ type: "sample", percent: 12.5 });
    // Not a number: sent as typed, so the server's message names the field.
    expect(stepFromDraft({ key: "k", type: "sample", percent: "lots" })).toEqual({ type: "sample", percent: "lots" });
    expect(stepFromDraft({ key: "k", type: "drop", field: "path", op: "exists", value: "x", flags: "", not: true })).toEqual({ type: "drop", field: "path", op: "exists", value: undefined, flags: "", not: true });
  });

  it("parses NAME=level mapping lines", () => {
    expect(mappingFromText("I = INFO\nW=warn\n\n")).toEqual({ I: "info", W: "warn" });
    expect(mappingFromText("")).toBeUndefined();
    expect(mappingFromText("oops")).toEqual({ oops: "" });
  });

  it("round-trips every step type through a stored step", () => {
    const stored: unknown[] = [
      { type: "json", field: "message", target: "payload", required: false },
      { type: "logfmt", field: "message" },
      { type: "grok", field: "message", patterns: ["%{WORD:w}"], customPatterns: "FOO \\d+", ecsCompatibility: "disabled", required: true },
      { type: "date", field: "ts", formats: ["ISO8601", "UNIX"], timezone: "Europe/Paris", required: false, removeField: false },
      { type: "level", field: "severity", mapping: { I: "info", E: "error" } },
      { type: "rename", from: "app", to: "service" },
      { type: "remove", fields: ["a", "b.c"] },
      { type: "add", field: "env", value: "prod", overwrite: true },
      { type: "mask", field: "message", regex: "\\d{4}", flags: "i", replacement: "####" },
      { type: "hash", field: "user.email", target: "user.hash" },
      { type: "drop", field: "path", op: "matches", value: "^/health", flags: "", not: false },
      { type: "sample", percent: 25 },
    ];
    expect(new Set(stored.map((s) => (s as { type: string }).type))).toEqual(new Set(STEP_TYPES.map((t) => t.type)));
    const drafts = stored.map((s, i) => draftFromStep(s, String(i)));
    expect(drafts.every((d) => d.type !== "raw")).toBe(true);
    expect(pipelineFromDrafts(drafts)).toEqual(stored);
    // What the editor sends is what the server accepts (and stores back unchanged but for defaults).
    const parsed = PipelineSchema.safeParse(pipelineFromDrafts(drafts));
    expect(parsed.error).toBeUndefined();
    expect(pipelineFromDrafts(parsed.data!.map((s, i) => draftFromStep(s, String(i))))).toMatchObject(stored);
  });

  it("keeps an unknown step as editable JSON", () => {
    const d = draftFromStep({ type: "geoip", field: "ip" }, "k");
    expect(d.type).toBe("raw");
    expect(stepFromDraft(d)).toEqual({ type: "geoip", field: "ip" });
    expect(stepFromDraft({ key: "k", type: "raw", json: "{not json" })).toBe("{not json");
  });
});

describe("moveItem", () => {
  it("moves and clamps", () => {
    expect(moveItem(["a", "b", "c"], 0, 1)).toEqual(["b", "a", "c"]);
    expect(moveItem(["a", "b", "c"], 2, -1)).toEqual(["a", "c", "b"]);
    expect(moveItem(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
  });
});

describe("pipelineIssues", () => {
  it("reads step and property from the server's prettified zod message", () => {
    const schema = z.array(z.object({ from: z.string().min(1), patterns: z.array(z.string().min(1)).optional() }));
    const err = schema.safeParse([{ from: "ok" }, { from: "", patterns: ["x", ""] }]).error!;
    const message = `Invalid pipeline: ${z.prettifyError(err)}`;
    expect(pipelineIssues(message)).toEqual([
      { step: 1, field: "from", message: "Too small: expected string to have >=1 characters" },
      { step: 1, field: "patterns", message: "Too small: expected string to have >=1 characters" },
    ]);
  });

  it("treats a bad type as a whole-step issue and ignores other messages", () => {
    expect(pipelineIssues("Invalid pipeline: ✖ Invalid discriminator value\n  → at [3].type")).toEqual([{ step: 3, field: null, message: "Invalid discriminator value" }]);
    expect(pipelineIssues("archive days must be at least the hot days")).toEqual([]);
    expect(pipelineIssues(null)).toEqual([]);
  });
});
