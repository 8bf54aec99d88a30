import { Badge } from "@/components/ui/Badge";
import { levelTone } from "./levels";

/** A log level as a coloured badge ("—" when the event has none). */
export function LevelBadge({ level }: { level: string | null | undefined }) {
  if (!level) return <span className="text-slate-400">—</span>;
  return (
    <Badge tone={levelTone(level)} className="uppercase">
      {level}
    </Badge>
  );
}
