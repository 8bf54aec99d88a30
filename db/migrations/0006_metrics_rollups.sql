CREATE TABLE "metric_rollup_hours" (
	"hour" bigint PRIMARY KEY NOT NULL,
	"complete" boolean NOT NULL
);
--> statement-breakpoint
ALTER TABLE "metric_rollups_1h" ADD COLUMN "data" "bytea" NOT NULL;--> statement-breakpoint
ALTER TABLE "metric_rollups_5m" ADD COLUMN "data" "bytea" NOT NULL;--> statement-breakpoint
ALTER TABLE "metric_rollups_1h" DROP COLUMN "min";--> statement-breakpoint
ALTER TABLE "metric_rollups_1h" DROP COLUMN "max";--> statement-breakpoint
ALTER TABLE "metric_rollups_1h" DROP COLUMN "sum";--> statement-breakpoint
ALTER TABLE "metric_rollups_1h" DROP COLUMN "count";--> statement-breakpoint
ALTER TABLE "metric_rollups_1h" DROP COLUMN "last";--> statement-breakpoint
ALTER TABLE "metric_rollups_1h" DROP COLUMN "last_ts";--> statement-breakpoint
ALTER TABLE "metric_rollups_1h" DROP COLUMN "counter";--> statement-breakpoint
ALTER TABLE "metric_rollups_5m" DROP COLUMN "min";--> statement-breakpoint
ALTER TABLE "metric_rollups_5m" DROP COLUMN "max";--> statement-breakpoint
ALTER TABLE "metric_rollups_5m" DROP COLUMN "sum";--> statement-breakpoint
ALTER TABLE "metric_rollups_5m" DROP COLUMN "count";--> statement-breakpoint
ALTER TABLE "metric_rollups_5m" DROP COLUMN "last";--> statement-breakpoint
ALTER TABLE "metric_rollups_5m" DROP COLUMN "last_ts";--> statement-breakpoint
ALTER TABLE "metric_rollups_5m" DROP COLUMN "counter";--> statement-breakpoint
-- Hours compacted before rollups existed have none: mark them incomplete so queries read them raw.
INSERT INTO "metric_rollup_hours" ("hour", "complete") SELECT DISTINCT ("min_ts" / 3600000) * 3600000, false FROM "metric_chunks";
