import { templateHandlers } from "@/server/logs/es-compat";

export const dynamic = "force-dynamic";
export const { HEAD, GET, PUT } = templateHandlers("template");
export const POST = PUT;
