/** Pure helpers for the role editor. */

export type RoleForm = { name: string; description: string; permissions: string[]; logQuery: string; labelMatchers: string };

type RoleLike = { name: string; description: string; permissions: string[]; dataFilter: { logQuery?: string; labelMatchers?: string[] } | null } | null;

export function roleFormFromRole(role: RoleLike): RoleForm {
  return {
    name: role?.name ?? "",
    description: role?.description ?? "",
    permissions: [...(role?.permissions ?? [])],
    logQuery: role?.dataFilter?.logQuery ?? "",
    labelMatchers: (role?.dataFilter?.labelMatchers ?? []).join("\n"),
  };
}

/** Label matchers textarea → list (one per line; blank lines dropped). */
export function labelMatchersFromText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Groups `resource:action` permissions by resource, keeping catalogue order. */
export function groupPermissions<P extends { name: string }>(permissions: readonly P[]): { resource: string; permissions: P[] }[] {
  const groups = new Map<string, P[]>();
  for (const p of permissions) {
    const resource = p.name.split(":")[0] ?? p.name;
    if (!groups.has(resource)) groups.set(resource, []);
    groups.get(resource)!.push(p);
  }
  return [...groups].map(([resource, permissions]) => ({ resource, permissions }));
}
