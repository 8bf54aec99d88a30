/**
 * The machine's own metrics, under node_exporter's names, types and labels, so dashboards and
 * alert rules written for node_exporter (such as "Node Exporter Full") work on them: CPU, load,
 * memory (every meminfo field), pressure (PSI), filesystems, disk I/O, network, sockets, netstat
 * counters, vmstat, file handles, scheduler, softnet, ARP, conntrack, entropy, boot time, uname —
 * node_exporter's default Linux collectors that need only /proc and statfs. A file the machine
 * does not have (no PSI, no conntrack module) leaves its metrics out. On other systems what
 * Node's `os` module offers (CPU times, load, total/free memory, boot time, uname) and the root
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
  meminfoMetricName,
  NET_DEV_RECEIVE,
  NET_DEV_TRANSMIT,
  parseArpEntries,
  parseDiskstats,
  parseFileNr,
  parseKeyValues,
  parseLoadavg,
  parseMeminfoEntries,
  parseMounts,
  parseNetDev,
  parseNetstat,
  parsePressure,
  parseProcStat,
  parseSchedstat,
  parseSingleNumber,
  parseSockstat,
  parseSoftnet,
  parseUdpQueues,
  realFilesystems,
  type MeminfoEntry,
  type MountEntry,
} from "./procfs";
import { renderTextFormat, TEXT_FORMAT_CONTENT_TYPE, type Family, type FamilySample } from "./text-format";

export { TEXT_FORMAT_CONTENT_TYPE as HOST_METRICS_CONTENT_TYPE };

/** What statfs(2) says about a filesystem (block counts in units of `bsize` bytes; inodes when known). */
export interface FsStats {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files?: number;
  ffree?: number;
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
        (s) => ({ bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree }),
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

/**
 * Bytes per page for the counts in pages (sockstat `mem`): 4 KiB on x86-64 and on the usual
 * arm64 kernels (Node cannot ask getpagesize).
 */
const PAGE_SIZE = 4096;

/** /proc/vmstat counters exported (node_exporter's default selection: paging, swapping, faults, OOM kills). */
const VMSTAT_FIELDS = /^(oom_kill|pgpg|pswp|pg.*fault)/;

/** /proc/net/{netstat,snmp} counters exported (node_exporter's default selection, and Tcp_MaxConn). */
const NETSTAT_FIELDS =
  /^(.*_(InErrors|InErrs)|Ip_Forwarding|IpExt_(InOctets|OutOctets)|Icmp_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts|TCPOFOQueue|TCPRcvQDrop)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab|MaxConn)|Udp_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$/;

/** PSI files: resource → the metrics of its `some` and `full` lines (null: none), and the resource in HELP texts. */
const PRESSURE: Record<string, [some: string | null, full: string | null, what: string]> = {
  cpu: ["node_pressure_cpu_waiting_seconds_total", "node_pressure_cpu_stalled_seconds_total", "CPU"],
  memory: ["node_pressure_memory_waiting_seconds_total", "node_pressure_memory_stalled_seconds_total", "memory"],
  io: ["node_pressure_io_waiting_seconds_total", "node_pressure_io_stalled_seconds_total", "IO"],
  irq: [null, "node_pressure_irq_stalled_seconds_total", "IRQ"],
};

/** The files read, relative to procfs (all at once, each may be missing). */
const PROC_FILES = [
  "stat",
  "loadavg",
  "meminfo",
  "mounts",
  "diskstats",
  "net/dev",
  "pressure/cpu",
  "pressure/memory",
  "pressure/io",
  "pressure/irq",
  "vmstat",
  "sys/fs/file-nr",
  "net/sockstat",
  "net/sockstat6",
  "net/netstat",
  "net/snmp",
  "schedstat",
  "net/softnet_stat",
  "net/arp",
  "sys/kernel/random/entropy_avail",
  "sys/kernel/random/poolsize",
  "sys/net/netfilter/nf_conntrack_count",
  "sys/net/netfilter/nf_conntrack_max",
  "sys/kernel/pid_max",
  "sys/kernel/threads-max",
  "net/udp",
  "net/udp6",
] as const;
type ProcFile = (typeof PROC_FILES)[number];

