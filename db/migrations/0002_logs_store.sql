CREATE TABLE "log_blocks" (
	"id" bigserial NOT NULL,
	"day" date NOT NULL,
	"source_id" uuid NOT NULL,
	"min_ts" timestamp with time zone NOT NULL,
	"max_ts" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	"raw_bytes" integer NOT NULL,
	"tokens" integer[] NOT NULL,
	"services" text[] NOT NULL,
	"hosts" text[] NOT NULL,
	"level_counts" integer[] NOT NULL,
	"payload" "bytea" NOT NULL,
	"batch_id" text NOT NULL,
	CONSTRAINT "log_blocks_day_id_pk" PRIMARY KEY("day","id")
) PARTITION BY RANGE ("day");
--> statement-breakpoint
CREATE TABLE "log_dead_letters" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source_id" uuid NOT NULL,
	"batch_id" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"step" integer NOT NULL,
	"step_type" text NOT NULL,
	"error" text NOT NULL,
	"event" jsonb NOT NULL,
	"replayed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "log_ingest_batches" (
	"batch_id" text PRIMARY KEY NOT NULL,
	"source_id" uuid NOT NULL,
	"events" integer NOT NULL,
	"dead_letters" integer NOT NULL,
	"dropped" integer NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"committed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_source_stats" (
	"source_id" uuid PRIMARY KEY NOT NULL,
	"events" bigint DEFAULT 0 NOT NULL,
	"raw_bytes" bigint DEFAULT 0 NOT NULL,
	"stored_bytes" bigint DEFAULT 0 NOT NULL,
	"dead_letters" bigint DEFAULT 0 NOT NULL,
	"last_event_at" timestamp with time zone,
	"last_batch_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "log_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"pipeline" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"hot_days" integer DEFAULT 7 NOT NULL,
	"archive_days" integer DEFAULT 30 NOT NULL,
	"provisioned" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "log_sources_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "log_dead_letters" ADD CONSTRAINT "log_dead_letters_source_id_log_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."log_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_source_stats" ADD CONSTRAINT "log_source_stats_source_id_log_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."log_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "log_blocks_source_time_idx" ON "log_blocks" USING btree ("source_id","max_ts" DESC NULLS LAST,"min_ts");--> statement-breakpoint
CREATE INDEX "log_blocks_time_idx" ON "log_blocks" USING btree ("max_ts" DESC NULLS LAST,"min_ts");--> statement-breakpoint
CREATE INDEX "log_blocks_tokens_idx" ON "log_blocks" USING gin ("tokens") WITH (fastupdate=true);--> statement-breakpoint
CREATE INDEX "log_dead_letters_source_idx" ON "log_dead_letters" USING btree ("source_id","received_at" DESC NULLS LAST) WHERE replayed_at is null;--> statement-breakpoint
CREATE INDEX "log_ingest_batches_committed_idx" ON "log_ingest_batches" USING btree ("committed_at");--> statement-breakpoint
-- The payload is already deflate-compressed: store it out of line without a second compression.
ALTER TABLE "log_blocks" ALTER COLUMN "payload" SET STORAGE EXTERNAL;--> statement-breakpoint
-- Creates the daily partition of log_blocks for day d if missing (idempotent, safe under concurrency).
CREATE OR REPLACE FUNCTION lookout_ensure_log_partition(d date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  part text := 'log_blocks_' || to_char(d, 'YYYYMMDD');
BEGIN
  IF to_regclass(part) IS NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext(part));
    IF to_regclass(part) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF log_blocks FOR VALUES FROM (%L) TO (%L)', part, d, d + 1);
      EXECUTE format('ALTER TABLE %I ALTER COLUMN payload SET STORAGE EXTERNAL', part);
    END IF;
  END IF;
  RETURN part;
END;
$$;
