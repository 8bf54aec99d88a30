"use client";

import Link from "next/link";
import { useId, useState, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/Button";
import { Card, CardBody, CardHeader } from "@/components/ui/Card";
import { Select } from "@/components/ui/Select";
import { curlExample, ingestEndpoints } from "./send-logs";

export type SyslogConfig = { port: number; bind: string; source: string };

const noSubscribe = () => () => {};

/** The browser's origin; null while rendering on the server. */
function useOrigin(): string | null {
  return useSyncExternalStore(
    noSubscribe,
    () => window.location.origin,
    () => null,
  );
}

/**
 * "How to send logs": the ingest endpoints, how to authenticate and a curl example against this
 * console's origin. `sources` are the names offered for the example (the first is preselected).
 */
export function SendLogsHelp({ sources, syslog }: { sources: string[]; syslog: SyslogConfig }) {
  const headingId = useId();
  const selectId = useId();
  const origin = useOrigin();
  const [chosen, setChosen] = useState<string | null>(null);
  const source = chosen && sources.includes(chosen) ? chosen : (sources[0] ?? "default");
  const example = curlExample(origin ?? "http://localhost:3000", source);
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(example);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <section aria-labelledby={headingId}>
      <Card>
        <CardHeader
          title={<span id={headingId}>How to send logs</span>}
          actions={
            sources.length > 1 && (
              <div className="flex items-center gap-2">
                <label htmlFor={selectId} className="text-xs whitespace-nowrap text-slate-500 dark:text-slate-400">
                  Examples for
                </label>
                <Select id={selectId} value={source} onChange={(e) => setChosen(e.target.value)} className="h-7 w-44 text-xs">
                  {sources.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </Select>
              </div>
            )
          }
        >
          Agents and scripts authenticate with an API key that has the <code className="font-mono">ingest</code> scope.
        </CardHeader>
        <CardBody className="space-y-4 text-sm">
          <ol className="list-decimal space-y-1 pl-5 text-slate-700 dark:text-slate-300">
            <li>
              Create an ingest key in{" "}
              <Link href="/admin/service-accounts" className="font-medium text-blue-700 underline-offset-2 hover:underline dark:text-blue-400">
                Service accounts
              </Link>{" "}
              (a service account, then <em>New API key</em> with the <code className="font-mono">ingest</code> scope).
            </li>
            <li>
              Send it as <code className="font-mono">Authorization: Bearer KEY</code>, HTTP Basic with the key as password, or{" "}
              <code className="font-mono">X-API-Key: KEY</code>.
            </li>
            <li>
              Name the source with <code className="font-mono">?source=NAME</code> or the <code className="font-mono">X-Lookout-Source</code> header; events
              without one go to <code className="font-mono">default</code>. A successful request answers <code className="font-mono">202</code>.
            </li>
          </ol>

          <div className="overflow-x-auto rounded border border-slate-200 dark:border-slate-800">
            <table className="w-full text-left text-[13px]" aria-label="Ingest endpoints">
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {ingestEndpoints(source).map((e) => (
                  <tr key={e.name} className="align-top">
                    <th scope="row" className="px-3 py-1.5 font-medium whitespace-nowrap">
                      {e.name}
                    </th>
                    <td className="px-3 py-1.5 font-mono text-xs whitespace-nowrap">
                      <span className="text-slate-500 dark:text-slate-400">{e.method}</span> {e.path}
                    </td>
                    <td className="px-3 py-1.5 text-xs text-slate-600 dark:text-slate-400">{e.detail}</td>
                  </tr>
                ))}
                <tr className="align-top">
                  <th scope="row" className="px-3 py-1.5 font-medium whitespace-nowrap">
                    Syslog
                  </th>
                  <td className="px-3 py-1.5 font-mono text-xs whitespace-nowrap">
                    {syslog.port > 0 ? (
                      <>
                        <span className="text-slate-500 dark:text-slate-400">TCP/UDP</span> {syslog.bind}:{syslog.port}
                      </>
                    ) : (
                      <span className="text-slate-500 dark:text-slate-400">off</span>
                    )}
                  </td>
                  <td className="px-3 py-1.5 text-xs text-slate-600 dark:text-slate-400">
                    {syslog.port > 0 ? (
                      <>
                        RFC 5424 and RFC 3164, octet-counted or newline framing; events go to the <code className="font-mono">{syslog.source}</code> source. No API
                        key: it listens on {syslog.bind === "127.0.0.1" ? "loopback only" : syslog.bind} (LOOKOUT_SYSLOG_BIND).
                      </>
                    ) : (
                      <>The listener is off (LOOKOUT_SYSLOG_PORT=0).</>
                    )}
                  </td>
                </tr>
              </tbody>
            </table>
          </div>

          <div>
            <div className="mb-1 flex items-center justify-between gap-2">
              <h3 className="text-xs font-medium text-slate-700 dark:text-slate-300">
                Try it with curl (set <code className="font-mono">LOOKOUT_API_KEY</code> first)
              </h3>
              <Button size="sm" variant="ghost" onClick={copy}>
                Copy
              </Button>
            </div>
            <pre
              data-testid="curl-example"
              className="overflow-x-auto rounded border border-slate-200 bg-slate-50 p-3 font-mono text-xs leading-relaxed text-slate-800 dark:border-slate-800 dark:bg-slate-950 dark:text-slate-200"
            >
              {example}
            </pre>
            <p role="status" className="mt-1 h-4 text-xs text-slate-500 dark:text-slate-400">
              {copied === "yes" ? "Copied to the clipboard." : copied === "failed" ? "Copying is blocked here; select the text instead." : ""}
            </p>
          </div>
        </CardBody>
      </Card>
    </section>
  );
}
