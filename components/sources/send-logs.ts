/** The "How to send logs" help: ingest endpoints and a copy-paste example (pure). */

export type IngestEndpoint = { name: string; method: string; path: string; detail: string };

/** HTTP endpoints that take logs; `source` is the source name the examples use. */
export function ingestEndpoints(source: string): IngestEndpoint[] {
  const q = `?source=${encodeURIComponent(source)}`;
  return [
    { name: "NDJSON (native)", method: "POST", path: `/api/v1/logs${q}`, detail: "One JSON object per line (message, level, timestamp, service, host, anything else becomes attributes); a non-JSON line is a plain message." },
    {
      name: "Elasticsearch bulk",
      method: "POST",
      path: `/_bulk${q}`,
      detail: `Filebeat, Fluent Bit, Vector, Logstash, rsyslog. Without ?source the index name picks the source (/${source}/_bulk), else "default".`,
    },
    { name: "Loki push", method: "POST", path: `/loki/api/v1/push${q}`, detail: "Promtail, Grafana Alloy, Fluent Bit's loki output; JSON or protobuf + snappy." },
    { name: "OTLP/HTTP logs", method: "POST", path: `/v1/logs${q}`, detail: "OpenTelemetry Collector (otlphttp exporter) and SDKs; JSON or protobuf." },
  ];
}

/** Single-quotes a string for a POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A curl command that sends one NDJSON line to `source` at `origin`, with the key from $LOOKOUT_API_KEY. */
export function curlExample(origin: string, source: string): string {
  const line = JSON.stringify({ message: "GET /health 200 3ms", level: "info", service: "web" });
  const url = `${origin.replace(/\/+$/, "")}/api/v1/logs?source=${encodeURIComponent(source)}`;
  return [
    `printf '%s\\n' ${shellQuote(line)} |`,
    `  curl -sS -X POST ${shellQuote(url)} \\`,
    `    -H "Authorization: Bearer $LOOKOUT_API_KEY" \\`,
    `    -H 'Content-Type: application/x-ndjson' \\`,
    `    --data-binary @-`,
  ].join("\n");
}
