/**
 * The machine's own metrics, under node_exporter's names, types and labels, so dashboards and
 * alert rules written for node_exporter work on them: CPU, load, memory, filesystems, disk I/O,
 * network, boot time, uname. Read from /proc and statfs on Linux; on other systems what Node's
 * `os` module offers (CPU times, load, total/free memory, boot time, uname) and the root
 * filesystem.
 *
 * I/O goes through a `HostSource` (the real one is `nodeHostSource()`), so the mapping from the
 * files to the families is tested on fixtures.
 */
import { readFile, statfs } from "node:fs/promises";
import os from "node:os";
import {
  CPU_MODES,
  DISKSTATS_SECTOR_BYTES,
  isReportedDisk,
  parseDiskstats,
  parseLoadavg,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  parseProcStat,
  realFilesystems,
  type MountEntry,
} from "./procfs";
import { renderTextFormat, TEXT_FORMAT_CONTENT_TYPE, type Family, type FamilySample } from "./text-format";

export { TEXT_FORMAT_CONTENT_TYPE as HOST_METRICS_CONTENT_TYPE };

/** What statfs(2) says about a filesystem (block counts in units of `bsize` bytes). */
export interface FsStats {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
}

export interface Uname {
  sysname: string;
  release: string;
  machine: string;
  nodename: string;
}

/** Where the collector reads from. */
export interface HostSource {
  platform: string;
  /** A file's text, or null when it is missing or unreadable. */
  readFile(path: string): Promise<string | null>;
  /** statfs of a mount point, or null when it fails or hangs (a dead network mount). */
  statfs(path: string): Promise<FsStats | null>;
  uname(): Uname;
  nowMs(): number;
  /** Fallbacks where /proc is missing (`os` module): CPU times in ms, load, memory in bytes, uptime in seconds. */
  cpus(): { times: { user: number; nice: number; sys: number; idle: number; irq: number } }[];
  loadavg(): number[];
  totalmem(): number;
  freemem(): number;
  uptime(): number;
}

/** The real machine. `statfsTimeoutMs` bounds each statfs (a hung NFS mount must not hold up the scrape). */
export function nodeHostSource(opts: { statfsTimeoutMs?: number } = {}): HostSource {
  const timeoutMs = opts.statfsTimeoutMs ?? 1000;
  return {
    platform: process.platform,
    readFile: (path) => readFile(path, "utf8").catch(() => null),
    statfs: (path) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), timeoutMs);
        timer.unref();
      });
      const stat = statfs(path).then(
        (s) => ({ bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail }),
        () => null,
      );
      return Promise.race([stat, timeout]).finally(() => clearTimeout(timer));
    },
    uname: () => ({ sysname: os.type(), release: os.release(), machine: os.machine(), nodename: os.hostname() }),
    nowMs: () => Date.now(),
    cpus: () => os.cpus(),
    loadavg: () => os.loadavg(),
    totalmem: () => os.totalmem(),
    freemem: () => os.freemem(),
    uptime: () => os.uptime(),
  };
}

/** /proc/meminfo fields exported, as node_exporter names them (`node_memory_<field>_bytes`). */
const MEMINFO_FIELDS = ["MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapTotal", "SwapFree"] as const;

const MEMINFO_HELP: Record<(typeof MEMINFO_FIELDS)[number], string> = {
  MemTotal: "Memory information field MemTotal_bytes.",
  MemFree: "Memory information field MemFree_bytes.",
  MemAvailable: "Memory information field MemAvailable_bytes.",
  Buffers: "Memory information field Buffers_bytes.",
  Cached: "Memory information field Cached_bytes.",
  SwapTotal: "Memory information field SwapTotal_bytes.",
  SwapFree: "Memory information field SwapFree_bytes.",
};

const gauge = (name: string, help: string, samples: FamilySample[]): Family => ({ name, help, type: "gauge", samples });
const counter = (name: string, help: string, samples: FamilySample[]): Family => ({ name, help, type: "counter", samples });
const one = (value: number | null | undefined): FamilySample[] => (value === null || value === undefined ? [] : [{ value }]);

async function filesystemFamilies(source: HostSource, mounts: MountEntry[]): Promise<Family[]> {
  const stats = await Promise.all(mounts.map((m) => source.statfs(m.mountpoint)));
  const size: FamilySample[] = [];
  const avail: FamilySample[] = [];
  const free: FamilySample[] = [];
  mounts.forEach((m, i) => {
    const s = stats[i];
    if (!s) return;
    const labels = { device: m.device, fstype: m.fstype, mountpoint: m.mountpoint };
    size.push({ labels, value: s.blocks * s.bsize });
    avail.push({ labels, value: s.bavail * s.bsize });
    free.push({ labels, value: s.bfree * s.bsize });
  });
  return [
    gauge("node_filesystem_size_bytes", "Filesystem size in bytes.", size),
    gauge("node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes.", avail),
    gauge("node_filesystem_free_bytes", "Filesystem free space in bytes.", free),
  ];
}

/**
 * The host's metric families. `procPath` is where procfs is mounted (node_exporter's
 * `--path.procfs`; a container given the host's /proc at /host/proc reports the host).
 */
