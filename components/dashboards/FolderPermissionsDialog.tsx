"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { Select } from "@/components/ui/Select";

type Level = "none" | "view" | "edit";

/**
 * Who may view or edit the dashboards of a folder, by role. No entries: everyone with the
 * global dashboards permissions (Grafana's default); with entries, only the roles listed
 * (and admins).
 */
export function FolderPermissionsDialog({ folder, onClose }: { folder: { uid: string; title: string }; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const roles = useQuery(trpc.roles.list.queryOptions());
  const perms = useQuery(trpc.folders.permissions.queryOptions({ uid: folder.uid }));
  const [levels, setLevels] = useState<Record<string, Level>>({});
  useEffect(() => {
    if (perms.data) setLevels(Object.fromEntries(perms.data.map((p) => [p.roleId, p.level])));
  }, [perms.data]);
  const save = useMutation(
    trpc.folders.setPermissions.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.folders.permissions.queryKey({ uid: folder.uid }) });
        onClose();
      },
    }),
  );
  const entries = Object.entries(levels).flatMap(([roleId, level]) => (level === "none" ? [] : [{ roleId, level: level as "view" | "edit" }]));
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Permissions: ${folder.title}`}
      description="With no role listed, every user with dashboard permissions sees this folder. Listing roles restricts it to them (admins always have access)."
      footer={
        <Button variant="primary" busy={save.isPending} onClick={() => save.mutate({ uid: folder.uid, entries })}>
          Save permissions
        </Button>
      }
    >
      {(roles.error || perms.error || save.error) && <ErrorMessage>{(roles.error ?? perms.error ?? save.error)?.message}</ErrorMessage>}
      <table className="w-full text-sm">
        <tbody>
          {(roles.data ?? []).map((r) => (
            <tr key={r.id} className="border-t border-slate-200 dark:border-slate-800">
              <td className="py-1.5">{r.name}</td>
              <td className="w-40 py-1.5">
                <Select aria-label={`Access of ${r.name}`} value={levels[r.id] ?? "none"} onChange={(e) => setLevels({ ...levels, [r.id]: e.target.value as Level })}>
                  <option value="none">—</option>
                  <option value="view">View</option>
                  <option value="edit">Edit</option>
                </Select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
