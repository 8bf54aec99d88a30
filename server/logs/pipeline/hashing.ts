/** Hashes used by pipeline steps: SHA-256 for `hash`, a fast stable hash for `sample`. */
import { createHash } from "node:crypto";
import { fnv1a32 } from "@/server/logs/store/tokens";

/** SHA-256 of the UTF-8 text, lowercase hex. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}


/** Whether an event with this message is kept when keeping `percent` % (0–100, two decimals). */
export function sampleKeeps(message: string, percent: number): boolean {
  if (percent >= 100) return true;
  if (percent <= 0) return false;
  // murmur3's finaliser spreads FNV's weak low bits, so near-identical messages land apart
  // FNV-1a (the token hash): stable across runs and processes, so replays sample the same way.
  let h = fnv1a32(message) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % 10_000 < Math.round(percent * 100);
}
