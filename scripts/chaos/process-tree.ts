// Processes by PID ancestry, read from /proc (Linux): the chaos run signals only processes
// it started itself or their descendants, each identified by PID and start time, so a PID
// reused by an unrelated process is never touched.
import { readdirSync, readFileSync } from "node:fs";

/** One process, as /proc/{pid}/stat describes it. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The executable's name (`workerd`, `node`, `esbuild`). */
  command: string;
  /** Clock ticks after boot: with the PID, what makes a process unique. */
  startTime: string;
}

function readProcess(pid: number): (ProcessInfo & { state: string }) | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command sits in parentheses and may itself contain spaces or parentheses.
  const open = stat.indexOf("(");
  const close = stat.lastIndexOf(")");
  const fields = stat.slice(close + 2).split(" ");
  return { pid, command: stat.slice(open + 1, close), state: fields[0] ?? "", ppid: Number(fields[1]), startTime: fields[19] ?? "" };
}

/** The process with this PID now, unless there is none or it is a zombie. */
export function processInfo(pid: number): ProcessInfo | undefined {
  const info = readProcess(pid);
  return info && info.state !== "Z" ? { pid, ppid: info.ppid, command: info.command, startTime: info.startTime } : undefined;
}

/** Every live descendant of `root` (children, their children, …), at this moment. */
export function descendantsOf(root: number): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProcess(Number(entry));
    if (!info || info.state === "Z") continue;
    children.set(info.ppid, [...(children.get(info.ppid) ?? []), info]);
  }
  const found: ProcessInfo[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push({ pid: child.pid, ppid: child.ppid, command: child.command, startTime: child.startTime });
      visit(child.pid);
    }
  };
  visit(root);
  return found;
}

/** Whether this very process (same PID, same start) still runs; a zombie has stopped running. */
export function isRunning(process: ProcessInfo): boolean {
  const now = readProcess(process.pid);
  return now !== undefined && now.startTime === process.startTime && now.state !== "Z";
}

/** Send `signal` to this very process, if it still runs. */
export function signalProcess(process: ProcessInfo, signal: NodeJS.Signals): void {
  if (!isRunning(process)) return;
  try {
    globalThis.process.kill(process.pid, signal);
  } catch {
    // It exited between the check and the signal.
  }
}

/** Poll until none of `processes` runs, for at most `timeoutMs`; returns those still running. */
export async function waitUntilGone(processes: ProcessInfo[], timeoutMs: number): Promise<ProcessInfo[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = processes.filter(isRunning);
    if (!running.length || Date.now() > deadline) return running;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `pid 123 (workerd)`, for messages. */
export function describeProcesses(processes: ProcessInfo[]): string {
  return processes.map((p) => `${p.pid} (${p.command})`).join(", ") || "none";
}
