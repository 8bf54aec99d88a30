/** Realistic /proc file contents (a 2-CPU VM, kernel 6.x) for the host collector's tests. */

// A 2-CPU VM (kernel 6.x): the aggregate line, per-CPU lines with 10 columns, interrupts, btime…
export const PROC_STAT = `cpu  4435 0 1655 137646 291 0 171 1 0 0
cpu0 2186 0 815 68827 154 0 74 0 0 0
cpu1 2249 12 840 68818 136 3 97 1 0 0
intr 824518 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 1 1 0 0 1 1 145 32
ctxt 1918841
btime 1767225600
processes 9912
procs_running 3
procs_blocked 1
softirq 412345 0 100 2 3000 0 0 5 200 0 9000
`;

export const LOADAVG = "0.07 0.14 0.09 1/172 9828\n";

// Every field of a 6.x kernel's meminfo (HardwareCorrupted: CONFIG_MEMORY_FAILURE).
export const MEMINFO = `MemTotal:       24731400 kB
MemFree:        22533532 kB
MemAvailable:   24102344 kB
Buffers:          138820 kB
Cached:          1531588 kB
SwapCached:            0 kB
Active:           671316 kB
Inactive:        1262040 kB
Active(anon):       3120 kB
Inactive(anon):   262724 kB
Active(file):     668196 kB
Inactive(file):   999316 kB
Unevictable:       12840 kB
Mlocked:            9444 kB
SwapTotal:       2097148 kB
SwapFree:        2097000 kB
Zswap:                 0 kB
Zswapped:              0 kB
Dirty:               164 kB
Writeback:             0 kB
AnonPages:        258772 kB
Mapped:           135524 kB
Shmem:             16464 kB
KReclaimable:     152752 kB
Slab:             191180 kB
SReclaimable:     152752 kB
SUnreclaim:        38428 kB
KernelStack:        2672 kB
PageTables:         3736 kB
SecPageTables:         0 kB
NFS_Unstable:          0 kB
Bounce:                0 kB
WritebackTmp:          0 kB
CommitLimit:    14462848 kB
Committed_AS:    1007328 kB
VmallocTotal:   34359738367 kB
VmallocUsed:        6948 kB
VmallocChunk:          0 kB
Percpu:              720 kB
HardwareCorrupted:     0 kB
AnonHugePages:         0 kB
ShmemHugePages:        0 kB
ShmemPmdMapped:        0 kB
FileHugePages:      6144 kB
FilePmdMapped:         0 kB
HugePages_Total:       0
HugePages_Free:        0
HugePages_Rsvd:        0
HugePages_Surp:        0
Hugepagesize:       2048 kB
Hugetlb:               0 kB
DirectMap4k:       20480 kB
DirectMap2M:     2076672 kB
DirectMap1G:    25165824 kB
`;

export const MOUNTS = `proc /proc proc rw,relatime 0 0
sysfs /sys sysfs rw,relatime 0 0
devtmpfs /dev devtmpfs rw,relatime,size=12358600k,nr_inodes=3089650,mode=755 0 0
tmpfs /dev/shm tmpfs rw,relatime,size=24731400k 0 0
devpts /dev/pts devpts rw,relatime,mode=600,ptmxmode=000 0 0
/dev/vda / ext4 rw,relatime,discard 0 0
/dev/vdb1 /srv/My\\040Data xfs rw,relatime 0 0
tmpfs /run tmpfs rw,nosuid,nodev,size=4946280k,mode=755 0 0
cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0
/dev/vda /etc/hosts ext4 rw,relatime,discard 0 0
/dev/loop3 /snap/core22/1380 squashfs ro,nodev,relatime 0 0
overlay /var/lib/docker/overlay2/abc/merged overlay rw,relatime,lowerdir=/x 0 0
/dev/vdc /boot ext4 rw,relatime 0 0
/dev/vdd /boot vfat rw,relatime 0 0
`;

export const DISKSTATS = `   7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
   1       0 ram0 0 0 0 0 0 0 0 0 0 0 0
 254       0 vda 30336 8239 1680194 2948 28340 93742 4303136 16441 0 3908 19930 9672 30 750160 401 5330 139
 254      16 vdb 100 0 2048 12 50 0 1024 8 2 1500 20
 254      17 vdb1 90 0 2000 11 45 0 1000 7 0 1400 18
 259       0 nvme0n1 5 0 80 1 0 0 0 0 0 2 1 0 0 0 0
 259       1 nvme0n1p1 5 0 80 1 0 0 0 0 0 2 1 0 0 0 0
 253       0 dm-0 7 0 56 0 3 0 24 0 0 10 0 0 0 0 0
 253       1 zram0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
`;

