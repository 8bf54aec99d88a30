/**
 * Parsers for the Linux /proc files the host collector reads. Pure functions over the files'
 * text (no I/O), tolerant of older kernels (missing columns are left out, never read as 0) and of
 * lines they do not know (skipped).
 */

/** `sysconf(_SC_CLK_TCK)`: /proc/stat counts CPU time in these ticks; 100 on every Linux we run on. */
export const USER_HZ = 100;

/** /proc/diskstats counts sectors of 512 bytes whatever the device's real sector size. */
export const DISKSTATS_SECTOR_BYTES = 512;

/** The /proc/stat CPU columns, in order, as node_exporter names them (guest time is counted inside user/nice). */
export const CPU_MODES = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"] as const;
export type CpuMode = (typeof CPU_MODES)[number];

export interface CpuTimes {
  /** The CPU number as the kernel lists it ("0", "1", …). */
  cpu: string;
  /** Seconds per mode; a mode the kernel does not report is absent. */
  seconds: Partial<Record<CpuMode, number>>;
  /** Seconds running virtual CPUs of guests (`guest`, `guest_nice` columns; already inside user/nice). */
  guestSeconds: { user?: number; nice?: number };
}

export interface ProcStat {
  cpus: CpuTimes[];
  /** Boot time, epoch seconds (`btime`). */
  bootTime: number | null;
  /** Context switches since boot (`ctxt`). */
  contextSwitches: number | null;
  /** Runnable processes right now (`procs_running`). */
  procsRunning: number | null;
  /** Processes blocked on I/O (`procs_blocked`). */
  procsBlocked: number | null;
  /** Interrupts serviced since boot, all sources (first number of `intr`). */
  interrupts: number | null;
  /** Processes and threads created since boot (`processes`). */
  forks: number | null;
}

const fields = (line: string) => line.trim().split(/\s+/);

function num(s: string | undefined): number | null {
  if (s === undefined || s === "") return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** /proc/stat: per-CPU times (the aggregate `cpu` line is left out, as node_exporter does), btime, ctxt, procs, intr, processes. */
export function parseProcStat(text: string, userHz = USER_HZ): ProcStat {
  const out: ProcStat = { cpus: [], bootTime: null, contextSwitches: null, procsRunning: null, procsBlocked: null, interrupts: null, forks: null };
  for (const line of text.split("\n")) {
    const f = fields(line);
    const key = f[0];
    if (!key) continue;
    const cpu = /^cpu(\d+)$/.exec(key);
    if (cpu) {
      const seconds: CpuTimes["seconds"] = {};
      CPU_MODES.forEach((mode, i) => {
        const v = num(f[i + 1]);
        if (v !== null) seconds[mode] = v / userHz;
      });
      const guestSeconds: CpuTimes["guestSeconds"] = {};
      const [guest, guestNice] = [num(f[CPU_MODES.length + 1]), num(f[CPU_MODES.length + 2])];
      if (guest !== null) guestSeconds.user = guest / userHz;
      if (guestNice !== null) guestSeconds.nice = guestNice / userHz;
      out.cpus.push({ cpu: cpu[1]!, seconds, guestSeconds });
    } else if (key === "btime") out.bootTime = num(f[1]);
    else if (key === "ctxt") out.contextSwitches = num(f[1]);
    else if (key === "procs_running") out.procsRunning = num(f[1]);
    else if (key === "procs_blocked") out.procsBlocked = num(f[1]);
    else if (key === "intr") out.interrupts = num(f[1]);
    else if (key === "processes") out.forks = num(f[1]);
  }
  return out;
}

/** /proc/loadavg: the 1, 5 and 15 minute load averages; null when the text is not one. */
export function parseLoadavg(text: string): [number, number, number] | null {
  const f = fields(text);
  const [a, b, c] = [num(f[0]), num(f[1]), num(f[2])];
  return a === null || b === null || c === null ? null : [a, b, c];
}

/**
 * /proc/meminfo: field → bytes (`kB` values × 1024; unit-less fields such as `HugePages_Total`
 * as they are). Keys keep the kernel's spelling, parentheses included (`Active(anon)`).
 */
export function parseMeminfo(text: string): Map<string, number> {
  return new Map(parseMeminfoEntries(text).map((e) => [e.field, e.value]));
}

export interface MeminfoEntry {
  /** The kernel's spelling (`Active(anon)`, `HugePages_Total`). */
  field: string;
  /** Bytes for `kB` fields, else the count as written. */
  value: number;
  /** Whether the kernel wrote the field in kB (a size), rather than a count. */
  bytes: boolean;
}

/** /proc/meminfo, every field in the kernel's order, with whether it is a size. */
export function parseMeminfoEntries(text: string): MeminfoEntry[] {
  const out: MeminfoEntry[] = [];
  for (const line of text.split("\n")) {
    const m = /^([^:\s]+):\s+(\d+)(?:\s+(kB))?\s*$/.exec(line);
    if (!m) continue;
    out.push({ field: m[1]!, value: Number(m[2]) * (m[3] ? 1024 : 1), bytes: m[3] !== undefined });
  }
  return out;
}

/**
 * node_exporter's name for a meminfo field: `(x)` becomes `_x`, sizes end in `_bytes`
 * (`Active(anon)` → `node_memory_Active_anon_bytes`, `HugePages_Free` → `node_memory_HugePages_Free`).
 */
export function meminfoMetricName(e: Pick<MeminfoEntry, "field" | "bytes">): string {
  const key = e.field.replace(/\(([^)]*)\)/g, "_$1").replace(/[^A-Za-z0-9_]/g, "_");
  return `node_memory_${key}${e.bytes ? "_bytes" : ""}`;
}

