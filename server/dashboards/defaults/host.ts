/**
 * "Host": a machine's CPU, memory, disks and network in the Node Exporter style, over
 * node_exporter's metric names — those of the demo's `host` job (server/metrics/host/, Lookout's
 * own machine), and of any real node_exporter scraped into Lookout. One machine at a time: the
 * `instance` variable lists the `instance` labels of `node_uname_info`.
 */
import { bargauge, dashboard, gauge, Layout, prom, stat, thresholds, timeseries } from "./build";

const I = `instance="$instance"`;
const RI = "$__rate_interval";

const busyThresholds = thresholds("green", ["orange", 75], ["red", 90]);
const tableLegend = (...calcs: ("mean" | "max" | "last" | "min")[]) => ({ displayMode: "table" as const, placement: "bottom" as const, calcs });

/** Cores: one `idle` series per CPU. */
const CORES = `count(node_cpu_seconds_total{${I},mode="idle"})`;
const CPU_BUSY = `100 * (1 - avg(rate(node_cpu_seconds_total{${I},mode="idle"}[${RI}])))`;
const MEM_USED = `100 * (1 - node_memory_MemAvailable_bytes{${I}} / node_memory_MemTotal_bytes{${I}})`;
const fsUsed = (matchers: string) =>
  `100 * (1 - node_filesystem_avail_bytes{${I}${matchers}} / node_filesystem_size_bytes{${I}${matchers}})`;

