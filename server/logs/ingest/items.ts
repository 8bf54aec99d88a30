/** Building `DecodedItem`s: events without undefined keys, and per-item errors. */
import type { DecodedItem, IncomingEvent } from "@/server/logs/event";

/** An event with its optional keys left out when unknown (so events compare and serialise cleanly). */
export function buildEvent(e: IncomingEvent): IncomingEvent {
  const out: IncomingEvent = { message: e.message, fields: e.fields };
  if (e.ts !== undefined) out.ts = e.ts;
  if (e.level !== undefined) out.level = e.level;
  if (e.service !== undefined) out.service = e.service;
  if (e.host !== undefined) out.host = e.host;
  if (e.traceId !== undefined) out.traceId = e.traceId;
  if (e.spanId !== undefined) out.spanId = e.spanId;
  return out;
}

export function okItem(index: number, event: IncomingEvent): DecodedItem {
  return { ok: true, index, event: buildEvent(event) };
}

export function errorItem(index: number, error: string): DecodedItem {
  return { ok: false, index, error };
}
