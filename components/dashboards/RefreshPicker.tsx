"use client";

import { REFRESH_CHOICES } from "@/server/dashboards/model";
import { Select } from "@/components/ui/Select";

/** Auto-refresh choice (Grafana's picker): off or an interval; the URL keeps it as `refresh`. */
export function RefreshPicker({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const choices: readonly string[] = REFRESH_CHOICES.includes(value as (typeof REFRESH_CHOICES)[number]) ? REFRESH_CHOICES : [...REFRESH_CHOICES, value];
  return (
    <div className="w-24 shrink-0">
      <Select aria-label="Auto-refresh" value={value} onChange={(e) => onChange(e.target.value)}>
      {choices.map((c) => (
        <option key={c || "off"} value={c}>
          {c ? `↻ ${c}` : "↻ Off"}
        </option>
        ))}
      </Select>
    </div>
  );
}
