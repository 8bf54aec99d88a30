import { licenseHandler } from "@/server/logs/es-compat";

export const dynamic = "force-dynamic";
export const GET = licenseHandler;
