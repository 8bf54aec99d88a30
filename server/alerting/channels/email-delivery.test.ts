/**
 * Email delivery to a real SMTP server (npm smtp-server on a loopback port, auth on, STARTTLS with
 * its self-signed certificate): the message arrives with HTML and text parts, the right subject,
 * sender and recipients; failures are classified for retrying. No database.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildNotification, type NotificationData } from "../notification";
import * as email from "./email";

interface Delivered {
  from: string;
  to: string[];
  user: unknown;
  secure: boolean;
  hello: string | false;
  raw: string;
}

const USER = "lookout";
const PASSWORD = "correct-horse-battery";

const delivered: Delivered[] = [];

async function startServer(opts: Partial<SMTPServerOptions>): Promise<{ port: number; close: () => Promise<void> }> {
  const server = new SMTPServer({
    logger: false,
    authMethods: ["PLAIN", "LOGIN"],
    onAuth(auth, _session, cb) {
      if (auth.username === USER && auth.password === PASSWORD) cb(null, { user: auth.username });
      else cb(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith("busy@")) cb(Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 }));
      else if (address.address.startsWith("nobody@")) cb(Object.assign(new Error("No such user"), { responseCode: 550 }));
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        delivered.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((a) => a.address),
          user: session.user,
          secure: session.secure,
          hello: session.hostNameAppearsAs,
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        cb();
      });
    },
    ...opts,
  });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", () => res()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((res) => server.close(() => res())) };
}

// ---- a small MIME reader for the assertions

function unfoldHeaders(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? "7bit").toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    case "quoted-printable": {
      const soft = body.replace(/=\r?\n/g, "");
      const bytes: number[] = [];
      for (let i = 0; i < soft.length; i++) {
        if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
          bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
          i += 2;
        } else {
          bytes.push(...Buffer.from(soft[i]!, "utf8"));
        }
      }
      return Buffer.from(bytes).toString("utf8").replace(/\r\n/g, "\n");
    }
    default:
      return body.replace(/\r\n/g, "\n");
  }
}

function parseMessage(raw: string): { headers: Record<string, string>; parts: Record<string, string> } {
  const split = raw.indexOf("\r\n\r\n");
  const headers = unfoldHeaders(raw.slice(0, split));
  const body = raw.slice(split + 4);
  const boundary = /boundary="?([^";]+)"?/.exec(headers["content-type"] ?? "")?.[1];
  const parts: Record<string, string> = {};
  if (!boundary) {
    parts[(headers["content-type"] ?? "text/plain").split(";")[0]!] = decodeBody(body, headers["content-transfer-encoding"]);
    return { headers, parts };
  }
  for (const chunk of body.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith("--")) break;
    const s = chunk.replace(/^\r\n/, "");
    const end = s.indexOf("\r\n\r\n");
    const h = unfoldHeaders(s.slice(0, end));
    parts[(h["content-type"] ?? "text/plain").split(";")[0]!.trim()] = decodeBody(s.slice(end + 4).replace(/\r\n$/, ""), h["content-transfer-encoding"]);
  }
  return { headers, parts };
}

// ---- fixtures

const NOW = Date.parse("2024-05-01T13:00:00Z");
const ctx = { now: () => NOW, timeoutMs: 5_000 };

function notification(): NotificationData {
  return buildNotification(
    '{}:{alertname="HighMemoryUsage"}',
    "ops-mail",
    { alertname: "HighMemoryUsage" },
    [
      {
        labels: { alertname: "HighMemoryUsage", instance: "db1:9100", job: "node" },
        annotations: { summary: "Memory at 93% on db1 <primary>", runbook_url: "https://runbooks.example/memory" },
        startsAt: "2024-05-01T12:30:00Z",
        generatorURL: "https://lookout.example/explore/metrics?g0.expr=mem",
      },
    ],
    "https://lookout.example",
    NOW,
  );
}

let tlsServer: { port: number; close: () => Promise<void> };
let plainServer: { port: number; close: () => Promise<void> };

beforeAll(async () => {
  tlsServer = await startServer({});
  plainServer = await startServer({ disabledCommands: ["STARTTLS"], allowInsecureAuth: true });
});

afterAll(async () => {
  await tlsServer.close();
  await plainServer.close();
});

beforeEach(() => {
  delivered.length = 0;
});

describe("email over SMTP", () => {
  it("delivers HTML and text with STARTTLS and auth to every recipient", async () => {
    const r = await email.send(
      {
        to: "oncall@example.com, lead@example.com",
        from: "Lookout <lookout@example.com>",
        smarthost: `127.0.0.1:${tlsServer.port}`,
        hello: "lookout.example",
        auth_username: USER,
        auth_password: PASSWORD,
        tls_config: { insecure_skip_verify: true },
        headers: { Subject: "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} on {{ .CommonLabels.instance }}", "X-Lookout-Receiver": "{{ .Receiver }}" },
      },
      notification(),
      ctx,
    );
    expect(r).toMatchObject({ ok: true, status: 250, retryable: false, templateErrors: [] });
    expect(delivered).toHaveLength(1);
    const d = delivered[0]!;
    expect(d.from).toBe("lookout@example.com");
    expect(d.to).toEqual(["oncall@example.com", "lead@example.com"]);
    expect(d.user).toBe(USER);
    expect(d.secure).toBe(true); // upgraded by STARTTLS
    expect(d.hello).toBe("lookout.example");

    const m = parseMessage(d.raw);
    expect(m.headers.subject).toBe("[FIRING] HighMemoryUsage on db1:9100");
    expect(m.headers.from).toBe("Lookout <lookout@example.com>");
    expect(m.headers.to).toBe("oncall@example.com, lead@example.com");
    expect(m.headers["x-lookout-receiver"]).toBe("ops-mail");
    expect(m.headers["content-type"]).toMatch(/^multipart\/alternative/);
    expect(Object.keys(m.parts).sort()).toEqual(["text/html", "text/plain"]);

    const html = m.parts["text/html"]!;
    expect(html).toContain("<!DOCTYPE html>");
    expect(html).toContain("Memory at 93% on db1 &lt;primary&gt;");
    expect(html).toContain('<a href="https://runbooks.example/memory"');
    expect(html).toContain('<a href="https://lookout.example/alerting"');

    const text = m.parts["text/plain"]!;
    expect(text).toContain("Firing (1):\n- Memory at 93% on db1 <primary>\n  firing since 2024-05-01 12:30:00 UTC (30m 0s)");
    expect(text).toContain("  Runbook: https://runbooks.example/memory");
    expect(text).toContain("Open in Lookout: https://lookout.example/alerting");

    expect(r.requestSummary).toBe(
      `SMTP 127.0.0.1:${tlsServer.port} (STARTTLS required, auth as lookout, password [redacted]): from Lookout <lookout@example.com> to oncall@example.com, lead@example.com, subject "[FIRING] HighMemoryUsage on db1:9100", 1 alert(s)`,
    );
  });

  it("uses the default subject and global settings", async () => {
    const r = await email.send({ to: "oncall@example.com", tls_config: { insecure_skip_verify: true } }, notification(), {
      ...ctx,
      global: { smtp_smarthost: `127.0.0.1:${tlsServer.port}`, smtp_from: "alerts@example.com", smtp_auth_username: USER, smtp_auth_password: PASSWORD },
    });
    expect(r.ok).toBe(true);
    const m = parseMessage(delivered[0]!.raw);
    expect(m.headers.subject).toBe("[FIRING:1] HighMemoryUsage");
    expect(delivered[0]!.from).toBe("alerts@example.com");
  });

  it("sends in clear when require_tls is false (server without STARTTLS)", async () => {
    const r = await email.send(
      { to: "oncall@example.com", from: "lookout@example.com", smarthost: `127.0.0.1:${plainServer.port}`, require_tls: false, auth_username: USER, auth_password: PASSWORD },
      notification(),
      ctx,
    );
    expect(r.ok).toBe(true);
    expect(delivered[0]!.secure).toBe(false);
    expect(r.requestSummary).toContain("(no TLS, auth as lookout");
  });

  it("refuses to go on without STARTTLS when it is required (not retryable)", async () => {
    const r = await email.send({ to: "oncall@example.com", from: "lookout@example.com", smarthost: `127.0.0.1:${plainServer.port}`, auth_username: USER, auth_password: PASSWORD }, notification(), ctx);
    expect(r.ok).toBe(false);
    expect(r.retryable).toBe(false);
    expect(r.error).toMatch(/^ETLS: Error upgrading connection with STARTTLS/);
    expect(delivered).toHaveLength(0);
  });

  it("rejects an untrusted certificate unless insecure_skip_verify (not retryable)", async () => {
    const r = await email.send({ to: "oncall@example.com", from: "lookout@example.com", smarthost: `127.0.0.1:${tlsServer.port}`, auth_username: USER, auth_password: PASSWORD }, notification(), ctx);
    expect(r.ok).toBe(false);
    expect(r.retryable).toBe(false);
    expect(r.error).toMatch(/certificate/i);
    expect(delivered).toHaveLength(0);
  });

  it("a wrong password fails without retrying and is never shown", async () => {
    const r = await email.send(
      { to: "oncall@example.com", from: "lookout@example.com", smarthost: `127.0.0.1:${tlsServer.port}`, auth_username: USER, auth_password: "wrong-password-123", tls_config: { insecure_skip_verify: true } },
      notification(),
      ctx,
    );
    expect(r).toMatchObject({ ok: false, status: 535, retryable: false });
    expect(r.error).toMatch(/^EAUTH: /);
    expect(JSON.stringify(r)).not.toContain("wrong-password-123");
  });

  it("a temporary SMTP failure (451) is retryable, a permanent one (550) is not", async () => {
    const base = { from: "lookout@example.com", smarthost: `127.0.0.1:${tlsServer.port}`, auth_username: USER, auth_password: PASSWORD, tls_config: { insecure_skip_verify: true } };
    const busy = await email.send({ ...base, to: "busy@example.com" }, notification(), ctx);
    expect(busy).toMatchObject({ ok: false, status: 451, retryable: true });
    const nobody = await email.send({ ...base, to: "nobody@example.com" }, notification(), ctx);
    expect(nobody).toMatchObject({ ok: false, status: 550, retryable: false });
    const partly = await email.send({ ...base, to: "oncall@example.com, nobody@example.com" }, notification(), ctx);
    expect(partly).toMatchObject({ ok: false, retryable: false, error: "recipients rejected: nobody@example.com" });
    expect(delivered.map((d) => d.to)).toEqual([["oncall@example.com"]]);
  });

  it("an unreachable server is retryable", async () => {
    const closed = http.createServer();
    await new Promise<void>((res) => closed.listen(0, "127.0.0.1", () => res()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((res) => closed.close(() => res()));
    const r = await email.send({ to: "oncall@example.com", from: "lookout@example.com", smarthost: `127.0.0.1:${port}` }, notification(), ctx);
    expect(r).toMatchObject({ ok: false, retryable: true });
    expect(r.error).toMatch(/ECONNREFUSED/);
  });

  it("reports a missing server or sender as configuration errors", async () => {
    expect(await email.send({ to: "a@example.com", from: "b@example.com" }, notification(), ctx)).toMatchObject({ ok: false, retryable: false, error: "no SMTP server: set smarthost or global.smtp_smarthost" });
    expect(await email.send({ to: "a@example.com", smarthost: `127.0.0.1:${tlsServer.port}` }, notification(), ctx)).toMatchObject({ ok: false, retryable: false, error: "no sender: set from or global.smtp_from" });
  });
});
