CREATE TABLE "pushgateway_groups" (
	"group_key" text PRIMARY KEY NOT NULL,
	"grouping" jsonb NOT NULL,
	"families" jsonb NOT NULL,
	"last_push_ms" bigint DEFAULT 0 NOT NULL,
	"last_failure_ms" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
