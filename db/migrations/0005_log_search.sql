CREATE TABLE "log_fields" (
	"source_id" uuid NOT NULL,
	"path" text NOT NULL,
	"types" text[] NOT NULL,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "log_fields_source_id_path_pk" PRIMARY KEY("source_id","path")
);
--> statement-breakpoint
CREATE TABLE "saved_searches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"query" text NOT NULL,
	"columns" text[] DEFAULT '{}' NOT NULL,
	"time_from" text DEFAULT 'now-15m' NOT NULL,
	"time_to" text DEFAULT 'now' NOT NULL,
	"shared" boolean DEFAULT true NOT NULL,
	"owner_id" text,
	"owner_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "log_fields" ADD CONSTRAINT "log_fields_source_id_log_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."log_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_searches" ADD CONSTRAINT "saved_searches_owner_id_user_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "saved_searches_owner_idx" ON "saved_searches" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "saved_searches_name_idx" ON "saved_searches" USING btree ("name");