/**
 * A rule's labels and annotations rendered for one alert instance. The template language itself
 * (Prometheus's Go templates: `{{ $labels.instance }}`, `{{ $value | humanize }}`) is a dependency
 * passed in as a `RenderTemplate`, so this module and the state machine stay pure and testable.
 *
 * As Prometheus: rule labels are rendered with the series' own labels and value, then added to the
 * series' labels (rule labels win, a label rendered empty is removed), then `alertname` is set to
 * the rule's title; a template that fails leaves `<error expanding template: …>` in its place
 * rather than failing the evaluation. Annotations are rendered with the instance's full labels
 * (series + rule labels + alertname, as Grafana), so `{{ $labels.severity }}` works there too.
 */
import type { LabelSet } from "./model";

/** What a template sees: `$labels` and `$value` (null when there is no value: no data, error). */
export interface TemplateData {
  labels: LabelSet;
  value: number | null;
}

export type TemplateResult = { ok: true; text: string } | { ok: false; error: string };

/** Renders one template text (the Go-template engine of server/alerting/template/). */
export type RenderTemplate = (text: string, data: TemplateData) => TemplateResult;

/** One template expanded; a failure becomes the text, as Prometheus does. Text without `{{` is returned as is. */
export function expandTemplate(render: RenderTemplate, text: string, data: TemplateData): string {
  if (!text.includes("{{")) return text;
  const r = render(text, data);
  return r.ok ? r.text : `<error expanding template: ${r.error}>`;
}

/** The rule's labels rendered for one series (`$labels` = the series' labels). */
export function renderRuleLabels(render: RenderTemplate, ruleLabels: LabelSet, data: TemplateData): LabelSet {
  const out: LabelSet = {};
  for (const [name, text] of Object.entries(ruleLabels)) out[name] = expandTemplate(render, text, data);
  return out;
}

/**
 * An instance's full label set: the series' labels (without `__name__`), then the rendered rule
 * labels over them (an empty value removes the label), then `alertname`.
 */
export function instanceLabels(seriesLabels: LabelSet, renderedRuleLabels: LabelSet, title: string): LabelSet {
  const out: LabelSet = {};
  for (const [name, value] of Object.entries(seriesLabels)) if (name !== "__name__" && value !== "") out[name] = value;
  for (const [name, value] of Object.entries(renderedRuleLabels)) {
    if (value === "") delete out[name];
    else out[name] = value;
  }
  out.alertname = title;
  return out;
}

/** The rule's annotations rendered for one instance (`$labels` = its full labels). */
export function renderAnnotations(render: RenderTemplate, annotations: Record<string, string>, data: TemplateData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(annotations)) out[name] = expandTemplate(render, text, data);
  return out;
}
