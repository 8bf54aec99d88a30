import { describe, expect, it } from "vitest";
import { compilePromRegex, foldInlineFlags } from "./regex";

describe("compilePromRegex", () => {
  it("anchors the whole value", () => {
    expect(compilePromRegex("pro.*").test("production")).toBe(true);
    expect(compilePromRegex("duc").test("production")).toBe(false);
  });

  it("supports inline case-insensitivity anywhere", () => {
    expect(compilePromRegex("(?i:PRO).*").test("production")).toBe(true);
    expect(compilePromRegex(".*((?i)DUC).*").test("production")).toBe(true);
    expect(compilePromRegex(".*(?i:C).*").test("canary")).toBe(true);
    expect(compilePromRegex("(?i)[A-C]x").test("bX")).toBe(true);
    expect(compilePromRegex("a(?i:b)c").test("aBC")).toBe(false);
    expect(foldInlineFlags("(?i:ab)")).toBe("(?:[aA][bB])");
  });

  it("makes . match newlines when asked (label_replace)", () => {
    expect(compilePromRegex("a.b").test("a\nb")).toBe(false);
    expect(compilePromRegex("a.b", true).test("a\nb")).toBe(true);
  });
});
