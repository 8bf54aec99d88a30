import { z } from "zod";

/**
 * The log event model shared by decoders, the pipeline and storage.
 * Decoders turn a wire format into `IncomingEvent`s (as faithful to the input as possible);
 * the source pipeline then transforms them; `toLogEvent` produces the stored shape.
 */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LogLevelSchema = z.enum(LOG_LEVELS);

/** What a decoder emits for one event. `fields` holds everything else the input carried (nested JSON kept as is). */
export type IncomingEvent = {
  /** Event time in epoch milliseconds, when the wire format carries one (else the pipeline/storage uses observedTs). */
  ts?: number;
  message: string;
  level?: string;
  service?: string;
  host?: string;
  traceId?: string;
  spanId?: string;
  fields: Record<string, unknown>;
};

/** One decoded item: an event, or the reason that item (line / bulk item / record) was rejected. */
export type DecodedItem =
  | { ok: true; index: number; event: IncomingEvent }
  | { ok: false; index: number; error: string };

/** The stored event. `ts` and `observedTs` are epoch milliseconds. */
export type LogEvent = {
  ts: number;
  observedTs: number;
  source: string;
  service: string | null;
  host: string | null;
  level: LogLevel | null;
  message: string;
  traceId: string | null;
  spanId: string | null;
  attributes: Record<string, unknown>;
};

const LEVEL_ALIASES: Record<string, LogLevel> = {
  trace: "trace", trc: "trace", finest: "trace", finer: "trace", "10": "trace",
  debug: "debug", dbg: "debug", fine: "debug", "7": "debug", "20": "debug",
  info: "info", inf: "info", information: "info", informational: "info", notice: "info", "6": "info", "5": "info", "30": "info",
  warn: "warn", warning: "warn", wrn: "warn", "4": "warn", "40": "warn",
  error: "error", err: "error", eror: "error", severe: "error", "3": "error", "50": "error",
  fatal: "fatal", critical: "fatal", crit: "fatal", alert: "fatal", emerg: "fatal", emergency: "fatal", panic: "fatal", "2": "fatal", "1": "fatal", "0": "fatal", "60": "fatal",
};

/**
 * Normalises a level name or number to trace/debug/info/warn/error/fatal (null when unknown).
 * Numbers: syslog severities 0–7 and pino/bunyan levels 10–60.
 */
export function normaliseLevel(value: unknown): LogLevel | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim().toLowerCase();
  return LEVEL_ALIASES[s] ?? null;
}
