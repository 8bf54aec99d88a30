/** Log levels' display: one colour per level everywhere (histogram, badges). Pure. */
import type { BadgeTone } from "@/components/ui/Badge";
import type { LogLevel } from "@/server/logs/event";

export type LevelKey = LogLevel | "none";

/** Most severe first: the histogram stacks in this order (bottom → top reversed in the legend). */
export const LEVEL_ORDER: readonly LevelKey[] = ["fatal", "error", "warn", "info", "debug", "trace", "none"];

export const LEVEL_COLORS: Record<LevelKey, string> = {
  fatal: "#9f1239",
  error: "#ef4444",
  warn: "#f59e0b",
  info: "#3b82f6",
  debug: "#94a3b8",
  trace: "#cbd5e1",
  none: "#a78bfa",
};

export const LEVEL_LABELS: Record<LevelKey, string> = { fatal: "fatal", error: "error", warn: "warn", info: "info", debug: "debug", trace: "trace", none: "no level" };

const TONES: Record<LevelKey, BadgeTone> = { fatal: "red", error: "red", warn: "amber", info: "blue", debug: "neutral", trace: "neutral", none: "purple" };

export function levelKey(level: string | null | undefined): LevelKey {
  return level && level in LEVEL_COLORS ? (level as LevelKey) : "none";
}

export const levelTone = (level: string | null | undefined): BadgeTone => TONES[levelKey(level)];
