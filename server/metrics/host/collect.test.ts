import { describe, expect, it } from "vitest";
import { parsePrometheusText, type MetricFamily } from "@/server/metrics/exposition";
import { collectHostMetrics, type FsStats, type HostSource } from "./collect";
import { DISKSTATS, LOADAVG, MEMINFO, MOUNTS, NET_DEV, PROC_STAT } from "./procfs.fixture";
import { renderTextFormat } from "./text-format";

const NOW = 1_767_300_000_123;

function fixtureSource(over: Partial<HostSource> & { files?: Record<string, string>; fs?: Record<string, FsStats | null> } = {}): HostSource & { statfsCalls: string[] } {
  const files = over.files ?? {
    "/proc/stat": PROC_STAT,
    "/proc/loadavg": LOADAVG,
    "/proc/meminfo": MEMINFO,
    "/proc/mounts": MOUNTS,
    "/proc/diskstats": DISKSTATS,
    "/proc/net/dev": NET_DEV,
  };
  const fs = over.fs ?? {
    "/": { bsize: 4096, blocks: 1000, bfree: 400, bavail: 350 },
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
    const types = Object.fromEntries([...f].map(([name, fam]) => [name, fam.type]));
    expect(types).toEqual({
      node_cpu_seconds_total: "counter",
      node_load1: "gauge",
      node_load5: "gauge",
      node_load15: "gauge",
      node_memory_MemTotal_bytes: "gauge",
      node_memory_MemFree_bytes: "gauge",
      node_memory_MemAvailable_bytes: "gauge",
      node_memory_Buffers_bytes: "gauge",
      node_memory_Cached_bytes: "gauge",
      node_memory_SwapTotal_bytes: "gauge",
      node_memory_SwapFree_bytes: "gauge",
      node_filesystem_size_bytes: "gauge",
      node_filesystem_avail_bytes: "gauge",
      node_filesystem_free_bytes: "gauge",
      node_disk_reads_completed_total: "counter",
      node_disk_writes_completed_total: "counter",
      node_disk_read_bytes_total: "counter",
      node_disk_written_bytes_total: "counter",
      node_disk_io_time_seconds_total: "counter",
      node_network_receive_bytes_total: "counter",
      node_network_transmit_bytes_total: "counter",
      node_network_receive_packets_total: "counter",
      node_network_transmit_packets_total: "counter",
      node_network_receive_errs_total: "counter",
      node_network_transmit_errs_total: "counter",
      node_boot_time_seconds: "gauge",
      node_time_seconds: "gauge",
      node_uname_info: "gauge",
      node_context_switches_total: "counter",
      node_procs_running: "gauge",
    });
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

    const size = f.get("node_filesystem_size_bytes")!;
    expect(size.samples.map((s) => s.labels)).toEqual([
      { device: "/dev/vda", fstype: "ext4", mountpoint: "/" },
      { device: "/dev/vdb1", fstype: "xfs", mountpoint: "/srv/My Data" },
    ]);
    expect(source.statfsCalls.sort()).toEqual(["/", "/boot", "/srv/My Data"]);
    expect(value(size, { mountpoint: "/" })).toBe(4096 * 1000);
    expect(value(f.get("node_filesystem_avail_bytes"), { mountpoint: "/" })).toBe(4096 * 350);
    expect(value(f.get("node_filesystem_free_bytes"), { mountpoint: "/" })).toBe(4096 * 400);

    const read = f.get("node_disk_read_bytes_total")!;
    expect(read.samples.map((s) => s.labels.device)).toEqual(["vda", "vdb", "nvme0n1", "dm-0"]);
    expect(value(read, { device: "vda" })).toBe(1680194 * 512);
    expect(value(f.get("node_disk_written_bytes_total"), { device: "vda" })).toBe(4303136 * 512);
    expect(value(f.get("node_disk_reads_completed_total"), { device: "vda" })).toBe(30336);
    expect(value(f.get("node_disk_writes_completed_total"), { device: "vda" })).toBe(28340);
    expect(value(f.get("node_disk_io_time_seconds_total"), { device: "vda" })).toBe(3.908);

    expect(value(f.get("node_network_receive_bytes_total"), { device: "eth0" })).toBe(240943196);
    expect(value(f.get("node_network_transmit_bytes_total"), { device: "eth0" })).toBe(818005);
    expect(value(f.get("node_network_receive_packets_total"), { device: "eth0" })).toBe(8720);
    expect(value(f.get("node_network_transmit_packets_total"), { device: "eth0" })).toBe(5593);
    expect(value(f.get("node_network_receive_errs_total"), { device: "eth0" })).toBe(2);
    expect(value(f.get("node_network_transmit_errs_total"), { device: "eth0" })).toBe(4);
    expect(f.get("node_network_receive_bytes_total")!.samples.map((s) => s.labels.device)).toEqual(["lo", "eth0", "ens3"]);

    expect(value(f.get("node_boot_time_seconds"))).toBe(1767225600);
    expect(value(f.get("node_time_seconds"))).toBe(NOW / 1000);
    expect(f.get("node_uname_info")!.samples).toEqual([{ name: "node_uname_info", labels: { machine: "x86_64", nodename: "web-1", release: "6.18.44", sysname: "Linux" }, value: 1 }]);
    expect(value(f.get("node_context_switches_total"))).toBe(1918841);
    expect(value(f.get("node_procs_running"))).toBe(3);
  });

  it("reads procfs where it is mounted (procPath)", async () => {
    const source = fixtureSource({ files: { "/host/proc/loadavg": "4.5 3 2 1/1 1\n" } });
    const f = byName(await collectHostMetrics(source, { procPath: "/host/proc/" }));
    expect(value(f.get("node_load1"))).toBe(4.5);
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
