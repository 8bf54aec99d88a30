/** The host collector: the machine's own metrics in node_exporter's names (see collect.ts). */
export { collectHostMetrics, hostFamilies, nodeHostSource, HOST_METRICS_CONTENT_TYPE, type FsStats, type HostSource, type Uname } from "./collect";
