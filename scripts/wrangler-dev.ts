// Start `wrangler dev` for a config on a free loopback port, offline, and stop it by PID.
// Used by `npm run bench` and by the end-to-end tests' global setup.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface DevServer {
  url: string;
  stop(): Promise<void>;
}

/** A TCP port free on the loopback interface right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Each run starts from empty storage in a temporary directory, removed when it stops. */
export async function startWranglerDev(config: string, options: { quiet?: boolean; vars?: Record<string, string>; inspectorPort?: number } = {}): Promise<DevServer> {
  const port = await freePort();
  const state = await mkdtemp(join(tmpdir(), "actorstate-dev-"));
  const args = ["dev", "-c", config, "--port", String(port), "--ip", "127.0.0.1", "--persist-to", state, "--log-level", options.quiet ? "error" : "warn"];
  for (const [name, value] of Object.entries(options.vars ?? {})) args.push("--var", `${name}:${value}`);
  if (options.inspectorPort !== undefined) args.push("--inspector-port", String(options.inspectorPort));
  const child = spawn("wrangler", args, {
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill("SIGINT");
    await Promise.race([exited(child), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    await rm(state, { recursive: true, force: true });
  };
  // Any HTTP answer means the Worker is up; give it 30 s, as CI machines can be slow.
  for (let attempt = 0; ; attempt++) {
    if (await fetch(url).then(() => true, () => false)) return { url, stop };
    if (attempt > 120 || child.exitCode !== null) {
      await stop();
      throw new Error(`wrangler dev -c ${config} did not start`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
