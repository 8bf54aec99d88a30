import { describe, expect, it } from "vitest";
import { fieldValueKey, fnv1a32, MAX_TOKEN_LENGTH, tokenHashes, tokenize } from "./tokens";

describe("tokens", () => {
  it("splits on punctuation and lower-cases", () => {
    expect(tokenize('10.0.0.1 - - "GET /api/Orders?id=42 HTTP/1.1" 500')).toEqual(["10", "0", "0", "1", "get", "api", "orders", "id", "42", "http", "1", "1", "500"]);
    expect(tokenize("user_id=7 ÉTÉ naïve")).toEqual(["user_id", "7", "été", "naïve"]);
    expect(tokenize("")).toEqual([]);
  });

  it("hashes exactly as fnv1a32 of the lower-cased token (index and query agree)", () => {
    const text = "Card DECLINED for Order-99 été";
    expect(tokenHashes(text)).toEqual(tokenize(text).map(fnv1a32));
  });

  it("skips over-long tokens", () => {
    const long = "a".repeat(MAX_TOKEN_LENGTH + 1);
    expect(tokenize(`x ${long} y`)).toEqual(["x", "y"]);
    expect(tokenize("a".repeat(MAX_TOKEN_LENGTH))).toHaveLength(1);
  });

  it("field keys are case-insensitive in the value and distinct per field", () => {
    expect(fieldValueKey("service", "Checkout")).toBe(fieldValueKey("service", "checkout"));
    expect(fieldValueKey("service", "a")).not.toBe(fieldValueKey("host", "a"));
    expect(fieldValueKey("http.status", 500)).toBe(fnv1a32("http.status=500"));
  });

  it("is a known FNV-1a 32", () => {
    expect(fnv1a32("") >>> 0).toBe(0x811c9dc5);
    expect(fnv1a32("a") >>> 0).toBe(0xe40c292c);
  });
});