export async function hostFamilies(source: HostSource = nodeHostSource(), opts: { procPath?: string } = {}): Promise<Family[]> {
  const proc = (opts.procPath ?? "/proc").replace(/\/+$/, "");
  const linux = source.platform === "linux";
  const read = (name: string) => (linux ? source.readFile(`${proc}/${name}`) : Promise.resolve(null));
  const [statText, loadText, memText, mountsText, diskText, netText] = await Promise.all([
    read("stat"),
    read("loadavg"),
    read("meminfo"),
    read("mounts"),
    read("diskstats"),
    read("net/dev"),
  ]);
  const now = source.nowMs() / 1000;
  const families: Family[] = [];

  // CPU: /proc/stat, else os.cpus() (ms; no iowait/softirq/steal there).
  const stat = statText !== null ? parseProcStat(statText) : null;
  const cpuSamples: FamilySample[] = [];
  if (stat && stat.cpus.length) {
    for (const c of stat.cpus) {
      for (const mode of CPU_MODES) {
        const v = c.seconds[mode];
        if (v !== undefined) cpuSamples.push({ labels: { cpu: c.cpu, mode }, value: v });
      }
    }
  } else {
    source.cpus().forEach((c, i) => {
      const t = c.times;
      const modes: [string, number][] = [["user", t.user], ["nice", t.nice], ["system", t.sys], ["idle", t.idle], ["irq", t.irq]];
      for (const [mode, ms] of modes) cpuSamples.push({ labels: { cpu: String(i), mode }, value: ms / 1000 });
    });
  }
  families.push(counter("node_cpu_seconds_total", "Seconds the CPUs spent in each mode.", cpuSamples));

  // Load: /proc/loadavg, else os.loadavg() (always zeros on Windows: left out there).
  const load = loadText !== null ? parseLoadavg(loadText) : source.platform === "win32" ? null : (source.loadavg() as [number, number, number]);
  families.push(
    gauge("node_load1", "1m load average.", one(load?.[0])),
    gauge("node_load5", "5m load average.", one(load?.[1])),
    gauge("node_load15", "15m load average.", one(load?.[2])),
  );

  // Memory: /proc/meminfo, else total and free from os.
  const mem = memText !== null ? parseMeminfo(memText) : new Map([["MemTotal", source.totalmem()], ["MemFree", source.freemem()]]);
  for (const field of MEMINFO_FIELDS) families.push(gauge(`node_memory_${field}_bytes`, MEMINFO_HELP[field], one(mem.get(field))));

  // Filesystems: the real ones of /proc/mounts, else the root.
  const mounts = mountsText !== null ? realFilesystems(parseMounts(mountsText)) : source.platform === "win32" ? [] : [{ device: "", fstype: "", mountpoint: "/", options: [] }];
  families.push(...(await filesystemFamilies(source, mounts)));

  // Disks.
  const disks = diskText !== null ? parseDiskstats(diskText).filter((d) => isReportedDisk(d.device)) : [];
  const perDisk = (value: (d: (typeof disks)[number]) => number) => disks.map((d) => ({ labels: { device: d.device }, value: value(d) }));
  families.push(
    counter("node_disk_reads_completed_total", "The total number of reads completed successfully.", perDisk((d) => d.readsCompleted)),
    counter("node_disk_writes_completed_total", "The total number of writes completed successfully.", perDisk((d) => d.writesCompleted)),
    counter("node_disk_read_bytes_total", "The total number of bytes read successfully.", perDisk((d) => d.sectorsRead * DISKSTATS_SECTOR_BYTES)),
    counter("node_disk_written_bytes_total", "The total number of bytes written successfully.", perDisk((d) => d.sectorsWritten * DISKSTATS_SECTOR_BYTES)),
    counter("node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", perDisk((d) => d.ioTimeMs / 1000)),
  );

  // Network.
  const nets = netText !== null ? parseNetDev(netText) : [];
  const perNet = (value: (n: (typeof nets)[number]) => number) => nets.map((n) => ({ labels: { device: n.device }, value: value(n) }));
  families.push(
    counter("node_network_receive_bytes_total", "Network device statistic receive_bytes.", perNet((n) => n.receiveBytes)),
    counter("node_network_transmit_bytes_total", "Network device statistic transmit_bytes.", perNet((n) => n.transmitBytes)),
    counter("node_network_receive_packets_total", "Network device statistic receive_packets.", perNet((n) => n.receivePackets)),
    counter("node_network_transmit_packets_total", "Network device statistic transmit_packets.", perNet((n) => n.transmitPackets)),
    counter("node_network_receive_errs_total", "Network device statistic receive_errs.", perNet((n) => n.receiveErrs)),
    counter("node_network_transmit_errs_total", "Network device statistic transmit_errs.", perNet((n) => n.transmitErrs)),
  );

  // Boot time, time, uname, scheduler.
  const bootTime = stat?.bootTime ?? Math.round(now - source.uptime());
  const u = source.uname();
  families.push(
    gauge("node_boot_time_seconds", "Node boot time, in unixtime.", one(bootTime)),
    gauge("node_time_seconds", "System time in seconds since epoch (1970).", one(now)),
    gauge("node_uname_info", "Labeled system information as provided by the uname system call.", [
      { labels: { machine: u.machine, nodename: u.nodename, release: u.release, sysname: u.sysname }, value: 1 },
    ]),
    counter("node_context_switches_total", "Total number of context switches.", one(stat?.contextSwitches)),
    gauge("node_procs_running", "Number of processes in runnable state.", one(stat?.procsRunning)),
  );
  return families;
}

/** The host's metrics as a Prometheus text 0.0.4 body (serve with HOST_METRICS_CONTENT_TYPE). */
export async function collectHostMetrics(source?: HostSource, opts?: { procPath?: string }): Promise<string> {
  return renderTextFormat(await hostFamilies(source, opts));
}