export interface MountEntry {
  device: string;
  mountpoint: string;
  fstype: string;
  options: string[];
}

/** The kernel escapes space, tab, newline and backslash in /proc/mounts as 3-digit octal (`\040`). */
function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** /proc/mounts (or /proc/self/mounts): one entry per line, in mount order. */
export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split("\n")) {
    const f = fields(line);
    if (f.length < 3 || !f[0]) continue;
    out.push({ device: unescapeOctal(f[0]), mountpoint: unescapeOctal(f[1]!), fstype: f[2]!, options: (f[3] ?? "").split(",").filter(Boolean) });
  }
  return out;
}

/**
 * Filesystem types that hold no disk space of their own: kernel interfaces, memory-backed
 * filesystems and read-only images (as node_exporter's default exclusions, plus tmpfs/ramfs,
 * which are memory rather than disk). `overlay` is kept: it is the root filesystem in containers.
 */
export const PSEUDO_FS_TYPES: ReadonlySet<string> = new Set([
  "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts", "devtmpfs", "efivarfs",
  "fusectl", "fuse.lxcfs", "fuse.gvfsd-fuse", "fuse.portal", "hugetlbfs", "iso9660", "mqueue", "nsfs", "proc", "procfs",
  "pstore", "ramfs", "rpc_pipefs", "securityfs", "selinuxfs", "squashfs", "erofs", "sysfs", "tracefs", "tmpfs", "nfsd",
]);

/** Mount points under which only kernel interfaces or other containers' filesystems live. */
const PSEUDO_MOUNTPOINT = /^\/(dev|proc|sys|run\/credentials\/.+|var\/lib\/docker\/.+|var\/lib\/containers\/storage\/.+|var\/lib\/kubelet\/.+|snap\/.+)($|\/)/;

/**
 * The filesystems worth reporting: no pseudo filesystems or kernel mount points, and each
 * (device, fstype) once, at its shortest mount point (bind mounts of the same filesystem — a
 * container's /etc/hosts — report the same space again). A mount point mounted over keeps its
 * last (visible) entry.
 */
export function realFilesystems(mounts: readonly MountEntry[]): MountEntry[] {
  const byMountpoint = new Map<string, MountEntry>();
  for (const m of mounts) {
    if (PSEUDO_FS_TYPES.has(m.fstype) || PSEUDO_MOUNTPOINT.test(m.mountpoint)) continue;
    byMountpoint.delete(m.mountpoint);
    byMountpoint.set(m.mountpoint, m);
  }
  const byDevice = new Map<string, MountEntry>();
  for (const m of byMountpoint.values()) {
    const key = `${m.device}\u0000${m.fstype}`;
    const seen = byDevice.get(key);
    if (!seen || m.mountpoint.length < seen.mountpoint.length) byDevice.set(key, m);
  }
  return [...byDevice.values()];
}

export interface DiskStats {
  device: string;
  readsCompleted: number;
  readsMerged: number;
  sectorsRead: number;
  readTimeMs: number;
  writesCompleted: number;
  writesMerged: number;
  sectorsWritten: number;
  writeTimeMs: number;
  ioInProgress: number;
  ioTimeMs: number;
  /** Time spent doing I/Os weighted by the number in flight. */
  weightedIoTimeMs: number;
  /** Kernel 4.18+. */
  discards?: { completed: number; merged: number; sectors: number; timeMs: number };
  /** Kernel 5.5+. */
  flushes?: { completed: number; timeMs: number };
}

