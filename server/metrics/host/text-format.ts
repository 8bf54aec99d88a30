/**
 * Writes metric families in the Prometheus text exposition format 0.0.4 (`# HELP`, `# TYPE`,
 * then one line per sample). Pure; values formatted as Prometheus writes them.
 */
import { formatGoFloat } from "@/server/metrics/format-float";

export const TEXT_FORMAT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export interface FamilySample {
  labels?: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  type: "counter" | "gauge" | "untyped";
  samples: FamilySample[];
}

const escapeHelp = (s: string) => s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
const escapeLabelValue = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

function labelsText(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}`;
}

/** The exposition body; families without samples are left out. Ends with a newline. */
export function renderTextFormat(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const f of families) {
    if (f.samples.length === 0) continue;
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) lines.push(`${f.name}${labelsText(s.labels)} ${formatGoFloat(s.value)}`);
  }
  return lines.length ? lines.join("\n") + "\n" : "";
}
