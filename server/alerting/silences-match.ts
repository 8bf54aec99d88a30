/**
 * Silences (Alertmanager API v2 shape): their state at a time, whether they mute an alert, and
 * Alertmanager's validation.
 *
 * A silence is pending before `startsAt`, active from `startsAt` (included) until `endsAt`
 * (excluded), expired from `endsAt` on. An active silence mutes an alert when every matcher
 * holds for the alert's labels (a missing label is ""; `isRegex` matchers are anchored RE2).
 *
 * Pure module: safe in the browser and in workers.
 */
import { isValidClassicLabelName, labelsMatch, Matcher, matcherFromSilenceMatcher, MatcherError } from "./matchers";
import type { LabelSet, SilenceMatcher } from "./model";
import type { ConfigProblem } from "./time-intervals";

export type SilenceState = "pending" | "active" | "expired";

/** What these functions need of a silence (the model's Silence has it). */
export interface SilenceLike {
  matchers: readonly (Pick<SilenceMatcher, "name" | "value" | "isRegex"> & { isEqual?: boolean })[];
  startsAt: string;
  endsAt: string;
}

function time(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? NaN : t;
}

/** The state of a silence at `at` (epoch ms). */
export function silenceState(silence: Pick<SilenceLike, "startsAt" | "endsAt">, at: number): SilenceState {
  if (at < time(silence.startsAt)) return "pending";
  if (at < time(silence.endsAt)) return "active";
  return "expired";
}

const compiled = new WeakMap<object, Matcher[]>();

/** A silence's matchers. Throws MatcherError for a bad regex. Cached per matchers array. */
export function silenceMatchers(silence: Pick<SilenceLike, "matchers">): Matcher[] {
  let ms = compiled.get(silence.matchers);
  if (!ms) {
    ms = silence.matchers.map(matcherFromSilenceMatcher);
    compiled.set(silence.matchers, ms);
  }
  return ms;
}

/** Whether the silence's matchers all hold for the labels (whatever its state). */
export function silenceMatchesLabels(silence: Pick<SilenceLike, "matchers">, labels: LabelSet): boolean {
  return labelsMatch(silenceMatchers(silence), labels);
}

/** Whether the silence mutes an alert with these labels at `at`: active and matching. */
export function silenceMutes(silence: SilenceLike, labels: LabelSet, at: number): boolean {
  return silenceState(silence, at) === "active" && silenceMatchesLabels(silence, labels);
}

/** The silences among `silences` that mute the labels at `at` (a silence with a bad regex mutes nothing). */
export function mutingSilences<T extends SilenceLike>(silences: readonly T[], labels: LabelSet, at: number): T[] {
  return silences.filter((s) => {
    try {
      return silenceMutes(s, labels, at);
    } catch (err) {
      if (err instanceof MatcherError) return false;
      throw err;
    }
  });
}

export interface ValidateSilenceOptions {
  /** When given, a silence ending at or before `now` is refused (Alertmanager's API does so for new silences). */
  now?: number;
}

/**
 * Alertmanager's checks, every problem with its path: at least one matcher; label names
 * `[a-zA-Z_][a-zA-Z0-9_]*`; regexes that compile; at least one matcher that does not match the
 * empty string (a silence must not match every alert); valid times with `endsAt` after `startsAt`;
 * with `now`, an `endsAt` in the future.
 */
export function validateSilence(silence: SilenceLike, options: ValidateSilenceOptions = {}): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!silence.matchers || silence.matchers.length === 0) {
    problems.push({ path: "matchers", message: "a silence needs at least one matcher" });
  } else {
    let allMatchEmpty = true;
    silence.matchers.forEach((sm, i) => {
      if (!isValidClassicLabelName(sm.name)) {
        problems.push({ path: `matchers[${i}].name`, message: `invalid label name ${JSON.stringify(sm.name)}` });
        return;
      }
      try {
        if (!matcherFromSilenceMatcher(sm).matches("")) allMatchEmpty = false;
      } catch (err) {
        if (!(err instanceof MatcherError)) throw err;
        problems.push({ path: `matchers[${i}].value`, message: `invalid regular expression ${JSON.stringify(sm.value)}: ${err.message.replace(/^error parsing regexp: /, "")}` });
        allMatchEmpty = false;
      }
    });
    if (allMatchEmpty && problems.length === 0) {
      problems.push({ path: "matchers", message: "at least one matcher must not match the empty string (otherwise the silence would mute every alert)" });
    }
  }
  const start = time(silence.startsAt);
  const end = time(silence.endsAt);
  if (Number.isNaN(start)) problems.push({ path: "startsAt", message: "startsAt must be a date-time" });
  if (Number.isNaN(end)) problems.push({ path: "endsAt", message: "endsAt must be a date-time" });
  if (!Number.isNaN(start) && !Number.isNaN(end) && end <= start) problems.push({ path: "endsAt", message: "endsAt must be after startsAt" });
  if (options.now !== undefined && !Number.isNaN(end) && end <= options.now) problems.push({ path: "endsAt", message: "endsAt must be in the future" });
  return problems;
}