/** /proc/diskstats: one entry per block device with at least the 11 classic counters (discards and flushes when the kernel has them). */
export function parseDiskstats(text: string): DiskStats[] {
  const out: DiskStats[] = [];
  for (const line of text.split("\n")) {
    const f = fields(line);
    if (f.length < 14) continue;
    const v = f.slice(3).map(Number);
    if (v.some((x) => !Number.isFinite(x))) continue;
    const d: DiskStats = {
      device: f[2]!,
      readsCompleted: v[0]!,
      readsMerged: v[1]!,
      sectorsRead: v[2]!,
      readTimeMs: v[3]!,
      writesCompleted: v[4]!,
      writesMerged: v[5]!,
      sectorsWritten: v[6]!,
      writeTimeMs: v[7]!,
      ioInProgress: v[8]!,
      ioTimeMs: v[9]!,
      weightedIoTimeMs: v[10]!,
    };
    if (v.length >= 15) d.discards = { completed: v[11]!, merged: v[12]!, sectors: v[13]!, timeMs: v[14]! };
    if (v.length >= 17) d.flushes = { completed: v[15]!, timeMs: v[16]! };
    out.push(d);
  }
  return out;
}

/**
 * Whether a block device is reported: whole disks and device-mapper volumes; not loop or RAM
 * disks, floppies, or partitions (their I/O is already in their disk's counters).
 */
export function isReportedDisk(device: string): boolean {
  if (/^(loop|ram|zram|fd)\d+$/.test(device)) return false;
  if (/^([shv]|xv)d[a-z]+\d+$/.test(device)) return false; // sda1, vdb2, xvda1
  if (/^(nvme\d+n\d+|mmcblk\d+)p\d+$/.test(device)) return false; // nvme0n1p1, mmcblk0p1
  return true;
}

/** The /proc/net/dev columns, in order, as node_exporter names them (`node_network_<direction>_<name>_total`). */
export const NET_DEV_RECEIVE = ["bytes", "packets", "errs", "drop", "fifo", "frame", "compressed", "multicast"] as const;
export const NET_DEV_TRANSMIT = ["bytes", "packets", "errs", "drop", "fifo", "colls", "carrier", "compressed"] as const;

export interface NetDevStats {
  device: string;
  receive: Record<(typeof NET_DEV_RECEIVE)[number], number>;
  transmit: Record<(typeof NET_DEV_TRANSMIT)[number], number>;
}

/** /proc/net/dev: per interface, after the two header lines (`eth0:123` without a space is accepted). */
export function parseNetDev(text: string): NetDevStats[] {
  const out: NetDevStats[] = [];
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0 || line.includes("|")) continue;
    const device = line.slice(0, colon).trim();
    const v = fields(line.slice(colon + 1)).map(Number);
    if (!device || v.length < 16 || v.some((x) => !Number.isFinite(x))) continue;
    const receive = Object.fromEntries(NET_DEV_RECEIVE.map((name, i) => [name, v[i]!])) as NetDevStats["receive"];
    const transmit = Object.fromEntries(NET_DEV_TRANSMIT.map((name, i) => [name, v[8 + i]!])) as NetDevStats["transmit"];
    out.push({ device, receive, transmit });
  }
  return out;
}

export interface PressureLine {
  /** Share of time stalled over the last 10 s, 60 s and 300 s, in percent. */
  avg10: number;
  avg60: number;
  avg300: number;
  /** Total stall time since boot, seconds (the kernel counts microseconds). */
  totalSeconds: number;
}

/**
 * /proc/pressure/{cpu,memory,io,irq} (PSI, kernel 4.20+): `some` (at least one task stalled) and
 * `full` (all non-idle tasks stalled) lines; irq has only `full`, cpu's `full` is kernel 5.13+.
 */
export function parsePressure(text: string): { some?: PressureLine; full?: PressureLine } {
  const out: { some?: PressureLine; full?: PressureLine } = {};
  for (const line of text.split("\n")) {
    const f = fields(line);
    const kind = f[0];
    if (kind !== "some" && kind !== "full") continue;
    const kv = new Map(f.slice(1).map((x) => x.split("=") as [string, string]));
    const [avg10, avg60, avg300, total] = [num(kv.get("avg10")), num(kv.get("avg60")), num(kv.get("avg300")), num(kv.get("total"))];
    if (avg10 === null || avg60 === null || avg300 === null || total === null) continue;
    out[kind] = { avg10, avg60, avg300, totalSeconds: total / 1e6 };
  }
  return out;
}

/** `key value` lines (/proc/vmstat): key → value; lines that are not one are skipped. */
export function parseKeyValues(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const f = fields(line);
    if (f.length !== 2) continue;
    const v = num(f[1]);
    if (f[0] && v !== null) out.set(f[0], v);
  }
  return out;
}

/** A file holding one number (/proc/sys/kernel/random/entropy_avail); null when it does not. */
export function parseSingleNumber(text: string): number | null {
  const f = fields(text);
  return f.length === 1 ? num(f[0]) : null;
}

