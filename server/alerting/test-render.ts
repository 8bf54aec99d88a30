/**
 * A stand-in for the Go-template engine in tests: substitutes `{{ $labels.name }}` and
 * `{{ $value }}` only, and fails on any other action (so tests can cover template errors with
 * `{{ fail }}`). Import only from tests.
 */
import type { RenderTemplate } from "./annotations";

export const fakeRender: RenderTemplate = (text, data) => {
  let error: string | null = null;
  const out = text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_all, action: string) => {
    const label = /^\$labels\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(action);
    if (label) return data.labels[label[1]!] ?? "";
    if (action === "$value") return data.value === null ? "" : String(data.value);
    error ??= `unsupported action ${JSON.stringify(action)}`;
    return "";
  });
  return error === null ? { ok: true, text: out } : { ok: false, error };
};
