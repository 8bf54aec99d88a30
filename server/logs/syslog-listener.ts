import dgram from "node:dgram";
import net from "node:net";
import type { DecodedItem, IncomingEvent } from "./event";
import { decodeSyslogDatagram, decodeSyslogMessages, SyslogFramer } from "./ingest/syslog";

/**
 * Syslog over TCP (octet counting or newline framing, RFC 6587) and UDP (one datagram, one
 * message). Messages are gathered into batches (every `flushMs` or `maxBatch` messages) and
 * handed to `submit`, which enqueues them like any ingest request.
 */
export type SyslogListenerOptions = {
  port: number;
  host: string;
  timezone: string;
  flushMs?: number;
  maxBatch?: number;
  submit: (events: IncomingEvent[]) => Promise<void>;
  onError: (what: string, err: unknown) => void;
};

export type SyslogListener = { tcpPort: number; udpPort: number; close: () => Promise<void>; flush: () => Promise<void> };

export async function startSyslogListener(opts: SyslogListenerOptions): Promise<SyslogListener> {
  const flushMs = opts.flushMs ?? 250;
  const maxBatch = opts.maxBatch ?? 1000;
  let pending: IncomingEvent[] = [];
  let rejected = 0;

  const flush = async () => {
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    try {
      await opts.submit(events);
    } catch (e) {
      opts.onError(`syslog batch of ${events.length} not enqueued`, e);
    }
  };
  const take = (items: DecodedItem[]) => {
    for (const item of items) {
      if (item.ok) pending.push(item.event);
      else rejected++;
    }
    if (pending.length >= maxBatch) void flush();
  };
  const timer = setInterval(() => void flush(), flushMs);

  const tcp = net.createServer((socket) => {
    const framer = new SyslogFramer();
    const host = socket.remoteAddress?.replace(/^::ffff:/, "");
    const handle = (frames: ReturnType<SyslogFramer["push"]>) => {
      const messages: Buffer[] = [];
      for (const f of frames) {
        if (f.ok) messages.push(f.message);
        else rejected++;
      }
      if (messages.length) take(decodeSyslogMessages(messages, { now: Date.now(), timezone: opts.timezone, defaultHost: host }));
    };
    socket.on("data", (chunk) => handle(framer.push(chunk)));
    socket.on("end", () => handle(framer.end()));
    socket.on("error", () => socket.destroy());
  });
  const udp = dgram.createSocket(opts.host.includes(":") ? "udp6" : "udp4");
  udp.on("message", (msg, rinfo) => take(decodeSyslogDatagram(msg, { now: Date.now(), timezone: opts.timezone, defaultHost: rinfo.address })));
  udp.on("error", (e) => opts.onError("syslog udp", e));

  await new Promise<void>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(opts.port, opts.host, () => resolve());
  });
  await new Promise<void>((resolve, reject) => {
    udp.once("error", reject);
    udp.bind(opts.port === 0 ? 0 : opts.port, opts.host, () => resolve());
  });
  tcp.on("error", (e) => opts.onError("syslog tcp", e));

  return {
    tcpPort: (tcp.address() as net.AddressInfo).port,
    udpPort: udp.address().port,
    flush,
    close: async () => {
      clearInterval(timer);
      await new Promise<void>((r) => tcp.close(() => r()));
      await new Promise<void>((r) => udp.close(() => r()));
      await flush();
      if (rejected) opts.onError(`${rejected} syslog messages could not be parsed`, null);
    },
  };
}
