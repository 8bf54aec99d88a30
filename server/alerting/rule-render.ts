/**
 * Rule templates (annotation and label values: `{{ $labels.instance }}`, `{{ $value | humanize }}`)
 * through the Go-template engine (./template), in the shape the state machine and the Preview take
 * (annotations.ts's RenderTemplate). Pure: safe in workers and in the browser.
 */
import type { RenderTemplate } from "./annotations";
import { expandRuleTemplate } from "./template";

export interface RuleRenderOptions {
  /** `$externalURL`: the console's address. */
  externalURL?: string;
  /** `$externalLabels`. */
  externalLabels?: Record<string, string>;
}

/** A RenderTemplate for rule templates; a series without a value (no data, error) has `$value` NaN, as Prometheus. */
export function ruleTemplateRenderer(opts: RuleRenderOptions = {}): RenderTemplate {
  return (text, data) => {
    const r = expandRuleTemplate(text, { labels: data.labels, value: data.value ?? Number.NaN, externalURL: opts.externalURL, externalLabels: opts.externalLabels });
    return r.ok ? { ok: true, text: r.text } : { ok: false, error: r.error.message };
  };
}