const gauge = (name: string, help: string, samples: FamilySample[]): Family => ({ name, help, type: "gauge", samples });
const counter = (name: string, help: string, samples: FamilySample[]): Family => ({ name, help, type: "counter", samples });
const untyped = (name: string, help: string, samples: FamilySample[]): Family => ({ name, help, type: "untyped", samples });
const one = (value: number | null | undefined): FamilySample[] => (value === null || value === undefined ? [] : [{ value }]);

async function filesystemFamilies(source: HostSource, mounts: MountEntry[]): Promise<Family[]> {
  const stats = await Promise.all(mounts.map((m) => source.statfs(m.mountpoint)));
  const size: FamilySample[] = [];
  const avail: FamilySample[] = [];
  const free: FamilySample[] = [];
  const files: FamilySample[] = [];
  const filesFree: FamilySample[] = [];
  const readonly: FamilySample[] = [];
  const deviceError: FamilySample[] = [];
  mounts.forEach((m, i) => {
    const s = stats[i];
    const labels = { device: m.device, fstype: m.fstype, mountpoint: m.mountpoint };
    deviceError.push({ labels, value: s ? 0 : 1 });
    if (!s) return;
    size.push({ labels, value: s.blocks * s.bsize });
    avail.push({ labels, value: s.bavail * s.bsize });
    free.push({ labels, value: s.bfree * s.bsize });
    if (s.files !== undefined) files.push({ labels, value: s.files });
    if (s.ffree !== undefined) filesFree.push({ labels, value: s.ffree });
    readonly.push({ labels, value: m.options.includes("ro") ? 1 : 0 });
  });
  return [
    gauge("node_filesystem_size_bytes", "Filesystem size in bytes.", size),
    gauge("node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes.", avail),
    gauge("node_filesystem_free_bytes", "Filesystem free space in bytes.", free),
    gauge("node_filesystem_files", "Filesystem total file nodes.", files),
    gauge("node_filesystem_files_free", "Filesystem total free file nodes.", filesFree),
    gauge("node_filesystem_readonly", "Filesystem read-only status.", readonly),
    gauge("node_filesystem_device_error", "Whether an error occurred while getting statistics for the given device.", deviceError),
  ];
}

/** Every meminfo field as node_exporter names it (`node_memory_Active_anon_bytes`). */
function memoryFamilies(entries: MeminfoEntry[]): Family[] {
  return entries.map((e) => {
    const name = meminfoMetricName(e);
    return gauge(name, `Memory information field ${name.slice("node_memory_".length)}.`, [{ value: e.value }]);
  });
}

