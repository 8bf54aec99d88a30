/**
 * The demo shop's HTTP endpoint: `GET /metrics` (Prometheus text format, the `demo` scrape job's
 * target), `GET /host/metrics` (the machine's own metrics in node_exporter's names, the `host`
 * job's target) and `GET /` (what this is). node:http on its own port, loopback by default.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { collectHostMetrics, HOST_METRICS_CONTENT_TYPE } from "@/server/metrics/host";
import type { ShopMetrics } from "./shop-metrics";

export interface RunningDemoApp {
  port: number;
  close: () => Promise<void>;
}

const ABOUT = "Lookout demo shop: a simulated web shop (nginx, frontend, search, cart, auth, checkout, payments).\nMetrics: /metrics; the host's: /host/metrics. Its logs go to the console's sources demo-nginx and demo-app.\n";

export function startDemoApp(opts: { host: string; port: number; metrics: ShopMetrics }): Promise<RunningDemoApp> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/metrics") {
      opts.metrics
        .scrape()
        .then(({ body, contentType }) => res.writeHead(200, { "content-type": contentType }).end(req.method === "HEAD" ? undefined : body))
        .catch((e: Error) => res.writeHead(500, { "content-type": "text/plain" }).end(`metrics failed: ${e.message}\n`));
      return;
    }
    if (path === "/host/metrics") {
      collectHostMetrics()
        .then((body) => res.writeHead(200, { "content-type": HOST_METRICS_CONTENT_TYPE }).end(req.method === "HEAD" ? undefined : body))
        .catch((e: Error) => res.writeHead(500, { "content-type": "text/plain" }).end(`host metrics failed: ${e.message}\n`));
      return;
    }
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(ABOUT);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  });
  server.keepAliveTimeout = 20_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}
