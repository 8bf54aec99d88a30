"use client";

import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/Table";
import { LabelChips, StateBadge } from "./bits";
import { valueText } from "./state";
import type { RulePreview } from "./types";

/** The Preview's result: each series with its labels, value, would-be state and rendered summary. */
export function RulePreviewTable({ preview }: { preview: RulePreview }) {
  return (
    <div className="space-y-2" data-testid="rule-preview">
      {preview.error && <ErrorMessage title="The query failed">{preview.error}</ErrorMessage>}
      {preview.series.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">{preview.error ? "No instances." : "The query returned no series and the rule treats no data as all clear: no alerts."}</p>
      ) : (
        <Table aria-label="Preview results">
          <THead>
            <tr>
              <Th>State</Th>
              <Th>Labels</Th>
              <Th className="text-right">Value</Th>
              <Th>Summary</Th>
            </tr>
          </THead>
          <TBody>
            {preview.series.map((s, i) => (
              <Tr key={i} data-testid="preview-row">
                <Td>
                  <StateBadge state={s.state} />
                </Td>
                <Td>
                  <LabelChips labels={s.labels} />
                </Td>
                <Td className="text-right font-mono text-xs tabular-nums">{valueText(s.value)}</Td>
                <Td className="text-xs">{s.error ?? s.annotations.summary ?? ""}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      <p className="text-xs text-slate-500 dark:text-slate-400">Evaluated at {new Date(preview.at).toLocaleString()}.</p>
    </div>
  );
}