/** /proc/sys/fs/file-nr: allocated file handles and the maximum (the middle number, always 0 since 2.6, is left out). */
export function parseFileNr(text: string): { allocated: number; maximum: number } | null {
  const f = fields(text);
  const [allocated, maximum] = [num(f[0]), num(f[2])];
  return allocated === null || maximum === null ? null : { allocated, maximum };
}

/**
 * /proc/net/sockstat and sockstat6: `PROTO: key value key value …` → `PROTO_key` → value
 * (`sockets: used 217` → `sockets_used`). `mem` counts pages; converting is the caller's.
 */
export function parseSockstat(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const proto = line.slice(0, colon).trim();
    const f = fields(line.slice(colon + 1));
    for (let i = 0; i + 1 < f.length; i += 2) {
      const v = num(f[i + 1]);
      if (v !== null && f[i]) out.set(`${proto}_${f[i]}`, v);
    }
  }
  return out;
}

/**
 * /proc/net/netstat and /proc/net/snmp: pairs of lines, names then values, each starting with
 * the same `Group:` → `Group_Name` → value (`Tcp_CurrEstab`, `TcpExt_ListenDrops`). A pair whose
 * lengths differ is skipped.
 */
export function parseNetstat(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const lines = text.split("\n").filter((l) => l.includes(":"));
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const [hg, ...names] = fields(lines[i]!);
    const [vg, ...values] = fields(lines[i + 1]!);
    if (!hg || hg !== vg || names.length !== values.length) {
      i -= 1; // out of step: resynchronise on the next line
      continue;
    }
    const group = hg.replace(/:$/, "");
    names.forEach((n, j) => {
      const v = num(values[j]);
      if (v !== null) out.set(`${group}_${n}`, v);
    });
  }
  return out;
}

export interface SchedstatCpu {
  cpu: string;
  /** Seconds spent running tasks, and tasks waiting to run; timeslices run. */
  runningSeconds: number;
  waitingSeconds: number;
  timeslices: number;
}

/** /proc/schedstat (version 15+): per CPU, the last three numbers (ns running, ns waiting, timeslices). */
export function parseSchedstat(text: string): SchedstatCpu[] {
  const out: SchedstatCpu[] = [];
  for (const line of text.split("\n")) {
    const f = fields(line);
    const cpu = /^cpu(\d+)$/.exec(f[0] ?? "");
    if (!cpu || f.length < 10) continue;
    const [running, waiting, slices] = [num(f[7]), num(f[8]), num(f[9])];
    if (running === null || waiting === null || slices === null) continue;
    out.push({ cpu: cpu[1]!, runningSeconds: running / 1e9, waitingSeconds: waiting / 1e9, timeslices: slices });
  }
  return out;
}

export interface SoftnetCpu {
  cpu: string;
  processed: number;
  dropped: number;
  timesSqueezed: number;
  receivedRps: number;
  flowLimitCount: number;
}

/**
 * /proc/net/softnet_stat: one line of hex counters per online CPU. The CPU is the 13th column on
 * kernel 5.10+, else the line's position.
 */
export function parseSoftnet(text: string): SoftnetCpu[] {
  const out: SoftnetCpu[] = [];
  let index = 0;
  for (const line of text.split("\n")) {
    const f = fields(line);
    if (f.length < 11 || f.some((x) => !/^[0-9a-f]+$/i.test(x))) continue;
    const v = f.map((x) => parseInt(x, 16));
    out.push({ cpu: String(f.length >= 13 ? v[12]! : index), processed: v[0]!, dropped: v[1]!, timesSqueezed: v[2]!, receivedRps: v[9]!, flowLimitCount: v[10]! });
    index++;
  }
  return out;
}

/** /proc/net/arp: entries per device (after the header line). */
export function parseArpEntries(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n").slice(1)) {
    const f = fields(line);
    if (f.length < 6) continue;
    const device = f[5]!;
    out.set(device, (out.get(device) ?? 0) + 1);
  }
  return out;
}

/**
 * /proc/net/udp or udp6: bytes queued to send and to receive, summed over the sockets (the
 * `tx_queue:rx_queue` column, hex). Null when the text has no socket table.
 */
export function parseUdpQueues(text: string): { tx: number; rx: number } | null {
  const lines = text.split("\n");
  if (!/^\s*sl\s+local_address/.test(lines[0] ?? "")) return null;
  let tx = 0;
  let rx = 0;
  for (const line of lines.slice(1)) {
    const q = /^([0-9A-Fa-f]+):([0-9A-Fa-f]+)$/.exec(fields(line)[4] ?? "");
    if (!q) continue;
    tx += parseInt(q[1]!, 16);
    rx += parseInt(q[2]!, 16);
  }
  return { tx, rx };
}
