import { jsonResponse, withApi } from "@/server/lib/http";

export const dynamic = "force-dynamic";

/** Any valid key or session may ask who it is; there is no permission beyond being authenticated. */
async function whoami(req: Request) {
  return withApi(
    null,
    async ({ principal: p }) =>
      jsonResponse(200, {
        type: p.type,
        id: p.id,
        name: p.name,
        ...(p.type === "user"
          ? { email: p.email, role: p.roleName }
          : { role: null, scopes: [...p.scopes], apiKeyId: p.apiKeyId }),
        permissions: [...p.permissions].sort(),
      }),
  )(req);
}

export { whoami as GET };
