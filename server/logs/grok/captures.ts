/**
 * Writing grok captures into an event, with Logstash's rules: a group that did not take part or
 * captured "" is skipped; a capture into a field that already holds a value appends (string →
 * [old, new], array → push) unless the field is listed in `overwrite` (Logstash `overwrite => […]`).
 */
import type { CompiledGrok, GrokValues } from "./grok";

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Calls `fn` for each capture that has a non-empty value, in regex order. */
export function forEachCapture(grok: CompiledGrok, values: GrokValues, fn: (path: readonly string[], value: string | number) => void): void {
  const specs = grok.captures;
  for (let i = 0; i < specs.length; i++) {
    const v = values[i];
    if (v === undefined || v === "") continue;
    fn(specs[i]!.path, v);
  }
}

/**
 * Applies captures to a Logstash-shaped event (nested objects), like the grok filter's `handle`.
 * A capture below a non-object value is ignored (Logstash logs and skips it too).
 */
export function applyCapturesLogstash(event: Obj, grok: CompiledGrok, values: GrokValues, overwrite: readonly string[] = []): void {
  forEachCapture(grok, values, (path, value) => {
    let node = event;
    for (let i = 0; i < path.length - 1; i++) {
      const next = node[path[i]!];
      if (next === undefined) node = node[path[i]!] = {};
      else if (isObj(next)) node = next;
      else return;
    }
    const key = path[path.length - 1]!;
    const existing = node[key];
    if (existing === undefined || existing === null || overwrite.includes(path.join("."))) node[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else if (typeof existing === "string") node[key] = [existing, value];
    // other existing types (numbers, objects) are left alone, as Logstash does
  });
}
