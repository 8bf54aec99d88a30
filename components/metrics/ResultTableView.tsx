"use client";

import { useMemo, useState } from "react";
import { Table, TBody, Td, THead, Tr } from "@/components/ui/Table";
import { cn } from "@/components/ui/cn";
import type { PromQueryData } from "./prom-api-client";
import { nextSort, resultTable, sortRows, VALUE_KEY, type SortState, type TableMode } from "./result-table";

const MAX_ROWS = 1000;

/** The table tab: an instant query's result, `{labels}` + value or one column per label; headers sort. */
export function ResultTableView({ data, mode }: { data: PromQueryData; mode: TableMode }) {
  const table = useMemo(() => resultTable(data, mode), [data, mode]);
  const [sort, setSort] = useState<SortState>(null);
  const rows = useMemo(() => sortRows(table.rows, sort && table.columns.some((c) => c.key === sort.key) ? sort : null), [table, sort]);

  return (
    <div className="rounded border border-slate-200 dark:border-slate-800">
      <Table aria-label="Query result">
        <THead>
          <tr>
            {table.columns.map((c) => {
              const active = sort?.key === c.key;
              return (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={active ? (sort!.dir === "asc" ? "ascending" : "descending") : "none"}
                  className={cn(
                    "border-b border-slate-200 px-3 py-2 text-[11px] font-semibold tracking-wide whitespace-nowrap text-slate-500 dark:border-slate-800 dark:text-slate-400",
                    c.numeric && "text-right",
                  )}
                >
                  <button type="button" onClick={() => setSort((s) => nextSort(s, c.key, c.numeric))} className="inline-flex items-center gap-1 hover:text-slate-800 dark:hover:text-slate-200">
                    {c.label}
                    <span aria-hidden className="w-2">
                      {active ? (sort!.dir === "asc" ? "▲" : "▼") : ""}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </THead>
        <TBody>
          {rows.slice(0, MAX_ROWS).map((row) => (
            <Tr key={row.key} data-testid="result-row">
              {table.columns.map((c) => (
                <Td
                  key={c.key}
                  className={cn(
                    "font-mono text-xs",
                    c.key === VALUE_KEY ? "text-right whitespace-pre tabular-nums" : "break-all",
                  )}
                >
                  {row.cells[c.key]}
                </Td>
              ))}
            </Tr>
          ))}
        </TBody>
      </Table>
      {rows.length > MAX_ROWS && <p className="border-t border-slate-200 px-3 py-1.5 text-xs text-slate-500 dark:border-slate-800">Showing the first {MAX_ROWS} of {rows.length} rows.</p>}
    </div>
  );
}
