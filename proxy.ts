import { NextResponse, type NextRequest } from "next/server";

/** Header carrying the requested page (path + query) to server layouts, for `/login?next=`. */
export const PATH_HEADER = "x-lookout-path";

/**
 * Runs before console pages only: passes the requested path to the layout so that a signed-out
 * visitor returns to the page they asked for after signing in. No authentication happens here;
 * the layout and every procedure check the session themselves.
 */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|_next/|metrics|login|favicon).*)"],
};
