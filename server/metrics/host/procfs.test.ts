import { describe, expect, it } from "vitest";
import {
  ARP,
  DISKSTATS,
  FILE_NR,
  LOADAVG,
  MEMINFO,
  MOUNTS,
  NET_DEV,
  NET_UDP,
  NET_UDP6,
  NETSTAT,
  PRESSURE_CPU,
  PRESSURE_IO,
  PRESSURE_IRQ,
  PROC_STAT,
  SCHEDSTAT,
  SNMP,
  SOCKSTAT,
  SOCKSTAT6,
  SOFTNET_STAT,
  VMSTAT,
} from "./procfs.fixture";
import {
  isReportedDisk,
  meminfoMetricName,
  parseArpEntries,
  parseDiskstats,
  parseFileNr,
  parseKeyValues,
  parseLoadavg,
  parseMeminfo,
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
} from "./procfs";

describe("parseProcStat", () => {
  it("reads per-CPU times in seconds (USER_HZ 100), skipping the aggregate line, and btime/ctxt/procs", () => {
    const s = parseProcStat(PROC_STAT);
    expect(s.cpus.map((c) => c.cpu)).toEqual(["0", "1"]);
    expect(s.cpus[1]!.seconds).toEqual({ user: 22.49, nice: 0.12, system: 8.4, idle: 688.18, iowait: 1.36, irq: 0.03, softirq: 0.97, steal: 0.01 });
    expect(s.cpus[1]!.guestSeconds).toEqual({ user: 0, nice: 0 });
    expect(s).toMatchObject({ bootTime: 1767225600, contextSwitches: 1918841, procsRunning: 3, procsBlocked: 1, interrupts: 824518, forks: 9912 });
  });

  it("reads guest time from the 9th and 10th columns", () => {
    const s = parseProcStat("cpu3 100 0 50 900 0 0 0 0 40 7\n");
    expect(s.cpus[0]).toMatchObject({ cpu: "3", guestSeconds: { user: 0.4, nice: 0.07 } });
  });

  it("leaves out the modes an old kernel does not report", () => {
    const s = parseProcStat("cpu0 10 20 30 40\nbtime 5\n");
    expect(s.cpus[0]!.seconds).toEqual({ user: 0.1, nice: 0.2, system: 0.3, idle: 0.4 });
    expect(s.cpus[0]!.guestSeconds).toEqual({});
    expect(s.contextSwitches).toBeNull();
    expect(s.interrupts).toBeNull();
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
    expect(m.get("SReclaimable")).toBe(152752 * 1024);
  });

  it("lists every field with whether it is a size, named as node_exporter names them", () => {
    const entries = parseMeminfoEntries(MEMINFO);
    expect(entries).toHaveLength(54);
    expect(entries[0]).toEqual({ field: "MemTotal", value: 24731400 * 1024, bytes: true });
    expect(entries.find((e) => e.field === "HugePages_Free")).toEqual({ field: "HugePages_Free", value: 0, bytes: false });
    expect(entries.find((e) => e.field === "VmallocTotal")!.value).toBe(34359738367 * 1024);
    expect(meminfoMetricName({ field: "Active(anon)", bytes: true })).toBe("node_memory_Active_anon_bytes");
    expect(meminfoMetricName({ field: "Inactive(file)", bytes: true })).toBe("node_memory_Inactive_file_bytes");
    expect(meminfoMetricName({ field: "HugePages_Total", bytes: false })).toBe("node_memory_HugePages_Total");
    expect(meminfoMetricName({ field: "Hugepagesize", bytes: true })).toBe("node_memory_Hugepagesize_bytes");
    expect(parseMeminfoEntries("garbage\nMemTotal: 12 MB\nMemFree: 5 kB\n")).toEqual([{ field: "MemFree", value: 5120, bytes: true }]);
  });
});

describe("parsePressure", () => {
  it("reads the some and full lines, totals in seconds", () => {
    expect(parsePressure(PRESSURE_IO)).toEqual({
      some: { avg10: 0.12, avg60: 0.09, avg300: 0.14, totalSeconds: 7.162244 },
      full: { avg10: 0.05, avg60: 0.04, avg300: 0.06, totalSeconds: 5.267159 },
    });
    expect(parsePressure(PRESSURE_CPU).some!.totalSeconds).toBe(441.049536);
  });

  it("takes what is there: irq has only full, an old kernel's cpu only some", () => {
    expect(parsePressure(PRESSURE_IRQ)).toEqual({ full: { avg10: 0, avg60: 0, avg300: 0, totalSeconds: 0.023458 } });
    expect(parsePressure("some avg10=0.00 avg60=0.00 avg300=0.00 total=5\n")).toEqual({ some: { avg10: 0, avg60: 0, avg300: 0, totalSeconds: 0.000005 } });
    expect(parsePressure("some avg10=x total=1\n")).toEqual({});
  });
});

