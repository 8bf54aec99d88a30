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

export const MEMINFO = `MemTotal:       24731400 kB
MemFree:        22533532 kB
MemAvailable:   24102344 kB
Buffers:          138820 kB
Cached:          1531588 kB
SwapCached:            0 kB
Active(anon):       3120 kB
SwapTotal:       2097148 kB
SwapFree:        2097000 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
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
