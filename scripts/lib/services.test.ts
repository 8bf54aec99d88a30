import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { unreachableForPostgres } from "./services";

const asRoot = process.getuid?.() === 0;

describe("unreachableForPostgres", () => {
  const base = mkdtempSync(path.join(tmpdir(), "lookout-reach-")); // mode 0700, owned by us
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it.runIf(asRoot)("names the parent the postgres user cannot pass", () => {
    const dir = path.join(base, "data", "pg");
    mkdirSync(path.dirname(dir), { recursive: true });
    chmodSync(base, 0o700);
    expect(unreachableForPostgres(dir)).toBe(base);
    chmodSync(base, 0o755);
    chmodSync(path.dirname(dir), 0o755);
    expect(unreachableForPostgres(dir)).toBeNull();
  });

  it.runIf(!asRoot)("has nothing to check when not root (PostgreSQL runs as us)", () => {
    expect(unreachableForPostgres(path.join(base, "pg"))).toBeNull();
  });
});
