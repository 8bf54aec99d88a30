/**
 * Prometheus `relabel_configs` / `metric_relabel_configs`: the zod schema (Prometheus YAML field
 * names and defaults) and the engine. Pure.
 *
 * Semantics follow Prometheus's model/relabel:
 * - `source_labels` values (missing label = "") are joined with `separator`, then matched against
 *   the fully anchored `regex` (see ./regex.ts for the RE2 → JS bridge).
 * - Setting a label to "" deletes it (labels.Builder semantics), so `replacement: ""` removes the
 *   target and `lowercase` of a missing source deletes the target.
 * - `replace`: no match → no change; `target_label` and `replacement` are templates (`$1`,
 *   `${1}`, `$name`); an expanded target that is not a valid label name is skipped.
 * - `hashmod`: md5 of the joined value, the *last* 8 bytes as a big-endian uint64, modulo
 *   `modulus`. (Prometheus uses `hash[8:]`, keeping the result of older versions whose shift loop
 *   dropped the first 8 bytes; using the first 8 would shard targets differently from Prometheus.)
 * - `labelmap` / `labeldrop` / `labelkeep` match label *names* against the regex, over a snapshot
 *   of the labels taken before the step (sorted by name).
 * Config validation mirrors Prometheus's errors (hashmod needs a modulus, actions that need a
 * `target_label`, labeldrop/labelkeep/keepequal/dropequal take no other fields). Label names use
 * the classic `[a-zA-Z_][a-zA-Z0-9_]*` rule (remote_write 1.0 and the exposition format).
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { compileAnchored, expandTemplate, type Re2Regexp } from "./regex";

export const RELABEL_ACTIONS = [
  "replace", "keep", "drop", "keepequal", "dropequal", "hashmod", "labelmap", "labeldrop", "labelkeep", "lowercase", "uppercase",
] as const;
export const RelabelActionSchema = z.enum(RELABEL_ACTIONS);
export type RelabelAction = z.infer<typeof RelabelActionSchema>;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** A label name in which `$1`, `${1}`, `$name` templates may stand for parts. */
const LABEL_NAME_TEMPLATE = /^(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))(?:\w|\$(?:\{\w+\}|\w+))*$/;

export const DEFAULT_REGEX = "(.*)";
const DEFAULTS = { separator: ";", regex: DEFAULT_REGEX, replacement: "$1", modulus: 0, target_label: "" };

const LabelNameSchema = z.string().regex(LABEL_NAME, { error: (iss) => `${JSON.stringify(iss.input)} is not a valid label name` });

const RegexSchema = z.string().transform((source, ctx): Re2Regexp => {
  try {
    return compileAnchored(source);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: `invalid regex ${JSON.stringify(source)}: ${(err as Error).message}` });
    return z.NEVER;
  }
});

export const RelabelConfigSchema = z
  .object({
    source_labels: z.array(LabelNameSchema).default([]),
    separator: z.string().default(DEFAULTS.separator),
    target_label: z.string().default(DEFAULTS.target_label),
    regex: RegexSchema.prefault(DEFAULT_REGEX),
    modulus: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(DEFAULTS.modulus),
    replacement: z.string().default(DEFAULTS.replacement),
    action: z.preprocess((v) => (typeof v === "string" ? v.toLowerCase() : v), RelabelActionSchema).default("replace"),
  })
  .strict()
  .superRefine((c, ctx) => {
    const fail = (message: string, path: string) => ctx.addIssue({ code: "custom", message, path: [path] });
    const a = c.action;
    if (a === "hashmod" && c.modulus === 0) fail("relabel configuration for hashmod requires non-zero modulus", "modulus");
    const needsTarget = ["replace", "hashmod", "lowercase", "uppercase", "keepequal", "dropequal"].includes(a);
    if (needsTarget && c.target_label === "") {
      fail(`relabel configuration for ${a} action requires 'target_label' value`, "target_label");
    } else if (a === "replace" && !LABEL_NAME_TEMPLATE.test(c.target_label)) {
      fail(`${JSON.stringify(c.target_label)} is invalid 'target_label' for ${a} action`, "target_label");
    } else if (needsTarget && a !== "replace" && !LABEL_NAME.test(c.target_label)) {
      fail(`${JSON.stringify(c.target_label)} is invalid 'target_label' for ${a} action`, "target_label");
    }
    if (a === "labelmap" && !LABEL_NAME_TEMPLATE.test(c.replacement)) {
      fail(`${JSON.stringify(c.replacement)} is invalid 'replacement' for ${a} action`, "replacement");
    }
    const otherFieldsSet =
      c.regex.source !== DEFAULTS.regex || c.modulus !== DEFAULTS.modulus || c.separator !== DEFAULTS.separator || c.replacement !== DEFAULTS.replacement;
    if ((a === "keepequal" || a === "dropequal") && otherFieldsSet) {
      fail(`${a} action requires only 'source_labels' and 'target_label', and no other fields`, "action");
    }
    if ((a === "labeldrop" || a === "labelkeep") && (c.source_labels.length > 0 || c.target_label !== "" || c.modulus !== 0 || c.separator !== DEFAULTS.separator || c.replacement !== DEFAULTS.replacement)) {
      fail(`${a} action requires only 'regex', and no other fields`, "action");
    }
  });

