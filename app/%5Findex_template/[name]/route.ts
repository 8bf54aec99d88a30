import { templateHandlers } from "@/server/logs/es-compat";

export const dynamic = "force-dynamic";
export const { HEAD, GET, PUT } = templateHandlers("index_template");
export const POST = PUT;
