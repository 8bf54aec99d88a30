/**
 * The permission catalogue (`resource:action`) and the built-in roles. Pure data + functions:
 * used by tRPC guards, route handlers, the Roles page and the navigation.
 */
export const PERMISSIONS = {
  "logs:read": "Search and read logs",
  "logs:write": "Send logs to the ingest endpoints",
  "logs:gdpr": "Export and delete personal data across hot and archived logs",
  "sources:read": "See log sources and their pipelines",
  "sources:write": "Create and change log sources and pipelines",
  "metrics:read": "Query metrics (PromQL, metric browser)",
  "metrics:write": "Push metrics (remote_write, Pushgateway, OTLP)",
  "targets:write": "Create and change scrape targets",
  "dashboards:read": "View dashboards",
  "dashboards:write": "Create, change and delete dashboards and folders",
  "alerts:read": "View alert rules, alerts and notifications",
  "alerts:write": "Create and change alert rules, contact points and policies",
  "alerts:ingest": "Send alerts to the Alertmanager API (an external Prometheus)",
  "silences:write": "Create and expire silences",
  "users:read": "See users and service accounts",
  "users:manage": "Create, change, disable users; reset passwords",
  "roles:manage": "Create and change roles",
  "apikeys:manage": "Create service accounts, create and revoke API keys",
  "audit:read": "Read the audit log",
  "status:read": "See the system status page",
  "settings:manage": "Change system settings and retention",
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(p: string): p is Permission {
  return Object.prototype.hasOwnProperty.call(PERMISSIONS, p);
}

export const BUILTIN_ROLES: Record<"Admin" | "Editor" | "Viewer" | "Auditor", { description: string; permissions: Permission[] }> = {
  Admin: { description: "Everything, including users, roles, API keys and settings", permissions: ALL_PERMISSIONS },
  Editor: {
    description: "Read everything and change sources, targets, dashboards and alerting",
    permissions: [
      "logs:read",
      "sources:read",
      "sources:write",
      "metrics:read",
      "targets:write",
      "dashboards:read",
      "dashboards:write",
      "alerts:read",
      "alerts:write",
      "alerts:ingest",
      "silences:write",
      "status:read",
    ],
  },
  Viewer: {
    description: "Read logs, metrics, dashboards and alerts",
    permissions: ["logs:read", "sources:read", "metrics:read", "dashboards:read", "alerts:read", "status:read"],
  },
  Auditor: {
    description: "Read the audit log, users and roles; no data access",
    permissions: ["audit:read", "users:read", "status:read"],
  },
};

export type BuiltinRoleName = keyof typeof BUILTIN_ROLES;

/** API key scopes and the permissions each one grants. */
export const API_KEY_SCOPES = {
  ingest: ["logs:write", "metrics:write", "alerts:ingest"],
  query: ["logs:read", "metrics:read", "dashboards:read", "alerts:read", "sources:read", "status:read"],
  admin: ALL_PERMISSIONS,
} as const satisfies Record<string, readonly Permission[]>;

export type ApiKeyScope = keyof typeof API_KEY_SCOPES;
export const ALL_SCOPES = Object.keys(API_KEY_SCOPES) as ApiKeyScope[];

export function permissionsForScopes(scopes: readonly string[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const s of scopes) {
    const granted = (API_KEY_SCOPES as Record<string, readonly Permission[]>)[s];
    if (granted) for (const p of granted) out.add(p);
  }
  return out;
}

/** Which scope an HTTP API needing `permission` asks of a key (for the 403 message). */
export function scopeFor(permission: Permission): ApiKeyScope {
  if ((API_KEY_SCOPES.ingest as readonly Permission[]).includes(permission)) return "ingest";
  if ((API_KEY_SCOPES.query as readonly Permission[]).includes(permission)) return "query";
  return "admin";
}