function diskFamilies(text: string | null): Family[] {
  const disks = text !== null ? parseDiskstats(text).filter((d) => isReportedDisk(d.device)) : [];
  const per = (value: (d: (typeof disks)[number]) => number | undefined) =>
    disks.flatMap((d) => {
      const v = value(d);
      return v === undefined ? [] : [{ labels: { device: d.device }, value: v }];
    });
  return [
    counter("node_disk_reads_completed_total", "The total number of reads completed successfully.", per((d) => d.readsCompleted)),
    counter("node_disk_reads_merged_total", "The total number of reads merged.", per((d) => d.readsMerged)),
    counter("node_disk_read_bytes_total", "The total number of bytes read successfully.", per((d) => d.sectorsRead * DISKSTATS_SECTOR_BYTES)),
    counter("node_disk_read_time_seconds_total", "The total number of seconds spent by all reads.", per((d) => d.readTimeMs / 1000)),
    counter("node_disk_writes_completed_total", "The total number of writes completed successfully.", per((d) => d.writesCompleted)),
    counter("node_disk_writes_merged_total", "The number of writes merged.", per((d) => d.writesMerged)),
    counter("node_disk_written_bytes_total", "The total number of bytes written successfully.", per((d) => d.sectorsWritten * DISKSTATS_SECTOR_BYTES)),
    counter("node_disk_write_time_seconds_total", "This is the total number of seconds spent by all writes.", per((d) => d.writeTimeMs / 1000)),
    gauge("node_disk_io_now", "The number of I/Os currently in progress.", per((d) => d.ioInProgress)),
    counter("node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", per((d) => d.ioTimeMs / 1000)),
    counter("node_disk_io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os.", per((d) => d.weightedIoTimeMs / 1000)),
    counter("node_disk_discards_completed_total", "The total number of discards completed successfully.", per((d) => d.discards?.completed)),
    counter("node_disk_discards_merged_total", "The total number of discards merged.", per((d) => d.discards?.merged)),
    counter("node_disk_discarded_sectors_total", "The total number of sectors discarded successfully.", per((d) => d.discards?.sectors)),
    counter("node_disk_discard_time_seconds_total", "This is the total number of seconds spent by all discards.", per((d) => (d.discards ? d.discards.timeMs / 1000 : undefined))),
    counter("node_disk_flush_requests_total", "The total number of flush requests completed successfully.", per((d) => d.flushes?.completed)),
    counter("node_disk_flush_requests_time_seconds_total", "This is the total number of seconds spent by all flush requests.", per((d) => (d.flushes ? d.flushes.timeMs / 1000 : undefined))),
  ];
}

/** What /sys/class/net/<device>/ says of each interface (a file the device does not have, or cannot answer — the speed of a virtual or down link — is null). */
interface NetClass {
  device: string;
  mtu: number | null;
  carrier: number | null;
  speedMbps: number | null;
  operstate: string | null;
  rxNohandler: number | null;
}

async function readNetClass(source: HostSource, sys: string, devices: string[]): Promise<NetClass[]> {
  return Promise.all(
    devices.map(async (device) => {
      const dir = `${sys}/class/net/${device}`;
      const [mtu, carrier, speed, operstate, nohandler] = await Promise.all(
        ["mtu", "carrier", "speed", "operstate", "statistics/rx_nohandler"].map((f) => source.readFile(`${dir}/${f}`)),
      );
      const n = (text: string | null | undefined) => (text ? parseSingleNumber(text) : null);
      const speedMbps = n(speed);
      return { device, mtu: n(mtu), carrier: n(carrier), speedMbps: speedMbps !== null && speedMbps > 0 ? speedMbps : null, operstate: operstate?.trim() || null, rxNohandler: n(nohandler) };
    }),
  );
}

function netClassFamilies(classes: NetClass[]): Family[] {
  const per = (value: (c: NetClass) => number | null) =>
    classes.flatMap((c) => {
      const v = value(c);
      return v === null ? [] : [{ labels: { device: c.device }, value: v }];
    });
  return [
    gauge("node_network_mtu_bytes", "Network device property: mtu_bytes.", per((c) => c.mtu)),
    gauge("node_network_carrier", "Network device property: carrier.", per((c) => c.carrier)),
    gauge("node_network_speed_bytes", "Network device property: speed_bytes.", per((c) => (c.speedMbps === null ? null : (c.speedMbps * 1e6) / 8))),
    gauge("node_network_up", "Value is 1 if operstate is 'up', 0 otherwise.", per((c) => (c.operstate === null ? null : c.operstate === "up" ? 1 : 0))),
    counter("node_network_receive_nohandler_total", "Network device statistic receive_nohandler.", per((c) => c.rxNohandler)),
  ];
}

