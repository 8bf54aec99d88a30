"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, type UIEvent } from "react";
import { useTRPC, useTRPCClient } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { TimeRangePicker } from "@/components/ui/TimeRangePicker";
import { useTimeRange } from "@/components/ui/useTimeRange";
import { cn } from "@/components/ui/cn";
import type { TimeRange } from "@/server/lib/time";
import type { FieldInfo } from "@/server/logs/query/ast";
import type { LogHit, SavedSearch } from "@/server/logs/search/contract";
import { ArchiveBanner } from "./ArchiveBanner";
import { mergeHistogram, mergeHits } from "./archive-merge";
import { addColumn, DEFAULT_COLUMNS, moveColumn, removeColumn } from "./columns";
import { ExportMenu } from "./ExportMenu";
import { computeFieldStats } from "./field-stats";
import { FieldSidebar } from "./FieldSidebar";
import { addClause, filterClause } from "./query-edit";
import { chooseHitCount, formatHitCount } from "./hit-count";
import { HitsHistogram } from "./HitsHistogram";
import { emptyLive, LIVE_CAP, receive, setPaused, type LiveState } from "./live-buffer";
import type { LogQueryEditorHandle, QuerySuggestions } from "./LogQueryEditor";
import { OpenSearchDialog } from "./OpenSearchDialog";
import { QueryBar } from "./QueryBar";
import { QueryErrorNotice } from "./QueryErrorNotice";
import { loadHistory, pushHistory, saveHistory } from "./query-history";
import { ResultsTable } from "./ResultsTable";
import { SaveSearchDialog } from "./SaveSearchDialog";
import { SurroundingDocuments } from "./SurroundingDocuments";
import { decodeDiscoverState, encodeDiscoverState, type DiscoverState } from "./url-state";
import { useArchiveScan } from "./useArchiveScan";
import { useCopy } from "./useCopy";
import { useLiveTail } from "./useLiveTail";

const PAGE_SIZE = 300;
const HISTOGRAM_BUCKETS = 80;
/** Field statistics are computed from at most this many loaded hits (Kibana samples 500). */
const FIELD_SAMPLE = 5000;
/** Scrolled further than this from the top, live tail pauses. */
const PAUSE_SCROLL_PX = 40;

/**
 * Explore → Logs (Discover): the query bar, the time range, the hit count and histogram, the
 * field sidebar and the virtualised results, with saved searches, sharing, export and live tail.
 * The whole view lives in the URL (q, col, saved, from, to). A range reaching archived days offers
 * to include them (read day by day, merged into the hits, count and histogram); `canRestore`
 * (sources:write) adds "Restore to hot" per archived day.
 */
