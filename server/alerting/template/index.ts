/**
 * Alert templates: a Go text/template evaluator for rule annotations (Prometheus:
 * `{{ $labels.instance }}`, `{{ $value | humanize }}`) and notification messages (Alertmanager:
 * `{{ .CommonLabels.alertname }}`, `{{ range .Alerts.Firing }}…{{ end }}`), with HTML escaping
 * for the email's HTML part.
 *
 * Nothing here throws: a broken template yields `{ ok: false, error }` (a TemplateError with
 * line, column and reason), and `renderWithFallback` renders a default instead and reports why.
 *
 * Pure (no Node APIs): usable in the browser too, e.g. `checkRuleTemplate` for form validation.
 *
 * Why our own evaluator: the registry's Go-template packages are small partial ports (no
 * pipelines into methods, no Prometheus/Alertmanager functions, no positioned errors, no HTML
 * escaping); this one is written for exactly these two uses.
 */
import type { NotificationData } from "../notification";
import { RULE_TEMPLATE_VARS, RuleTemplateData, TemplateData, type RuleTemplateInput } from "./data";
import { DEFAULT_TEMPLATE_SOURCE } from "./defaults";
import { TemplateError } from "./errors";
import { Executor } from "./exec";
import { FUNCTION_NAMES, UNSUPPORTED_FUNCTIONS, type Dialect } from "./functions";
import { parseSource, type DefinedTemplate, type ParsedSource } from "./parse";

export { TemplateError } from "./errors";
export type { Dialect } from "./functions";
export { humanize, humanize1024, humanizeDuration, humanizePercentage, humanizeTimestamp } from "./functions";
export { TemplateData, RuleTemplateData, type RuleTemplateInput } from "./data";
export * from "./defaults";

export type RenderResult = { ok: true; text: string } | { ok: false; error: TemplateError };

export interface TemplateLimits {
  /** Most characters of output (default 1,000,000). */
  maxOutput: number;
  /** Most evaluation steps (default 200,000). */
  maxSteps: number;
  /** Deepest `{{ template }}` nesting (default 50). */
  maxDepth: number;
}

export const DEFAULT_LIMITS: TemplateLimits = { maxOutput: 1_000_000, maxSteps: 200_000, maxDepth: 50 };

export interface TemplateOptions {
  /** Name in error messages (the annotation or field the template came from). */
  name?: string;
  /** Escape printed values for HTML (the email's HTML part). */
  html?: boolean;
  /** Alertmanager (notifications) or Prometheus (rule annotations) function flavour. Default alertmanager. */
  dialect?: Dialect;
  /** Clock for `now` and `since` (epoch ms). */
  now?: () => number;
  /** For `externalURL`, `pathPrefix`. */
  externalURL?: string;
  /** Named templates (`{{ define }}`) the template may call with `{{ template "name" . }}`. */
  library?: TemplateLibrary;
  /** Variables defined before the template runs (names with `$`). */
  vars?: Record<string, unknown>;
  limits?: Partial<TemplateLimits>;
}

/** A set of named templates (from sources made of `{{ define }}` blocks). */
export class TemplateLibrary {
  private constructor(readonly defines: ReadonlyMap<string, DefinedTemplate>) {}

  static empty(): TemplateLibrary {
    return new TemplateLibrary(new Map());
  }

  /** Parses sources of `{{ define }}`s; later sources override earlier names. */
  static parse(sources: { name: string; source: string }[]): { ok: true; library: TemplateLibrary } | { ok: false; error: TemplateError } {
    const defines = new Map<string, DefinedTemplate>();
    for (const s of sources) {
      const parsed = parseCached(s.source, s.name, []);
      if (!parsed.ok) return parsed;
      for (const [k, v] of parsed.parsed.defines) defines.set(k, v);
    }
    return { ok: true, library: new TemplateLibrary(defines) };
  }

  /** This library plus `parsed`'s definitions (which win). */
  with(parsed: ParsedSource): ReadonlyMap<string, DefinedTemplate> {
    if (parsed.defines.size === 0) return this.defines;
    const merged = new Map(this.defines);
    for (const [k, v] of parsed.defines) merged.set(k, v);
    return merged;
  }

