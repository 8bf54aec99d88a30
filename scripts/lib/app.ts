import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export type AppProcesses = { web: ChildProcess; workers: ChildProcess; stop: () => Promise<void>; exited: Promise<string> };

function waitExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => {
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("exit", () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** Starts the workers process and the web server (`next start`, or `next dev` with dev: true). */
export function spawnApp(opts: { root: string; port: number; env: NodeJS.ProcessEnv; dev?: boolean; quiet?: boolean }): AppProcesses {
  const bin = (name: string) => path.join(opts.root, "node_modules", ".bin", name);
  const stdio = opts.quiet ? (["ignore", "ignore", "inherit"] as const) : (["ignore", "inherit", "inherit"] as const);
  const env = { ...opts.env, NEXT_TELEMETRY_DISABLED: "1" };
  const workers = spawn(bin("tsx"), ["workers/main.ts"], { cwd: opts.root, env, stdio: [...stdio] });
  const web = spawn(bin("next"), [opts.dev ? "dev" : "start", "-p", String(opts.port)], { cwd: opts.root, env, stdio: [...stdio] });
  let stopping = false;
  const exited = new Promise<string>((resolve) => {
    workers.once("exit", (code) => !stopping && resolve(`workers exited (code ${code})`));
    web.once("exit", (code) => !stopping && resolve(`web server exited (code ${code})`));
  });
  return {
    web,
    workers,
    exited,
    stop: async () => {
      stopping = true;
      web.kill("SIGTERM");
      workers.kill("SIGTERM");
      await Promise.all([waitExit(web, 10_000), waitExit(workers, 35_000)]);
    },
  };
}

/** Polls /api/health until it answers 200 (PostgreSQL, Redis and a worker are up). */
export async function waitHealthy(url: string, timeoutMs: number, exited?: Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let failure: string | null = null;
  void exited?.then((why) => (failure = why));
  let last = "";
  while (Date.now() < deadline) {
    if (failure) throw new Error(failure);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
      last = await res.text();
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not healthy after ${timeoutMs} ms: ${last}`);
}
