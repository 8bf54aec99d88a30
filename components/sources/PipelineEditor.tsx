"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/Button";
import { cn } from "@/components/ui/cn";
import { Label } from "@/components/ui/Label";
import { Select } from "@/components/ui/Select";
import { isStepType, moveItem, newStepDraft, STEP_TYPES, type StepDraft, type StepIssue, type StepType } from "./pipeline-draft";
import { StepFields } from "./StepFields";

/** Properties each step's form shows; an issue about anything else is shown for the whole step. */
const SHOWN: Record<StepDraft["type"], readonly string[]> = {
  json: ["field", "target", "required"],
  logfmt: ["field", "target"],
  grok: ["field", "patterns", "customPatterns", "ecsCompatibility", "required"],
  date: ["field", "formats", "timezone", "required", "removeField"],
  level: ["field", "mapping"],
  rename: ["from", "to"],
  remove: ["fields"],
  add: ["field", "value", "overwrite"],
  mask: ["field", "regex", "flags", "replacement"],
  hash: ["field", "target"],
  drop: ["field", "op", "value", "flags", "not"],
  sample: ["percent"],
  raw: [],
};

const describe = (type: string) => STEP_TYPES.find((t) => t.type === type)?.description ?? "Step of an unknown type";

/**
 * The ordered pipeline steps: add (by type), edit, move, remove. `issues` are the server's
 * messages about steps (by index), shown next to the matching field.
 */
export function PipelineEditor({
  steps,
  onChange,
  issues,
  readOnly,
  newKey,
}: {
  steps: StepDraft[];
  onChange: (steps: StepDraft[]) => void;
  issues: StepIssue[];
  readOnly: boolean;
  newKey: () => string;
}) {
  const typeId = useId();
  const [type, setType] = useState<StepType>("grok");
  const listRef = useRef<HTMLOListElement>(null);
  const [focusKey, setFocusKey] = useState<string | null>(null);

  // Focus the first field of a step just added.
  useEffect(() => {
    if (!focusKey) return;
    listRef.current?.querySelector<HTMLElement>(`[data-step-key="${focusKey}"] input, [data-step-key="${focusKey}"] textarea`)?.focus();
  }, [focusKey]);

  function add() {
    const draft = newStepDraft(type, newKey());
    onChange([...steps, draft]);
    setFocusKey(draft.key);
  }

  return (
    <div className="space-y-3">
      {steps.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 px-3 py-4 text-center text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400">
          No steps: events are stored as they arrive (well-known fields such as level, service and host are still mapped).
        </p>
      ) : (
        <ol ref={listRef} className="space-y-3" aria-label="Pipeline steps">
          {steps.map((step, i) => {
            const mine = issues.filter((x) => x.step === i);
            const errors: Record<string, string> = {};
            for (const x of mine) if (x.field && SHOWN[step.type].includes(x.field) && !(x.field in errors)) errors[x.field] = x.message;
            const general = mine.filter((x) => !x.field || !SHOWN[step.type].includes(x.field));
            const label = `Step ${i + 1}: ${step.type === "raw" ? "unknown type" : step.type}`;
            return (
              <li key={step.key} data-step-key={step.key}>
                <div
                  role="group"
                  aria-label={label}
                  data-testid="pipeline-step"
                  className={cn("rounded-md border bg-white dark:bg-slate-900", mine.length ? "border-red-300 dark:border-red-900" : "border-slate-200 dark:border-slate-700")}
                >
                  <div className="flex items-center gap-2 border-b border-slate-200 bg-slate-50 px-3 py-1.5 dark:border-slate-800 dark:bg-slate-800/40">
                    <span className="flex size-5 shrink-0 items-center justify-center rounded-full bg-slate-200 text-[11px] font-semibold text-slate-700 tabular-nums dark:bg-slate-700 dark:text-slate-200">
                      {i + 1}
                    </span>
                    <span className="font-mono text-xs font-semibold">{step.type === "raw" ? "unknown" : step.type}</span>
                    <span className="min-w-0 truncate text-xs text-slate-500 dark:text-slate-400">{describe(step.type)}</span>
                    {!readOnly && (
                      <div className="ml-auto flex shrink-0 items-center gap-0.5">
                        <IconButton label={`Move step ${i + 1} up`} disabled={i === 0} onClick={() => onChange(moveItem(steps, i, -1))} path="M8 12.5V3.5M4 7.5l4-4 4 4" />
                        <IconButton
                          label={`Move step ${i + 1} down`}
                          disabled={i === steps.length - 1}
                          onClick={() => onChange(moveItem(steps, i, 1))}
                          path="M8 3.5v9M4 8.5l4 4 4-4"
                        />
                        <IconButton label={`Remove step ${i + 1}`} danger onClick={() => onChange(steps.filter((_, j) => j !== i))} path="M4 4l8 8M12 4l-8 8" />
                      </div>
                    )}
                  </div>
                  <div className="space-y-2 px-3 py-3">
                    {general.map((x, j) => (
                      <p key={j} className="text-xs text-red-600 dark:text-red-400">
                        {x.message}
                      </p>
                    ))}
                    <StepFields draft={step} errors={errors} onChange={(next) => onChange(steps.map((s) => (s.key === step.key ? next : s)))} />
                  </div>
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {!readOnly && (
        <div className="space-y-1">
          <Label htmlFor={typeId}>New step type</Label>
          <div className="flex items-center gap-2">
            <Select id={typeId} value={type} onChange={(e) => isStepType(e.target.value) && setType(e.target.value)} className="min-w-0 flex-1">
              {STEP_TYPES.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.label} — {t.description}
                </option>
              ))}
            </Select>
            <Button onClick={add}>Add step</Button>
          </div>
        </div>
      )}
    </div>
  );
}

function IconButton({ label, path, onClick, disabled, danger }: { label: string; path: string; onClick: () => void; disabled?: boolean; danger?: boolean }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
      className={cn(
        "rounded p-1 text-slate-500 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-blue-500 disabled:cursor-not-allowed disabled:opacity-30 dark:text-slate-400 dark:hover:bg-slate-700",
        danger ? "hover:text-red-700 dark:hover:text-red-300" : "hover:text-slate-900 dark:hover:text-white",
      )}
    >
      <svg viewBox="0 0 16 16" className="size-3.5" aria-hidden fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
        <path d={path} />
      </svg>
    </button>
  );
}
