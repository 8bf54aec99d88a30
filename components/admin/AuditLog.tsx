"use client";

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Fragment, useId, useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { SelectField, TextField } from "@/components/ui/Field";
import { PageHeader } from "@/components/ui/PageHeader";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/Table";
import { TimeRangePicker } from "@/components/ui/TimeRangePicker";
import { Timestamp } from "@/components/ui/Timestamp";
import { useDebounced } from "@/components/ui/useDebounced";
import { useTimeRange } from "@/components/ui/useTimeRange";
import type { AuditRow } from "./types";

const PAGE_SIZE = 50;
const RESULT_TONE: Record<AuditRow["result"], BadgeTone> = { success: "green", denied: "amber", failure: "red" };
type ResultFilter = "" | AuditRow["result"];

/** Admin → Audit log: filters (actor, action, result, time range) and keyset pagination. */
export function AuditLog() {
  const trpc = useTRPC();
  const { resolved, refresh } = useTimeRange();
  const ids = { actor: useId(), action: useId(), actions: useId(), result: useId() };
  const [actor, setActor] = useState("");
  const [action, setAction] = useState("");
  const [result, setResult] = useState<ResultFilter>("");
  const debouncedActor = useDebounced(actor.trim());
  const debouncedAction = useDebounced(action.trim());
  const actions = useQuery(trpc.audit.actions.queryOptions());

  const input = {
    actor: debouncedActor || undefined,
    action: debouncedAction || undefined,
    result: result || undefined,
    from: resolved.ok ? resolved.start : undefined,
    to: resolved.ok ? resolved.end : undefined,
    limit: PAGE_SIZE,
  };
  const log = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(input, {
      getNextPageParam: (last) => last.nextCursor,
      enabled: resolved.ok,
      // While a changed filter loads, the rows shown so far stay (dimmed) rather than the table
      // emptying; a row in both keeps its open details.
      placeholderData: keepPreviousData,
    }),
  );
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = !!(input.actor || input.action || input.result);

  return (
    <div>
      <PageHeader
        title="Audit log"
        description="Every change, sign-in, API key failure and permission denial, newest first. The log is append-only."
        actions={<TimeRangePicker onRefresh={refresh} />}
      />
      <form role="search" aria-label="Filter audit events" onSubmit={(e) => e.preventDefault()} className="mb-3 flex flex-wrap items-end gap-3">
        <TextField id={ids.actor} label="Actor" className="w-56" placeholder="email, name or id" value={actor} onChange={(e) => setActor(e.target.value)} />
        <TextField
          id={ids.action}
          label="Action"
          className="w-56 font-mono text-xs"
          list={ids.actions}
          placeholder="e.g. user. or auth.sign_in"
          value={action}
          onChange={(e) => setAction(e.target.value)}
        />
        <SelectField id={ids.result} label="Result" className="w-36" value={result} onChange={(e) => setResult(e.target.value as ResultFilter)}>
          <option value="">Any result</option>
          <option value="success">success</option>
          <option value="denied">denied</option>
          <option value="failure">failure</option>
        </SelectField>
        <datalist id={ids.actions}>
          {actions.data?.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        {filtered && (
          <Button
            variant="ghost"
            onClick={() => {
              setActor("");
              setAction("");
              setResult("");
            }}
          >
            Clear filters
          </Button>
        )}
      </form>
      {!resolved.ok && <ErrorMessage className="mb-3">{resolved.message}</ErrorMessage>}
      {log.error && <ErrorMessage className="mb-3">{log.error.message}</ErrorMessage>}
      <Card>
        <Table aria-label="Audit events" aria-busy={log.isPlaceholderData || undefined} className={log.isPlaceholderData ? "opacity-60 transition-opacity" : undefined}>
          <THead>
            <tr>
              <Th>Time</Th>
              <Th>Actor</Th>
              <Th>Action</Th>
              <Th>Target</Th>
              <Th>Result</Th>
              <Th>IP</Th>
              <Th className="text-right">Details</Th>
            </tr>
          </THead>
          <TBody>
            {log.isLoading && (
              <tr>
                <Td colSpan={7} className="py-6 text-center text-slate-500">
                  Loading audit events…
                </Td>
              </tr>
            )}
            {log.isSuccess && rows.length === 0 && (
              <tr>
                <Td colSpan={7} className="py-6 text-center text-slate-500">
                  No audit events {filtered ? "match these filters" : "in this time range"}.
                </Td>
              </tr>
            )}
            {rows.map((row) => (
              <AuditRowView key={row.id} row={row} />
            ))}
          </TBody>
        </Table>
      </Card>
      <div className="mt-3 flex items-center gap-3 text-xs text-slate-500 dark:text-slate-400">
        {rows.length > 0 && (
          <span>
            Showing {rows.length} event{rows.length === 1 ? "" : "s"}
            {log.hasNextPage ? "" : ": the end of the log for this range"}
          </span>
        )}
        {log.hasNextPage && (
          <Button size="sm" onClick={() => void log.fetchNextPage()} busy={log.isFetchingNextPage}>
            Load more
          </Button>
        )}
      </div>
    </div>
  );
}

function AuditRowView({ row }: { row: AuditRow }) {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const hasDetails = !!row.details && Object.keys(row.details).length > 0;
  return (
    <Fragment>
      <Tr data-testid="audit-row">
        <Td className="whitespace-nowrap">
          <Timestamp value={row.ts} />
        </Td>
        <Td>
          <span className="font-medium">{row.actorName}</span>
          {row.actorType !== "user" && row.actorName !== row.actorType && <span className="ml-1.5 text-xs text-slate-500">({row.actorType.replace("_", " ")})</span>}
        </Td>
        <Td className="font-mono text-xs whitespace-nowrap">{row.action}</Td>
        <Td>
          {row.targetType ? (
            <>
              <span className="text-xs text-slate-500">{row.targetType.replace("_", " ")}</span> {row.targetName ?? row.targetId ?? ""}
            </>
          ) : (
            <span className="text-slate-400">—</span>
          )}
        </Td>
        <Td>
          <Badge tone={RESULT_TONE[row.result]}>{row.result}</Badge>
        </Td>
        <Td className="font-mono text-xs whitespace-nowrap">{row.ip ?? "—"}</Td>
        <Td className="text-right">
          {hasDetails ? (
            <Button size="sm" variant="ghost" aria-expanded={open} aria-controls={open ? detailsId : undefined} onClick={() => setOpen((o) => !o)}>
              {open ? "Hide details" : "Show details"}
            </Button>
          ) : (
            <span className="text-slate-400">—</span>
          )}
        </Td>
      </Tr>
      {open && hasDetails && (
        <tr id={detailsId} className="bg-slate-50 dark:bg-slate-950/60">
          <td colSpan={7} className="px-3 py-2">
            <pre className="max-h-72 overflow-auto font-mono text-xs whitespace-pre-wrap text-slate-700 dark:text-slate-300">
              {JSON.stringify(row.details, null, 2)}
            </pre>
          </td>
        </tr>
      )}
    </Fragment>
  );
}
