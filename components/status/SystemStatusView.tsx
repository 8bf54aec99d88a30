"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { SystemStatus } from "@/components/admin/types";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/Badge";
import { Card, CardBody, CardHeader } from "@/components/ui/Card";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { PageHeader } from "@/components/ui/PageHeader";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import { formatBytes, formatCount, formatMs } from "@/server/lib/units";

const REFRESH_MS = 5000;

/** /status: stores, queues and workers, refreshed every 5 s. */
export function SystemStatusView() {
  const trpc = useTRPC();
  const status = useQuery(trpc.status.get.queryOptions(undefined, { refetchInterval: REFRESH_MS, refetchIntervalInBackground: false, staleTime: 0 }));
  const s = status.data;
  return (
    <div className="max-w-6xl">
      <PageHeader
        title="System status"
        description="Health of PostgreSQL, Redis, the job queues and the worker processes."
        actions={
          <span className="text-xs text-slate-500 dark:text-slate-400" aria-live="polite">
            {s ? (
              <>
                Updated <Timestamp value={s.checkedAt} /> · refreshes every 5 s
              </>
            ) : (
              "Loading…"
            )}
          </span>
        }
      />
      {status.error && <ErrorMessage className="mb-4" title="Could not load the status">{status.error.message}</ErrorMessage>}
      {s && (
        <div className="space-y-4">
          <div className="grid gap-4 md:grid-cols-2">
            <StoreCard
              name="PostgreSQL"
              ok={s.postgres.ok}
              error={s.postgres.error}
              rows={[
                ["Latency", formatMs(s.postgres.latencyMs)],
                ["Version", s.postgres.version ?? "—"],
                ["Database", s.postgres.database ?? "—"],
                ["Database size", formatBytes(s.postgres.databaseSizeBytes)],
              ]}
            />
            <StoreCard
              name="Redis"
              ok={s.redis.ok}
              error={s.redis.error}
              rows={[
                ["Latency", formatMs(s.redis.latencyMs)],
                ["Version", s.redis.version ?? "—"],
                ["Memory used", formatBytes(s.redis.usedMemoryBytes)],
              ]}
            />
          </div>
          <QueuesCard queues={s.queues} redisOk={s.redis.ok} />
          <WorkersCard workers={s.workers} redisOk={s.redis.ok} />
        </div>
      )}
    </div>
  );
}

function StoreCard({ name, ok, error, rows }: { name: string; ok: boolean; error: string | null; rows: [string, ReactNode][] }) {
  return (
    <section aria-label={name} data-testid={`status-${name.toLowerCase()}`}>
      <Card className="h-full">
        <CardHeader title={name} actions={ok ? <Badge tone="green">ok</Badge> : <Badge tone="red">down</Badge>} />
        <CardBody>
          {error && <ErrorMessage className="mb-3">{error}</ErrorMessage>}
          <dl className="grid grid-cols-[9rem_1fr] gap-y-1.5 text-sm">
            {rows.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-slate-500 dark:text-slate-400">{k}</dt>
                <dd className="font-mono text-[13px] tabular-nums">{v}</dd>
              </div>
            ))}
          </dl>
        </CardBody>
      </Card>
    </section>
  );
}

function QueuesCard({ queues, redisOk }: { queues: SystemStatus["queues"]; redisOk: boolean }) {
  const num = (n: number, warn = false) => <span className={warn && n > 0 ? "font-semibold text-red-600 dark:text-red-400" : ""}>{formatCount(n)}</span>;
  return (
    <section aria-label="Queues">
      <Card>
        <CardHeader title="Queues">Background jobs (BullMQ on Redis).</CardHeader>
        {!redisOk ? (
          <p className="px-4 py-3 text-sm text-slate-500">Queue counts are unavailable while Redis is down.</p>
        ) : (
          <Table aria-label="Queues">
            <THead>
              <tr>
                <Th>Queue</Th>
                <Th>Description</Th>
                <Th className="text-right">Waiting</Th>
                <Th className="text-right">Active</Th>
                <Th className="text-right">Delayed</Th>
                <Th className="text-right">Failed</Th>
                <Th className="text-right">Completed</Th>
              </tr>
            </THead>
            <TBody>
              {queues.map((q) => (
                <Tr key={q.name} data-testid="queue-row">
                  <Td className="font-mono text-xs font-medium whitespace-nowrap">
                    {q.name}
                    {q.paused && (
                      <Badge tone="amber" className="ml-2">
                        paused
                      </Badge>
                    )}
                  </Td>
                  <Td className="text-slate-600 dark:text-slate-400">{q.description}</Td>
                  <Td className="text-right tabular-nums">{num(q.waiting)}</Td>
                  <Td className="text-right tabular-nums">{num(q.active)}</Td>
                  <Td className="text-right tabular-nums">{num(q.delayed)}</Td>
                  <Td className="text-right tabular-nums">{num(q.failed, true)}</Td>
                  <Td className="text-right tabular-nums">{num(q.completed)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </section>
  );
}

function WorkersCard({ workers, redisOk }: { workers: SystemStatus["workers"]; redisOk: boolean }) {
  return (
    <section aria-label="Workers">
      <Card>
        <CardHeader title="Workers">Worker processes that sent a heartbeat in the last 20 s.</CardHeader>
        {workers.length === 0 ? (
          <div className="p-4">
            <div role="alert" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-200">
              <p className="font-medium">No workers alive</p>
              <p className="mt-0.5">
                {redisOk
                  ? "Queued jobs (ingestion, alert evaluation, retention) are not being processed. Start one with npm run workers."
                  : "Workers cannot be listed while Redis is down."}
              </p>
            </div>
          </div>
        ) : (
          <Table aria-label="Workers">
            <THead>
              <tr>
                <Th>Worker</Th>
                <Th>Host</Th>
                <Th className="text-right">PID</Th>
                <Th>Queues</Th>
                <Th>Started</Th>
                <Th>Last seen</Th>
              </tr>
            </THead>
            <TBody>
              {workers.map((w) => (
                <Tr key={w.id} data-testid="worker-row">
                  <Td className="font-mono text-xs">{w.id}</Td>
                  <Td>{w.host}</Td>
                  <Td className="text-right tabular-nums">{w.pid}</Td>
                  <Td>
                    <div className="flex flex-wrap gap-1">
                      {w.queues.map((q) => (
                        <Badge key={q} className="font-mono">
                          {q}
                        </Badge>
                      ))}
                    </div>
                  </Td>
                  <Td>
                    <Timestamp value={w.startedAt} />
                  </Td>
                  <Td>
                    <Timestamp value={w.lastSeen} relative />
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </section>
  );
}
