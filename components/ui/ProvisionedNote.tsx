import { Badge } from "./Badge";

/** The badge on anything the provisioning file defines (read-only in the console). */
export function ProvisionedBadge({ className }: { className?: string }) {
  return (
    <Badge tone="purple" className={className} title="Managed by the provisioning file (read-only here)">
      provisioned
    </Badge>
  );
}

/** Above a provisioned object's page: why it cannot be edited here, and where it is changed. */
export function ProvisionedNote({ what }: { what: string }) {
  return (
    <p
      data-testid="provisioned-note"
      className="rounded border border-violet-300 bg-violet-50 px-3 py-2 text-sm text-violet-900 dark:border-violet-900 dark:bg-violet-950/40 dark:text-violet-200"
    >
      <ProvisionedBadge className="mr-2" />
      This {what} is managed by the provisioning file (<code className="font-mono">LOOKOUT_CONFIG</code>) and is read-only here: change it in the file, which
      Lookout applies at start (or now with <code className="font-mono">bin/lookout provision apply</code>).
    </p>
  );
}
