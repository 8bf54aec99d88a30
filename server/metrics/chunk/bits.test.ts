import { describe, expect, it } from "vitest";
import { AppError } from "@/server/lib/errors";
import { BitReader, BitWriter } from "./bits";
import { seededRandom } from "./synthetic-series";

describe("BitWriter / BitReader", () => {
  it("round-trips random runs of 0–32-bit fields across byte boundaries", () => {
    const rnd = seededRandom(7);
    for (let round = 0; round < 50; round++) {
      const fields: [number, number][] = [];
      const w = new BitWriter(1); // starts tiny: exercises growth
      for (let i = 0; i < 500; i++) {
        const n = Math.floor(rnd() * 33);
        const value = n === 0 ? 0 : Math.floor(rnd() * 2 ** n);
        fields.push([value, n]);
        w.writeBits(value, n);
      }
      const bytes = w.finish();
      expect(bytes.length).toBe(Math.ceil(w.bitLength / 8));
      const r = new BitReader(bytes);
      for (const [value, n] of fields) expect(r.readBits(n)).toBe(value);
      expect(r.bitsLeft).toBeLessThan(8);
    }
  });

  it("writes only the low n bits and keeps 64-bit words intact", () => {
    const w = new BitWriter();
    w.writeBits(0xffffffff, 3);
    w.write64(0x80000001, 0xfffffffe);
    w.writeBit(1);
    const r = new BitReader(w.finish());
    expect(r.readBits(3)).toBe(0b111);
    expect(r.readBits(32)).toBe(0x80000001);
    expect(r.readBits(32)).toBe(0xfffffffe);
    expect(r.readBit()).toBe(1);
  });

  it("reads unary prefixes up to a maximum", () => {
    const w = new BitWriter();
    w.writeBits(0b0, 1);
    w.writeBits(0b110, 3);
    w.writeBits(0b1111, 4);
    const r = new BitReader(w.finish());
    expect(r.readUnary(4)).toBe(0);
    expect(r.readUnary(4)).toBe(2);
    expect(r.readUnary(4)).toBe(4);
  });

  it("throws instead of reading past the end", () => {
    const r = new BitReader(new Uint8Array([0xab]));
    expect(r.readBits(8)).toBe(0xab);
    expect(() => r.readBit()).toThrow(AppError);
    expect(() => new BitReader(new Uint8Array(2)).readBits(17)).toThrow(/truncated or corrupt/);
  });
});
