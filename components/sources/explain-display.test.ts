import { describe, expect, it } from "vitest";
import type { DocumentSnapshot, PipelineExplanation } from "@/server/logs/pipeline/explain";
import { displayDocument, displayEvent, documentChanges, lineOutcome, stepName } from "./explain-display";

const doc = (over: Partial<DocumentSnapshot> = {}): DocumentSnapshot => ({
  ts: null,
  message: "hello",
  level: null,
  service: null,
  host: null,
  traceId: null,
  spanId: null,
  fields: {},
  ...over,
});

describe("display", () => {
  it("shows times as ISO and leaves out empty core properties", () => {
    expect(displayDocument(doc({ ts: Date.UTC(2024, 9, 10, 13, 55, 36), level: "info", fields: { a: 1 } }))).toEqual({
      ts: "2024-10-10T13:55:36.000Z",
      message: "hello",
      level: "info",
      fields: { a: 1 },
    });
    expect(
      displayEvent({ ts: 0, observedTs: 1000, source: "s", service: null, host: "h", level: null, message: "m", traceId: null, spanId: null, attributes: {} }),
    ).toEqual({ ts: "1970-01-01T00:00:00.000Z", observedTs: "1970-01-01T00:00:01.000Z", source: "s", host: "h", message: "m", attributes: {} });
  });

  it("lists what a step added, changed and removed", () => {
    const before = doc({ fields: { timestamp: "10/Oct/2024", http: { status: 200 } } });
    const after = doc({ ts: 5, fields: { http: { status: 404, method: "GET" } } });
    expect(documentChanges(before, after)).toEqual({ added: ["ts", "http.method"], changed: ["http.status"], removed: ["timestamp"] });
    expect(documentChanges(before, before)).toEqual({ added: [], changed: [], removed: [] });
    // From no fields at all, and to an empty object.
    expect(documentChanges(doc(), doc({ fields: { a: 1, b: {} } }))).toEqual({ added: ["a", "b"], changed: [], removed: [] });
  });
});

describe("lineOutcome", () => {
  const steps = [
    { step: 0, type: "grok", status: "dead-letter" as const, error: "no pattern matched" },
    { step: 1, type: "date", status: "not-run" as const },
  ];
  it("names where a line ended", () => {
    const dead: PipelineExplanation = { kind: "explained", input: doc(), steps, result: { kind: "dead-letter", step: 0, stepType: "grok", error: "no pattern matched" } };
    expect(lineOutcome(dead)).toEqual({ kind: "dead-letter", label: "Dead letter at step 1 (grok)", reason: "no pattern matched" });
    const dropped: PipelineExplanation = { kind: "explained", input: doc(), steps, result: { kind: "dropped", step: 0, reason: "path equals /health" } };
    expect(lineOutcome(dropped)).toMatchObject({ kind: "dropped", label: "Dropped at step 1 (grok)" });
    expect(lineOutcome({ kind: "invalid", step: 0, stepType: "grok", error: "bad" })).toMatchObject({ kind: "invalid", reason: "bad" });
  });

  it("names the input and the final event", () => {
    expect(stepName(-1, "input", 2)).toBe("input");
    expect(stepName(2, "output", 2)).toBe("final event");
    expect(stepName(1, "date", 2)).toBe("step 2 (date)");
  });
});
