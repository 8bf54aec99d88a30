import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildIsStale } from "./build";

const T0 = new Date("2024-01-01T00:00:00Z");
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe("buildIsStale", () => {
  let root: string;

  function file(rel: string, mtime: Date) {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, "x");
    utimesSync(p, mtime, mtime);
    return p;
  }
  /** Directories get their own mtime when files are created in them; pin them too. */
  function pinDirs(mtime: Date) {
    for (const d of ["app", "server", "server/auth", "components"]) {
      try {
        utimesSync(path.join(root, d), mtime, mtime);
      } catch {
        // not created in this test
      }
    }
  }

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "lookout-build-"));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("is stale when there is no build", () => {
    file("server/auth/users.ts", T0);
    expect(buildIsStale(root)).toBe(true);
  });

  it("is fresh when the build is newer than every source", () => {
    file("server/auth/users.ts", T0);
    file("app/page.tsx", T0);
    file("package.json", T0);
    pinDirs(T0);
    file(".next/BUILD_ID", later(5));
    expect(buildIsStale(root)).toBe(false);
  });

  it("is stale when a nested source file changed after the build", () => {
    file("server/auth/users.ts", T0);
    pinDirs(T0);
    file(".next/BUILD_ID", later(5));
    expect(buildIsStale(root)).toBe(false);
    file("server/auth/users.ts", later(10));
    pinDirs(T0);
    expect(buildIsStale(root)).toBe(true);
  });

  it("notices top-level files such as env.ts", () => {
    file("env.ts", later(10));
    file(".next/BUILD_ID", later(5));
    expect(buildIsStale(root)).toBe(true);
  });

  it("ignores files outside the source list (tests, scripts, data)", () => {
    file("server/auth/users.ts", T0);
    pinDirs(T0);
    file(".next/BUILD_ID", later(5));
    file("e2e/specs/a.spec.ts", later(10));
    file(".data/pg/PG_VERSION", later(10));
    expect(buildIsStale(root)).toBe(false);
  });
});
