import { describe, expect, it } from "vitest";
import { parsePrometheusText, type MetricFamily } from "@/server/metrics/exposition";
import { collectHostMetrics, type FsStats, type HostSource } from "./collect";
import { hostFixtureFiles, MEMINFO, NET_DEV } from "./procfs.fixture";
import { parseMeminfoEntries } from "./procfs";
import { renderTextFormat } from "./text-format";

const NOW = 1_767_300_000_123;

function fixtureSource(over: Partial<HostSource> & { files?: Record<string, string>; fs?: Record<string, FsStats | null> } = {}): HostSource & { statfsCalls: string[] } {
  const files = over.files ?? hostFixtureFiles();
  const fs = over.fs ?? {
    "/": { bsize: 4096, blocks: 1000, bfree: 400, bavail: 350, files: 65536, ffree: 60000 },
    "/srv/My Data": { bsize: 1024, blocks: 10, bfree: 5, bavail: 5 },
    "/boot": null, // statfs failed or timed out: left out
  };
  const statfsCalls: string[] = [];
  return {
    platform: "linux",
    readFile: async (p) => files[p] ?? null,
    statfs: async (p) => {
      statfsCalls.push(p);
      return fs[p] ?? null;
    },
    uname: () => ({ sysname: "Linux", release: "6.18.44", machine: "x86_64", nodename: "web-1" }),
    nowMs: () => NOW,
    cpus: () => [{ times: { user: 1500, nice: 0, sys: 700, idle: 90_000, irq: 10 } }],
    loadavg: () => [1, 2, 3],
    totalmem: () => 8 * 2 ** 30,
    freemem: () => 2 ** 30,
    uptime: () => 3600,
    statfsCalls,
    ...over,
  };
}

function byName(body: string): Map<string, MetricFamily> {
  return new Map(parsePrometheusText(body).families.map((f) => [f.name, f]));
}

