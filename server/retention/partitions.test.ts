import { describe, expect, it } from "vitest";
import { firstHotDay, lastExpiredDay } from "./log-tier";
import { addDays, dayString, leafName, uuidOfHex } from "./partitions";

describe("retention day arithmetic", () => {
  it("adds days across months, leap days and years (UTC)", () => {
    expect(addDays("2031-03-01", -1)).toBe("2031-02-28");
    expect(addDays("2032-03-01", -1)).toBe("2032-02-29");
    expect(addDays("2031-12-31", 1)).toBe("2032-01-01");
    expect(dayString(Date.UTC(2031, 0, 1, 23, 59, 59, 999))).toBe("2031-01-01");
  });

  it("keeps hotDays days hot (today included), then archiveDays days archived", () => {
    const p = { hotDays: 3, archiveDays: 10 };
    expect(firstHotDay("2031-03-15", p)).toBe("2031-03-13");
    // Archived: 03-12 back to 03-03; expired on or before 03-02.
    expect(lastExpiredDay("2031-03-15", p)).toBe("2031-03-02");
    expect(firstHotDay("2031-03-15", { hotDays: 1 })).toBe("2031-03-15");
  });

  it("names a source's leaf as the partition function does and maps it back", () => {
    const id = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    const leaf = leafName(id, "2031-03-15");
    expect(leaf).toBe("log_blocks_20310315_0a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d");
    expect(uuidOfHex(leaf.slice(-32))).toBe(id);
  });
});