const layout = new Layout()
  // ---- At a glance
  .add(4, 5, gauge("CPU busy", [prom("A", CPU_BUSY)], { defaults: { unit: "percent", min: 0, max: 100, decimals: 1, thresholds: busyThresholds } }))
  .add(4, 5, gauge("Memory used", [prom("A", MEM_USED)], { description: "Memory not available to new programs (MemTotal − MemAvailable).", defaults: { unit: "percent", min: 0, max: 100, decimals: 1, thresholds: busyThresholds } }))
  .add(4, 5, gauge("Root filesystem used", [prom("A", fsUsed(',mountpoint="/"'))], { defaults: { unit: "percent", min: 0, max: 100, decimals: 1, thresholds: thresholds("green", ["orange", 80], ["red", 90]) } }))
  .add(3, 5, stat("Load (5m)", [prom("A", `node_load5{${I}}`)], { defaults: { unit: "short", decimals: 2 } }))
  .add(3, 5, stat("CPU cores", [prom("A", CORES)], { defaults: { unit: "short", decimals: 0 }, options: { graphMode: "none" } }))
  .add(3, 5, stat("RAM total", [prom("A", `node_memory_MemTotal_bytes{${I}}`)], { defaults: { unit: "bytes" }, options: { graphMode: "none" } }))
  .add(3, 5, stat("Uptime", [prom("A", `time() - node_boot_time_seconds{${I}}`)], { defaults: { unit: "dtdurations", decimals: 0 }, options: { graphMode: "none", colorMode: "none" } }))

  // ---- CPU
  .row("CPU")
  .add(
    12,
    8,
    timeseries(
      "CPU busy by mode",
      [prom("A", `sum by (mode) (rate(node_cpu_seconds_total{${I},mode!="idle"}[${RI}])) / scalar(${CORES})`, "{{mode}}")],
      { description: "Share of all cores' time spent outside idle, by mode.", defaults: { unit: "percentunit", min: 0, max: 1 }, options: { stacking: "normal", fillOpacity: 40, legend: tableLegend("mean", "max") } },
    ),
  )
  .add(
    12,
    8,
    timeseries(
      "Load average",
      [prom("A", `node_load1{${I}}`, "1m"), prom("B", `node_load5{${I}}`, "5m"), prom("C", `node_load15{${I}}`, "15m"), prom("D", CORES, "cores")],
      { defaults: { unit: "short", min: 0 }, overrides: [{ matcher: { id: "byName", options: "cores" }, properties: { color: "red" } }], options: { legend: tableLegend("mean", "max", "last") } },
    ),
  )
  .add(
    12,
    6,
    timeseries("Context switches/s", [prom("A", `rate(node_context_switches_total{${I}}[${RI}])`, "context switches")], { defaults: { unit: "ops" } }),
  )
  .add(12, 6, timeseries("Runnable processes", [prom("A", `node_procs_running{${I}}`, "running")], { defaults: { unit: "short", min: 0, decimals: 0 } }))

  // ---- Memory
  .row("Memory")
  .add(
    12,
    8,
    timeseries(
      "Memory",
      [
        prom("A", `node_memory_MemTotal_bytes{${I}} - node_memory_MemAvailable_bytes{${I}}`, "used"),
        prom("B", `node_memory_Buffers_bytes{${I}} + node_memory_Cached_bytes{${I}}`, "buffers + cache"),
        prom("C", `node_memory_MemAvailable_bytes{${I}}`, "available"),
        prom("D", `node_memory_MemTotal_bytes{${I}}`, "total"),
      ],
      { defaults: { unit: "bytes", min: 0 }, options: { fillOpacity: 10, legend: tableLegend("mean", "max", "last") } },
    ),
  )
  .add(
    12,
    8,
    timeseries(
      "Swap",
      [prom("A", `node_memory_SwapTotal_bytes{${I}} - node_memory_SwapFree_bytes{${I}}`, "used"), prom("B", `node_memory_SwapTotal_bytes{${I}}`, "total")],
      { defaults: { unit: "bytes", min: 0 } },
    ),
  )

  // ---- Disks
  .row("Disks")
  .add(
    8,
    8,
    bargauge("Disk space used", [prom("A", fsUsed(""), "{{mountpoint}}", { instant: true })], {
      description: "Per mounted filesystem: space not available to non-root users.",
      defaults: { unit: "percent", min: 0, max: 100, decimals: 1, thresholds: thresholds("green", ["orange", 80], ["red", 90]) },
      options: { displayMode: "gradient", orientation: "horizontal" },
    }),
  )
  .add(
    16,
    8,
    timeseries("Disk space used over time", [prom("A", fsUsed(""), "{{mountpoint}}")], {
      defaults: { unit: "percent", min: 0, max: 100, thresholds: thresholds("green", ["orange", 80], ["red", 90]) },
      options: { thresholdsStyle: "line", legend: tableLegend("last", "max") },
    }),
  )
  .add(
    8,
    8,
    timeseries(
      "Disk throughput",
      [
        prom("A", `rate(node_disk_read_bytes_total{${I}}[${RI}])`, "{{device}} read"),
        prom("B", `rate(node_disk_written_bytes_total{${I}}[${RI}])`, "{{device}} written"),
      ],
      { defaults: { unit: "binBps", min: 0 }, options: { legend: tableLegend("mean", "max") } },
    ),
  )
  .add(
    8,
    8,
    timeseries(
      "Disk IOPS",
      [
        prom("A", `rate(node_disk_reads_completed_total{${I}}[${RI}])`, "{{device}} reads"),
        prom("B", `rate(node_disk_writes_completed_total{${I}}[${RI}])`, "{{device}} writes"),
      ],
      { defaults: { unit: "iops", min: 0 }, options: { legend: tableLegend("mean", "max") } },
    ),
  )
  .add(
    8,
    8,
    timeseries("Disk busy", [prom("A", `rate(node_disk_io_time_seconds_total{${I}}[${RI}])`, "{{device}}")], {
      description: "Share of time each disk had I/O in flight.",
      defaults: { unit: "percentunit", min: 0, max: 1, thresholds: thresholds("green", ["orange", 0.75], ["red", 0.9]) },
      options: { legend: tableLegend("mean", "max") },
    }),
  )

  // ---- Network
  .row("Network")
  .add(
    12,
    8,
    timeseries(
      "Network traffic",
      [
        prom("A", `rate(node_network_receive_bytes_total{${I},device!="lo"}[${RI}])`, "{{device}} received"),
        prom("B", `rate(node_network_transmit_bytes_total{${I},device!="lo"}[${RI}])`, "{{device}} sent"),
      ],
      { defaults: { unit: "binBps", min: 0 }, options: { legend: tableLegend("mean", "max", "last") } },
    ),
  )
  .add(
    12,
    8,
    timeseries(
      "Network packets",
      [
        prom("A", `rate(node_network_receive_packets_total{${I},device!="lo"}[${RI}])`, "{{device}} received"),
        prom("B", `rate(node_network_transmit_packets_total{${I},device!="lo"}[${RI}])`, "{{device}} sent"),
      ],
      { defaults: { unit: "pps", min: 0 }, options: { legend: tableLegend("mean", "max") } },
    ),
  )
  .add(
    24,
    6,
    timeseries(
      "Network errors",
      [
        prom("A", `rate(node_network_receive_errs_total{${I}}[${RI}])`, "{{device}} receive errors"),
        prom("B", `rate(node_network_transmit_errs_total{${I}}[${RI}])`, "{{device}} transmit errors"),
      ],
      { defaults: { unit: "pps", min: 0 }, options: { drawStyle: "bars", fillOpacity: 80 } },
    ),
  );

export const hostDashboard = dashboard({
  title: "Host",
  description: "CPU, memory, disks and network of one machine (node_exporter metrics; the demo's `host` job reports Lookout's own machine).",
  tags: ["host", "node-exporter"],
  time: { from: "now-1h", to: "now" },
  refresh: "30s",
  variables: [
    {
      type: "query",
      name: "instance",
      label: "Instance",
      datasource: "promql",
      query: "label_values(node_uname_info, instance)",
      sort: "alpha-asc",
      refresh: "load",
    },
  ],
  panels: layout.build(),
});
