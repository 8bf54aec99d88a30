/**
 * Label sets: their fingerprint, their canonical text, and the Go string quoting Alertmanager's
 * texts use.
 *
 * The fingerprint is Prometheus's (`model.LabelSet.Fingerprint`, which Alertmanager reports as an
 * alert's `fingerprint`): FNV-1a 64 over the label pairs sorted by name, each written as
 * `name 0xFF value 0xFF` in UTF-8, printed as 16 lower-case hex digits. The empty set hashes to the
 * FNV offset basis, `cbf29ce484222325`. So an alert has the same fingerprint here as in
 * Alertmanager, and the same label set always gets the same one.
 *
 * Pure module: safe in the browser and in workers.
 */
import type { LabelSet } from "./model";

/** Compares two strings by Unicode code point, i.e. as Go compares their UTF-8 bytes. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  // UTF-16 order equals code-point order unless a surrogate meets a code unit in U+E000..U+FFFF.
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; ) {
    const ca = a.codePointAt(i) as number;
    const cb = b.codePointAt(i) as number;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
const SURROGATE = /[\uD800-\uDFFF]/;

/** Label names of a set in Go's order. */
export function sortedLabelNames(labels: LabelSet): string[] {
  return Object.keys(labels).sort(compareCodePoints);
}

// FNV-1a 64 on four 16-bit limbs (h0 lowest), so no BigInt on the hot path.
const FNV_PRIME_LO = 0x01b3; // prime 0x00000100000001b3: limb 0 = 0x01b3, limb 2 = 0x0100
const FNV_PRIME_L2 = 0x0100;

class Fnv64 {
  h0 = 0x2325;
  h1 = 0x8422;
  h2 = 0x9ce4;
  h3 = 0xcbf2;

  byte(b: number): void {
    const x0 = this.h0 ^ b;
    const { h1, h2, h3 } = this;
    // (h3 h2 h1 x0) * (0 0x0100 0 0x01b3) mod 2^64
    let r0 = x0 * FNV_PRIME_LO;
    let r1 = h1 * FNV_PRIME_LO;
    let r2 = h2 * FNV_PRIME_LO + x0 * FNV_PRIME_L2;
    let r3 = h3 * FNV_PRIME_LO + h1 * FNV_PRIME_L2;
    r1 += Math.floor(r0 / 0x10000);
    r0 &= 0xffff;
    r2 += Math.floor(r1 / 0x10000);
    r1 &= 0xffff;
    r3 += Math.floor(r2 / 0x10000);
    r2 &= 0xffff;
    r3 &= 0xffff;
    this.h0 = r0;
    this.h1 = r1;
    this.h2 = r2;
    this.h3 = r3;
  }

  /** Feeds the UTF-8 encoding of `s` (lone surrogates as U+FFFD, like TextEncoder). */
  string(s: string): void {
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        this.byte(c);
        continue;
      }
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
        } else {
          c = 0xfffd;
        }
      } else if (c >= 0xd800 && c <= 0xdfff) {
        c = 0xfffd;
      }
      if (c < 0x800) {
        this.byte(0xc0 | (c >> 6));
        this.byte(0x80 | (c & 0x3f));
      } else if (c < 0x10000) {
        this.byte(0xe0 | (c >> 12));
        this.byte(0x80 | ((c >> 6) & 0x3f));
        this.byte(0x80 | (c & 0x3f));
      } else {
        this.byte(0xf0 | (c >> 18));
        this.byte(0x80 | ((c >> 12) & 0x3f));
        this.byte(0x80 | ((c >> 6) & 0x3f));
        this.byte(0x80 | (c & 0x3f));
      }
    }
  }

  hex(): string {
    return [this.h3, this.h2, this.h1, this.h0].map((l) => l.toString(16).padStart(4, "0")).join("");
  }
}

const SEPARATOR = 0xff;

/** The fingerprint of a label set (Prometheus/Alertmanager's): 16 hex digits. */
export function fingerprint(labels: LabelSet): string {
  const h = new Fnv64();
  for (const name of sortedLabelNames(labels)) {
    h.string(name);
    h.byte(SEPARATOR);
    h.string(labels[name]);
    h.byte(SEPARATOR);
  }
  return h.hex();
}

/**
 * A canonical text of a label set, equal for equal sets and different otherwise: Prometheus's
 * `LabelSet.String()`, `{alertname="HighLoad", instance="a:9100"}` (pairs sorted, values in Go
 * quotes). It is also the label part of an Alertmanager group key.
 */
export function labelsKey(labels: LabelSet): string {
  const pairs = Object.keys(labels).map((name) => `${name}=${goQuote(labels[name])}`);
  pairs.sort(compareCodePoints);
  return `{${pairs.join(", ")}}`;
}

/** Whether Go's unicode.IsPrint holds: letters, marks, numbers, punctuation, symbols and ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's strconv.Quote: a double-quoted string with Go escapes for non-printable characters. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c >= 0x80 && PRINTABLE.test(ch)) out += ch;
    else if (ch === "\x07") out += "\\a";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\v") out += "\\v";
    else if (c < 0x80) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += `\\U${c.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}
