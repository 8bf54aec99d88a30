CREATE TABLE "log_archives" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source_id" uuid NOT NULL,
	"day" date NOT NULL,
	"key" text NOT NULL,
	"generation" integer NOT NULL,
	"schema_version" integer NOT NULL,
	"events" bigint NOT NULL,
	"blocks" integer NOT NULL,
	"raw_bytes" bigint NOT NULL,
	"bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"min_ts" timestamp with time zone NOT NULL,
	"max_ts" timestamp with time zone NOT NULL,
	"archived_at" timestamp with time zone DEFAULT now() NOT NULL,
	"restored_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "retention_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"trigger" text NOT NULL,
	"actor" text,
	"status" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"summary" jsonb,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "retention_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"metrics_raw_days" integer DEFAULT 15 NOT NULL,
	"metrics_5m_days" integer DEFAULT 90 NOT NULL,
	"metrics_1h_days" integer DEFAULT 365 NOT NULL,
	"audit_days" integer DEFAULT 365 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "retention_settings_single_row" CHECK ("retention_settings"."id" = 1)
);
--> statement-breakpoint
-- Retention drops whole partitions, never rows (DESIGN.md). The tables it ages out are rebuilt
-- partitioned, their rows copied: log_blocks by day and then by source (a source's day is one
-- leaf), metric_chunks by day, metric_rollups_5m by day, metric_rollups_1h by month, audit_log by
-- month (with a default partition so an audit write never fails).
-- Each old table is renamed away (with its partitions and the sequence kept), the new one created
-- under the old name, the rows copied and the old table dropped.
CREATE OR REPLACE FUNCTION lookout_rename_away(t text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = t::regclass LOOP
    EXECUTE format('ALTER TABLE %I RENAME TO %I', r.relname, left(r.relname, 50) || '_v0');
  END LOOP;
  FOR r IN SELECT c.relname FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = t::regclass LOOP
    EXECUTE format('ALTER INDEX %I RENAME TO %I', r.relname, left(r.relname, 50) || '_v0');
  END LOOP;
  EXECUTE format('ALTER TABLE %I RENAME TO %I', t, t || '_v0');
END;
$$;
--> statement-breakpoint
ALTER SEQUENCE "log_blocks_id_seq" OWNED BY NONE;--> statement-breakpoint
SELECT lookout_rename_away('log_blocks');--> statement-breakpoint
CREATE TABLE "log_blocks" (LIKE "log_blocks_v0" INCLUDING DEFAULTS INCLUDING STORAGE) PARTITION BY RANGE ("day");--> statement-breakpoint
ALTER TABLE "log_blocks" ADD CONSTRAINT "log_blocks_id_day_source_id_pk" PRIMARY KEY("id","day","source_id");--> statement-breakpoint
CREATE INDEX "log_blocks_source_time_idx" ON "log_blocks" USING btree ("source_id","max_ts" DESC NULLS LAST,"min_ts");--> statement-breakpoint
CREATE INDEX "log_blocks_time_idx" ON "log_blocks" USING btree ("max_ts" DESC NULLS LAST,"min_ts");--> statement-breakpoint
CREATE INDEX "log_blocks_tokens_idx" ON "log_blocks" USING gin ("tokens") WITH (fastupdate=true);--> statement-breakpoint
ALTER SEQUENCE "log_blocks_id_seq" OWNED BY "log_blocks"."id";--> statement-breakpoint
DROP FUNCTION IF EXISTS lookout_ensure_log_partition(date);--> statement-breakpoint
-- The leaf of log_blocks for source s on day d (and the day's parent), created if missing;
-- idempotent and safe under concurrency.
CREATE OR REPLACE FUNCTION lookout_ensure_log_partition(d date, s uuid) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  parent text := 'log_blocks_' || to_char(d, 'YYYYMMDD');
  leaf text := parent || '_' || replace(s::text, '-', '');
BEGIN
  IF to_regclass(leaf) IS NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext(leaf));
    BEGIN
      IF to_regclass(parent) IS NULL THEN
        PERFORM pg_advisory_xact_lock(hashtext(parent));
        BEGIN
          EXECUTE format('CREATE TABLE %I PARTITION OF log_blocks FOR VALUES FROM (%L) TO (%L) PARTITION BY LIST (source_id)', parent, d, d + 1);
        EXCEPTION WHEN duplicate_table THEN
          NULL;
        END;
      END IF;
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (%L)', leaf, parent, s);
      EXECUTE format('ALTER TABLE %I ALTER COLUMN payload SET STORAGE EXTERNAL', leaf);
    EXCEPTION WHEN duplicate_table THEN
      NULL;
    END;
  END IF;
  RETURN leaf;
END;
$$;
--> statement-breakpoint
SELECT lookout_ensure_log_partition(x.day, x.source_id) FROM (SELECT DISTINCT day, source_id FROM "log_blocks_v0") x;--> statement-breakpoint
INSERT INTO "log_blocks" SELECT * FROM "log_blocks_v0";--> statement-breakpoint
DROP TABLE "log_blocks_v0";--> statement-breakpoint
-- Day (metric_chunks by min_ts, 5m rollups by bucket) and month (1h rollups) partitions of the
-- metrics tables; `at` is any epoch ms inside the period. Idempotent and safe under concurrency.
CREATE OR REPLACE FUNCTION lookout_ensure_metric_partition(tbl text, at bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  t timestamp := to_timestamp(at / 1000) AT TIME ZONE 'UTC';
  monthly boolean := tbl = 'metric_rollups_1h';
  lo timestamp := CASE WHEN monthly THEN date_trunc('month', t) ELSE date_trunc('day', t) END;
  hi timestamp := CASE WHEN monthly THEN lo + interval '1 month' ELSE lo + interval '1 day' END;
  part text := tbl || '_' || to_char(lo, CASE WHEN monthly THEN 'YYYYMM' ELSE 'YYYYMMDD' END);
  lo_ms bigint := (extract(epoch FROM lo) * 1000)::bigint;
  hi_ms bigint := (extract(epoch FROM hi) * 1000)::bigint;
BEGIN
  IF tbl NOT IN ('metric_chunks', 'metric_rollups_5m', 'metric_rollups_1h') THEN
    RAISE EXCEPTION 'not a partitioned metrics table: %', tbl;
  END IF;
  IF to_regclass(part) IS NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext(part));
    BEGIN
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%s)', part, tbl, lo_ms, hi_ms);
      EXECUTE format('ALTER TABLE %I ALTER COLUMN data SET STORAGE EXTERNAL', part);
    EXCEPTION WHEN duplicate_table THEN
      NULL;
    END;
  END IF;
  RETURN part;
