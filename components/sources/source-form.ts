/** The source form (pure): a stored source ↔ the editor's state ↔ the create/update input. */
import { draftFromStep, pipelineFromDrafts, type StepDraft } from "./pipeline-draft";

export type SourceForm = { name: string; description: string; hotDays: string; archiveDays: string; steps: StepDraft[] };

type SourceLike = { name: string; description: string; hotDays: number; archiveDays: number; pipeline: unknown[] };

/** New sources start with the database defaults (7 hot days, 30 archive days) and no steps. */
export function sourceFormFrom(source: SourceLike | null, newKey: () => string): SourceForm {
  return {
    name: source?.name ?? "",
    description: source?.description ?? "",
    hotDays: String(source?.hotDays ?? 7),
    archiveDays: String(source?.archiveDays ?? 30),
    steps: (source?.pipeline ?? []).map((s) => draftFromStep(s, newKey())),
  };
}

/** A whole number typed into a box; NaN when it is not one (the server names the field). */
function days(text: string): number {
  const t = text.trim();
  return t === "" ? Number.NaN : Number(t);
}

export function sourceInputFrom(form: SourceForm): { name: string; description?: string; hotDays: number; archiveDays: number; pipeline: unknown[] } {
  return {
    name: form.name.trim(),
    description: form.description.trim() || undefined,
    hotDays: days(form.hotDays),
    archiveDays: days(form.archiveDays),
    pipeline: pipelineFromDrafts(form.steps),
  };
}

/** Whether two forms would save the same source (step keys and whitespace-only edits aside). */
export function sameSource(a: SourceForm, b: SourceForm): boolean {
  return JSON.stringify(sourceInputFrom(a)) === JSON.stringify(sourceInputFrom(b));
}