export const NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:   49308     703    0    0    0     0          0         0    49308     703    0    0    0     0       0          0
  eth0: 240943196    8720    2    1    0     0          0         0   818005    5593    4    3    0     0       0          0
ens3:1234 10 0 0 0 0 0 0 5678 20 0 0 0 0 0 0
`;

// PSI (kernel 4.20+): cpu's "full" line since 5.13; irq (6.1+, CONFIG_IRQ_TIME_ACCOUNTING) has only "full".
export const PRESSURE_CPU = `some avg10=1.53 avg60=0.87 avg300=0.43 total=441049536
full avg10=0.00 avg60=0.00 avg300=0.00 total=0
`;
export const PRESSURE_MEMORY = `some avg10=0.00 avg60=0.00 avg300=0.00 total=3463792
full avg10=0.00 avg60=0.00 avg300=0.00 total=1429641
`;
export const PRESSURE_IO = `some avg10=0.12 avg60=0.09 avg300=0.14 total=7162244
full avg10=0.05 avg60=0.04 avg300=0.06 total=5267159
`;
export const PRESSURE_IRQ = "full avg10=0.00 avg60=0.00 avg300=0.00 total=23458\n";

// An excerpt of /proc/vmstat (the real file has ~190 lines).
export const VMSTAT = `nr_free_pages 5633383
nr_zone_inactive_anon 65681
nr_dirty 41
nr_written 1860165
nr_dirtied 2027097
pgpgin 1098029
pgpgout 4621012
pswpin 12
pswpout 37
pgalloc_normal 81234567
pgfault 57799634
pgmajfault 930
pgsteal_kswapd 0
pgscan_kswapd 0
oom_kill 1
thp_fault_alloc 4480
`;

export const FILE_NR = "2525\t0\t2471007\n";

export const SOCKSTAT = `sockets: used 217
TCP: inuse 77 orphan 0 tw 134 alloc 89 mem 183
UDP: inuse 3 mem 4
UDPLITE: inuse 0
RAW: inuse 0
FRAG: inuse 0 memory 0
`;

export const SOCKSTAT6 = `TCP6: inuse 11
UDP6: inuse 2
UDPLITE6: inuse 0
RAW6: inuse 0
FRAG6: inuse 0 memory 0
`;

export const NETSTAT = `TcpExt: SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts PruneCalled RcvPruned OfoPruned OutOfWindowIcmps LockDroppedIcmps ArpFilter TW TWRecycled TWKilled PAWSActive PAWSEstab BeyondWindow TSEcrRejected PAWSOldAck PAWSTimewait DelayedACKs DelayedACKLocked DelayedACKLost ListenOverflows ListenDrops TCPHPHits TCPPureAcks TCPHPAcks TCPRenoRecovery TCPSackRecovery TCPSACKReneging TCPSACKReorder TCPRenoReorder TCPTSReorder TCPFullUndo TCPPartialUndo TCPDSACKUndo TCPLossUndo TCPLostRetransmit TCPRenoFailures TCPSackFailures TCPLossFailures TCPFastRetrans TCPSlowStartRetrans TCPTimeouts TCPLossProbes TCPLossProbeRecovery TCPRenoRecoveryFail TCPSackRecoveryFail TCPRcvCollapsed TCPBacklogCoalesce TCPDSACKOldSent TCPDSACKOfoSent TCPDSACKRecv TCPDSACKOfoRecv TCPAbortOnData TCPAbortOnClose TCPAbortOnMemory TCPAbortOnTimeout TCPAbortOnLinger TCPAbortFailed TCPMemoryPressures TCPMemoryPressuresChrono TCPSACKDiscard TCPDSACKIgnoredOld TCPDSACKIgnoredNoUndo TCPSpuriousRTOs TCPMD5NotFound TCPMD5Unexpected TCPMD5Failure TCPSackShifted TCPSackMerged TCPSackShiftFallback TCPBacklogDrop PFMemallocDrop TCPMinTTLDrop TCPDeferAcceptDrop IPReversePathFilter TCPTimeWaitOverflow TCPReqQFullDoCookies TCPReqQFullDrop TCPRetransFail TCPRcvCoalesce TCPOFOQueue TCPOFODrop TCPOFOMerge TCPChallengeACK TCPSYNChallenge TCPFastOpenActive TCPFastOpenActiveFail TCPFastOpenPassive TCPFastOpenPassiveFail TCPFastOpenListenOverflow TCPFastOpenCookieReqd TCPFastOpenBlackhole TCPSpuriousRtxHostQueues BusyPollRxPackets TCPAutoCorking TCPFromZeroWindowAdv TCPToZeroWindowAdv TCPWantZeroWindowAdv TCPSynRetrans TCPOrigDataSent TCPHystartTrainDetect TCPHystartTrainCwnd TCPHystartDelayDetect TCPHystartDelayCwnd TCPACKSkippedSynRecv TCPACKSkippedPAWS TCPACKSkippedSeq TCPACKSkippedFinWait2 TCPACKSkippedTimeWait TCPACKSkippedChallenge TCPWinProbe TCPKeepAlive TCPMTUPFail TCPMTUPSuccess TCPDelivered TCPDeliveredCE TCPAckCompressed TCPZeroWindowDrop TCPRcvQDrop TCPWqueueTooBig TCPFastOpenPassiveAltKey TcpTimeoutRehash TcpDuplicateDataRehash TCPDSACKRecvSegs TCPDSACKIgnoredDubious TCPMigrateReqSuccess TCPMigrateReqFailure TCPPLBRehash
TcpExt: 0 0 0 0 0 0 0 0 0 0 1094 0 0 0 0 0 0 0 0 2538 1 418 3 5 67480 7808 75678 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 2 217 0 0 0 0 405 418 0 171 0 37 6 0 0 0 0 0 0 0 0 169 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 12695 7 0 0 0 0 0 0 0 0 0 0 0 2 0 1 85 85 121 9 112810 0 0 0 0 0 0 0 0 0 0 0 171 0 0 114103 0 0 0 0 0 0 2 0 171 0 0 0 0
IpExt: InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts InBcastPkts OutBcastPkts InOctets OutOctets InMcastOctets OutMcastOctets InBcastOctets OutBcastOctets InCsumErrors InNoECTPkts InECT1Pkts InECT0Pkts InCEPkts ReasmOverlaps
IpExt: 0 0 0 0 0 0 621101006 263784037 0 0 0 0 0 149439 0 0 0 0
`;

export const SNMP = `Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams InUnknownProtos InDiscards InDelivers OutRequests OutDiscards OutNoRoutes ReasmTimeout ReasmReqds ReasmOKs ReasmFails FragOKs FragFails FragCreates OutTransmits
Ip: 2 64 149425 0 0 0 0 0 149425 144299 0 0 0 0 0 0 0 0 0 144299
Icmp: InMsgs InErrors InCsumErrors InDestUnreachs InTimeExcds InParmProbs InSrcQuenchs InRedirects InEchos InEchoReps InTimestamps InTimestampReps InAddrMasks InAddrMaskReps OutMsgs OutErrors OutRateLimitGlobal OutRateLimitHost OutDestUnreachs OutTimeExcds OutParmProbs OutSrcQuenchs OutRedirects OutEchos OutEchoReps OutTimestamps OutTimestampReps OutAddrMasks OutAddrMaskReps
Icmp: 4 0 0 1 0 0 0 0 3 0 0 0 0 0 3 0 0 0 0 0 0 0 0 0 3 0 0 0 0
IcmpMsg: InType3 InType8 OutType0
IcmpMsg: 1 3 3
Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors
Tcp: 1 200 120000 -1 1221 1131 58 41 52 147894 142944 171 0 130 0
Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
Udp: 1530 2 0 1531 0 0 0 0 0
UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
UdpLite: 0 0 0 0 0 0 0 0 0
`;

// Version 15: per CPU, 9 numbers (the last three: ns running, ns waiting, timeslices), then its domains.
export const SCHEDSTAT = `version 15
timestamp 4295529810
cpu0 0 0 0 0 0 0 2931442553 612553209 186742
domain0 00000003 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
cpu1 0 0 0 0 0 0 2804711187 588227421 179218
domain0 00000003 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
`;

// Kernel 6.x: 15 hex columns; the 13th is the CPU.
export const SOFTNET_STAT = `0001012e 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000
0001469f 00000002 00000011 00000000 00000000 00000000 00000000 00000000 00000000 0000001a 00000003 00000000 00000001 00000000 00000000
`;

export const ARP = `IP address       HW type     Flags       HW address            Mask     Device
192.0.2.1        0x1         0x2         02:fc:00:00:00:05     *        eth0
192.0.2.7        0x1         0x2         02:fc:00:00:00:07     *        eth0
10.0.3.1         0x1         0x2         52:54:00:12:35:02     *        ens3
`;

// UDP sockets: a resolver, a DHCP client with 0x340 bytes waiting to be read, a connected socket sending 0x100.
export const NET_UDP = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  123: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 18384 2 0000000000000000 0
  456: 00000000:0044 00000000:0000 07 00000000:00000340 00:00000000 00000000     0        0 19042 2 0000000000000000 0
 7890: 0100007F:1F90 0100007F:C350 01 00000100:00000000 00:00000000 00000000  1000        0 22001 2 0000000000000000 0
`;

