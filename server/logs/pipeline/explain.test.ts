import { describe, expect, it } from "vitest";
import { explainPipeline } from "./explain";
import type { PipelineStepInput } from "./steps";

const ctx = { source: "test", observedTs: Date.UTC(2024, 5, 15) };
const line = (message: string) => ({ message, fields: {} });

describe("explainPipeline", () => {
  const steps: PipelineStepInput[] = [
    { type: "grok", patterns: ["^%{LOGLEVEL:level} \\[%{DATA:[service][name]}\\] %{GREEDYDATA:message}$"], required: true },
    { type: "mask", regex: "\\d{4}-\\d{4}", replacement: "####" },
    { type: "drop", field: "message", op: "contains", value: "healthz" },
  ];

  it("shows the document after each step and the final event", () => {
    const x = explainPipeline(steps, line("WARN [cart] card 1234-5678 declined"), ctx);
    if (x.kind !== "explained") throw new Error("expected an explanation");
    expect(x.input).toEqual({ ts: null, message: "WARN [cart] card 1234-5678 declined", level: null, service: null, host: null, traceId: null, spanId: null, fields: {} });
    expect(x.steps).toEqual([
      { step: 0, type: "grok", status: "ok", document: expect.objectContaining({ level: "WARN", message: "card 1234-5678 declined", fields: { service: { name: "cart" } } }) },
      { step: 1, type: "mask", status: "ok", document: expect.objectContaining({ message: "card #### declined" }) },
      { step: 2, type: "drop", status: "ok", document: expect.objectContaining({ message: "card #### declined" }) },
    ]);
    expect(x.result).toMatchObject({ kind: "event", event: { level: "warn", service: "cart", message: "card #### declined", attributes: {} } });
  });

  it("snapshots are copies: later steps do not change earlier outputs", () => {
    const x = explainPipeline([{ type: "add", field: "a.b", value: 1 }, { type: "add", field: "a.c", value: 2 }], line("m"), ctx);
    if (x.kind !== "explained") throw new Error("expected an explanation");
    expect(x.steps[0]).toMatchObject({ document: { fields: { a: { b: 1 } } } });
    expect(x.steps[1]).toMatchObject({ document: { fields: { a: { b: 1, c: 2 } } } });
  });

  it("reports a dead letter or a drop at its step; later steps do not run", () => {
    const failed = explainPipeline(steps, line("not a log line"), ctx);
    expect(failed).toMatchObject({
      kind: "explained",
      steps: [
        { step: 0, type: "grok", status: "dead-letter", error: 'the pattern did not match message: "not a log line"' },
        { step: 1, type: "mask", status: "not-run" },
        { step: 2, type: "drop", status: "not-run" },
      ],
      result: { kind: "dead-letter", step: 0, stepType: "grok" },
    });
    const dropped = explainPipeline(steps, line("INFO [lb] GET /healthz"), ctx);
    expect(dropped).toMatchObject({ steps: [{ status: "ok" }, { status: "ok" }, { status: "dropped", reason: 'message contains "healthz"' }], result: { kind: "dropped", step: 2 } });
  });

  it("returns an invalid definition instead of throwing", () => {
    expect(explainPipeline([{ type: "json" }, { type: "grok", patterns: ["%{NOPE}"] }], line("x"), ctx)).toEqual({
      kind: "invalid", step: 1, stepType: "grok", error: "step 2 (grok): patterns.0: pattern %{NOPE} not defined",
    });
  });
});
