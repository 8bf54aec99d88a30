CREATE TABLE "dashboard_stars" (
	"user_id" text NOT NULL,
	"dashboard_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dashboard_stars_user_id_dashboard_id_pk" PRIMARY KEY("user_id","dashboard_id")
);
--> statement-breakpoint
CREATE TABLE "dashboard_versions" (
	"dashboard_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"data" jsonb NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"created_by" text,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dashboard_versions_dashboard_id_version_pk" PRIMARY KEY("dashboard_id","version")
);
--> statement-breakpoint
CREATE TABLE "dashboards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"numeric_id" integer GENERATED ALWAYS AS IDENTITY (sequence name "dashboards_numeric_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"uid" text NOT NULL,
	"folder_id" uuid,
	"title" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"data" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"provisioned_from" text,
	"created_by" text,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dashboards_numeric_id_unique" UNIQUE("numeric_id"),
	CONSTRAINT "dashboards_uid_unique" UNIQUE("uid"),
	CONSTRAINT "dashboards_uid_check" CHECK ("dashboards"."uid" ~ '^[A-Za-z0-9_-]{1,40}$')
);
--> statement-breakpoint
CREATE TABLE "folder_permissions" (
	"folder_id" uuid NOT NULL,
	"role_id" uuid NOT NULL,
	"level" text NOT NULL,
	CONSTRAINT "folder_permissions_folder_id_role_id_pk" PRIMARY KEY("folder_id","role_id"),
	CONSTRAINT "folder_permissions_level_check" CHECK ("folder_permissions"."level" in ('view', 'edit'))
);
--> statement-breakpoint
CREATE TABLE "folders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"numeric_id" integer GENERATED ALWAYS AS IDENTITY (sequence name "folders_numeric_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"uid" text NOT NULL,
	"title" text NOT NULL,
	"provisioned" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "folders_numeric_id_unique" UNIQUE("numeric_id"),
	CONSTRAINT "folders_uid_unique" UNIQUE("uid")
);
--> statement-breakpoint
ALTER TABLE "dashboard_stars" ADD CONSTRAINT "dashboard_stars_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dashboard_stars" ADD CONSTRAINT "dashboard_stars_dashboard_id_dashboards_id_fk" FOREIGN KEY ("dashboard_id") REFERENCES "public"."dashboards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dashboard_versions" ADD CONSTRAINT "dashboard_versions_dashboard_id_dashboards_id_fk" FOREIGN KEY ("dashboard_id") REFERENCES "public"."dashboards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dashboards" ADD CONSTRAINT "dashboards_folder_id_folders_id_fk" FOREIGN KEY ("folder_id") REFERENCES "public"."folders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "folder_permissions" ADD CONSTRAINT "folder_permissions_folder_id_folders_id_fk" FOREIGN KEY ("folder_id") REFERENCES "public"."folders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "folder_permissions" ADD CONSTRAINT "folder_permissions_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dashboard_stars_dashboard_idx" ON "dashboard_stars" USING btree ("dashboard_id");--> statement-breakpoint
CREATE INDEX "dashboards_title_lower_idx" ON "dashboards" USING btree (lower("title"));--> statement-breakpoint
CREATE UNIQUE INDEX "dashboards_folder_title_idx" ON "dashboards" USING btree (coalesce("folder_id", '00000000-0000-0000-0000-000000000000'::uuid),lower("title"));--> statement-breakpoint
CREATE INDEX "dashboards_folder_idx" ON "dashboards" USING btree ("folder_id");--> statement-breakpoint
CREATE INDEX "dashboards_provisioned_idx" ON "dashboards" USING btree ("provisioned_from");--> statement-breakpoint
CREATE INDEX "folder_permissions_role_idx" ON "folder_permissions" USING btree ("role_id");--> statement-breakpoint
CREATE UNIQUE INDEX "folders_title_lower_idx" ON "folders" USING btree (lower("title"));