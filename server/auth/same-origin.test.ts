import { describe, expect, it } from "vitest";
import { isCrossOrigin } from "./same-origin";

const h = (o: Record<string, string>) => new Headers(o);

describe("isCrossOrigin", () => {
  it("passes requests without Origin (scripts) and same-host origins", () => {
    expect(isCrossOrigin(h({ host: "lookout:3000" }))).toBe(false);
    expect(isCrossOrigin(h({ host: "lookout:3000", origin: "http://lookout:3000" }))).toBe(false);
  });
  it("rejects another site, a different port, the opaque null origin and garbage", () => {
    expect(isCrossOrigin(h({ host: "lookout:3000", origin: "https://evil.example" }))).toBe(true);
    expect(isCrossOrigin(h({ host: "lookout:3000", origin: "http://lookout:4000" }))).toBe(true);
    expect(isCrossOrigin(h({ host: "lookout:3000", origin: "null" }))).toBe(true);
    expect(isCrossOrigin(h({ host: "lookout:3000", origin: "::::" }))).toBe(true);
  });
  it("accepts configured trusted origins", () => {
    expect(isCrossOrigin(h({ host: "lookout:3000", origin: "https://console.example" }), ["https://console.example/"])).toBe(false);
  });
});
