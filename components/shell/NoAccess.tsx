import type { Permission } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";

/** What a console page shows when the principal lacks its permission (the server enforces it anyway). */
export function NoAccess({ permission, principal, title }: { permission: Permission; principal: Principal; title?: string }) {
  const who = principal.type === "user" ? `Your role (${principal.roleName})` : "This API key";
  return (
    <div className="mx-auto mt-16 max-w-md rounded-md border border-amber-300 bg-amber-50 p-6 text-center dark:border-amber-900 dark:bg-amber-950/40">
      <h1 className="text-base font-semibold text-amber-900 dark:text-amber-200">You don&apos;t have access (needs {permission})</h1>
      <p className="mt-2 text-sm text-amber-800 dark:text-amber-300">
        {title ? `${title}: ` : ""}
        {who} does not include the <code className="font-mono">{permission}</code> permission. Ask an administrator if you need it.
      </p>
    </div>
  );
}
