// `npm start` stopped the way a process manager or an IDE stops it: a signal to npm's PID
// alone, not to the terminal's process group.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { freePort } from "../../scripts/wrangler-dev.ts";

const repo = new URL("../../", import.meta.url).pathname;

interface ProcessInfo {
  pid: number;
  ppid: number;
  /** ps's state letter; `Z` is a zombie, dead but not yet reaped by its parent. */
  state: string;
  command: string;
}

/** Every process on the machine, from /proc. */
async function processes(): Promise<ProcessInfo[]> {
  const found: ProcessInfo[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => undefined);
    const command = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (!stat) continue;
    // "pid (comm) state ppid …", where comm may hold spaces and parentheses.
    const [state = "", ppid = ""] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    found.push({ pid: Number(entry), ppid: Number(ppid), state, command: command.replaceAll("\0", " ").trim() });
  }
  return found;
}

/** The processes `root` started, and those they started, transitively. */
function descendants(all: ProcessInfo[], root: number): ProcessInfo[] {
  const children = all.filter((info) => info.ppid === root);
  return children.flatMap((child) => [child, ...descendants(all, child.pid)]);
}

/** Which of `tracked` still run (zombies have stopped running). */
async function running(tracked: ProcessInfo[]): Promise<ProcessInfo[]> {
  const now = new Map((await processes()).map((info) => [info.pid, info]));
  return tracked.filter(({ pid, command }) => {
    const info = now.get(pid);
    return info !== undefined && info.state !== "Z" && info.command === command;
  });
}

/** Whether anything answers HTTP on the port. */
const answers = (port: number) => fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);

/** Calls `check` until it returns true, a quarter of a second apart, for at most `ms`. */
async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  for (const deadline = Date.now() + ms; !(await check()) && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// What a failed or timed-out test left running, killed after it.
const started: ChildProcess[] = [];
const leftovers: ProcessInfo[] = [];
afterEach(async () => {
  for (const child of started.splice(0)) child.kill("SIGKILL");
  for (const { pid } of await running(leftovers.splice(0))) process.kill(pid, "SIGKILL");
});

describe("npm start", () => {
  it("stops wrangler dev and workerd when npm alone gets SIGTERM", { timeout: 120_000 }, async () => {
    const port = await freePort();
    const state = await mkdtemp(join(tmpdir(), "actorstate-start-"));
    onTestFinished(() => rm(state, { recursive: true, force: true }));
    const npm = spawn("npm", ["start", "--", "--port", String(port), "--persist-to", state], { cwd: repo, stdio: "ignore" });
    started.push(npm);
    await until(async () => npm.exitCode !== null || (await answers(port)), 90_000);
    expect(npm.exitCode).toBeNull();
    const tree = descendants(await processes(), npm.pid!);
    leftovers.push(...tree);
    expect(tree.map(({ command }) => command).join("\n")).toMatch(/\bworkerd serve\b/);

    npm.kill("SIGTERM");
    await until(async () => (await running(tree)).length === 0, 30_000);
    expect((await running(tree)).map(({ command }) => command)).toEqual([]);
    expect(await answers(port)).toBe(false);
  });
});
