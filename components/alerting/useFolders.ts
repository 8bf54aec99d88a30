"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc";

export type FolderOption = { uid: string | null; title: string };

/** General, then the folders the caller can see (dashboards' folders; rule groups follow their permissions). */
export function useFolderOptions(extra: readonly { folderUid: string | null; folderTitle: string | null }[] = []): FolderOption[] {
  const trpc = useTRPC();
  const folders = useQuery(trpc.folders.list.queryOptions(undefined, { staleTime: 60_000, retry: false }));
  const out = new Map<string | null, string>([[null, "General"]]);
  for (const f of folders.data ?? []) out.set(f.uid, f.title);
  for (const g of extra) if (!out.has(g.folderUid)) out.set(g.folderUid, g.folderTitle ?? g.folderUid ?? "General");
  return [...out.entries()].map(([uid, title]) => ({ uid, title })).sort((a, b) => (a.uid === null ? -1 : b.uid === null ? 1 : a.title.localeCompare(b.title)));
}

/** Folder uid ↔ select value ("" is General). */
export const folderValue = (uid: string | null): string => uid ?? "";
export const folderFromValue = (v: string): string | null => (v === "" ? null : v);