END;
$$;
--> statement-breakpoint
SELECT lookout_rename_away('metric_chunks');--> statement-breakpoint
CREATE TABLE "metric_chunks" (LIKE "metric_chunks_v0" INCLUDING DEFAULTS INCLUDING STORAGE) PARTITION BY RANGE ("min_ts");--> statement-breakpoint
ALTER TABLE "metric_chunks" ADD CONSTRAINT "metric_chunks_series_id_min_ts_pk" PRIMARY KEY("series_id","min_ts");--> statement-breakpoint
SELECT lookout_ensure_metric_partition('metric_chunks', x.d) FROM (SELECT DISTINCT (min_ts / 86400000) * 86400000 AS d FROM "metric_chunks_v0") x;--> statement-breakpoint
INSERT INTO "metric_chunks" SELECT * FROM "metric_chunks_v0";--> statement-breakpoint
DROP TABLE "metric_chunks_v0";--> statement-breakpoint
SELECT lookout_rename_away('metric_rollups_5m');--> statement-breakpoint
CREATE TABLE "metric_rollups_5m" (LIKE "metric_rollups_5m_v0" INCLUDING DEFAULTS INCLUDING STORAGE) PARTITION BY RANGE ("bucket");--> statement-breakpoint
ALTER TABLE "metric_rollups_5m" ADD CONSTRAINT "metric_rollups_5m_series_id_bucket_pk" PRIMARY KEY("series_id","bucket");--> statement-breakpoint
SELECT lookout_ensure_metric_partition('metric_rollups_5m', x.d) FROM (SELECT DISTINCT (bucket / 86400000) * 86400000 AS d FROM "metric_rollups_5m_v0") x;--> statement-breakpoint
INSERT INTO "metric_rollups_5m" SELECT * FROM "metric_rollups_5m_v0";--> statement-breakpoint
DROP TABLE "metric_rollups_5m_v0";--> statement-breakpoint
SELECT lookout_rename_away('metric_rollups_1h');--> statement-breakpoint
CREATE TABLE "metric_rollups_1h" (LIKE "metric_rollups_1h_v0" INCLUDING DEFAULTS INCLUDING STORAGE) PARTITION BY RANGE ("bucket");--> statement-breakpoint
ALTER TABLE "metric_rollups_1h" ADD CONSTRAINT "metric_rollups_1h_series_id_bucket_pk" PRIMARY KEY("series_id","bucket");--> statement-breakpoint
SELECT lookout_ensure_metric_partition('metric_rollups_1h', x.d) FROM (SELECT DISTINCT (bucket / 86400000) * 86400000 AS d FROM "metric_rollups_1h_v0") x;--> statement-breakpoint
INSERT INTO "metric_rollups_1h" SELECT * FROM "metric_rollups_1h_v0";--> statement-breakpoint
DROP TABLE "metric_rollups_1h_v0";--> statement-breakpoint
-- audit_log: monthly partitions plus a default one. The append-only triggers move to the new table
-- (row triggers on a partitioned table apply to every partition); dropping a partition whole is
-- how audit retention removes old months.
ALTER SEQUENCE "audit_log_id_seq" OWNED BY NONE;--> statement-breakpoint
SELECT lookout_rename_away('audit_log');--> statement-breakpoint
CREATE TABLE "audit_log" (LIKE "audit_log_v0" INCLUDING DEFAULTS INCLUDING STORAGE) PARTITION BY RANGE ("ts");--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_id_ts_pk" PRIMARY KEY("id","ts");--> statement-breakpoint
CREATE INDEX "audit_log_ts_idx" ON "audit_log" USING btree ("ts" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_actor_ts_idx" ON "audit_log" USING btree ("actor_id","ts" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_action_ts_idx" ON "audit_log" USING btree ("action","ts" DESC NULLS LAST);--> statement-breakpoint
ALTER SEQUENCE "audit_log_id_seq" OWNED BY "audit_log"."id";--> statement-breakpoint
CREATE TABLE "audit_log_default" PARTITION OF "audit_log" DEFAULT;--> statement-breakpoint
-- The month partition of audit_log holding day d (UTC), created if missing. Rows of that month
-- already in the default partition are moved into it (the default is empty when partitions are
-- created ahead, as retention does).
CREATE OR REPLACE FUNCTION lookout_ensure_audit_partition(d date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  lo date := date_trunc('month', d)::date;
  hi date := (date_trunc('month', d) + interval '1 month')::date;
  part text := 'audit_log_' || to_char(lo, 'YYYYMM');
  lo_ts timestamptz := lo::timestamp AT TIME ZONE 'UTC';
  hi_ts timestamptz := hi::timestamp AT TIME ZONE 'UTC';
BEGIN
  IF to_regclass(part) IS NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext('audit_log_partitions'));
    -- A concurrent caller may have committed it after our catalog snapshot: duplicate_table is done.
    BEGIN
      EXECUTE format('CREATE TABLE %I (LIKE audit_log INCLUDING DEFAULTS)', part);
      ALTER TABLE audit_log_default DISABLE TRIGGER USER;
      EXECUTE format('WITH moved AS (DELETE FROM audit_log_default WHERE ts >= %L AND ts < %L RETURNING *) INSERT INTO %I SELECT * FROM moved', lo_ts, hi_ts, part);
      ALTER TABLE audit_log_default ENABLE TRIGGER USER;
      EXECUTE format('ALTER TABLE audit_log ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo_ts, hi_ts);
    EXCEPTION WHEN duplicate_table THEN
      NULL;
    END;
  END IF;
  RETURN part;
END;
$$;
--> statement-breakpoint
SELECT lookout_ensure_audit_partition(x.m) FROM (SELECT DISTINCT date_trunc('month', ts AT TIME ZONE 'UTC')::date AS m FROM "audit_log_v0") x;--> statement-breakpoint
SELECT lookout_ensure_audit_partition((now() AT TIME ZONE 'UTC')::date);--> statement-breakpoint
SELECT lookout_ensure_audit_partition(((now() AT TIME ZONE 'UTC') + interval '1 month')::date);--> statement-breakpoint
INSERT INTO "audit_log" SELECT * FROM "audit_log_v0";--> statement-breakpoint
DROP TABLE "audit_log_v0";--> statement-breakpoint
DROP FUNCTION lookout_rename_away(text);--> statement-breakpoint
CREATE TRIGGER audit_log_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION lookout_audit_log_immutable();--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION lookout_audit_log_immutable();--> statement-breakpoint
INSERT INTO "retention_settings" ("id") VALUES (1) ON CONFLICT DO NOTHING;--> statement-breakpoint
ALTER TABLE "log_archives" ADD CONSTRAINT "log_archives_source_id_log_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."log_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "log_archives_source_day_idx" ON "log_archives" USING btree ("source_id","day");--> statement-breakpoint
CREATE INDEX "log_archives_day_idx" ON "log_archives" USING btree ("day");