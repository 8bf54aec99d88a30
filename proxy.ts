import { NextResponse, type NextRequest } from "next/server";

/** Header carrying the requested page (path + query) to server layouts, for `/login?next=`. */
export const PATH_HEADER = "x-lookout-path";

/**
 * Runs before pages only. Two jobs, no authentication (layouts and every handler check that):
 * - `GET /` from an Elasticsearch client (anything that does not ask for HTML) is the cluster
 *   info handshake of Filebeat, Vector, Logstash…: rewrite it to the Elasticsearch root handler;
 * - otherwise pass the requested path to the console layout so a signed-out visitor comes back
 *   to the page they asked for after signing in.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname === "/" && (request.method === "GET" || request.method === "HEAD") && !(request.headers.get("accept") ?? "").includes("text/html")) {
    return NextResponse.rewrite(new URL("/api/es/root", request.url));
  }
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, pathname + search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|_next/|metrics|login|favicon|_bulk|_license|_index_template|_template|.*/_bulk).*)"],
};
