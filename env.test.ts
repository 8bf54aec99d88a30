import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnvCache } from "./env";

describe("env", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvCache();
  });

  it("treats an empty variable as unset and applies defaults", () => {
    process.env.DATABASE_URL = "";
    process.env.PORT = "";
    resetEnvCache();
    expect(env().DATABASE_URL).toBeUndefined();
    expect(env().PORT).toBe(3000);
  });

  it("names the bad variable", () => {
    process.env.PORT = "not-a-port";
    resetEnvCache();
    expect(() => env()).toThrow(/PORT/);
  });
});
