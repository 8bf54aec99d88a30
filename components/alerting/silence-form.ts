/**
 * The silence form: matcher rows, start, end or duration (each of end and duration follows the
 * other), comment and author; conversion to the `silences.create` / `silences.update` input and
 * back. Times are edited as `datetime-local` text in the browser's time zone. Pure.
 */
import type { LabelSet, SilenceMatcher } from "@/server/alerting/model";
import { DurationError, formatDuration, parseDuration, tryParseDuration } from "@/server/lib/duration";
import { emptyMatcherRow, matchesEverything, rowProblem, rowsFromLabels, rowToSilenceMatcher, silenceMatcherToRow, type MatcherRow } from "./matcher-rows";

export interface SilenceForm {
  /** Set when editing an existing silence. */
  id?: string;
  rows: MatcherRow[];
  /** `YYYY-MM-DDTHH:mm`, local time. */
  startsAt: string;
  endsAt: string;
  /** Prometheus duration text (`2h`, `1d`). */
  duration: string;
  comment: string;
  createdBy: string;
}

export const DEFAULT_SILENCE_DURATION = "2h";

const pad = (n: number) => String(n).padStart(2, "0");

/** A date as a `datetime-local` value (minutes) in the local time zone. */
export function toLocalInput(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value as a date (local time zone); null when it is not one. */
export function fromLocalInput(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, s);
  return date.getMonth() === mo - 1 && date.getDate() === d ? date : null;
}

/** A new silence's form: matchers from an alert's labels (or one empty row), from now for the default duration. */
export function newSilenceForm(opts: { now: number; createdBy: string; labels?: LabelSet; rows?: MatcherRow[] }): SilenceForm {
  const start = new Date(opts.now);
  const end = new Date(opts.now + parseDuration(DEFAULT_SILENCE_DURATION));
  const rows = opts.rows ?? (opts.labels ? rowsFromLabels(opts.labels) : [emptyMatcherRow()]);
  return { rows: rows.length ? rows : [emptyMatcherRow()], startsAt: toLocalInput(start), endsAt: toLocalInput(end), duration: DEFAULT_SILENCE_DURATION, comment: "", createdBy: opts.createdBy };
}

/** The form of an existing silence (editing; or "recreate" of an expired one without the id). */
export function silenceFormFrom(s: { id: string; matchers: SilenceMatcher[]; startsAt: string; endsAt: string; comment: string; createdBy: string }, opts: { keepId: boolean }): SilenceForm {
  const start = new Date(s.startsAt);
  const end = new Date(s.endsAt);
  return {
    ...(opts.keepId ? { id: s.id } : {}),
    rows: s.matchers.map(silenceMatcherToRow),
    startsAt: toLocalInput(start),
    endsAt: toLocalInput(end),
    duration: durationText(end.getTime() - start.getTime()),
    comment: s.comment,
    createdBy: s.createdBy,
  };
}

/** A duration in whole minutes as Prometheus text; "" when not positive. */
function durationText(ms: number): string {
  if (!(ms > 0)) return "";
  return formatDuration(Math.round(ms / 60_000) * 60_000);
}

/** The form after the start changed: the end moves to keep the duration. */
export function withStart(form: SilenceForm, startsAt: string): SilenceForm {
  const start = fromLocalInput(startsAt);
  const ms = tryParseDuration(form.duration.trim());
  if (!start || ms === null) return { ...form, startsAt };
  return { ...form, startsAt, endsAt: toLocalInput(new Date(start.getTime() + ms)) };
}

/** The form after the duration changed: the end follows when the duration is valid. */
export function withDuration(form: SilenceForm, duration: string): SilenceForm {
  const start = fromLocalInput(form.startsAt);
  const ms = tryParseDuration(duration.trim());
  if (!start || ms === null || ms <= 0) return { ...form, duration };
  return { ...form, duration, endsAt: toLocalInput(new Date(start.getTime() + ms)) };
}

/** The form after the end changed: the duration follows. */
export function withEnd(form: SilenceForm, endsAt: string): SilenceForm {
  const start = fromLocalInput(form.startsAt);
  const end = fromLocalInput(endsAt);
  if (!start || !end) return { ...form, endsAt };
  return { ...form, endsAt, duration: durationText(end.getTime() - start.getTime()) };
}

export interface SilenceFormErrors {
  /** Per row: its problem or null. */
  rows?: (string | null)[];
  matchers?: string;
  startsAt?: string;
  endsAt?: string;
  duration?: string;
  createdBy?: string;
}

export interface SilenceRequest {
  id?: string;
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  comment: string;
  createdBy?: string;
}

/** The request of a form, or its errors. Empty rows are left out; a start in the past means now (the server says so too). */
export function silenceRequestFromForm(form: SilenceForm, now: number): { request: SilenceRequest; errors?: undefined } | { request?: undefined; errors: SilenceFormErrors } {
  const errors: SilenceFormErrors = {};
  const filled = form.rows.filter((r) => r.name.trim() !== "" || r.value !== "");
  const rowErrors = form.rows.map((r) => (r.name.trim() === "" && r.value === "" ? null : rowProblem(r)));
  if (rowErrors.some((e) => e !== null)) errors.rows = rowErrors;
  if (filled.length === 0) errors.matchers = "a silence needs at least one matcher";
  else if (!errors.rows && matchesEverything(filled)) errors.matchers = "at least one matcher must not match an empty label (it would silence every alert)";
  const start = fromLocalInput(form.startsAt);
  const end = fromLocalInput(form.endsAt);
  if (!start) errors.startsAt = "a date and time";
  if (!end) errors.endsAt = "a date and time";
  if (form.duration.trim()) {
    try {
      parseDuration(form.duration.trim());
    } catch (e) {
      if (e instanceof DurationError) errors.duration = e.message;
      else throw e;
    }
  }
  if (start && end) {
    if (end.getTime() <= Math.max(start.getTime(), now)) errors.endsAt = end.getTime() <= now ? "the end is in the past" : "the end must be after the start";
  }
  if (Object.keys(errors).length > 0) return { errors };
  const startMs = Math.max(start!.getTime(), now);
  return {
    request: {
      ...(form.id ? { id: form.id } : {}),
      matchers: filled.map(rowToSilenceMatcher),
      startsAt: new Date(startMs).toISOString(),
      endsAt: end!.toISOString(),
      comment: form.comment,
      ...(form.createdBy.trim() ? { createdBy: form.createdBy.trim() } : {}),
    },
  };
}

/** An expired silence again: the same matchers and comment, from now for its former duration (the default when it had none), by the user. */
export function recreateSilenceForm(s: { id: string; matchers: SilenceMatcher[]; startsAt: string; endsAt: string; comment: string; createdBy: string }, opts: { now: number; createdBy: string }): SilenceForm {
  const old = silenceFormFrom(s, { keepId: false });
  const fresh = newSilenceForm({ now: opts.now, createdBy: opts.createdBy, rows: old.rows });
  return { ...(old.duration ? withDuration(fresh, old.duration) : fresh), comment: s.comment };
}
