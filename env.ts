import { z } from "zod";

/**
 * The only reader of process.env. Parsed lazily so that `next build` and unit tests can import
 * modules without a running environment; the first access validates and caches.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().positive().default(3000),
  DATABASE_URL: z.string().min(1).optional(),
  REDIS_URL: z.string().min(1).optional(),
  /** Prefix for every Redis key and BullMQ queue, so test runs and consoles never collide. */
  LOOKOUT_REDIS_PREFIX: z.string().min(1).default("lookout"),
  LOOKOUT_DATA_DIR: z.string().min(1).default(".data"),
  /** Secret for session signing. The launcher generates and persists one when unset. */
  LOOKOUT_SECRET: z.string().min(16).optional(),
  /** Public URL of the console (for auth callbacks and printed links). */
  LOOKOUT_BASE_URL: z.string().url().optional(),
  /** Extra origins allowed to post to the auth endpoints, comma separated. */
  LOOKOUT_TRUSTED_ORIGINS: z.string().default(""),
  LOOKOUT_ADMIN_EMAIL: z.string().email().default("admin@lookout.local"),
  LOOKOUT_ADMIN_PASSWORD: z.string().min(8).optional(),
  /** The demo workload (a simulated shop sending logs and exposing /metrics) in the workers process.
   *  Off unless asked: `npm start` passes 1 unless LOOKOUT_DEMO=0 is set; tests and e2e never ask. */
  LOOKOUT_DEMO: z.enum(["0", "1"]).default("0"),
  /** Where the demo app serves its /metrics (loopback by default). */
  LOOKOUT_DEMO_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  LOOKOUT_DEMO_BIND: z.string().default("127.0.0.1"),
  /** Average simulated shop requests per second (each gives 2–4 log events; a daily curve varies it ±60 %). */
  LOOKOUT_DEMO_RATE: z.coerce.number().positive().max(1000).default(2),
  LOOKOUT_CONFIG: z.string().optional(),
  /** Syslog listener (TCP and UDP) in the workers process; 0 turns it off. */
  LOOKOUT_SYSLOG_PORT: z.coerce.number().int().min(0).default(5514),
  /** Syslog is unauthenticated: it listens on loopback unless told otherwise (e.g. 0.0.0.0). */
  LOOKOUT_SYSLOG_BIND: z.string().default("127.0.0.1"),
  LOOKOUT_SYSLOG_SOURCE: z.string().default("syslog"),
  /** Zone of RFC 3164 timestamps (they carry none). */
  LOOKOUT_SYSLOG_TIMEZONE: z.string().default("UTC"),
  /** Failed sign-ins allowed per account (and 4x that per IP) in LOOKOUT_LOGIN_WINDOW_SECONDS. */
  LOOKOUT_LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOOKOUT_LOGIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  /** Ingest limits: request body (after decompression), events per request, events/s per API key. */
  LOOKOUT_INGEST_MAX_BODY_BYTES: z.coerce.number().int().positive().default(16 * 1024 * 1024),
  LOOKOUT_INGEST_MAX_EVENTS: z.coerce.number().int().positive().default(20_000),
  LOOKOUT_INGEST_RATE_PER_KEY: z.coerce.number().int().positive().default(200_000),
  /** Waiting logs-ingest batches above which ingest answers 429 (back-pressure). ~75 batches of
   *  2,000 events is what one worker process commits in under 5 s: the searchable-within-5-s budget. */
  LOOKOUT_INGEST_HIGH_WATER: z.coerce.number().int().positive().default(75),
  /** BullMQ job lock: a job of a worker that died is handed to another worker after about this long. */
  LOOKOUT_JOB_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Metrics: at most this many series per metric name; samples of further new series are rejected. */
  LOOKOUT_METRICS_MAX_SERIES_PER_METRIC: z.coerce.number().int().positive().default(100_000),
  /** Metrics head window: hours older than this are compacted into per-series chunks. */
  LOOKOUT_METRICS_HEAD_WINDOW_MS: z.coerce.number().int().min(3_600_000).default(7_200_000),
  /** Metrics: long-range queries read 5m/1h rollups of compacted hours where exact ("off": always raw samples). */
  LOOKOUT_METRICS_ROLLUPS: z.enum(["on", "off"]).default("on"),
  /** Raw metric samples older than this (days) are refused at ingest and removed by retention: the seed default of Settings → Retention (saved settings win). */
  LOOKOUT_METRICS_RAW_RETENTION_DAYS: z.coerce.number().int().positive().default(15),
  /** Cold tier (archived log days): a local directory (default: <LOOKOUT_DATA_DIR>/archive)... */
  LOOKOUT_ARCHIVE_DIR: z.string().min(1).optional(),
  /** ...or an S3-compatible bucket when LOOKOUT_ARCHIVE_S3_BUCKET is set (endpoint unset = AWS). */
  LOOKOUT_ARCHIVE_S3_BUCKET: z.string().min(1).optional(),
  LOOKOUT_ARCHIVE_S3_ENDPOINT: z.string().url().optional(),
  LOOKOUT_ARCHIVE_S3_REGION: z.string().min(1).default("us-east-1"),
  LOOKOUT_ARCHIVE_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  LOOKOUT_ARCHIVE_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Key prefix inside the bucket (e.g. "lookout/"). */
  LOOKOUT_ARCHIVE_S3_PREFIX: z.string().default(""),
  /** Path-style URLs (http://host/bucket/key), as MinIO and most self-hosted stores want. */
  LOOKOUT_ARCHIVE_S3_FORCE_PATH_STYLE: z.enum(["0", "1"]).default("1"),
  /** The retention run's schedule: every this many minutes (it also runs on demand). */
  LOOKOUT_RETENTION_INTERVAL_MINUTES: z.coerce.number().int().min(1).default(60),
  /**
   * Disk watermarks: ingestion answers 429 (and an alert fires) while the free space of the data
   * directory's file system is below LOOKOUT_DISK_MIN_FREE_BYTES or LOOKOUT_DISK_MIN_FREE_PERCENT,
   * or the database is larger than LOOKOUT_DB_MAX_BYTES. 0 = that check is off.
   */
  LOOKOUT_DISK_MIN_FREE_BYTES: z.coerce.number().int().min(0).default(1024 * 1024 * 1024),
  LOOKOUT_DISK_MIN_FREE_PERCENT: z.coerce.number().min(0).max(100).default(0),
  LOOKOUT_DB_MAX_BYTES: z.coerce.number().int().min(0).default(0),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    // An empty variable (`DATABASE_URL= cmd`) means "unset", as in most tools.
    const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
    const parsed = EnvSchema.safeParse(raw);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid environment: ${details}`);
    }
    cached = parsed.data;
  }
  return cached;
}

export function requireEnv<K extends keyof Env>(key: K): NonNullable<Env[K]> {
  const value = env()[key];
  if (value === undefined || value === null || value === "") {
    throw new Error(`${String(key)} is not set (npm start sets it; see README "Configuration")`);
  }
  return value as NonNullable<Env[K]>;
}

/** For tests and the launcher, which change the environment before the first read. */
export function resetEnvCache(): void {
  cached = undefined;
}