/** cpufreq scaling frequencies of the CPUs /proc/stat lists (kHz in sysfs; absent in most VMs). */
async function cpuFrequencyFamilies(source: HostSource, sys: string, cpus: string[]): Promise<Family[]> {
  const kinds = [
    ["scaling_cur_freq", "node_cpu_scaling_frequency_hertz", "Current scaled CPU thread frequency in hertz."],
    ["scaling_max_freq", "node_cpu_scaling_frequency_max_hertz", "Maximum scaled CPU thread frequency in hertz."],
    ["scaling_min_freq", "node_cpu_scaling_frequency_min_hertz", "Minimum scaled CPU thread frequency in hertz."],
  ] as const;
  const texts = await Promise.all(cpus.map((cpu) => Promise.all(kinds.map(([file]) => source.readFile(`${sys}/devices/system/cpu/cpu${cpu}/cpufreq/${file}`)))));
  return kinds.map(([, name, help], k) =>
    gauge(
      name,
      help,
      cpus.flatMap((cpu, i) => {
        const text = texts[i]![k];
        const khz = text ? parseSingleNumber(text) : null;
        return khz === null ? [] : [{ labels: { cpu }, value: khz * 1000 }];
      }),
    ),
  );
}

function networkFamilies(text: string | null): Family[] {
  const nets = text !== null ? parseNetDev(text) : [];
  return [
    ...NET_DEV_RECEIVE.map((name) =>
      counter(`node_network_receive_${name}_total`, `Network device statistic receive_${name}.`, nets.map((n) => ({ labels: { device: n.device }, value: n.receive[name] }))),
    ),
    ...NET_DEV_TRANSMIT.map((name) =>
      counter(`node_network_transmit_${name}_total`, `Network device statistic transmit_${name}.`, nets.map((n) => ({ labels: { device: n.device }, value: n.transmit[name] }))),
    ),
  ];
}

/** PSI totals (seconds) of the resources the kernel reports. */
function pressureFamilies(files: Record<string, string | null>): Family[] {
  const out: Family[] = [];
  for (const [resource, [someName, fullName, what]] of Object.entries(PRESSURE)) {
    const text = files[resource];
    const p = text ? parsePressure(text) : {};
    if (someName) out.push(counter(someName, `Total time in seconds that processes have waited for ${what}.`, one(p.some?.totalSeconds)));
    if (fullName) out.push(counter(fullName, `Total time in seconds no process could make progress due to ${what} congestion.`, one(p.full?.totalSeconds)));
  }
  return out;
}

/** Sockets in use per protocol (IPv4 and IPv6), `mem` also in bytes. */
function sockstatFamilies(texts: (string | null)[]): Family[] {
  const out: Family[] = [];
  for (const text of texts) {
    if (text === null) continue;
    for (const [key, value] of parseSockstat(text)) {
      const name = `node_sockstat_${key}`;
      const [proto, field] = [key.slice(0, key.indexOf("_")), key.slice(key.indexOf("_") + 1)];
      out.push(gauge(name, proto === "sockets" ? "Number of sockets in use." : `Number of ${proto} sockets in state ${field}.`, [{ value }]));
      if (/^(TCP|UDP)6?_mem$/.test(key)) out.push(gauge(`${name}_bytes`, `Memory of ${key.slice(0, -4)} sockets in bytes.`, [{ value: value * PAGE_SIZE }]));
    }
  }
  return out;
}

function netstatFamilies(texts: (string | null)[]): Family[] {
  const out: Family[] = [];
  for (const text of texts) {
    if (text === null) continue;
    for (const [key, value] of parseNetstat(text)) {
      if (NETSTAT_FIELDS.test(key)) out.push(untyped(`node_netstat_${key}`, `Statistic ${key.replace("_", "")}.`, [{ value }]));
    }
  }
  return out;
}