const value = (f: MetricFamily | undefined, labels: Record<string, string> = {}) =>
  f?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe("collectHostMetrics (Linux, /proc fixtures)", () => {
  it("renders node_exporter's families, which the exposition parser reads back with their types", async () => {
    const source = fixtureSource();
    const body = await collectHostMetrics(source);
    const f = byName(body);
    const types = Object.fromEntries([...f].filter(([name]) => !name.startsWith("node_memory_")).map(([name, fam]) => [name, fam.type]));
    const counters = (names: string[]) => Object.fromEntries(names.map((n) => [n, "counter"]));
    const gauges = (names: string[]) => Object.fromEntries(names.map((n) => [n, "gauge"]));
    // `# TYPE … untyped` (node_exporter's type for vmstat and netstat) reads back as unknown.
    const untyped = (names: string[]) => Object.fromEntries(names.map((n) => [n, "unknown"]));
    expect(types).toEqual({
      ...counters(["node_cpu_seconds_total", "node_cpu_guest_seconds_total", "node_context_switches_total", "node_intr_total", "node_forks_total"]),
      ...gauges(["node_load1", "node_load5", "node_load15", "node_boot_time_seconds", "node_time_seconds", "node_uname_info", "node_procs_running", "node_procs_blocked"]),
      ...counters([
        "node_pressure_cpu_waiting_seconds_total",
        "node_pressure_cpu_stalled_seconds_total",
        "node_pressure_memory_waiting_seconds_total",
        "node_pressure_memory_stalled_seconds_total",
        "node_pressure_io_waiting_seconds_total",
        "node_pressure_io_stalled_seconds_total",
        "node_pressure_irq_stalled_seconds_total",
      ]),
      ...gauges([
        "node_filesystem_size_bytes",
        "node_filesystem_avail_bytes",
        "node_filesystem_free_bytes",
        "node_filesystem_files",
        "node_filesystem_files_free",
        "node_filesystem_readonly",
        "node_filesystem_device_error",
        "node_filefd_allocated",
        "node_filefd_maximum",
      ]),
      ...counters(
        ["reads_completed", "reads_merged", "read_bytes", "read_time_seconds", "writes_completed", "writes_merged", "written_bytes", "write_time_seconds", "io_time_seconds", "io_time_weighted_seconds"]
          .concat(["discards_completed", "discards_merged", "discarded_sectors", "discard_time_seconds", "flush_requests", "flush_requests_time_seconds"])
          .map((n) => `node_disk_${n}_total`),
      ),
      node_disk_io_now: "gauge",
      ...counters(["bytes", "packets", "errs", "drop", "fifo", "frame", "compressed", "multicast"].map((n) => `node_network_receive_${n}_total`)),
      ...counters(["bytes", "packets", "errs", "drop", "fifo", "colls", "carrier", "compressed"].map((n) => `node_network_transmit_${n}_total`)),
      ...gauges(["sockets_used", "TCP_inuse", "TCP_orphan", "TCP_tw", "TCP_alloc", "TCP_mem", "TCP_mem_bytes", "UDP_inuse", "UDP_mem", "UDP_mem_bytes", "UDPLITE_inuse", "RAW_inuse", "FRAG_inuse", "FRAG_memory"].map((n) => `node_sockstat_${n}`)),
      ...gauges(["TCP6_inuse", "UDP6_inuse", "UDPLITE6_inuse", "RAW6_inuse", "FRAG6_inuse", "FRAG6_memory"].map((n) => `node_sockstat_${n}`)),
      ...untyped(
        [
          "TcpExt_SyncookiesSent",
          "TcpExt_SyncookiesRecv",
          "TcpExt_SyncookiesFailed",
          "TcpExt_ListenOverflows",
          "TcpExt_ListenDrops",
          "TcpExt_TCPTimeouts",
          "TcpExt_TCPOFOQueue",
          "TcpExt_TCPSynRetrans",
          "TcpExt_TCPRcvQDrop",
          "IpExt_InOctets",
          "IpExt_OutOctets",
          "Ip_Forwarding",
          "Icmp_InMsgs",
          "Icmp_InErrors",
          "Icmp_OutMsgs",
          "Tcp_MaxConn",
          "Tcp_ActiveOpens",
          "Tcp_PassiveOpens",
          "Tcp_CurrEstab",
          "Tcp_InSegs",
          "Tcp_OutSegs",
          "Tcp_RetransSegs",
          "Tcp_InErrs",
          "Tcp_OutRsts",
          "Udp_InDatagrams",
          "Udp_NoPorts",
          "Udp_InErrors",
          "Udp_OutDatagrams",
          "Udp_RcvbufErrors",
          "Udp_SndbufErrors",
          "UdpLite_InErrors",
        ].map((n) => `node_netstat_${n}`),
      ),
      ...gauges(["node_network_mtu_bytes", "node_network_carrier", "node_network_speed_bytes", "node_network_up", "node_udp_queues"]),
      node_network_receive_nohandler_total: "counter",
      ...gauges(["node_processes_max_processes", "node_processes_max_threads"]),
      ...gauges(["node_cpu_scaling_frequency_hertz", "node_cpu_scaling_frequency_max_hertz", "node_cpu_scaling_frequency_min_hertz"]),
      ...gauges(["node_arp_entries", "node_nf_conntrack_entries", "node_nf_conntrack_entries_limit", "node_entropy_available_bits", "node_entropy_pool_size_bits"]),
      ...untyped(["pgpgin", "pgpgout", "pswpin", "pswpout", "pgfault", "pgmajfault", "oom_kill"].map((n) => `node_vmstat_${n}`)),
      ...counters(["running_seconds", "waiting_seconds", "timeslices"].map((n) => `node_schedstat_${n}_total`)),
      ...counters(["processed", "dropped", "times_squeezed", "received_rps", "flow_limit_count"].map((n) => `node_softnet_${n}_total`)),
    });
    // Every meminfo field, a gauge each.
    const memory = [...f.values()].filter((fam) => fam.name.startsWith("node_memory_"));
    expect(memory).toHaveLength(parseMeminfoEntries(MEMINFO).length);
    expect(memory.every((fam) => fam.type === "gauge" && fam.samples.length === 1)).toBe(true);
    for (const fam of f.values()) expect(fam.help, fam.name).not.toBe("");
    expect(body).toContain("# TYPE node_cpu_seconds_total counter\n");
  });

  it("maps the files' values with node_exporter's units and labels", async () => {
    const source = fixtureSource();
    const f = byName(await collectHostMetrics(source));

    const cpu = f.get("node_cpu_seconds_total")!;
    expect(cpu.samples).toHaveLength(16); // 2 CPUs × 8 modes
    expect(value(cpu, { cpu: "1", mode: "idle" })).toBe(688.18);
    expect(value(cpu, { cpu: "0", mode: "iowait" })).toBe(1.54);

    expect([value(f.get("node_load1")), value(f.get("node_load5")), value(f.get("node_load15"))]).toEqual([0.07, 0.14, 0.09]);
    expect(value(f.get("node_memory_MemAvailable_bytes"))).toBe(24102344 * 1024);
    expect(value(f.get("node_memory_SwapTotal_bytes"))).toBe(2097148 * 1024);
    expect(value(f.get("node_memory_SReclaimable_bytes"))).toBe(152752 * 1024);
    expect(value(f.get("node_memory_Active_anon_bytes"))).toBe(3120 * 1024);
    expect(value(f.get("node_memory_HugePages_Total"))).toBe(0);
    expect(value(f.get("node_memory_Hugepagesize_bytes"))).toBe(2048 * 1024);

    const size = f.get("node_filesystem_size_bytes")!;
    expect(size.samples.map((s) => s.labels)).toEqual([
      { device: "/dev/vda", fstype: "ext4", mountpoint: "/" },
      { device: "/dev/vdb1", fstype: "xfs", mountpoint: "/srv/My Data" },
    ]);
    expect(source.statfsCalls.sort()).toEqual(["/", "/boot", "/srv/My Data"]);
    expect(value(size, { mountpoint: "/" })).toBe(4096 * 1000);
    expect(value(f.get("node_filesystem_avail_bytes"), { mountpoint: "/" })).toBe(4096 * 350);
    expect(value(f.get("node_filesystem_free_bytes"), { mountpoint: "/" })).toBe(4096 * 400);
    expect(value(f.get("node_filesystem_files"), { mountpoint: "/" })).toBe(65536);
    expect(value(f.get("node_filesystem_files_free"), { mountpoint: "/" })).toBe(60000);
    expect(f.get("node_filesystem_files")!.samples).toHaveLength(1); // statfs without inode counts: left out
    expect(value(f.get("node_filesystem_readonly"), { mountpoint: "/" })).toBe(0);
    // statfs of /boot failed: only its error is reported.
    expect(f.get("node_filesystem_device_error")!.samples.map((s) => [s.labels.mountpoint, s.value])).toEqual([
      ["/", 0],
      ["/srv/My Data", 0],
      ["/boot", 1],
    ]);
    expect(value(f.get("node_filefd_allocated"))).toBe(2525);
    expect(value(f.get("node_filefd_maximum"))).toBe(2471007);

    const read = f.get("node_disk_read_bytes_total")!;
    expect(read.samples.map((s) => s.labels.device)).toEqual(["vda", "vdb", "nvme0n1", "dm-0"]);
    expect(value(read, { device: "vda" })).toBe(1680194 * 512);
    expect(value(f.get("node_disk_written_bytes_total"), { device: "vda" })).toBe(4303136 * 512);
    expect(value(f.get("node_disk_reads_completed_total"), { device: "vda" })).toBe(30336);
    expect(value(f.get("node_disk_writes_completed_total"), { device: "vda" })).toBe(28340);
    expect(value(f.get("node_disk_io_time_seconds_total"), { device: "vda" })).toBe(3.908);
    expect(value(f.get("node_disk_reads_merged_total"), { device: "vda" })).toBe(8239);
    expect(value(f.get("node_disk_read_time_seconds_total"), { device: "vda" })).toBe(2.948);
    expect(value(f.get("node_disk_write_time_seconds_total"), { device: "vda" })).toBe(16.441);
    expect(value(f.get("node_disk_io_time_weighted_seconds_total"), { device: "vda" })).toBe(19.93);
    expect(value(f.get("node_disk_io_now"), { device: "vdb" })).toBe(2);
    expect(value(f.get("node_disk_discarded_sectors_total"), { device: "vda" })).toBe(750160);
    expect(value(f.get("node_disk_flush_requests_time_seconds_total"), { device: "vda" })).toBe(0.139);
    // vdb reports the 11 counters of an old kernel: no discards or flushes for it.
    expect(f.get("node_disk_discards_completed_total")!.samples.map((s) => s.labels.device)).toEqual(["vda", "nvme0n1", "dm-0"]);
    expect(f.get("node_disk_flush_requests_total")!.samples.map((s) => s.labels.device)).toEqual(["vda"]);

    expect(value(f.get("node_network_receive_bytes_total"), { device: "eth0" })).toBe(240943196);
    expect(value(f.get("node_network_transmit_bytes_total"), { device: "eth0" })).toBe(818005);
    expect(value(f.get("node_network_receive_packets_total"), { device: "eth0" })).toBe(8720);
    expect(value(f.get("node_network_transmit_packets_total"), { device: "eth0" })).toBe(5593);
    expect(value(f.get("node_network_receive_errs_total"), { device: "eth0" })).toBe(2);
    expect(value(f.get("node_network_transmit_errs_total"), { device: "eth0" })).toBe(4);
    expect(value(f.get("node_network_receive_drop_total"), { device: "eth0" })).toBe(1);
    expect(value(f.get("node_network_transmit_drop_total"), { device: "eth0" })).toBe(3);
    expect(f.get("node_network_receive_bytes_total")!.samples.map((s) => s.labels.device)).toEqual(["lo", "eth0", "ens3"]);

    // /sys/class/net: what each link can say.
    const perDevice = (name: string) => Object.fromEntries(f.get(name)!.samples.map((s) => [s.labels.device, s.value]));
    expect(perDevice("node_network_mtu_bytes")).toEqual({ lo: 65536, eth0: 1500, ens3: 9000 });
    expect(perDevice("node_network_carrier")).toEqual({ lo: 1, eth0: 1 });
    expect(perDevice("node_network_speed_bytes")).toEqual({ eth0: 1.25e9 });
    expect(perDevice("node_network_up")).toEqual({ lo: 0, eth0: 1, ens3: 0 });
    expect(perDevice("node_network_receive_nohandler_total")).toEqual({ lo: 0, eth0: 3, ens3: 0 });
    expect(f.get("node_udp_queues")!.samples.map((s) => [s.labels.ip, s.labels.queue, s.value])).toEqual([
      ["v4", "rx", 0x340],
      ["v4", "tx", 0x100],
      ["v6", "rx", 0],
      ["v6", "tx", 0],
    ]);
    expect(value(f.get("node_processes_max_processes"))).toBe(4194304);
    expect(f.get("node_cpu_scaling_frequency_hertz")!.samples.map((s) => [s.labels.cpu, s.value])).toEqual([
      ["0", 2.1e9],
      ["1", 8e8],
    ]);
    expect(value(f.get("node_cpu_scaling_frequency_max_hertz"), { cpu: "1" })).toBe(3.5e9);
    expect(value(f.get("node_processes_max_threads"))).toBe(193107);

    expect(value(f.get("node_cpu_guest_seconds_total"), { cpu: "1", mode: "nice" })).toBe(0);
    expect(f.get("node_cpu_guest_seconds_total")!.samples).toHaveLength(4);
    expect(value(f.get("node_pressure_cpu_waiting_seconds_total"))).toBe(441.049536);
    expect(value(f.get("node_pressure_io_stalled_seconds_total"))).toBe(5.267159);
    expect(value(f.get("node_pressure_irq_stalled_seconds_total"))).toBe(0.023458);
    expect(value(f.get("node_sockstat_TCP_mem_bytes"))).toBe(183 * 4096);
    expect(value(f.get("node_sockstat_TCP6_inuse"))).toBe(11);
    expect(value(f.get("node_netstat_Tcp_CurrEstab"))).toBe(52);
    expect(value(f.get("node_netstat_TcpExt_ListenDrops"))).toBe(5);
    expect(value(f.get("node_vmstat_oom_kill"))).toBe(1);
    expect(value(f.get("node_arp_entries"), { device: "eth0" })).toBe(2);
    expect(value(f.get("node_nf_conntrack_entries_limit"))).toBe(262144);
    expect(value(f.get("node_entropy_available_bits"))).toBe(256);
    expect(value(f.get("node_schedstat_waiting_seconds_total"), { cpu: "1" })).toBe(0.588227421);
    expect(value(f.get("node_softnet_times_squeezed_total"), { cpu: "1" })).toBe(17);

    expect(value(f.get("node_boot_time_seconds"))).toBe(1767225600);
    expect(value(f.get("node_time_seconds"))).toBe(NOW / 1000);
    expect(f.get("node_uname_info")!.samples).toEqual([{ name: "node_uname_info", labels: { machine: "x86_64", nodename: "web-1", release: "6.18.44", sysname: "Linux" }, value: 1 }]);
    expect(value(f.get("node_context_switches_total"))).toBe(1918841);
    expect(value(f.get("node_procs_running"))).toBe(3);
    expect(value(f.get("node_procs_blocked"))).toBe(1);
    expect(value(f.get("node_intr_total"))).toBe(824518);
    expect(value(f.get("node_forks_total"))).toBe(9912);
  });

  it("leaves out what a machine does not have (no PSI, conntrack, schedstat…) without failing", async () => {
    const files = hostFixtureFiles();
    for (const gone of ["pressure/cpu", "pressure/memory", "pressure/io", "pressure/irq", "sys/net/netfilter/nf_conntrack_count", "schedstat", "net/sockstat6", "vmstat"]) delete files[`/proc/${gone}`];
    files["/proc/pressure/cpu"] = "some avg10=0.00 avg60=0.00 avg300=0.00 total=120\n"; // kernel < 5.13: no full line
    const f = byName(await collectHostMetrics(fixtureSource({ files })));
    expect([...f.keys()].filter((n) => n.startsWith("node_pressure_"))).toEqual(["node_pressure_cpu_waiting_seconds_total"]);
    expect(f.has("node_nf_conntrack_entries")).toBe(false);
    expect(f.has("node_nf_conntrack_entries_limit")).toBe(true);
    expect(f.has("node_schedstat_running_seconds_total")).toBe(false);
    expect(f.has("node_sockstat_TCP6_inuse")).toBe(false);
    expect([...f.keys()].some((n) => n.startsWith("node_vmstat_"))).toBe(false);
    expect(value(f.get("node_cpu_seconds_total"), { cpu: "0", mode: "idle" })).toBe(688.27);
  });

  it("reads procfs and sysfs where they are mounted (procPath, sysPath)", async () => {
    const source = fixtureSource({ files: { "/host/proc/loadavg": "4.5 3 2 1/1 1\n", "/host/proc/net/dev": NET_DEV, "/host/sys/class/net/eth0/mtu": "1400\n" } });
    const f = byName(await collectHostMetrics(source, { procPath: "/host/proc/", sysPath: "/host/sys" }));
    expect(value(f.get("node_load1"))).toBe(4.5);
    expect(f.get("node_network_mtu_bytes")!.samples.map((s) => [s.labels.device, s.value])).toEqual([["eth0", 1400]]);
  });
});

