/**
 * Mute timings (Alertmanager time intervals) and inhibition rules as the console edits them:
 * lists typed as comma-separated text, matchers as strings; conversion to the model and back,
 * checked with the server's own validators. Pure.
 */
import type { InhibitRule, TimeInterval } from "@/server/alerting/model";
import { stringifyMatcher } from "@/server/alerting/matchers";
import { validateTimeIntervals } from "@/server/alerting/time-intervals";
import { matcherStringProblem } from "./matcher-rows";

// ---------------------------------------------------------------------------------------------
// Mute timings

export interface TimeRangeRow {
  start: string;
  end: string;
}

export interface TimeIntervalSpecForm {
  times: TimeRangeRow[];
  /** `monday:friday, sunday` */
  weekdays: string;
  /** `1:7, -1` */
  daysOfMonth: string;
  /** `january:march, december` */
  months: string;
  /** `2026, 2027:2028` */
  years: string;
  /** IANA zone; empty: UTC. */
  location: string;
}

export interface MuteTimingForm {
  name: string;
  specs: TimeIntervalSpecForm[];
}

export const emptySpecForm = (): TimeIntervalSpecForm => ({ times: [], weekdays: "", daysOfMonth: "", months: "", years: "", location: "" });

const joinList = (l: readonly string[] | undefined) => (l ?? []).join(", ");
const splitList = (t: string) =>
  t
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

export function muteTimingForm(t: TimeInterval | null): MuteTimingForm {
  if (!t) return { name: "", specs: [emptySpecForm()] };
  return {
    name: t.name,
    specs: t.time_intervals.map((s) => ({
      times: (s.times ?? []).map((r) => ({ start: r.start_time, end: r.end_time })),
      weekdays: joinList(s.weekdays),
      daysOfMonth: joinList(s.days_of_month),
      months: joinList(s.months),
      years: joinList(s.years),
      location: s.location ?? "",
    })),
  };
}

export type SpecField = "times" | "weekdays" | "daysOfMonth" | "months" | "years" | "location";
export interface MuteTimingErrors {
  name?: string;
  specs?: Partial<Record<SpecField, string>>[];
}

const SPEC_FIELD: Record<string, SpecField> = { times: "times", weekdays: "weekdays", days_of_month: "daysOfMonth", months: "months", years: "years", location: "location" };

/** The time interval of a form, or the problems of each of its specs (as the server would find them). */
export function muteTimingFromForm(form: MuteTimingForm): { timing: TimeInterval; errors?: undefined } | { timing?: undefined; errors: MuteTimingErrors } {
  const timing: TimeInterval = {
    name: form.name.trim(),
    time_intervals: form.specs.map((s) => {
      const times = s.times.filter((r) => r.start.trim() || r.end.trim()).map((r) => ({ start_time: r.start.trim(), end_time: r.end.trim() }));
      return {
        ...(times.length ? { times } : {}),
        ...(splitList(s.weekdays).length ? { weekdays: splitList(s.weekdays).map((w) => w.toLowerCase()) } : {}),
        ...(splitList(s.daysOfMonth).length ? { days_of_month: splitList(s.daysOfMonth) } : {}),
        ...(splitList(s.months).length ? { months: splitList(s.months).map((m) => m.toLowerCase()) } : {}),
        ...(splitList(s.years).length ? { years: splitList(s.years) } : {}),
        ...(s.location.trim() ? { location: s.location.trim() } : {}),
      };
    }),
  };
  const errors: MuteTimingErrors = {};
  for (const p of validateTimeIntervals([timing])) {
    const m = /^time_intervals\[0\]\.(?:name|time_intervals\[(\d+)\]\.([a-z_]+))/.exec(p.path);
    if (!m) continue;
    if (m[1] === undefined) {
      errors.name ??= p.message;
      continue;
    }
    const i = Number(m[1]);
    const field = SPEC_FIELD[m[2]!] ?? "times";
    errors.specs ??= form.specs.map(() => ({}));
    errors.specs[i]![field] ??= p.message;
  }
  // Times the schema wants as HH:MM.
  timing.time_intervals.forEach((s, i) => {
    if (s.times?.some((t) => !/^\d\d:\d\d$/.test(t.start_time) || !/^\d\d:\d\d$/.test(t.end_time))) {
      errors.specs ??= form.specs.map(() => ({}));
      errors.specs[i]!.times ??= "times are HH:MM, e.g. 09:00 to 17:30";
    }
  });
  return Object.keys(errors).length ? { errors } : { timing };
}

/** `Mon–Fri 09:00–17:00 (Europe/Paris)`-style summary of one spec; "always" when it has no fields. */
export function specSummary(s: TimeInterval["time_intervals"][number]): string {
  const parts: string[] = [];
  if (s.weekdays?.length) parts.push(s.weekdays.join(", "));
  if (s.days_of_month?.length) parts.push(`days ${s.days_of_month.join(", ")}`);
  if (s.months?.length) parts.push(s.months.join(", "));
  if (s.years?.length) parts.push(s.years.join(", "));
  if (s.times?.length) parts.push(s.times.map((t) => `${t.start_time}–${t.end_time}`).join(", "));
  if (parts.length === 0) parts.push("always");
  return parts.join(" · ") + (s.location ? ` (${s.location})` : "");
}

// ---------------------------------------------------------------------------------------------
// Inhibition rules

export interface InhibitRuleForm {
  source: string[];
  target: string[];
  /** Comma-separated label names. */
  equal: string;
}

const mapMatchers = (eq: Record<string, string> | undefined, re: Record<string, string> | undefined) => [
  ...Object.entries(eq ?? {}).map(([name, value]) => stringifyMatcher({ name, type: "=", value })),
  ...Object.entries(re ?? {}).map(([name, value]) => stringifyMatcher({ name, type: "=~", value })),
];

export function inhibitRuleForm(r: InhibitRule | null): InhibitRuleForm {
  if (!r) return { source: ['severity="critical"'], target: ['severity="warning"'], equal: "alertname" };
  return {
    source: [...(r.source_matchers ?? []), ...mapMatchers(r.source_match, r.source_match_re)],
    target: [...(r.target_matchers ?? []), ...mapMatchers(r.target_match, r.target_match_re)],
    equal: joinList(r.equal),
  };
}

export interface InhibitRuleErrors {
  source?: (string | null)[];
  target?: (string | null)[];
  sourceEmpty?: string;
  targetEmpty?: string;
  equal?: string;
}

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function inhibitRuleFromForm(form: InhibitRuleForm): { rule: InhibitRule; errors?: undefined } | { rule?: undefined; errors: InhibitRuleErrors } {
  const errors: InhibitRuleErrors = {};
  const check = (list: string[]) => list.map((m) => (m.trim() === "" ? null : matcherStringProblem(m)));
  const s = check(form.source);
  const t = check(form.target);
  if (s.some((p) => p)) errors.source = s;
  if (t.some((p) => p)) errors.target = t;
  const source = form.source.map((m) => m.trim()).filter(Boolean);
  const target = form.target.map((m) => m.trim()).filter(Boolean);
  if (source.length === 0) errors.sourceEmpty = "at least one source matcher (the alerts that inhibit)";
  if (target.length === 0) errors.targetEmpty = "at least one target matcher (the alerts inhibited)";
  const equal = splitList(form.equal);
  const bad = equal.find((e) => !LABEL_NAME.test(e));
  if (bad !== undefined) errors.equal = `"${bad}" is not a label name`;
  if (Object.keys(errors).length) return { errors };
  return { rule: { source_matchers: source, target_matchers: target, ...(equal.length ? { equal } : {}) } };
}
