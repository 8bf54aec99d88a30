import { describe, expect, it } from "vitest";
import type { AlertState } from "@/server/alerting/model";
import { segmentBox, timelines } from "./timeline";

const range = { from: 0, to: 100 };
const t = (fingerprint: string, from: AlertState, to: AlertState, at: number) => ({ fingerprint, labels: { instance: fingerprint }, from, to, at });

describe("state timelines", () => {
  it("builds each instance's segments from its transitions", () => {
    const out = timelines([t("a", "pending", "firing", 40), t("a", "normal", "pending", 10), t("a", "firing", "normal", 90)], [], range);
    expect(out).toEqual([
      {
        fingerprint: "a",
        labels: { instance: "a" },
        segments: [
          { state: "normal", from: 0, to: 10 },
          { state: "pending", from: 10, to: 40 },
          { state: "firing", from: 40, to: 90 },
          { state: "normal", from: 90, to: 100 },
        ],
      },
    ]);
  });

  it("shows instances without transitions in their current state, worst first, and ignores transitions out of range", () => {
    const out = timelines([t("b", "normal", "pending", 150), t("c", "firing", "normal", 50)], [{ fingerprint: "b", labels: { instance: "b" }, state: "firing" }], range);
    expect(out.map((x) => [x.fingerprint, x.segments.map((s) => s.state)])).toEqual([
      ["b", ["firing"]],
      ["c", ["firing", "normal"]],
    ]);
  });

  it("merges repeated states and a transition at the range's start", () => {
    const out = timelines([t("a", "normal", "firing", 0), t("a", "firing", "firing", 30)], [], range);
    expect(out[0]!.segments).toEqual([{ state: "firing", from: 0, to: 100 }]);
  });

  it("places segments in percent", () => {
    expect(segmentBox({ state: "firing", from: 25, to: 75 }, range)).toEqual({ left: 25, width: 50 });
    expect(segmentBox({ state: "firing", from: -10, to: 200 }, range)).toEqual({ left: 0, width: 100 });
  });
});
