CREATE TABLE "metric_chunks" (
	"series_id" integer NOT NULL,
	"min_ts" bigint NOT NULL,
	"max_ts" bigint NOT NULL,
	"samples" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "metric_chunks_series_id_min_ts_pk" PRIMARY KEY("series_id","min_ts")
);
--> statement-breakpoint
CREATE TABLE "metric_head" (
	"id" bigserial NOT NULL,
	"bucket" bigint NOT NULL,
	"min_ts" bigint NOT NULL,
	"max_ts" bigint NOT NULL,
	"samples" integer NOT NULL,
	"series_ids" integer[] NOT NULL,
	"payload" "bytea" NOT NULL,
	CONSTRAINT "metric_head_bucket_id_pk" PRIMARY KEY("bucket","id")
) PARTITION BY RANGE ("bucket");
--> statement-breakpoint
CREATE TABLE "metric_ingest_batches" (
	"batch_id" text PRIMARY KEY NOT NULL,
	"samples" integer NOT NULL,
	"committed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_metadata" (
	"name" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"help" text DEFAULT '' NOT NULL,
	"unit" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_rollups_1h" (
	"series_id" integer NOT NULL,
	"bucket" bigint NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"sum" double precision NOT NULL,
	"count" integer NOT NULL,
	"last" double precision NOT NULL,
	"last_ts" bigint NOT NULL,
	"counter" double precision NOT NULL,
	CONSTRAINT "metric_rollups_1h_series_id_bucket_pk" PRIMARY KEY("series_id","bucket")
);
--> statement-breakpoint
CREATE TABLE "metric_rollups_5m" (
	"series_id" integer NOT NULL,
	"bucket" bigint NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"sum" double precision NOT NULL,
	"count" integer NOT NULL,
	"last" double precision NOT NULL,
	"last_ts" bigint NOT NULL,
	"counter" double precision NOT NULL,
	CONSTRAINT "metric_rollups_5m_series_id_bucket_pk" PRIMARY KEY("series_id","bucket")
);
--> statement-breakpoint
CREATE TABLE "metric_series" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"labels" jsonb NOT NULL,
	"fingerprint" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scrape_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"config" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"provisioned" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scrape_jobs_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "scrape_target_health" (
	"job_id" uuid NOT NULL,
	"url" text NOT NULL,
	"labels" jsonb NOT NULL,
	"health" text DEFAULT 'unknown' NOT NULL,
	"last_scrape_at" timestamp with time zone,
	"last_duration_ms" double precision,
	"last_samples" integer,
	"last_error" text,
	"last_series_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scrape_target_health_job_id_url_pk" PRIMARY KEY("job_id","url")
);
--> statement-breakpoint
ALTER TABLE "scrape_target_health" ADD CONSTRAINT "scrape_target_health_job_id_scrape_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."scrape_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metric_head_series_idx" ON "metric_head" USING gin ("series_ids") WITH (fastupdate=true);--> statement-breakpoint
CREATE INDEX "metric_head_time_idx" ON "metric_head" USING btree ("max_ts","min_ts");--> statement-breakpoint
CREATE INDEX "metric_ingest_batches_committed_idx" ON "metric_ingest_batches" USING btree ("committed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "metric_series_fingerprint_idx" ON "metric_series" USING btree ("fingerprint");--> statement-breakpoint
CREATE INDEX "metric_series_name_idx" ON "metric_series" USING btree ("name");--> statement-breakpoint
CREATE INDEX "metric_series_labels_idx" ON "metric_series" USING gin ("labels" jsonb_path_ops);--> statement-breakpoint
-- Head payloads are raw columnar blocks: store them out of line without pglz.
ALTER TABLE "metric_head" ALTER COLUMN "payload" SET STORAGE EXTERNAL;--> statement-breakpoint
-- Creates the hourly head partition starting at bucket (epoch ms, a multiple of 3,600,000) if missing.
CREATE OR REPLACE FUNCTION lookout_ensure_metric_head_partition(b bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  part text := 'metric_head_' || to_char(to_timestamp(b / 1000) AT TIME ZONE 'UTC', 'YYYYMMDDHH24');
BEGIN
  IF b % 3600000 <> 0 THEN
    RAISE EXCEPTION 'metric head bucket % is not an hour start', b;
  END IF;
  IF to_regclass(part) IS NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext(part));
    IF to_regclass(part) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF metric_head FOR VALUES FROM (%s) TO (%s)', part, b, b + 3600000);
      EXECUTE format('ALTER TABLE %I ALTER COLUMN payload SET STORAGE EXTERNAL', part);
    END IF;
  END IF;
  RETURN part;
END;
$$;