describe("collectHostMetrics without /proc", () => {
  it("falls back to the os module on Linux when a file is unreadable", async () => {
    const source = fixtureSource({ files: {} });
    const f = byName(await collectHostMetrics(source));
    expect(f.get("node_cpu_seconds_total")!.samples.map((s) => [s.labels.mode, s.value])).toEqual([
      ["user", 1.5],
      ["nice", 0],
      ["system", 0.7],
      ["idle", 90],
      ["irq", 0.01],
    ]);
    expect(value(f.get("node_load15"))).toBe(3);
    expect(value(f.get("node_memory_MemTotal_bytes"))).toBe(8 * 2 ** 30);
    expect(f.has("node_memory_MemAvailable_bytes")).toBe(false);
    // No mount table: the root filesystem only.
    expect(f.get("node_filesystem_size_bytes")!.samples).toEqual([{ name: "node_filesystem_size_bytes", labels: { device: "", fstype: "", mountpoint: "/" }, value: 4096 * 1000 }]);
    expect(f.has("node_disk_read_bytes_total")).toBe(false);
    expect(f.has("node_context_switches_total")).toBe(false);
    expect(value(f.get("node_boot_time_seconds"))).toBe(Math.round(NOW / 1000 - 3600));
  });

  it("on macOS reports what os offers and the root filesystem, without reading /proc", async () => {
    const read: string[] = [];
    const source = fixtureSource({ platform: "darwin", fs: { "/": { bsize: 4096, blocks: 100, bfree: 50, bavail: 40 } } });
    const f = byName(await collectHostMetrics({ ...source, readFile: async (p) => (read.push(p), null) }));
    expect(read).toEqual([]);
    expect(value(f.get("node_filesystem_avail_bytes"), { mountpoint: "/" })).toBe(40 * 4096);
    expect(value(f.get("node_load1"))).toBe(1);
    expect(f.get("node_uname_info")!.samples).toHaveLength(1);
  });

  it("leaves load out on Windows (os.loadavg is always zeros there)", async () => {
    const f = byName(await collectHostMetrics(fixtureSource({ platform: "win32" })));
    expect(f.has("node_load1")).toBe(false);
    expect(f.has("node_filesystem_size_bytes")).toBe(false);
    expect(f.has("node_cpu_seconds_total")).toBe(true);
  });
});

describe("renderTextFormat", () => {
  it("escapes HELP and label values, formats values as Prometheus does and drops empty families", () => {
    const body = renderTextFormat([
      { name: "a", help: 'back\\slash\nnew "line"', type: "gauge", samples: [{ labels: { path: 'C:\\x "q"\n' }, value: 1e21 }, { value: Number.NaN }] },
      { name: "empty", help: "nothing", type: "counter", samples: [] },
      { name: "b_total", help: "", type: "counter", samples: [{ value: Infinity }] },
    ]);
    expect(body).toBe(
      '# HELP a back\\\\slash\\nnew "line"\n# TYPE a gauge\na{path="C:\\\\x \\"q\\"\\n"} 1000000000000000000000\na NaN\n# HELP b_total \n# TYPE b_total counter\nb_total +Inf\n',
    );
    const parsed = parsePrometheusText(body).families;
    expect(parsed.map((x) => x.name)).toEqual(["a", "b_total"]);
    expect(parsed[0]!.help).toBe('back\\slash\nnew "line"');
    expect(parsed[0]!.samples[0]!.labels.path).toBe('C:\\x "q"\n');
  });
});