function schedulerFamilies(schedstatText: string | null, softnetText: string | null): Family[] {
  const sched = schedstatText !== null ? parseSchedstat(schedstatText) : [];
  const softnet = softnetText !== null ? parseSoftnet(softnetText) : [];
  const perSched = (value: (c: (typeof sched)[number]) => number) => sched.map((c) => ({ labels: { cpu: c.cpu }, value: value(c) }));
  const perSoftnet = (value: (c: (typeof softnet)[number]) => number) => softnet.map((c) => ({ labels: { cpu: c.cpu }, value: value(c) }));
  return [
    counter("node_schedstat_running_seconds_total", "Number of seconds CPU spent running a process.", perSched((c) => c.runningSeconds)),
    counter("node_schedstat_waiting_seconds_total", "Number of seconds spent by processing waiting for this CPU.", perSched((c) => c.waitingSeconds)),
    counter("node_schedstat_timeslices_total", "Number of timeslices executed by CPU.", perSched((c) => c.timeslices)),
    counter("node_softnet_processed_total", "Number of processed packets.", perSoftnet((c) => c.processed)),
    counter("node_softnet_dropped_total", "Number of dropped packets.", perSoftnet((c) => c.dropped)),
    counter("node_softnet_times_squeezed_total", "Number of times processing packets ran out of quota.", perSoftnet((c) => c.timesSqueezed)),
    counter("node_softnet_received_rps_total", "Number of times cpu woken up received_rps.", perSoftnet((c) => c.receivedRps)),
    counter("node_softnet_flow_limit_count_total", "Number of times flow limit has been reached.", perSoftnet((c) => c.flowLimitCount)),
  ];
}

/**
 * The host's metric families. `procPath` and `sysPath` are where procfs and sysfs are mounted
 * (node_exporter's `--path.procfs`, `--path.sysfs`; a container given the host's /proc at
 * /host/proc reports the host). Of sysfs only /sys/class/net and the CPUs' cpufreq are read.
 */
