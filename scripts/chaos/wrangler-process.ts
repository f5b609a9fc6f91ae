// wrangler dev as the chaos run needs it: on a persist directory that outlives it, with its
// process tree known, so its workerd can be killed with SIGKILL and the whole tree stopped.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { freePort } from "../wrangler-dev.ts";
import { describeProcesses, descendantsOf, isRunning, processInfo, signalProcess, waitUntilGone, type ProcessInfo } from "./process-tree.ts";

/** A running `wrangler dev`. */
export interface WranglerProcess {
  url: string;
  /** wrangler's own process and every descendant, at this moment. */
  tree(): ProcessInfo[];
  /**
   * Crash the runtime: freeze wrangler (so it cannot restart workerd), SIGKILL every
   * workerd it started, then SIGKILL wrangler itself. Resolves with the workerd processes
   * killed, once every process of the tree is gone.
   */
  crash(): Promise<ProcessInfo[]>;
  /** SIGINT, as a user's Ctrl-C; SIGKILL for whatever is left after 10 s. Resolves once all are gone. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Start `wrangler dev -c config` on a free loopback port, persisting to `persistTo`. */
export async function startWrangler(options: { config: string; persistTo: string; logFile: string; startTimeoutMs?: number }): Promise<WranglerProcess> {
  const port = await freePort();
  // Left to itself wrangler takes the inspector port from 9229 up, which every other
  // wrangler on the machine contends for.
  const inspectorPort = await freePort();
  const log = createWriteStream(options.logFile, { flags: "a" });
  const args = ["dev", "-c", options.config, "--port", String(port), "--ip", "127.0.0.1", "--inspector-port", String(inspectorPort)];
  args.push("--persist-to", options.persistTo, "--log-level", "warn");
  const child = spawn("wrangler", args, {
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error("wrangler dev did not start (no PID)");
  // Identified by start time too: once it has exited, its PID may belong to someone else.
  const root = processInfo(pid);
  const self = (): ProcessInfo[] => (root && isRunning(root) ? [root] : []);
  const tree = () => (self().length ? [...self(), ...descendantsOf(pid)] : []);
  // Every process ever seen in the tree, so stop() can check each one is gone.
  const seen = new Map<string, ProcessInfo>();
  const remember = () => {
    for (const p of tree()) seen.set(`${p.pid}:${p.startTime}`, p);
    return [...seen.values()];
  };

  const ensureGone = async (what: string) => {
    const all = remember();
    const left = await waitUntilGone(all, 10_000);
    for (const p of left) signalProcess(p, "SIGKILL");
    const stubborn = await waitUntilGone(left, 5_000);
    await Promise.race([exited(child), new Promise((resolve) => setTimeout(resolve, 1_000))]);
    log.end();
    if (stubborn.length) throw new Error(`${what}: still running after SIGKILL: ${describeProcesses(stubborn)}`);
  };

  const server: WranglerProcess = {
    url: `http://127.0.0.1:${port}`,
    tree,
    async crash() {
      const before = remember();
      const workerd = before.filter((p) => p.command === "workerd");
      const others = before.filter((p) => p.command !== "workerd");
      for (const p of others) signalProcess(p, "SIGSTOP");
      for (const p of workerd) signalProcess(p, "SIGKILL");
      await waitUntilGone(workerd, 5_000);
      for (const p of others) signalProcess(p, "SIGKILL");
      await ensureGone("crash");
      return workerd;
    },
    async stop() {
      remember();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
      await Promise.race([exited(child), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      await ensureGone("stop");
    },
  };

  // Any HTTP answer means the Worker is up; a restart on a large persist directory can be slow.
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (await fetch(server.url).then(() => true, () => false)) break;
    if (Date.now() > deadline || !self().some(isRunning)) {
      await server.stop().catch(() => undefined);
      throw new Error(`wrangler dev -c ${options.config} did not start; see ${options.logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  remember();
  return server;
}