export function Discover({ canRestore = false }: { canRestore?: boolean } = {}) {
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const { range, setRange, resolved, refresh } = useTimeRange();
  const state = useMemo(() => decodeDiscoverState(new URLSearchParams(params.toString())), [params]);

  const [draft, setDraft] = useState(state.query);
  const [shownQuery, setShownQuery] = useState(state.query);
  if (shownQuery !== state.query) {
    // The URL's query changed (back/forward, a saved search, a filter): the bar follows it.
    setShownQuery(state.query);
    setDraft(state.query);
  }
  const [history, setHistory] = useState<string[]>(() => (typeof window === "undefined" ? [] : loadHistory()));
  const [dialog, setDialog] = useState<"save" | "open" | null>(null);
  const [contextHit, setContextHit] = useState<LogHit | null>(null);
  const [live, setLive] = useState<LiveState | null>(null);
  const [includeArchive, setIncludeArchive] = useState(false);
  const editorRef = useRef<LogQueryEditorHandle | null>(null);
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const share = useCopy();

  const window_ = useMemo(() => (resolved.ok ? { startMs: resolved.start.getTime(), endMs: resolved.end.getTime() } : null), [resolved]);
  const start = window_?.startMs ?? 0;
  const end = window_?.endMs ?? 0;

  /** Writes state (and optionally the range) into the URL in one navigation. */
  const navigate = useCallback(
    (patch: Partial<DiscoverState>, opts: { push?: boolean; range?: TimeRange } = {}) => {
      const base = new URLSearchParams(window.location.search);
      if (opts.range) {
        base.set("from", opts.range.from);
        base.set("to", opts.range.to);
      }
      const next = encodeDiscoverState({ ...decodeDiscoverState(base), ...patch }, base).toString();
      const url = next ? `${pathname}?${next}` : pathname;
      if (opts.push) router.push(url, { scroll: false });
      else router.replace(url, { scroll: false });
    },
    [pathname, router],
  );

  // ---- data ----
  const search = useInfiniteQuery(
    trpc.logs.search.infiniteQueryOptions(
      { q: state.query, start, end, limit: PAGE_SIZE },
      { enabled: window_ !== null, getNextPageParam: (last) => last.nextCursor ?? undefined, staleTime: 60_000 },
    ),
  );
  const histogram = useQuery(trpc.logs.histogram.queryOptions({ q: state.query, start, end, buckets: HISTOGRAM_BUCKETS }, { enabled: window_ !== null, staleTime: 60_000 }));
  const fields = useQuery(trpc.logs.fields.queryOptions(undefined, { staleTime: 60_000 }));
  const saved = useQuery(trpc.savedSearches.get.queryOptions({ id: state.savedId ?? "" }, { enabled: state.savedId !== null }));

  const archiveDays = useQuery(trpc.logs.archiveDays.queryOptions({ start, end }, { enabled: window_ !== null, staleTime: 60_000 }));
  const archive = useArchiveScan({ enabled: includeArchive, q: state.query, start, end, step: histogram.data?.step, days: archiveDays.data ?? [], perDay: PAGE_SIZE });
  const archived = includeArchive ? archive.state : null;

  const hotHits = useMemo(() => search.data?.pages.flatMap((p) => p.hits) ?? [], [search.data]);
  const hits = useMemo(() => (archived ? mergeHits(hotHits, !!search.hasNextPage, archived.hits) : hotHits), [hotHits, archived, search.hasNextPage]);
  const shownHistogram = useMemo(() => (histogram.data && archived ? mergeHistogram(histogram.data, archived.buckets) : histogram.data), [histogram.data, archived]);
  const specs = search.data?.pages[0]?.highlight ?? [];
  const rows = live ? live.rows : hits;
  const stats = useMemo(() => computeFieldStats(rows.slice(0, FIELD_SAMPLE)), [rows]);
  const firstPage = search.data?.pages[0];
  const count = chooseHitCount(firstPage && archived ? { ...firstPage, total: firstPage.total + archived.total } : firstPage, shownHistogram?.total);

  // Completion data, read by the editor when it needs it (the editor is created once).
  const suggestions = useRef<QuerySuggestions>({ fields: () => [], values: async () => [] });
  useEffect(() => {
    const known: readonly FieldInfo[] = fields.data?.fields ?? [];
    suggestions.current = {
      fields: () => known,
      values: async (field, prefix, signal) => (await trpcClient.logs.values.query({ field, prefix, start, end }, { signal })).values,
    };
  }, [fields.data, trpcClient, start, end]);

  // A URL holding only `saved=<id>` (a saved search's link): take the saved query, columns and range.
  const appliedSaved = useRef<string | null>(null);
  useEffect(() => {
    const s = saved.data as SavedSearch | undefined;
    if (!s || appliedSaved.current === s.id) return;
    appliedSaved.current = s.id;
    const p = new URLSearchParams(window.location.search);
    if (p.has("q") || p.has("col") || p.has("from") || p.has("to")) return;
    navigate({ query: s.query, columns: s.columns.length ? s.columns : [...DEFAULT_COLUMNS] }, { range: { from: s.timeFrom, to: s.timeTo } });
  }, [saved.data, navigate]);

  // ---- live tail ----
  const liveStatus = useLiveTail(state.query, live !== null, (incoming) => setLive((s) => (s ? receive(s, incoming) : s)));
  function toggleLive() {
    if (live) setLive(null);
    else {
      scrollRef.current?.scrollTo({ top: 0 });
      setLive(emptyLive(hits.slice(0, LIVE_CAP)));
    }
  }
  function onScroll(e: UIEvent<HTMLDivElement>) {
    if (!live) return;
    const paused = e.currentTarget.scrollTop > PAUSE_SCROLL_PX;
    if (paused !== live.paused) setLive((s) => (s ? setPaused(s, paused) : s));
  }

  // ---- actions ----
  function run(query = draft) {
    const q = query.trim();
    const nextHistory = pushHistory(history, q);
    setHistory(nextHistory);
    saveHistory(nextHistory);
    if (live) setLive(emptyLive());
    scrollRef.current?.scrollTo({ top: 0 });
    if (q !== state.query) navigate({ query: q }, { push: true });
    else refresh();
  }

  function onFilter(field: string, value: string, negate: boolean) {
    const q = addClause(draft, filterClause(field, value, negate));
    setDraft(q);
    run(q);
  }
  const onToggleColumn = useCallback(
    (field: string) => navigate({ columns: state.columns.includes(field) ? removeColumn(state.columns, field) : addColumn(state.columns, field) }),
    [navigate, state.columns],
  );
  const onMoveColumn = useCallback((field: string, delta: -1 | 1) => navigate({ columns: moveColumn(state.columns, field, delta) }), [navigate, state.columns]);
  const onZoom = useCallback(
    (s: number, e: number) => {
      setLive(null);
      setRange({ from: String(Math.round(s)), to: String(Math.round(e)) });
    },
    [setRange],
  );
  const loadMore = useCallback(() => void search.fetchNextPage(), [search]);

  function openSaved(s: SavedSearch) {
    appliedSaved.current = s.id;
    setDialog(null);
    setLive(null);
    navigate({ query: s.query, columns: s.columns.length ? s.columns : [...DEFAULT_COLUMNS], savedId: s.id }, { push: true, range: { from: s.timeFrom, to: s.timeTo } });
  }

  // `/` focuses the query bar (unless typing somewhere else).
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      editorRef.current?.focus();
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const savedSearch = (saved.data as SavedSearch | undefined) ?? null;
  const searchError = search.error;
  const badRequest = searchError?.data?.code === "BAD_REQUEST" ? searchError : histogram.error?.data?.code === "BAD_REQUEST" ? histogram.error : null;

  return (
    <div className="flex h-[calc(100vh-5.5rem)] min-h-[32rem] flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex min-w-0 items-center gap-2">
          <h1 className="text-lg font-semibold tracking-tight">Explore logs</h1>
          {savedSearch && (
            <Badge tone="blue" title={savedSearch.description || undefined}>
              <span data-testid="saved-search-name">{savedSearch.name}</span>
            </Badge>
          )}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Button onClick={() => setDialog("open")}>Open</Button>
          <Button onClick={() => setDialog("save")}>Save</Button>
          <Button onClick={() => void share.copy(window.location.href)} title="Copy a link to this view">
            {share.copied ? "Link copied" : share.failed ? "Copy failed" : "Share"}
          </Button>
          <ExportMenu query={state.query} range={window_} columns={state.columns} hits={rows} />
          <Button
            onClick={toggleLive}
            aria-pressed={live !== null}
            variant={live ? "primary" : "secondary"}
            title={live ? "Stop live tail" : "Stream new matching events as they arrive"}
          >
            <span aria-hidden className={cn("inline-block size-2 rounded-full", live ? "animate-pulse bg-white" : "bg-emerald-500")} />
            {live ? "Stop live" : "Live tail"}
          </Button>
          {live ? (
            <span role="status" aria-label="Time range: Live" className="inline-flex h-8 items-center gap-2 rounded border border-emerald-400 bg-emerald-50 px-2.5 text-sm font-medium text-emerald-800 dark:border-emerald-700 dark:bg-emerald-950 dark:text-emerald-200" data-testid="live-indicator">
              <span aria-hidden className="size-2 animate-pulse rounded-full bg-emerald-500" />
              Live{liveStatus === "connecting" ? " · connecting" : liveStatus === "reconnecting" ? " · reconnecting" : ""}
            </span>
          ) : (
            <TimeRangePicker onRefresh={() => run()} />
          )}
        </div>
      </div>

      <QueryBar draft={draft} onDraft={setDraft} onRun={() => run()} busy={search.isFetching && !search.isFetchingNextPage} suggestions={suggestions} handleRef={editorRef} history={history} />
      {badRequest && <QueryErrorNotice error={badRequest} query={state.query} />}
      {!resolved.ok && <ErrorMessage>{resolved.message}</ErrorMessage>}
      {!live && archiveDays.data && archiveDays.data.length > 0 && (
        <ArchiveBanner days={archiveDays.data} included={includeArchive} onInclude={setIncludeArchive} scan={archive.state} onCancel={archive.cancel} canRestore={canRestore} />
      )}

      <div className="flex min-h-0 flex-1 gap-3">
        <aside className="hidden w-60 shrink-0 md:block">
          <FieldSidebar stats={stats} sampleSize={Math.min(rows.length, FIELD_SAMPLE)} columns={state.columns} onFilter={onFilter} onToggleColumn={onToggleColumn} />
        </aside>
        <section aria-label="Results" className="flex min-w-0 flex-1 flex-col gap-2">
          <div className="rounded-md border border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900">
            <div className="mb-1 flex items-baseline gap-3 text-sm">
              <strong data-testid="hit-count" className="tabular-nums">
                {count ? formatHitCount(count.total, count.relation) : search.isPending && window_ ? "Searching…" : "—"}
              </strong>
              {live && (
                <span className="text-xs text-emerald-700 dark:text-emerald-300" data-testid="live-count">
                  {live.received.toLocaleString("en-US")} new since live tail started
                  {live.paused && live.pending.length > 0 && (
                    <button type="button" className="ml-2 underline" onClick={() => scrollRef.current?.scrollTo({ top: 0 })}>
                      {live.pending.length} waiting — back to top
                    </button>
                  )}
                  {live.paused && live.pending.length === 0 && " · paused while scrolled down"}
                </span>
              )}
              {search.data?.pages[0] && <span className="text-xs text-slate-500">{search.data.pages[0].tookMs} ms</span>}
            </div>
            {shownHistogram && window_ ? (
              <HitsHistogram result={shownHistogram} startMs={start} endMs={end} onZoom={onZoom} />
            ) : histogram.error && !badRequest ? (
              <p className="py-8 text-center text-xs text-red-600 dark:text-red-400">Histogram unavailable: {histogram.error.message}</p>
            ) : (
              <div className="h-28 animate-pulse rounded bg-slate-100 dark:bg-slate-800/60" aria-hidden />
            )}
          </div>
          <div className="min-h-0 flex-1">
            {searchError && !badRequest ? (
              <ErrorMessage title="Search failed">{searchError.message}</ErrorMessage>
            ) : search.isPending && !live ? (
              <ResultsSkeleton />
            ) : rows.length === 0 && !live ? (
              <EmptyState title="No logs match" className="h-full">
                {badRequest ? "Fix the query above and search again." : "Nothing matched in this time range. Widen the range or loosen the query."}
                {!badRequest && (
                  <div className="mt-3">
                    <Button onClick={() => setRange({ from: "now-7d", to: "now" })}>Search the last 7 days</Button>
                  </div>
                )}
              </EmptyState>
            ) : (
              <ResultsTable
                hits={rows}
                columns={state.columns}
                specs={specs}
                hasMore={!live && !!search.hasNextPage}
                loadingMore={search.isFetchingNextPage}
                onLoadMore={loadMore}
                onFilter={onFilter}
                onToggleColumn={onToggleColumn}
                onMoveColumn={onMoveColumn}
                onSurrounding={setContextHit}
                scrollRef={scrollRef}
                onScroll={onScroll}
              />
            )}
          </div>
        </section>
      </div>

      <SurroundingDocuments hit={contextHit} onClose={() => setContextHit(null)} />
      <OpenSearchDialog open={dialog === "open"} onClose={() => setDialog(null)} onOpen={openSaved} />
      <SaveSearchDialog
        open={dialog === "save"}
        onClose={() => setDialog(null)}
        current={savedSearch}
        target={{ query: draft.trim(), columns: state.columns, timeFrom: range.from, timeTo: range.to }}
        onSaved={(s) => {
          appliedSaved.current = s.id;
          setDialog(null);
          navigate({ savedId: s.id, query: s.query });
        }}
      />
    </div>
  );
}

function ResultsSkeleton() {
  return (
    <div className="h-full space-y-1.5 overflow-hidden rounded-md border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900" aria-busy="true" aria-label="Loading results">
      {Array.from({ length: 14 }, (_, i) => (
        <div key={i} className="flex gap-3">
          <div className="h-4 w-40 animate-pulse rounded bg-slate-100 dark:bg-slate-800" />
          <div className="h-4 w-12 animate-pulse rounded bg-slate-100 dark:bg-slate-800" />
          <div className="h-4 animate-pulse rounded bg-slate-100 dark:bg-slate-800" style={{ width: `${30 + ((i * 37) % 50)}%` }} />
        </div>
      ))}
    </div>
  );
}