describe("small files", () => {
  it("parseKeyValues reads vmstat", () => {
    const v = parseKeyValues(VMSTAT);
    expect(v.get("pgmajfault")).toBe(930);
    expect(v.get("oom_kill")).toBe(1);
    expect(v.size).toBe(16);
    expect(parseKeyValues("a 1 2\nb x\nc 3\n")).toEqual(new Map([["c", 3]]));
  });

  it("parseFileNr reads allocated and maximum handles", () => {
    expect(parseFileNr(FILE_NR)).toEqual({ allocated: 2525, maximum: 2471007 });
    expect(parseFileNr("")).toBeNull();
  });

  it("parseSingleNumber reads a /proc/sys value", () => {
    expect(parseSingleNumber("256\n")).toBe(256);
    expect(parseSingleNumber("1 2\n")).toBeNull();
    expect(parseSingleNumber("")).toBeNull();
  });

  it("parseSockstat reads protocol, key and value", () => {
    const s = parseSockstat(SOCKSTAT);
    expect(Object.fromEntries(s)).toEqual({
      sockets_used: 217,
      TCP_inuse: 77,
      TCP_orphan: 0,
      TCP_tw: 134,
      TCP_alloc: 89,
      TCP_mem: 183,
      UDP_inuse: 3,
      UDP_mem: 4,
      UDPLITE_inuse: 0,
      RAW_inuse: 0,
      FRAG_inuse: 0,
      FRAG_memory: 0,
    });
    expect(parseSockstat(SOCKSTAT6).get("TCP6_inuse")).toBe(11);
  });

  it("parseNetstat pairs name and value lines of netstat and snmp", () => {
    const n = parseNetstat(NETSTAT);
    expect(n.get("TcpExt_ListenOverflows")).toBe(3);
    expect(n.get("TcpExt_ListenDrops")).toBe(5);
    expect(n.get("TcpExt_TCPTimeouts")).toBe(2);
    expect(n.get("TcpExt_TCPOFOQueue")).toBe(7);
    expect(n.get("TcpExt_TCPSynRetrans")).toBe(9);
    expect(n.get("TcpExt_TCPOrigDataSent")).toBe(112810);
    expect(n.get("TcpExt_TCPRcvQDrop")).toBe(0);
    expect(n.get("IpExt_InOctets")).toBe(621101006);
    const s = parseNetstat(SNMP);
    expect(s.get("Tcp_MaxConn")).toBe(-1);
    expect(s.get("Tcp_CurrEstab")).toBe(52);
    expect(s.get("Udp_NoPorts")).toBe(2);
    expect(s.get("Icmp_OutMsgs")).toBe(3);
    expect(s.get("IcmpMsg_InType8")).toBe(3);
  });

  it("parseNetstat skips a pair out of step", () => {
    expect(Object.fromEntries(parseNetstat("Tcp: A B\nTcp: 1\nUdp: C\nUdp: 4\n"))).toEqual({ Udp_C: 4 });
  });

  it("parseSchedstat reads running and waiting seconds and timeslices per CPU", () => {
    expect(parseSchedstat(SCHEDSTAT)).toEqual([
      { cpu: "0", runningSeconds: 2.931442553, waitingSeconds: 0.612553209, timeslices: 186742 },
      { cpu: "1", runningSeconds: 2.804711187, waitingSeconds: 0.588227421, timeslices: 179218 },
    ]);
  });

  it("parseSoftnet reads hex counters and the CPU column (or the line's position)", () => {
    expect(parseSoftnet(SOFTNET_STAT)).toEqual([
      { cpu: "0", processed: 0x1012e, dropped: 0, timesSqueezed: 0, receivedRps: 0, flowLimitCount: 0 },
      { cpu: "1", processed: 0x1469f, dropped: 2, timesSqueezed: 17, receivedRps: 26, flowLimitCount: 3 },
    ]);
    const old = "00000010 00000001 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000\n".repeat(2);
    expect(parseSoftnet(old).map((c) => [c.cpu, c.processed])).toEqual([["0", 16], ["1", 16]]);
  });

  it("parseUdpQueues sums the hex tx and rx queues of IPv4 and IPv6 tables", () => {
    expect(parseUdpQueues(NET_UDP)).toEqual({ tx: 0x100, rx: 0x340 });
    expect(parseUdpQueues(NET_UDP6)).toEqual({ tx: 0, rx: 0 });
    expect(parseUdpQueues("")).toBeNull();
  });

  it("parseArpEntries counts entries per device", () => {
    expect(parseArpEntries(ARP)).toEqual(new Map([["eth0", 2], ["ens3", 1]]));
    expect(parseArpEntries(ARP.split("\n")[0]!)).toEqual(new Map());
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
      readsMerged: 8239,
      sectorsRead: 1680194,
      readTimeMs: 2948,
      writesCompleted: 28340,
      writesMerged: 93742,
      sectorsWritten: 4303136,
      writeTimeMs: 16441,
      ioInProgress: 0,
      ioTimeMs: 3908,
      weightedIoTimeMs: 19930,
      discards: { completed: 9672, merged: 30, sectors: 750160, timeMs: 401 },
      flushes: { completed: 5330, timeMs: 139 },
    });
    // The 11 counters of old kernels: no discards or flushes; 15 (kernel 4.18-5.4): discards only.
    const vdb = d.find((x) => x.device === "vdb")!;
    expect(vdb).toMatchObject({ ioInProgress: 2, ioTimeMs: 1500, weightedIoTimeMs: 20 });
    expect(vdb.discards).toBeUndefined();
    expect(vdb.flushes).toBeUndefined();
    const dm = d.find((x) => x.device === "dm-0")!;
    expect(dm.discards).toEqual({ completed: 0, merged: 0, sectors: 0, timeMs: 0 });
    expect(dm.flushes).toBeUndefined();
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
      receive: { bytes: 240943196, packets: 8720, errs: 2, drop: 1, fifo: 0, frame: 0, compressed: 0, multicast: 0 },
      transmit: { bytes: 818005, packets: 5593, errs: 4, drop: 3, fifo: 0, colls: 0, carrier: 0, compressed: 0 },
    });
    expect(n[2]).toMatchObject({ receive: { bytes: 1234 }, transmit: { packets: 20 } });
  });
});
