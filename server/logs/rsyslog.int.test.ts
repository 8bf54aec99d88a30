import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as bulkPost } from "@/app/%5Fbulk/route";
import { GET as esRoot } from "@/app/api/es/root/route";
import { getDb } from "@/db/client";
import { getQueue } from "@/server/queues/queues";
import { serveRoutes } from "@/test/http-server";
import { freePort, waitForPort } from "@/test/net";
import { createTestKey, uid } from "@/test/helpers";
import { processIngestBatch } from "./ingest-worker";
import { createSource } from "./sources";
import { storedEvents } from "@/test/logs";

/**
 * A real shipper: Debian's rsyslog with omelasticsearch (packages rsyslog, rsyslog-elasticsearch)
 * receives syslog on TCP and forwards to our Elasticsearch-compatible `_bulk`, unmodified.
 */
const rsyslogd = "/usr/sbin/rsyslogd";
const hasRsyslog = (() => {
  try {
    execFileSync(rsyslogd, ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

let server: Awaited<ReturnType<typeof serveRoutes>>;
let child: ChildProcess | null = null;
let dir = "";

beforeAll(async () => {
  server = await serveRoutes({ "/_bulk": bulkPost, "/": esRoot });
});
afterAll(async () => {
  child?.kill("SIGTERM");
  await server.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasRsyslog)("rsyslog omelasticsearch → /_bulk", () => {
  it("delivers syslog messages as events of the source named by the index", async () => {
    const src = await createSource(getDb(), null, null, { name: `rsyslog-${uid()}`, pipeline: [], hotDays: 7, archiveDays: 30 });
    const { key } = await createTestKey(["ingest"]);
    const inPort = await freePort();
    const httpPort = new URL(server.url).port;
    dir = mkdtempSync(path.join(tmpdir(), "lookout-rsyslog-"));
    const conf = path.join(dir, "rsyslog.conf");
    writeFileSync(
      conf,
      `global(workDirectory="${dir}")
module(load="imtcp")
module(load="omelasticsearch")
template(name="lookout-json" type="list") {
  constant(value="{\\"@timestamp\\":\\"") property(name="timereported" dateFormat="rfc3339")
  constant(value="\\",\\"host\\":\\"") property(name="hostname")
  constant(value="\\",\\"service\\":\\"") property(name="programname")
  constant(value="\\",\\"severity\\":\\"") property(name="syslogseverity-text")
  constant(value="\\",\\"message\\":\\"") property(name="msg" format="json")
  constant(value="\\"}")
}
ruleset(name="fwd") {
  action(type="omelasticsearch" server="127.0.0.1" serverport="${httpPort}" searchIndex="${src.name}"
         template="lookout-json" bulkmode="on" uid="lookout" pwd="${key}" esVersion.major="8"
         action.resumeRetryCount="3")
}
input(type="imtcp" port="${inPort}" address="127.0.0.1" ruleset="fwd")
`,
    );
    child = spawn(rsyslogd, ["-n", "-f", conf, "-i", path.join(dir, "rsyslogd.pid")], { stdio: ["ignore", "ignore", "inherit"] });
    // Wait until rsyslog listens, then send with util-linux logger.
    await waitForPort(inPort);
    const since = Date.now() - 60_000;
    execFileSync("logger", ["--server", "127.0.0.1", "--port", String(inPort), "--tcp", "--tag", "payments", "-p", "user.err", "charge failed for order 7"]);

    let job;
    for (let i = 0; i < 100 && !job; i++) {
      job = (await getQueue("logs-ingest").getJobs(["waiting"], 0, 500)).find((j) => j.data.sourceId === src.id);
      if (!job) await new Promise((r) => setTimeout(r, 100));
    }
    expect(job, "rsyslog delivered a bulk request").toBeTruthy();
    await processIngestBatch(getDb(), job!.data);
    const [e] = await storedEvents(getDb(), { start: since, end: Date.now() + 60_000, sourceIds: [src.id], limit: 10 });
    expect(e).toMatchObject({ service: "payments", level: "error" });
    expect(e!.message).toContain("charge failed for order 7");
  }, 30_000);
});
