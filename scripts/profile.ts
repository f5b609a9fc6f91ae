// npm run profile -- <benchmark> [runs] [function]: runs one of bench/worker.ts's benchmarks
// on real workerd (wrangler dev, offline) under V8's sampling profiler, and prints where the
// Worker's CPU time went, by function, self time first; with a function's name, also who
// called it. For finding what a benchmark's ratio is made of.
import WebSocket from "ws";
import { startWranglerDev, freePort } from "./wrangler-dev.ts";

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number; scriptId: string }; hitCount?: number; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const [benchmark = "action", runsArg = "3", callersOf] = process.argv.slice(2);
const inspectorPort = await freePort();
const server = await startWranglerDev("bench/wrangler.json", { quiet: true, inspectorPort });
try {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as Array<{ webSocketDebuggerUrl: string; title?: string }>;
  const target = targets.find((t) => t.webSocketDebuggerUrl);
  if (!target) throw new Error("wrangler dev offers no inspector target");
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  // The ws package, not Node's WebSocket: undici refuses the inspector proxy's deflate answer.
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  let next = 0;
  const pending = new Map<number, (result: any) => void>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<any>((resolve) => {
      const id = ++next;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  // One unprofiled run warms the code up.
  await fetch(`${server.url}/${benchmark}?run=warm`);
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 50 });
  await send("Profiler.start");
  for (let run = 0; run < Number(runsArg); run++) {
    const response = await fetch(`${server.url}/${benchmark}?run=profile${run}`);
    console.log(`${benchmark} run ${run}: ${await response.text()}`);
  }
  const { profile } = (await send("Profiler.stop")) as { profile: Profile };
  // The bundle's own source, to show the line each function starts on.
  await send("Debugger.enable");
  const sources = new Map<string, string[]>();
  for (const { callFrame } of profile.nodes) {
    if (!callFrame.url || sources.has(callFrame.scriptId)) continue;
    const { scriptSource } = (await send("Debugger.getScriptSource", { scriptId: callFrame.scriptId })) as { scriptSource?: string };
    sources.set(callFrame.scriptId, (scriptSource ?? "").split("\n"));
  }
  socket.close();
  report(profile, sources);
} finally {
  await server.stop();
}

function report(profile: Profile, sources: Map<string, string[]>): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const nameOf = (id: number) => {
    const { functionName, url, lineNumber, scriptId } = byId.get(id)!.callFrame;
    const line = sources.get(scriptId)?.[lineNumber]?.trim().slice(0, 90) ?? "";
    return `${functionName || "(anonymous)"} ${url.split("/").slice(-1)[0]}:${lineNumber + 1}  ${line}`;
  };
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  for (const [id, micros] of self) {
    const name = nameOf(id);
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  }
  console.log(`\n${(total / 1000).toFixed(0)} ms sampled; self time by function:`);
  for (const [name, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.PROFILE_TOP ?? 40))) {
    console.log(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(1).padStart(8)} ms  ${name}`);
  }
  if (!callersOf) return;
  const callers = new Map<string, number>();
  for (const [id, micros] of self) {
    if (byId.get(id)!.callFrame.functionName !== callersOf) continue;
    const parent = parentOf.get(id);
    const name = parent === undefined ? "(root)" : nameOf(parent);
    callers.set(name, (callers.get(name) ?? 0) + micros);
  }
  console.log(`\ncallers of ${callersOf}, by its self time under them:`);
  for (const [name, micros] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`${(micros / 1000).toFixed(1).padStart(8)} ms  ${name}`);
  }
}
