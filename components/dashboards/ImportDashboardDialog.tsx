"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Checkbox } from "@/components/ui/Checkbox";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { SelectField } from "@/components/ui/Field";
import { Textarea } from "@/components/ui/Input";

/**
 * Import a dashboard JSON (ours, or Grafana's: converted, with the panels we cannot show listed)
 * from a file or pasted text.
 */
export function ImportDashboardDialog({ open, onClose, folders }: { open: boolean; onClose: () => void; folders: { uid: string; title: string }[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [text, setText] = useState("");
  const [folderUid, setFolderUid] = useState("");
  const [asCopy, setAsCopy] = useState(false);
  const [overwrite, setOverwrite] = useState(false);
  const [parseError, setParseError] = useState<string | null>(null);
  const imp = useMutation(
    trpc.dashboards.import.mutationOptions({
      onSuccess: (r) => {
        void queryClient.invalidateQueries({ queryKey: trpc.dashboards.list.queryKey() });
        if (r.unsupported.length === 0 && r.warnings.length === 0) {
          onClose();
          router.push(`/dashboards/d/${r.uid}`);
        }
      },
    }),
  );

  function submit() {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      return setParseError(`Not JSON: ${(e as Error).message}`);
    }
    setParseError(null);
    imp.mutate({ json, folderUid: folderUid || undefined, asCopy, overwrite });
  }

  const done = imp.data && (imp.data.unsupported.length > 0 || imp.data.warnings.length > 0) ? imp.data : null;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Import dashboard"
      description="A Lookout dashboard JSON, or a Grafana dashboard JSON (exported with “Export for sharing externally” or from the JSON model)."
      size="lg"
      footer={
        done ? (
          <Button variant="primary" onClick={() => router.push(`/dashboards/d/${done.uid}`)}>
            Open dashboard
          </Button>
        ) : (
          <Button variant="primary" busy={imp.isPending} disabled={!text.trim()} onClick={submit}>
            Import
          </Button>
        )
      }
    >
      {done ? (
        <div className="space-y-2 text-sm" data-testid="import-report">
          <p>Imported. Some parts have no counterpart in Lookout:</p>
          <ul className="list-disc pl-5">
            {done.unsupported.map((u, i) => (
              <li key={`u${i}`}>
                Panel “{u.title || "untitled"}” ({u.type}): {u.reason}
              </li>
            ))}
            {done.warnings.map((w, i) => (
              <li key={`w${i}`}>{w}</li>
            ))}
          </ul>
        </div>
      ) : (
        <div className="space-y-3">
          <input
            type="file"
            accept="application/json,.json"
            aria-label="Dashboard JSON file"
            className="text-sm"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void f.text().then(setText);
            }}
          />
          <Textarea aria-label="Dashboard JSON" rows={14} value={text} onChange={(e) => setText(e.target.value)} placeholder='{"title": "…", "panels": […]}' spellCheck={false} />
          <div className="flex flex-wrap items-end gap-4">
            <SelectField id="import-folder" label="Folder" value={folderUid} onChange={(e) => setFolderUid(e.target.value)}>
              <option value="">General</option>
              {folders.map((f) => (
                <option key={f.uid} value={f.uid}>
                  {f.title}
                </option>
              ))}
            </SelectField>
            <Checkbox label="Import as a copy (new uid)" checked={asCopy} onChange={(e) => setAsCopy(e.target.checked)} />
            <Checkbox label="Overwrite a dashboard with the same uid or title" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} />
          </div>
          {(parseError || imp.error) && <ErrorMessage>{parseError ?? imp.error?.message}</ErrorMessage>}
        </div>
      )}
    </Dialog>
  );
}
