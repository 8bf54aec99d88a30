import { describe, expect, it } from "vitest";
import { DISKSTATS, LOADAVG, MEMINFO, MOUNTS, NET_DEV, PROC_STAT } from "./procfs.fixture";
import { isReportedDisk, parseDiskstats, parseLoadavg, parseMeminfo, parseMounts, parseNetDev, parseProcStat, realFilesystems } from "./procfs";

describe("parseProcStat", () => {
  it("reads per-CPU times in seconds (USER_HZ 100), skipping the aggregate line, and btime/ctxt/procs", () => {
    const s = parseProcStat(PROC_STAT);
    expect(s.cpus.map((c) => c.cpu)).toEqual(["0", "1"]);
    expect(s.cpus[1]!.seconds).toEqual({ user: 22.49, nice: 0.12, system: 8.4, idle: 688.18, iowait: 1.36, irq: 0.03, softirq: 0.97, steal: 0.01 });
    expect(s).toMatchObject({ bootTime: 1767225600, contextSwitches: 1918841, procsRunning: 3, procsBlocked: 1 });
  });

  it("leaves out the modes an old kernel does not report", () => {
    const s = parseProcStat("cpu0 10 20 30 40\nbtime 5\n");
    expect(s.cpus[0]!.seconds).toEqual({ user: 0.1, nice: 0.2, system: 0.3, idle: 0.4 });
    expect(s.contextSwitches).toBeNull();
  });
});

describe("parseLoadavg", () => {
  it("reads the three averages", () => {
    expect(parseLoadavg(LOADAVG)).toEqual([0.07, 0.14, 0.09]);
    expect(parseLoadavg("")).toBeNull();
  });
});

describe("parseMeminfo", () => {
  it("converts kB to bytes and keeps unit-less fields as they are", () => {
    const m = parseMeminfo(MEMINFO);
    expect(m.get("MemTotal")).toBe(24731400 * 1024);
    expect(m.get("SwapFree")).toBe(2097000 * 1024);
    expect(m.get("Active(anon)")).toBe(3120 * 1024);
    expect(m.get("HugePages_Total")).toBe(0);
  });
});

describe("mounts", () => {
  it("parses entries and decodes octal escapes", () => {
    const m = parseMounts(MOUNTS);
    expect(m).toHaveLength(14);
    expect(m[6]).toEqual({ device: "/dev/vdb1", mountpoint: "/srv/My Data", fstype: "xfs", options: ["rw", "relatime"] });
  });

  it("keeps real filesystems: no pseudo/memory fs, no snaps or docker layers, one entry per device, the last mount of a mount point", () => {
    const real = realFilesystems(parseMounts(MOUNTS));
    expect(real.map((m) => [m.device, m.mountpoint, m.fstype])).toEqual([
      ["/dev/vda", "/", "ext4"],
      ["/dev/vdb1", "/srv/My Data", "xfs"],
      ["/dev/vdd", "/boot", "vfat"],
    ]);
  });

  it("keeps a container's overlay root", () => {
    const real = realFilesystems(parseMounts("overlay / overlay rw,relatime,lowerdir=/a 0 0\nproc /proc proc rw 0 0\n/dev/sda1 /etc/hostname ext4 rw 0 0\n"));
    expect(real.map((m) => m.mountpoint)).toEqual(["/", "/etc/hostname"]);
  });
});

describe("parseDiskstats", () => {
  it("reads the classic counters of every line (old 14-column and new 20-column formats)", () => {
    const d = parseDiskstats(DISKSTATS);
    expect(d.map((x) => x.device)).toEqual(["loop0", "ram0", "vda", "vdb", "vdb1", "nvme0n1", "nvme0n1p1", "dm-0", "zram0"]);
    expect(d.find((x) => x.device === "vda")).toEqual({
      device: "vda",
      readsCompleted: 30336,
      sectorsRead: 1680194,
      readTimeMs: 2948,
      writesCompleted: 28340,
      sectorsWritten: 4303136,
      writeTimeMs: 16441,
      ioInProgress: 0,
      ioTimeMs: 3908,
    });
    expect(d.find((x) => x.device === "vdb")).toMatchObject({ ioInProgress: 2, ioTimeMs: 1500 });
  });

  it("reports whole disks and dm volumes, not loop/ram/zram devices or partitions", () => {
    const kept = parseDiskstats(DISKSTATS).filter((x) => isReportedDisk(x.device)).map((x) => x.device);
    expect(kept).toEqual(["vda", "vdb", "nvme0n1", "dm-0"]);
    expect(["sda", "xvda", "mmcblk0", "md0"].every(isReportedDisk)).toBe(true);
    expect(["sda1", "xvda2", "mmcblk0p1", "fd0"].some(isReportedDisk)).toBe(false);
  });
});

describe("parseNetDev", () => {
  it("reads receive and transmit columns after the headers, with or without a space after the colon", () => {
    const n = parseNetDev(NET_DEV);
    expect(n.map((x) => x.device)).toEqual(["lo", "eth0", "ens3"]);
    expect(n[1]).toEqual({
      device: "eth0",
      receiveBytes: 240943196,
      receivePackets: 8720,
      receiveErrs: 2,
      receiveDrop: 1,
      transmitBytes: 818005,
      transmitPackets: 5593,
      transmitErrs: 4,
      transmitDrop: 3,
    });
    expect(n[2]).toMatchObject({ receiveBytes: 1234, transmitPackets: 20 });
  });
});
