import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLookout } from "@/test/cli";
import { logArchives, retentionRuns } from "@/db/schema";
import { createSource } from "@/server/logs/sources";
import type { RunSummary } from "@/server/retention/model";
import { addDays, dayString } from "@/server/retention/partitions";
import { scratchDatabase, TEST_ACTOR, type ScratchDatabase } from "@/test/helpers";
import { writeDays } from "@/test/retention";


const lookout = runLookout;

// A scratch database: a run drops partitions database-wide.
describe("bin/lookout retention run", () => {
  let S: ScratchDatabase;
  let dataDir: string;
  beforeAll(async () => {
    S = await scratchDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), "lookout-cli-retention-"));
  });
  afterAll(async () => {
    await S?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    "runs retention inline and prints only the JSON summary; the archive lands in LOOKOUT_DATA_DIR/archive",
    async () => {
      const src = await createSource(S.db, TEST_ACTOR, null, { name: "cli-src", pipeline: [], hotDays: 1, archiveDays: 30 });
      // Two days before today: past hot whenever the CLI's clock says (even after a midnight).
      const today = dayString(Date.now());
      await writeDays(S.db, src, addDays(today, -1), 2, () => 5);

      const r = await lookout(["retention", "run"], { DATABASE_URL: S.url, LOOKOUT_DATA_DIR: dataDir });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const summary = JSON.parse(r.stdout) as RunSummary;
      expect(summary.errors).toEqual([]);
      expect(summary.archived.map((d) => [d.source, d.day, d.events]).sort()).toEqual([
        ["cli-src", addDays(today, -2), 5],
        ["cli-src", addDays(today, -1), 5],
      ]);
      const rows = await S.db.select().from(logArchives);
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(existsSync(path.join(dataDir, "archive", ...row.key.split("/")))).toBe(true);
      expect((await S.db.select().from(retentionRuns)).map((x) => [x.trigger, x.actor, x.status])).toEqual([["cli", "cli", "success"]]);
    },
    60_000,
  );
});
