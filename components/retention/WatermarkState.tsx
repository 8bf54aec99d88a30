import { Badge } from "@/components/ui/Badge";
import { formatBytes } from "@/server/lib/units";
import type { WatermarkState as State } from "@/server/retention/watermarks";

/** The storage watermarks: what was measured, the limits, and whether ingestion is paused. */
export function WatermarkState({ state }: { state: State }) {
  const { reading: r, limits: l } = state;
  const freePct = r.diskFreeBytes !== null && r.diskTotalBytes ? (r.diskFreeBytes / r.diskTotalBytes) * 100 : null;
  return (
    <div className="space-y-2 text-sm" data-testid="watermarks">
      <div className="flex flex-wrap items-center gap-2">
        {state.breaches.length ? <Badge tone="red">Ingestion paused (429)</Badge> : <Badge tone="green">Ingestion open</Badge>}
        <span className="text-xs text-slate-500 dark:text-slate-400">checked every 10 s</span>
      </div>
      {state.breaches.length > 0 && (
        <ul className="list-disc pl-5 text-red-700 dark:text-red-400">
          {state.breaches.map((b) => (
            <li key={b.kind}>{b.reason}</li>
          ))}
        </ul>
      )}
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs">
        <dt className="text-slate-500 dark:text-slate-400">Free disk ({state.dataDir})</dt>
        <dd className="tabular-nums">
          {formatBytes(r.diskFreeBytes)}
          {freePct !== null && ` (${freePct.toFixed(1)}%)`} · limit {l.minFreeBytes ? `≥ ${formatBytes(l.minFreeBytes)}` : "off"}
          {l.minFreePercent ? ` and ≥ ${l.minFreePercent}%` : ""}
        </dd>
        <dt className="text-slate-500 dark:text-slate-400">Database size</dt>
        <dd className="tabular-nums">
          {formatBytes(r.dbBytes)} · limit {l.dbMaxBytes ? `≤ ${formatBytes(l.dbMaxBytes)}` : "off"}
        </dd>
      </dl>
    </div>
  );
}