  names(): string[] {
    return [...this.defines.keys()].sort();
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing (cached)
// ---------------------------------------------------------------------------------------------

const parseCache = new Map<string, ParsedSource>();
const PARSE_CACHE_MAX = 500;

function parseCached(source: string, name: string, vars: readonly string[]): { ok: true; parsed: ParsedSource } | { ok: false; error: TemplateError } {
  const key = `${name}\u0000${vars.join(",")}\u0000${source}`;
  const hit = parseCache.get(key);
  if (hit) return { ok: true, parsed: hit };
  try {
    const parsed = parseSource(source, name, { funcs: FUNCTION_NAMES, vars, unsupported: UNSUPPORTED_FUNCTIONS });
    if (parseCache.size >= PARSE_CACHE_MAX) parseCache.delete(parseCache.keys().next().value!);
    parseCache.set(key, parsed);
    return { ok: true, parsed };
  } catch (err) {
    return { ok: false, error: asTemplateError(err, source, name) };
  }
}

function asTemplateError(err: unknown, source: string, name: string): TemplateError {
  if (err instanceof TemplateError) return err;
  const reason = err instanceof Error ? `internal error: ${err.message}` : `internal error: ${String(err)}`;
  return new TemplateError({ phase: "exec", templateName: name, source, offset: 0, reason });
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/** Checks a template's syntax (functions exist, variables declared); null when it parses. */
export function checkTemplate(source: string, opts: Pick<TemplateOptions, "name" | "vars"> = {}): TemplateError | null {
  const r = parseCached(source, opts.name ?? "template", Object.keys(opts.vars ?? {}));
  return r.ok ? null : r.error;
}

/** Renders `source` over `data`. Never throws. */
export function renderTemplate(source: string, data: unknown, opts: TemplateOptions = {}): RenderResult {
  const name = opts.name ?? "template";
  const vars = opts.vars ?? {};
  const parsed = parseCached(source, name, Object.keys(vars));
  if (!parsed.ok) return parsed;
  try {
    const exec = new Executor(
      {
        html: opts.html ?? false,
        env: { now: opts.now ?? Date.now, externalURL: opts.externalURL ?? "", dialect: opts.dialect ?? "alertmanager" },
        templates: (opts.library ?? TemplateLibrary.empty()).with(parsed.parsed),
        vars,
        ...DEFAULT_LIMITS,
        ...opts.limits,
      },
      source,
      name,
    );
    return { ok: true, text: exec.run(parsed.parsed.root, data) };
  } catch (err) {
    return { ok: false, error: asTemplateError(err, source, name) };
  }
}

// ---------------------------------------------------------------------------------------------
// Rule annotations (Prometheus)
// ---------------------------------------------------------------------------------------------

/** Names of the variables rule templates may use. */
export const RULE_VARIABLES: readonly string[] = RULE_TEMPLATE_VARS;

/** Checks a rule annotation template (with `$labels`, `$value`… declared). */
export function checkRuleTemplate(text: string, name = "annotation"): TemplateError | null {
  return checkTemplate(text, { name, vars: Object.fromEntries(RULE_TEMPLATE_VARS.map((v) => [v, null])) });
}

/** Expands one rule annotation (`{{ $labels.instance }} is at {{ $value | humanizePercentage }}`). */
export function expandRuleTemplate(text: string, input: RuleTemplateInput, opts: Omit<TemplateOptions, "vars" | "html" | "dialect"> = {}): RenderResult {
  if (!text.includes("{{")) return { ok: true, text };
  const data = new RuleTemplateData(input);
  return renderTemplate(text, data, { ...opts, externalURL: opts.externalURL ?? input.externalURL, dialect: "prometheus", vars: data.vars() });
}

/**
 * Expands every annotation of a rule for one series. A failing template becomes Prometheus's
 * `<error expanding template: …>` text, and its error is returned too.
 */
export function expandRuleAnnotations(
  annotations: Record<string, string>,
  input: RuleTemplateInput,
  opts: Omit<TemplateOptions, "vars" | "html" | "dialect" | "name"> & { ruleName?: string } = {},
): { annotations: Record<string, string>; errors: Record<string, TemplateError> } {
  const out: Record<string, string> = {};
  const errors: Record<string, TemplateError> = {};
  for (const [key, text] of Object.entries(annotations)) {
    const r = expandRuleTemplate(text, input, { ...opts, name: opts.ruleName ? `__alert_${opts.ruleName}` : key });
    if (r.ok) out[key] = r.text;
    else {
      out[key] = `<error expanding template: ${r.error.message}>`;
      errors[key] = r.error;
    }
  }
  return { annotations: out, errors };
}

// ---------------------------------------------------------------------------------------------
// Notification templates (Alertmanager)
// ---------------------------------------------------------------------------------------------

let defaultLibrary: TemplateLibrary | null = null;

/** The default named templates (`slack.default.title`, `email.default.html`, …). */
export function defaultTemplates(): TemplateLibrary {
  if (!defaultLibrary) {
    const r = TemplateLibrary.parse([{ name: "defaults", source: DEFAULT_TEMPLATE_SOURCE }]);
    if (!r.ok) throw r.error; // a bug in our own defaults: caught by the unit tests
    defaultLibrary = r.library;
  }
  return defaultLibrary;
}

export type NotificationTemplateOptions = Omit<TemplateOptions, "vars" | "dialect" | "externalURL">;

/** Renders a notification template over a notification (the defaults callable by name). */
export function renderNotificationTemplate(source: string, data: NotificationData, opts: NotificationTemplateOptions = {}): RenderResult {
  return renderTemplate(source, new TemplateData(data), { library: defaultTemplates(), ...opts, externalURL: data.externalURL, dialect: "alertmanager" });
}

/** Checks a notification template's syntax. */
export function checkNotificationTemplate(source: string, name = "template"): TemplateError | null {
  return checkTemplate(source, { name });
}

/**
 * Renders the user's template if there is one, else (or when it fails) the fallback, which is
 * one of ours. `error` tells why the user's template was not used.
 */
export function renderWithFallback(
  custom: string | undefined | null,
  fallback: string,
  data: NotificationData,
  opts: NotificationTemplateOptions = {},
): { text: string; error: TemplateError | null } {
  let error: TemplateError | null = null;
  if (custom !== undefined && custom !== null && custom !== "") {
    const r = renderNotificationTemplate(custom, data, opts);
    if (r.ok) return { text: r.text, error: null };
    error = r.error;
  }
  const d = renderNotificationTemplate(fallback, data, { ...opts, name: `${opts.name ?? "template"} (default)` });
  // Our defaults are tested; should one still fail on odd data, say so rather than send nothing.
  if (!d.ok) return { text: `(could not render the message: ${d.error.message})`, error: error ?? d.error };
  return { text: d.text, error };
}
