import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { compressSync } from "snappy";
import { describe, expect, it } from "vitest";
import { AppError } from "@/server/lib/errors";
import { decodeBody, mediaType, snappyDeclaredLength, uncompressSnappyBlock } from "./decode-body";
import { thrownBy } from "@/test/thrown";

const text = Buffer.from('{"message":"hello"}\n{"message":"world"}\n');
const MB = 1024 * 1024;

const appErrorOf = (fn: () => unknown) => thrownBy(fn, AppError);

describe("decodeBody", () => {
  it.each([
    ["no header", undefined, text],
    ["empty header", "", text],
    ["identity", "identity", text],
    ["gzip", "gzip", gzipSync(text)],
    ["x-gzip", "x-gzip", gzipSync(text)],
    ["GZIP, upper case and spaces", " GZip ", gzipSync(text)],
    ["deflate (zlib-wrapped)", "deflate", deflateSync(text)],
    ["deflate (raw, as some clients send)", "deflate", deflateRawSync(text)],
    ["br", "br", brotliCompressSync(text)],
    ["snappy (block)", "snappy", compressSync(text)],
    ["gzip applied twice", "gzip, gzip", gzipSync(gzipSync(text))],
    ["deflate then gzip", "deflate, gzip", gzipSync(deflateSync(text))],
  ])("undoes %s", (_name, encoding, body) => {
    expect(decodeBody(body, encoding, MB).equals(text)).toBe(true);
  });

  it("reads multi-member gzip (concatenated gzip streams)", () => {
    const body = Buffer.concat([gzipSync(Buffer.from("a\n")), gzipSync(Buffer.from("b\n"))]);
    expect(decodeBody(body, "gzip", MB).toString()).toBe("a\nb\n");
  });

  it.each([
    ["gzip", gzipSync],
    ["deflate", deflateSync],
    ["br", brotliCompressSync],
    ["snappy", compressSync],
  ] as const)("stops a %s bomb at maxBytes with PAYLOAD_TOO_LARGE", (encoding, compress) => {
    const bomb = compress(Buffer.alloc(4 * MB)); // compresses to a few KB
    expect(bomb.length).toBeLessThan(300 * 1024);
    const err = appErrorOf(() => decodeBody(bomb, encoding, MB));
    expect(err.code).toBe("PAYLOAD_TOO_LARGE");
    expect(err.httpStatus).toBe(413);
    expect(err.userMessage).toContain("1.0 MiB");
  });

  it("accepts an inflated body of exactly maxBytes", () => {
    const body = Buffer.alloc(1000, 0x61);
    expect(decodeBody(gzipSync(body), "gzip", 1000).length).toBe(1000);
    expect(appErrorOf(() => decodeBody(gzipSync(body), "gzip", 999)).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("refuses an uncompressed body over maxBytes", () => {
    expect(appErrorOf(() => decodeBody(Buffer.alloc(11), undefined, 10)).code).toBe("PAYLOAD_TOO_LARGE");
    expect(decodeBody(Buffer.alloc(10), undefined, 10).length).toBe(10);
  });

  it.each([
    ["gzip", Buffer.from("definitely not gzip")],
    ["gzip", gzipSync(text).subarray(0, 20)],
    ["deflate", Buffer.from([0x78, 0x9c, 0xff, 0xff, 0xff])],
    ["br", Buffer.from("not brotli at all, no")],
    ["snappy", Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
    ["snappy", Buffer.from([0x20, 0x01, 0x02])],
  ])("answers INVALID_INPUT for corrupt %s data", (encoding, body) => {
    const err = appErrorOf(() => decodeBody(body, encoding, MB));
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.userMessage).toMatch(/not valid/);
  });

  it("answers INVALID_INPUT for an unknown encoding", () => {
    const err = appErrorOf(() => decodeBody(text, "zstd", MB));
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.userMessage).toContain('"zstd"');
  });

  it("passes an empty body through", () => {
    expect(decodeBody(Buffer.alloc(0), undefined, MB).length).toBe(0);
  });
});

describe("snappy blocks", () => {
  it("reads the declared length from the varint header", () => {
    expect(snappyDeclaredLength(compressSync(Buffer.alloc(300)))).toBe(300);
    expect(snappyDeclaredLength(Buffer.from([0x05]))).toBe(5);
    expect(snappyDeclaredLength(Buffer.from([0xac, 0x02]))).toBe(300);
    expect(snappyDeclaredLength(Buffer.from([0x80, 0x80]))).toBeNull();
    expect(snappyDeclaredLength(Buffer.alloc(0))).toBeNull();
  });

  it("refuses a block declaring more than maxBytes before inflating it", () => {
    // Header says 1 GiB; the rest is junk: the size check must come first.
    const liar = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x04, 0x00]);
    expect(appErrorOf(() => uncompressSnappyBlock(liar, MB)).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("round-trips", () => {
    expect(uncompressSnappyBlock(compressSync(text), MB).equals(text)).toBe(true);
  });
});

describe("mediaType", () => {
  it.each([
    ["application/json", "application/json"],
    ["Application/JSON; charset=utf-8", "application/json"],
    [" application/x-protobuf ", "application/x-protobuf"],
    [undefined, ""],
    [null, ""],
  ])("%s → %s", (header, expected) => {
    expect(mediaType(header)).toBe(expected);
  });
});
