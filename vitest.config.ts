import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));
const exclude = ["**/node_modules/**", "**/.next/**", "**/.data/**", "e2e/**", "test-results/**"];

/**
 * Two projects: `unit` (`*.test.ts`, no I/O) and `integration` (`*.int.test.ts`, real PostgreSQL
 * and Redis: a throw-away database and Redis key prefix per run, see test/global-setup.ts).
 * `npm run test:unit` / `npm run test:int` pick one.
 */
export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    root,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          environment: "node",
          include: ["**/*.test.ts"],
          exclude: [...exclude, "**/*.int.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          environment: "node",
          include: ["**/*.int.test.ts"],
          exclude,
          globalSetup: ["test/global-setup.ts"],
          setupFiles: ["test/setup-env.ts"],
          // One database for the run: files take turns (tests inside a file run in order anyway).
          fileParallelism: false,
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
