import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root and its CLI. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const lookoutBin = path.join(repoRoot, "bin", "lookout");

export type CliRun = { code: number | null; stdout: string; stderr: string };

/** Runs bin/lookout from a neutral directory with only the environment given (plus PATH/HOME). */
export function runLookout(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { NODE_ENV: "production", PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir(), ...env };
    const child = spawn(lookoutBin, args, { cwd: tmpdir(), env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
