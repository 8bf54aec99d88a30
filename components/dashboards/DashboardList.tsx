"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Checkbox } from "@/components/ui/Checkbox";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { TextField } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { useDebounced } from "@/components/ui/useDebounced";
import { FolderPermissionsDialog } from "./FolderPermissionsDialog";
import { ImportDashboardDialog } from "./ImportDashboardDialog";
import { FolderIcon } from "@/components/ui/FolderIcon";

/** Dashboards → browse: search, starred, tags, grouped by folder (Grafana's dashboard browser). */
export function DashboardList({ canWrite }: { canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [query, setQuery] = useState("");
  const [starredOnly, setStarredOnly] = useState(false);
  const [tag, setTag] = useState<string | null>(null);
  const q = useDebounced(query, 200);
  const list = useQuery(trpc.dashboards.list.queryOptions({ query: q || undefined, starred: starredOnly || undefined, tag: tag ?? undefined }));
  const folders = useQuery(trpc.folders.list.queryOptions());
  const [folderOpen, setFolderOpen] = useState(false);
  const [folderTitle, setFolderTitle] = useState("");
  const [importOpen, setImportOpen] = useState(false);
  const [permsFor, setPermsFor] = useState<{ uid: string; title: string } | null>(null);
  const createFolder = useMutation(
    trpc.folders.create.mutationOptions({
      onSuccess: () => {
        setFolderOpen(false);
        setFolderTitle("");
        void queryClient.invalidateQueries({ queryKey: trpc.folders.list.queryKey() });
      },
    }),
  );
  const star = useMutation(trpc.dashboards.star.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.dashboards.list.queryKey() }) }));

  const items = list.data;
  const groups = useMemo(() => {
    const byFolder = new Map<string, { uid: string | null; title: string; items: NonNullable<typeof items> }>();
    byFolder.set("", { uid: null, title: "General", items: [] });
    for (const f of folders.data ?? []) byFolder.set(f.uid, { uid: f.uid, title: f.title, items: [] });
    for (const d of items ?? []) {
      const key = d.folderUid ?? "";
      if (!byFolder.has(key)) byFolder.set(key, { uid: d.folderUid, title: d.folderTitle ?? "General", items: [] });
      byFolder.get(key)!.items.push(d);
    }
    const filtering = Boolean(q || starredOnly || tag);
    return [...byFolder.values()].filter((g) => g.items.length > 0 || (!filtering && g.uid !== null));
  }, [items, folders.data, q, starredOnly, tag]);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <Input aria-label="Search dashboards" placeholder="Search dashboards by title" value={query} onChange={(e) => setQuery(e.target.value)} className="w-72" />
        <Checkbox label="Starred" checked={starredOnly} onChange={(e) => setStarredOnly(e.target.checked)} />
        {tag && (
          <Button size="sm" onClick={() => setTag(null)} aria-label={`Remove tag filter ${tag}`}>
            tag: {tag} ✕
          </Button>
        )}
        <span className="flex-1" />
        {canWrite && (
          <>
            <Button onClick={() => setFolderOpen(true)}>New folder</Button>
            <Button onClick={() => setImportOpen(true)}>Import</Button>
            <Link href="/dashboards/new" className="inline-flex h-8 items-center rounded border border-blue-600 bg-blue-600 px-3 text-sm font-medium text-white hover:bg-blue-700">
              New dashboard
            </Link>
          </>
        )}
      </div>
      {list.error && <ErrorMessage>{list.error.message}</ErrorMessage>}
      {list.data && list.data.length === 0 && !q && !starredOnly && !tag && <p className="text-sm text-slate-600 dark:text-slate-400">No dashboards yet.{canWrite ? " Create one, or import a Grafana dashboard JSON." : ""}</p>}
      {groups.map((g) => (
        <section key={g.uid ?? "general"} aria-label={`Folder ${g.title}`} className="rounded border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <header className="flex items-center gap-2 border-b border-slate-200 px-3 py-2 text-sm font-semibold dark:border-slate-800">
            <FolderIcon className="size-4 text-slate-400" /> {g.title}
            <span className="text-xs font-normal text-slate-500">{g.items.length}</span>
            <span className="flex-1" />
            {canWrite && g.uid && (
              <Button size="sm" variant="ghost" onClick={() => setPermsFor({ uid: g.uid!, title: g.title })}>
                Permissions
              </Button>
            )}
          </header>
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {g.items.map((d) => (
              <li key={d.uid} className="flex items-center gap-2 px-3 py-2 text-sm">
                <Link href={`/dashboards/d/${d.uid}`} className="font-medium text-blue-700 hover:underline dark:text-blue-400">
                  {d.title}
                </Link>
                {d.provisioned && <span className="rounded bg-slate-100 px-1 text-xs text-slate-500 dark:bg-slate-800">provisioned</span>}
                <span className="flex-1" />
                {d.tags.map((t) => (
                  <button key={t} type="button" onClick={() => setTag(t)} className="rounded bg-blue-50 px-1.5 text-xs text-blue-800 hover:bg-blue-100 dark:bg-blue-950 dark:text-blue-200">
                    {t}
                  </button>
                ))}
                <Button size="sm" variant="ghost" aria-label={d.starred ? `Unstar ${d.title}` : `Star ${d.title}`} aria-pressed={d.starred} onClick={() => star.mutate({ uid: d.uid, starred: !d.starred })}>
                  {d.starred ? "★" : "☆"}
                </Button>
              </li>
            ))}
            {g.items.length === 0 && <li className="px-3 py-2 text-xs text-slate-500">Empty folder</li>}
          </ul>
        </section>
      ))}
      <Dialog
        open={folderOpen}
        onClose={() => setFolderOpen(false)}
        title="New folder"
        footer={
          <Button variant="primary" busy={createFolder.isPending} onClick={() => createFolder.mutate({ title: folderTitle })}>
            Create
          </Button>
        }
      >
        <TextField id="folder-title" label="Title" value={folderTitle} onChange={(e) => setFolderTitle(e.target.value)} />
        {createFolder.error && <ErrorMessage>{createFolder.error.message}</ErrorMessage>}
      </Dialog>
      <ImportDashboardDialog open={importOpen} onClose={() => setImportOpen(false)} folders={folders.data ?? []} />
      {permsFor && <FolderPermissionsDialog folder={permsFor} onClose={() => setPermsFor(null)} />}
    </div>
  );
}