export async function hostFamilies(source: HostSource = nodeHostSource(), opts: { procPath?: string; sysPath?: string } = {}): Promise<Family[]> {
  const proc = (opts.procPath ?? "/proc").replace(/\/+$/, "");
  const sys = (opts.sysPath ?? "/sys").replace(/\/+$/, "");
  const linux = source.platform === "linux";
  const texts = await Promise.all(PROC_FILES.map((name) => (linux ? source.readFile(`${proc}/${name}`) : Promise.resolve(null))));
  const file = Object.fromEntries(PROC_FILES.map((name, i) => [name, texts[i]!])) as Record<ProcFile, string | null>;
  const now = source.nowMs() / 1000;
  const families: Family[] = [];

  // CPU: /proc/stat, else os.cpus() (ms; no iowait/softirq/steal there).
  const stat = file.stat !== null ? parseProcStat(file.stat) : null;
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
  const guestSamples: FamilySample[] = (stat?.cpus ?? []).flatMap((c) =>
    (["user", "nice"] as const).flatMap((mode) => (c.guestSeconds[mode] === undefined ? [] : [{ labels: { cpu: c.cpu, mode }, value: c.guestSeconds[mode] }])),
  );
  families.push(counter("node_cpu_guest_seconds_total", "Seconds the CPUs spent in guests (VMs) for each mode.", guestSamples));
  families.push(...(await cpuFrequencyFamilies(source, sys, linux ? (stat?.cpus ?? []).map((c) => c.cpu) : [])));

  // Load: /proc/loadavg, else os.loadavg() (always zeros on Windows: left out there).
  const load = file.loadavg !== null ? parseLoadavg(file.loadavg) : source.platform === "win32" ? null : (source.loadavg() as [number, number, number]);
  families.push(
    gauge("node_load1", "1m load average.", one(load?.[0])),
    gauge("node_load5", "5m load average.", one(load?.[1])),
    gauge("node_load15", "15m load average.", one(load?.[2])),
  );

  // Memory: every /proc/meminfo field, else total and free from os.
  const mem = file.meminfo !== null ? parseMeminfoEntries(file.meminfo) : [{ field: "MemTotal", value: source.totalmem(), bytes: true }, { field: "MemFree", value: source.freemem(), bytes: true }];
  families.push(...memoryFamilies(mem));
  families.push(...pressureFamilies({ cpu: file["pressure/cpu"], memory: file["pressure/memory"], io: file["pressure/io"], irq: file["pressure/irq"] }));

  // Filesystems: the real ones of /proc/mounts, else the root.
  const mounts = file.mounts !== null ? realFilesystems(parseMounts(file.mounts)) : source.platform === "win32" ? [] : [{ device: "", fstype: "", mountpoint: "/", options: [] }];
  families.push(...(await filesystemFamilies(source, mounts)));
  const fileNr = file["sys/fs/file-nr"] !== null ? parseFileNr(file["sys/fs/file-nr"]) : null;
  families.push(
    gauge("node_filefd_allocated", "File descriptor statistics: allocated.", one(fileNr?.allocated)),
    gauge("node_filefd_maximum", "File descriptor statistics: maximum.", one(fileNr?.maximum)),
  );

  // Disks, network, sockets.
  families.push(...diskFamilies(file.diskstats), ...networkFamilies(file["net/dev"]));
  const netDevices = file["net/dev"] !== null ? parseNetDev(file["net/dev"]).map((n) => n.device) : [];
  families.push(...netClassFamilies(linux ? await readNetClass(source, sys, netDevices) : []));
  families.push(...sockstatFamilies([file["net/sockstat"], file["net/sockstat6"]]), ...netstatFamilies([file["net/netstat"], file["net/snmp"]]));
  const arp = file["net/arp"] !== null ? parseArpEntries(file["net/arp"]) : new Map<string, number>();
  const number = (name: ProcFile) => (file[name] !== null ? parseSingleNumber(file[name]) : null);
  families.push(
    gauge("node_arp_entries", "ARP entries by device.", [...arp].map(([device, value]) => ({ labels: { device }, value }))),
    gauge("node_nf_conntrack_entries", "Number of currently allocated flow entries for connection tracking.", one(number("sys/net/netfilter/nf_conntrack_count"))),
    gauge("node_nf_conntrack_entries_limit", "Maximum size of connection tracking table.", one(number("sys/net/netfilter/nf_conntrack_max"))),
  );
  const udpQueues: FamilySample[] = [];
  for (const [ip, name] of [["v4", "net/udp"], ["v6", "net/udp6"]] as const) {
    const q = file[name] !== null ? parseUdpQueues(file[name]) : null;
    if (q) udpQueues.push({ labels: { ip, queue: "rx" }, value: q.rx }, { labels: { ip, queue: "tx" }, value: q.tx });
  }
  families.push(gauge("node_udp_queues", "Number of allocated memory in the kernel for UDP datagrams in bytes.", udpQueues));

  // Kernel: vmstat, scheduler, softnet, entropy.
  const vmstat = file.vmstat !== null ? parseKeyValues(file.vmstat) : new Map<string, number>();
  for (const [key, value] of vmstat) if (VMSTAT_FIELDS.test(key)) families.push(untyped(`node_vmstat_${key}`, `/proc/vmstat information field ${key}.`, [{ value }]));
  families.push(...schedulerFamilies(file.schedstat, file["net/softnet_stat"]));
  families.push(
    gauge("node_entropy_available_bits", "Bits of available entropy.", one(number("sys/kernel/random/entropy_avail"))),
    gauge("node_entropy_pool_size_bits", "Bits of entropy pool.", one(number("sys/kernel/random/poolsize"))),
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
    counter("node_intr_total", "Total number of interrupts serviced.", one(stat?.interrupts)),
    counter("node_forks_total", "Total number of forks.", one(stat?.forks)),
    gauge("node_procs_running", "Number of processes in runnable state.", one(stat?.procsRunning)),
    gauge("node_procs_blocked", "Number of processes blocked waiting for I/O to complete.", one(stat?.procsBlocked)),
    gauge("node_processes_max_processes", "Number of max PIDs limit.", one(number("sys/kernel/pid_max"))),
    gauge("node_processes_max_threads", "Limit of threads in the system.", one(number("sys/kernel/threads-max"))),
  );
  return families;
}

/** The host's metrics as a Prometheus text 0.0.4 body (serve with HOST_METRICS_CONTENT_TYPE). */
export async function collectHostMetrics(source?: HostSource, opts?: { procPath?: string; sysPath?: string }): Promise<string> {
  return renderTextFormat(await hostFamilies(source, opts));
}
