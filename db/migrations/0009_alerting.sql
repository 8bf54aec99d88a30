CREATE TABLE "alert_groups_state" (
	"group_key" text PRIMARY KEY NOT NULL,
	"receiver" text NOT NULL,
	"route_id" text NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_flush_at" timestamp with time zone,
	"last_notified" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"next_flush_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "alert_instances" (
	"rule_uid" text NOT NULL,
	"fingerprint" text NOT NULL,
	"labels" jsonb NOT NULL,
	"state" text NOT NULL,
	"state_since" timestamp with time zone NOT NULL,
	"active_since" timestamp with time zone,
	"keep_firing_until" timestamp with time zone,
	"value" double precision,
	"last_eval_at" timestamp with time zone NOT NULL,
	"annotations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"resolved_at" timestamp with time zone,
	"error" text,
	CONSTRAINT "alert_instances_rule_uid_fingerprint_pk" PRIMARY KEY("rule_uid","fingerprint"),
	CONSTRAINT "alert_instances_state_check" CHECK ("alert_instances"."state" in ('normal', 'pending', 'firing', 'nodata', 'error'))
);
--> statement-breakpoint
CREATE TABLE "alert_rule_evaluations" (
	"rule_uid" text PRIMARY KEY NOT NULL,
	"last_eval_at" timestamp with time zone NOT NULL,
	"duration_ms" double precision NOT NULL,
	"health" text NOT NULL,
	"error" text,
	"next_eval_at" timestamp with time zone,
	CONSTRAINT "alert_rule_evaluations_health_check" CHECK ("alert_rule_evaluations"."health" in ('ok', 'error', 'nodata'))
);
--> statement-breakpoint
CREATE TABLE "alert_rule_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"folder_uid" text,
	"name" text NOT NULL,
	"interval_ms" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"provisioned_from" text,
	"created_by" text,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_rule_groups_interval_check" CHECK ("alert_rule_groups"."interval_ms" > 0)
);
--> statement-breakpoint
CREATE TABLE "alert_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uid" text NOT NULL,
	"group_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"data" jsonb NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"provisioned" boolean DEFAULT false NOT NULL,
	"created_by" text,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_rules_uid_unique" UNIQUE("uid"),
	CONSTRAINT "alert_rules_uid_check" CHECK ("alert_rules"."uid" ~ '^[A-Za-z0-9_-]{1,40}$')
);
--> statement-breakpoint
CREATE TABLE "alert_state_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"rule_uid" text NOT NULL,
	"fingerprint" text NOT NULL,
	"labels" jsonb NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"value" double precision,
	"error" text,
	CONSTRAINT "alert_state_history_from_check" CHECK ("alert_state_history"."from_state" in ('normal', 'pending', 'firing', 'nodata', 'error')),
	CONSTRAINT "alert_state_history_to_check" CHECK ("alert_state_history"."to_state" in ('normal', 'pending', 'firing', 'nodata', 'error'))
);
--> statement-breakpoint
CREATE TABLE "external_alerts" (
	"fingerprint" text PRIMARY KEY NOT NULL,
	"labels" jsonb NOT NULL,
	"annotations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"generator_url" text,
	"ends_at_defaulted" boolean DEFAULT false NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_attempts" (
	"notification_id" bigint NOT NULL,
	"attempt" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"ok" boolean NOT NULL,
	"status" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	CONSTRAINT "notification_attempts_notification_id_attempt_pk" PRIMARY KEY("notification_id","attempt")
);
--> statement-breakpoint
CREATE TABLE "notification_config" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"config" jsonb NOT NULL,
	"version" integer NOT NULL,
	"provisioned" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "notification_config_single_row" CHECK ("notification_config"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "notification_config_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"config" jsonb NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"created_by" text,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"group_key" text NOT NULL,
	"receiver" text NOT NULL,
	"integration_type" text NOT NULL,
	"integration_index" integer NOT NULL,
	"dedup_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "notification_log_dedup_key_unique" UNIQUE("dedup_key"),
	CONSTRAINT "notification_log_status_check" CHECK ("notification_log"."status" in ('pending', 'sent', 'failed')),
	CONSTRAINT "notification_log_integration_check" CHECK ("notification_log"."integration_type" in ('webhook', 'slack', 'email', 'pagerduty'))
);
--> statement-breakpoint
CREATE TABLE "silences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"matchers" jsonb NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"actor_id" text,
	"comment" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "silences_time_check" CHECK ("silences"."ends_at" >= "silences"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "alert_instances" ADD CONSTRAINT "alert_instances_rule_uid_alert_rules_uid_fk" FOREIGN KEY ("rule_uid") REFERENCES "public"."alert_rules"("uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rule_evaluations" ADD CONSTRAINT "alert_rule_evaluations_rule_uid_alert_rules_uid_fk" FOREIGN KEY ("rule_uid") REFERENCES "public"."alert_rules"("uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rule_groups" ADD CONSTRAINT "alert_rule_groups_folder_uid_folders_uid_fk" FOREIGN KEY ("folder_uid") REFERENCES "public"."folders"("uid") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_group_id_alert_rule_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."alert_rule_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_state_history" ADD CONSTRAINT "alert_state_history_rule_uid_alert_rules_uid_fk" FOREIGN KEY ("rule_uid") REFERENCES "public"."alert_rules"("uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_attempts" ADD CONSTRAINT "notification_attempts_notification_id_notification_log_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notification_log"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_groups_state_next_flush_idx" ON "alert_groups_state" USING btree ("next_flush_at");--> statement-breakpoint
CREATE INDEX "alert_instances_state_idx" ON "alert_instances" USING btree ("state");--> statement-breakpoint
CREATE UNIQUE INDEX "alert_rule_groups_folder_name_idx" ON "alert_rule_groups" USING btree (coalesce("folder_uid", ''),lower("name"));--> statement-breakpoint
CREATE INDEX "alert_rule_groups_folder_idx" ON "alert_rule_groups" USING btree ("folder_uid");--> statement-breakpoint
CREATE INDEX "alert_rules_group_idx" ON "alert_rules" USING btree ("group_id","position");--> statement-breakpoint
CREATE INDEX "alert_state_history_rule_at_idx" ON "alert_state_history" USING btree ("rule_uid","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "alert_state_history_at_idx" ON "alert_state_history" USING btree ("at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "external_alerts_ends_at_idx" ON "external_alerts" USING btree ("ends_at");--> statement-breakpoint
CREATE INDEX "notification_log_group_idx" ON "notification_log" USING btree ("group_key","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notification_log_pending_idx" ON "notification_log" USING btree ("created_at") WHERE "notification_log"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "silences_ends_at_idx" ON "silences" USING btree ("ends_at");