export const NET_UDP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  311: 00000000000000000000000000000000:0222 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 20871 2 0000000000000000 0
`;

/** Every fixture at its path under `proc` (default /proc): what a HostSource's readFile serves. */
export function procFixtureFiles(proc = "/proc"): Record<string, string> {
  const files: Record<string, string> = {
    stat: PROC_STAT,
    loadavg: LOADAVG,
    meminfo: MEMINFO,
    mounts: MOUNTS,
    diskstats: DISKSTATS,
    "net/dev": NET_DEV,
    "pressure/cpu": PRESSURE_CPU,
    "pressure/memory": PRESSURE_MEMORY,
    "pressure/io": PRESSURE_IO,
    "pressure/irq": PRESSURE_IRQ,
    vmstat: VMSTAT,
    "sys/fs/file-nr": FILE_NR,
    "net/sockstat": SOCKSTAT,
    "net/sockstat6": SOCKSTAT6,
    "net/netstat": NETSTAT,
    "net/snmp": SNMP,
    schedstat: SCHEDSTAT,
    "net/softnet_stat": SOFTNET_STAT,
    "net/arp": ARP,
    "sys/kernel/random/entropy_avail": "256\n",
    "sys/kernel/random/poolsize": "256\n",
    "sys/net/netfilter/nf_conntrack_count": "42\n",
    "sys/net/netfilter/nf_conntrack_max": "262144\n",
    "sys/kernel/pid_max": "4194304\n",
    "sys/kernel/threads-max": "193107\n",
    "net/udp": NET_UDP,
    "net/udp6": NET_UDP6,
  };
  return Object.fromEntries(Object.entries(files).map(([name, text]) => [`${proc}/${name}`, text]));
}

/**
 * /sys/class/net of NET_DEV's interfaces under `sys` (default /sys): lo has no speed (the kernel
 * answers EINVAL), eth0 is a 10 Gb/s link that is up, ens3 is down (no carrier, speed -1); and
 * the two CPUs' cpufreq.
 */
export function sysFixtureFiles(sys = "/sys"): Record<string, string> {
  const devices: Record<string, Record<string, string>> = {
    lo: { mtu: "65536", carrier: "1", operstate: "unknown", "statistics/rx_nohandler": "0" },
    eth0: { mtu: "1500", carrier: "1", speed: "10000", operstate: "up", "statistics/rx_nohandler": "3" },
    ens3: { mtu: "9000", speed: "-1", operstate: "down", "statistics/rx_nohandler": "0" },
  };
  const net = Object.entries(devices).flatMap(([device, files]) => Object.entries(files).map(([name, text]) => [`${sys}/class/net/${device}/${name}`, `${text}\n`]));
  // cpufreq in kHz: CPU 0 at 2.1 GHz, CPU 1 idling at 800 MHz; both 800 MHz–3.5 GHz.
  const freq = [
    ["0", "2100000"],
    ["1", "800000"],
  ].flatMap(([cpu, cur]) =>
    Object.entries({ scaling_cur_freq: cur!, scaling_max_freq: "3500000", scaling_min_freq: "800000" }).map(([name, khz]) => [`${sys}/devices/system/cpu/cpu${cpu}/cpufreq/${name}`, `${khz}\n`]),
  );
  return Object.fromEntries([...net, ...freq]);
}

/** procfs and sysfs fixtures together, at /proc and /sys. */
export function hostFixtureFiles(): Record<string, string> {
  return { ...procFixtureFiles(), ...sysFixtureFiles() };
}