/** A relabel config as written in YAML/JSON (defaults optional). */
export type RelabelConfigInput = z.input<typeof RelabelConfigSchema>;
/** A validated relabel config, regex compiled. */
export type RelabelConfig = z.output<typeof RelabelConfigSchema>;

/** Applies `configs` in order. Returns the new label set, or null when a keep/drop step dropped it. */
export function relabel(labels: Record<string, string>, configs: readonly RelabelConfig[]): Record<string, string> | null {
  const lb = new Map(Object.entries(labels));
  for (const cfg of configs) {
    if (!step(cfg, lb)) return null;
  }
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of lb) out[k] = v;
  return out;
}

function set(lb: Map<string, string>, name: string, value: string): void {
  if (value === "") lb.delete(name);
  else lb.set(name, value);
}

function snapshot(lb: Map<string, string>): [string, string][] {
  return [...lb.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function step(cfg: RelabelConfig, lb: Map<string, string>): boolean {
  const re = cfg.regex.re;
  const val = cfg.source_labels.map((n) => lb.get(n) ?? "").join(cfg.separator);
  switch (cfg.action) {
    case "drop":
      return !re.test(val);
    case "keep":
      return re.test(val);
    case "dropequal":
      return (lb.get(cfg.target_label) ?? "") !== val;
    case "keepequal":
      return (lb.get(cfg.target_label) ?? "") === val;
    case "replace": {
      const m = re.exec(val);
      if (!m) return true;
      const target = expandTemplate(cfg.target_label, m);
      if (!LABEL_NAME.test(target)) return true;
      set(lb, target, expandTemplate(cfg.replacement, m));
      return true;
    }
    case "lowercase":
      set(lb, cfg.target_label, val.toLowerCase());
      return true;
    case "uppercase":
      set(lb, cfg.target_label, val.toUpperCase());
      return true;
    case "hashmod":
      set(lb, cfg.target_label, hashmod(val, cfg.modulus));
      return true;
    case "labelmap":
      for (const [name, value] of snapshot(lb)) {
        const m = re.exec(name);
        if (!m) continue;
        const renamed = expandTemplate(cfg.replacement, m);
        if (LABEL_NAME.test(renamed)) set(lb, renamed, value);
      }
      return true;
    case "labeldrop":
      for (const [name] of snapshot(lb)) if (re.test(name)) lb.delete(name);
      return true;
    case "labelkeep":
      for (const [name] of snapshot(lb)) if (!re.test(name)) lb.delete(name);
      return true;
  }
}

/** Prometheus's hashmod: md5(value), bytes 8..15 as a big-endian uint64, modulo `modulus`. */
export function hashmod(value: string, modulus: number): string {
  const digest = createHash("md5").update(value, "utf8").digest();
  return (digest.readBigUInt64BE(8) % BigInt(modulus)).toString();
}
