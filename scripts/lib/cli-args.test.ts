import { describe, expect, it } from "vitest";
import { UsageError, parseCli, parseScopes } from "./cli-args";

const usage = (argv: string[]) => {
  try {
    parseCli(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(" ")}`);
};

describe("parseCli", () => {
  it("parses help in its spellings", () => {
    for (const h of ["help", "--help", "-h"]) expect(parseCli([h])).toEqual({ kind: "help" });
  });

  it("parses retention run (no options)", () => {
    expect(parseCli(["retention", "run"])).toEqual({ kind: "retention.run" });
    expect(usage(["retention"])).toMatch(/retention needs a command: run/);
    expect(usage(["retention", "purge"])).toMatch(/unknown retention command "purge"/);
    expect(usage(["retention", "run", "--now", "x"])).toMatch(/Unknown option '--now'/);
  });

  it("parses provision apply with an optional file and --dry-run", () => {
    expect(parseCli(["provision", "apply"])).toEqual({ kind: "provision.apply", dryRun: false });
    expect(parseCli(["provision", "apply", "--file", "lookout.yaml", "--dry-run"])).toEqual({ kind: "provision.apply", file: "lookout.yaml", dryRun: true });
    expect(usage(["provision"])).toMatch(/provision needs a command: apply/);
    expect(usage(["provision", "run"])).toMatch(/unknown provision command "run"/);
    expect(usage(["provision", "apply", "--file", " "])).toMatch(/--file is required/);
    expect(usage(["provision", "apply", "--force"])).toMatch(/force/);
  });

  it("parses migrate and refuses extra arguments", () => {
    expect(parseCli(["migrate"])).toEqual({ kind: "migrate" });
    expect(usage(["migrate", "--force"])).toMatch(/force/);
  });

  it("parses apikey create; the service account defaults to the key name", () => {
    expect(parseCli(["apikey", "create", "--name", "filebeat", "--scopes", "ingest"])).toEqual({
      kind: "apikey.create",
      name: "filebeat",
      scopes: ["ingest"],
      serviceAccount: "filebeat",
    });
    expect(parseCli(["apikey", "create", "--name", "k", "--scopes", " query, ingest,query ", "--service-account", "grafana"])).toEqual({
      kind: "apikey.create",
      name: "k",
      scopes: ["query", "ingest"],
      serviceAccount: "grafana",
    });
    expect(parseCli(["apikey", "create", "--name=k", "--scopes=admin"])).toMatchObject({ scopes: ["admin"] });
  });

  it("rejects apikey create without name or scopes, or with unknown scopes or options", () => {
    expect(usage(["apikey", "create", "--scopes", "ingest"])).toMatch(/--name is required/);
    expect(usage(["apikey", "create", "--name", "k"])).toMatch(/--scopes is required/);
    expect(usage(["apikey", "create", "--name", "k", "--scopes", "ingest,root"])).toMatch(/unknown scope.*root/);
    expect(usage(["apikey", "create", "--name", "k", "--scopes", "ingest", "--ttl", "3"])).toMatch(/ttl/);
    expect(usage(["apikey", "create", "--name", "x".repeat(101), "--scopes", "ingest"])).toMatch(/--name/);
    expect(usage(["apikey", "revoke"])).toMatch(/unknown apikey command "revoke"/);
    expect(usage(["apikey"])).toMatch(/apikey needs a command/);
  });

  it("parses user create with a lower-cased email; the role defaults to Viewer", () => {
    expect(parseCli(["user", "create", "--email", "Ann@Example.COM", "--password", " secret pw "])).toEqual({
      kind: "user.create",
      email: "ann@example.com",
      password: " secret pw ",
      role: "Viewer",
    });
    expect(parseCli(["user", "create", "--email", "a@b.co", "--password", "12345678", "--role", "Editor", "--name", "Ann"])).toEqual({
      kind: "user.create",
      email: "a@b.co",
      password: "12345678",
      role: "Editor",
      name: "Ann",
    });
  });

  it("rejects user create with a bad email, a short password or a missing value", () => {
    expect(usage(["user", "create", "--email", "not-an-email", "--password", "12345678"])).toMatch(/--email/);
    expect(usage(["user", "create", "--email", "a@b.co", "--password", "short"])).toMatch(/--password: Password must be at least 8/);
    expect(usage(["user", "create", "--email", "a@b.co"])).toMatch(/--password is required/);
    expect(usage(["user", "create", "--password", "12345678"])).toMatch(/--email is required/);
    expect(usage(["user", "create", "--email", "a@b.co", "--password", "12345678", "--role", " "])).toMatch(/--role is required/);
  });

  it("rejects no command and unknown commands", () => {
    expect(usage([])).toMatch(/no command/);
    expect(usage(["frobnicate"])).toMatch(/unknown command "frobnicate"/);
  });
});

describe("parseScopes", () => {
  it("needs at least one scope", () => {
    expect(() => parseScopes(" , ")).toThrow(UsageError);
  });
});
