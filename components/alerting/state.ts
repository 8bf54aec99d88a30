/**
 * How alert states, rule health and silence states look in the console: their words, badge
 * tones and timeline colours, and small value/count texts. Pure.
 */
import type { BadgeTone } from "@/components/ui/Badge";
import type { AlertState } from "@/server/alerting/model";

export const ALERT_STATES: readonly AlertState[] = ["firing", "pending", "nodata", "error", "normal"];

const STATE_LABEL: Record<AlertState, string> = { normal: "Normal", pending: "Pending", firing: "Firing", nodata: "No data", error: "Error" };
const STATE_TONE: Record<AlertState, BadgeTone> = { normal: "green", pending: "amber", firing: "red", nodata: "blue", error: "purple" };
/** Timeline bar colours (Tailwind classes, light and dark). */
const STATE_BAR: Record<AlertState, string> = {
  normal: "bg-emerald-500/70 dark:bg-emerald-600/70",
  pending: "bg-amber-400 dark:bg-amber-500",
  firing: "bg-red-500 dark:bg-red-600",
  nodata: "bg-sky-400 dark:bg-sky-500",
  error: "bg-violet-500 dark:bg-violet-600",
};

export const stateLabel = (s: AlertState): string => STATE_LABEL[s];
export const stateTone = (s: AlertState): BadgeTone => STATE_TONE[s];
export const stateBarClass = (s: AlertState): string => STATE_BAR[s];

export type RuleHealth = "ok" | "error" | "nodata" | "unknown";
const HEALTH: Record<RuleHealth, { label: string; tone: BadgeTone }> = {
  ok: { label: "ok", tone: "green" },
  error: { label: "error", tone: "red" },
  nodata: { label: "no data", tone: "blue" },
  unknown: { label: "not evaluated yet", tone: "neutral" },
};
export const healthLabel = (h: RuleHealth): string => HEALTH[h].label;
export const healthTone = (h: RuleHealth): BadgeTone => HEALTH[h].tone;

export type SilenceState = "active" | "pending" | "expired";
const SILENCE_TONE: Record<SilenceState, BadgeTone> = { active: "green", pending: "amber", expired: "neutral" };
export const silenceTone = (s: SilenceState): BadgeTone => SILENCE_TONE[s];

/** `3 firing, 1 pending` — the non-zero states of a rule's instances, worst first; `no instances` for none. */
export function countsText(counts: Record<AlertState, number>): string {
  const parts = ALERT_STATES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${STATE_LABEL[s].toLowerCase()}`);
  return parts.length ? parts.join(", ") : "no instances";
}

/** A sample value for a table: 4 decimals (4 significant digits below 1), exponents for the very large and small; — for none. */
export function valueText(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v === 0) return "0";
  const abs = Math.abs(v);
  if (abs >= 1e15 || abs < 1e-4) return v.toExponential(3).replace(/\.?0+e/, "e");
  if (Number.isInteger(v)) return String(v);
  return String(Number(abs >= 1 ? v.toFixed(4) : v.toPrecision(4)));
}

/** `120 ms`, `1.5 s`; — for none. */
export function durationMsText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1).replace(/\.?0+$/, "")} s`;
}

/** Labels in a stable order for display: alertname first, then by name. */
export function sortedLabels(labels: Record<string, string>): [string, string][] {
  return Object.entries(labels).sort(([a], [b]) => (a === "alertname" ? -1 : b === "alertname" ? 1 : a < b ? -1 : a > b ? 1 : 0));
}
