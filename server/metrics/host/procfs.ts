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
}

const fields = (line: string) => line.trim().split(/\s+/);

function num(s: string | undefined): number | null {
  if (s === undefined || s === "") return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** /proc/stat: per-CPU times (the aggregate `cpu` line is left out, as node_exporter does), btime, ctxt, procs. */
export function parseProcStat(text: string, userHz = USER_HZ): ProcStat {
  const out: ProcStat = { cpus: [], bootTime: null, contextSwitches: null, procsRunning: null, procsBlocked: null };
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
      out.cpus.push({ cpu: cpu[1]!, seconds });
    } else if (key === "btime") out.bootTime = num(f[1]);
    else if (key === "ctxt") out.contextSwitches = num(f[1]);
    else if (key === "procs_running") out.procsRunning = num(f[1]);
    else if (key === "procs_blocked") out.procsBlocked = num(f[1]);
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
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^([^:\s]+):\s+(\d+)(?:\s+(kB))?\s*$/.exec(line);
    if (!m) continue;
    out.set(m[1]!, Number(m[2]) * (m[3] ? 1024 : 1));
  }
  return out;
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
  sectorsRead: number;
  readTimeMs: number;
  writesCompleted: number;
  sectorsWritten: number;
  writeTimeMs: number;
  ioInProgress: number;
  ioTimeMs: number;
}

/** /proc/diskstats: one entry per block device with at least the 11 classic counters. */
export function parseDiskstats(text: string): DiskStats[] {
  const out: DiskStats[] = [];
  for (const line of text.split("\n")) {
    const f = fields(line);
    if (f.length < 14) continue;
    const v = f.slice(3, 14).map(Number);
    if (v.some((x) => !Number.isFinite(x))) continue;
    out.push({
      device: f[2]!,
      readsCompleted: v[0]!,
      sectorsRead: v[2]!,
      readTimeMs: v[3]!,
      writesCompleted: v[4]!,
      sectorsWritten: v[6]!,
      writeTimeMs: v[7]!,
      ioInProgress: v[8]!,
      ioTimeMs: v[9]!,
    });
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

export interface NetDevStats {
  device: string;
  receiveBytes: number;
  receivePackets: number;
  receiveErrs: number;
  receiveDrop: number;
  transmitBytes: number;
  transmitPackets: number;
  transmitErrs: number;
  transmitDrop: number;
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
    out.push({
      device,
      receiveBytes: v[0]!,
      receivePackets: v[1]!,
      receiveErrs: v[2]!,
      receiveDrop: v[3]!,
      transmitBytes: v[8]!,
      transmitPackets: v[9]!,
      transmitErrs: v[10]!,
      transmitDrop: v[11]!,
    });
  }
  return out;
}
