import { execFileSync } from "node:child_process";
import dgram from "node:dgram";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IncomingEvent } from "./event";
import { startSyslogListener, type SyslogListener } from "./syslog-listener";

/** The listener with real sockets and real clients: util-linux `logger`, raw TCP and UDP. */
let listener: SyslogListener;
const received: IncomingEvent[] = [];

beforeAll(async () => {
  listener = await startSyslogListener({
    port: 0,
    host: "127.0.0.1",
    timezone: "UTC",
    flushMs: 50,
    submit: async (events) => {
      received.push(...events);
    },
    onError: () => {},
  });
});
afterAll(() => listener.close());

async function waitFor(pred: () => boolean) {
  for (let i = 0; i < 100 && !pred(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(pred()).toBe(true);
}

describe("syslog listener", () => {
  it("takes RFC 5424 from util-linux logger over TCP, octet-counted and newline-framed", async () => {
    const args = ["--server", "127.0.0.1", "--port", String(listener.tcpPort), "--tcp", "--rfc5424", "--tag", "billing", "-p", "local0.err"];
    execFileSync("logger", [...args, "--octet-count", "invoice 17 failed"]);
    execFileSync("logger", [...args, "nightly export done"]);
    await waitFor(() => received.some((e) => e.message.includes("nightly export done")));
    const failed = received.find((e) => e.message.includes("invoice 17 failed"))!;
    expect(failed).toMatchObject({ service: "billing", level: "error" });
    expect(failed.ts).toBeGreaterThan(Date.now() - 60_000);
  });

  it("takes RFC 3164 over UDP and several frames split across TCP chunks", async () => {
    const udp = dgram.createSocket("udp4");
    await new Promise<void>((r) => udp.send(Buffer.from("<13>Nov 25 10:00:00 edge-1 nginx[42]: upstream timed out"), listener.udpPort, "127.0.0.1", () => r()));
    udp.close();
    const sock = net.connect(listener.tcpPort, "127.0.0.1");
    const msg1 = "<14>1 2026-11-25T10:00:01Z web-2 api - - - first";
    const msg2 = "<11>1 2026-11-25T10:00:02Z web-2 api - - - second";
    const stream = `${Buffer.byteLength(msg1)} ${msg1}${msg2}\n`;
    sock.write(stream.slice(0, 7));
    await new Promise((r) => setTimeout(r, 20));
    sock.end(stream.slice(7));
    await waitFor(() => received.some((e) => e.message === "second"));
    expect(received.find((e) => e.message.includes("upstream timed out"))).toMatchObject({ host: "edge-1", service: "nginx" });
    expect(received.find((e) => e.message === "first")).toMatchObject({ host: "web-2", service: "api", level: "info" });
    expect(received.find((e) => e.message === "second")).toMatchObject({ level: "error" });
  });
});
