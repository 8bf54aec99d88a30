import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type UserRow = RouterOutputs["users"]["list"][number];
export type RoleRow = RouterOutputs["roles"]["list"][number];
export type Catalogue = RouterOutputs["roles"]["catalogue"];
export type ServiceAccountRow = RouterOutputs["serviceAccounts"]["list"][number];
export type ApiKeyRow = ServiceAccountRow["keys"][number];
export type AuditRow = RouterOutputs["audit"]["list"]["items"][number];
export type SystemStatus = RouterOutputs["status"]["get"];
