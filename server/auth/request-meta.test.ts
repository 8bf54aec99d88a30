import { describe, expect, it } from "vitest";
import { requestMeta } from "./request-meta";

describe("requestMeta", () => {
  it("takes the first X-Forwarded-For hop as the client IP", () => {
    const m = requestMeta(new Headers({ "x-forwarded-for": "203.0.113.7, 10.0.0.1", "user-agent": "curl/8" }));
    expect(m.ip).toBe("203.0.113.7");
    expect(m.userAgent).toBe("curl/8");
  });

  it("falls back to X-Real-IP and strips the IPv4-mapped IPv6 prefix", () => {
    expect(requestMeta(new Headers({ "x-real-ip": "198.51.100.2" })).ip).toBe("198.51.100.2");
    expect(requestMeta(new Headers({ "x-forwarded-for": "::ffff:192.0.2.9" })).ip).toBe("192.0.2.9");
  });

  it("has no IP or user agent when the headers say nothing", () => {
    const m = requestMeta(new Headers());
    expect(m.ip).toBeNull();
    expect(m.userAgent).toBeNull();
  });

  it("keeps a caller's X-Request-Id, or makes a fresh one per request", () => {
    expect(requestMeta(new Headers({ "x-request-id": "abc-123" })).requestId).toBe("abc-123");
    const a = requestMeta(new Headers()).requestId;
    const b = requestMeta(new Headers()).requestId;
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
  });
});
