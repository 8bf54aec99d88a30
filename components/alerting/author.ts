import type { Principal } from "@/server/auth/principal";

/** Who the console names as the author of a silence by default. */
export const principalName = (p: Principal): string => (p.type === "user" ? p.email : p.name);
