import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { displayPrefix, extractApiKey, generateApiKey, hashApiKey } from "./api-keys";

const KEY = "lk_abcdefghijklmnopqrstuvwxyz0123456789ABCD";
const headers = (h: Record<string, string>) => new Headers(h);
const basic = (s: string) => `Basic ${Buffer.from(s).toString("base64")}`;

describe("extractApiKey", () => {
  it("reads Authorization: Bearer", () => {
    expect(extractApiKey(headers({ authorization: `Bearer ${KEY}` }))).toBe(KEY);
    expect(extractApiKey(headers({ authorization: `bearer ${KEY}` }))).toBe(KEY);
  });

  it("reads HTTP Basic with the key as password, with or without a user name", () => {
    expect(extractApiKey(headers({ authorization: basic(`:${KEY}`) }))).toBe(KEY);
    expect(extractApiKey(headers({ authorization: basic(`grafana:${KEY}`) }))).toBe(KEY);
  });

  it("keeps colons that belong to the password", () => {
    expect(extractApiKey(headers({ authorization: basic("user:pa:ss") }))).toBe("pa:ss");
  });

  it("reads X-API-Key and prefers it over Authorization", () => {
    expect(extractApiKey(headers({ "x-api-key": ` ${KEY} ` }))).toBe(KEY);
    expect(extractApiKey(headers({ "x-api-key": KEY, authorization: "Bearer lk_other" }))).toBe(KEY);
  });

  it("returns null without a key or for other schemes", () => {
    expect(extractApiKey(headers({}))).toBeNull();
    expect(extractApiKey(headers({ authorization: "Bearer" }))).toBeNull();
    expect(extractApiKey(headers({ authorization: `Digest ${KEY}` }))).toBeNull();
    expect(extractApiKey(headers({ cookie: "better-auth.session_token=x" }))).toBeNull();
  });
});

describe("API key material", () => {
  it("generates lk_ keys of 240 random bits in URL-safe characters, never twice the same", () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a).toMatch(/^lk_[A-Za-z0-9_-]{40}$/);
    expect(b).toMatch(/^lk_[A-Za-z0-9_-]{40}$/);
    expect(a).not.toBe(b);
  });

  it("hashes with SHA-256 (hex), deterministically", () => {
    expect(hashApiKey(KEY)).toBe(createHash("sha256").update(KEY).digest("hex"));
    expect(hashApiKey(KEY)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(KEY)).not.toBe(hashApiKey(`${KEY}x`));
  });

  it("shows a prefix that identifies the key without revealing it", () => {
    expect(displayPrefix(KEY)).toBe("lk_abcdef");
  });
});
