// npm run bench: runs bench/worker.ts on real workerd (wrangler dev, offline) and prints
// each benchmark as a ratio against a baseline measured in the same run.
import { cpus, totalmem } from "node:os";
import { compare, median } from "../bench/compare.ts";
import { createClient } from "../runtime/client/index.ts";
import { startWranglerDev } from "./wrangler-dev.ts";

const server = await startWranglerDev("bench/wrangler.json");
const base = server.url;

try {
  const run = Date.now().toString(36);
  const rows: Array<[string, string, string, { measuredMs: number; baselineMs: number; ratio: number }, string]> = [];
  const measure = async (name: string) => {
    const response = await fetch(`${base}/${name}?run=${run}`);
    if (!response.ok) throw new Error(`${name}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { measuredMs: number; baselineMs: number; ratio: number };
  };
  rows.push(["held handle, one action", "actorstate action (RPC)", "raw DO RPC, same SQLite write", await measure("action"), "≤ 1.05×"]);
  rows.push(["held handle, one action on a 1 MiB state", "a counter beside a 1 MiB string", "the same action, state of 1 counter", await measure("largeState"), "≤ 1.2×"]);
  rows.push(["get-by-key + action", "new client + getOrCreate + action", "idFromName + get + RPC", await measure("lookup"), "≤ 1.05×"]);
  rows.push(["200 concurrent on one actor (burst time)", "actorstate", "raw DO", await measure("concurrent"), "≤ 1.05× (throughput ≥ 0.95×)"]);
  rows.push(["getOrCreate of a new actor + first action", "actorstate", "raw DO, first RPC", await measure("create"), "≤ 1.5×"]);
  rows.push(["destroy → resurrect → action", "actorstate", "raw DO: wipe, insert, write", await measure("cycle"), "≤ 1.5×"]);
  rows.push(["kv.list 100 of 100,000 keys by prefix", "range query (c.kv.list)", "scan all keys and filter", await measure("kvList"), "≥ 100× faster"]);
  rows.push(["inspector list of every type: 2 actors among 150 types", "one pass over the shared shards (16 shard calls)", "per-type fan-out before it (150 × 16 shard calls)", await measure("listSparse"), "< 200 ms"]);
  rows.push(["inspector list of every type: a page of 1,000 of 10,000 actors of 5 types", "one pass over the shared shards", "raw DO: the same 1,000 rows in one read, as JSON", await measure("listDense"), "< 200 ms"]);
  rows.push(["1,000 schedules on one actor: schedule, then all run", "c.schedule.at × 1,000 + alarm", "1,000 direct action RPCs", await measure("schedules"), "—"]);
  rows.push(["workflow: one send (RPC)", "handle.send({ type: \"INC\" }) on a workflow", "handle.increment(1) on a plain actor", await measure("workflowSend"), "—"]);
  rows.push(["workflow: a 200 ms timer's lateness (median of 20)", "`after: { 200 }` on the alarm", "raw DO setAlarm(+200 ms)", await measure("timerLateness"), "—"]);
  rows.push(["1,000 workflows' timers: create, then all fired", "1,000 workflows, `after: { 200 }`", "1,000 raw DOs, setAlarm(+200 ms)", await measure("manyTimers"), "—"]);

  // From Node, over the network protocol, against the same Worker.
  const node = await networkBenchmarks(base, run);
  rows.push(["action round trip from Node over HTTP", "actorstate POST /v1/call (JSON)", "raw Worker → DO fetch, same write", node.http, "≤ 1.3×"]);
  rows.push(["action round trip from Node over HTTP", "actorstate POST /v1/call (CBOR)", "raw Worker → DO fetch, same write", node.httpCbor, "≤ 1.3×"]);
  rows.push(["action round trip from Node over a connection", "actorstate connection (JSON)", "raw DO WebSocket, same write", node.connection, "≤ 1.05×"]);
  rows.push(["broadcast fan-out to 100 connections", "one increment → 100 events received", "the same to 1 connection", node.fanout100, "—"]);
  rows.push(["broadcast fan-out to 1,000 connections", "one increment → 1,000 events received", "the same to 1 connection", node.fanout1000, "—"]);

  console.log(`\nactorstate benchmarks, ${new Date().toISOString()}`);
  console.log(`machine: ${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, workerd via wrangler dev\n`);
  console.log("| benchmark | measured | baseline | measured ms | baseline ms | ratio | target |");
  console.log("| --- | --- | --- | ---: | ---: | ---: | --- |");
  for (const [name, measured, baseline, result, target] of rows) {
    const ratio = result.ratio >= 1 ? `${result.ratio.toFixed(2)}×` : `${(1 / result.ratio).toFixed(0)}× faster`;
    console.log(`| ${name} | ${measured} | ${baseline} | ${result.measuredMs.toFixed(3)} | ${result.baselineMs.toFixed(3)} | ${ratio} | ${target} |`);
  }
} finally {
  await server.stop();
}

/** A WebSocket to the raw counter: each `increment()` sends a message and waits for its answer. */
async function openRawSocket(url: string): Promise<{ increment(): Promise<number>; close(): void }> {
  const socket = new WebSocket(url);
  const waiting: Array<(count: number) => void> = [];
  socket.addEventListener("message", (event) => waiting.shift()?.((JSON.parse(String(event.data)) as { count: number }).count));
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve);
    socket.addEventListener("error", reject);
  });
  return {
    increment: () =>
      new Promise((resolve) => {
        waiting.push(resolve);
        socket.send("increment");
      }),
    close: () => socket.close(),
  };
}

/** Alternating rounds against the same baseline, timed in Node. */
function alternate(count: number, calls: number, measured: () => Promise<unknown>, baseline: () => Promise<unknown>) {
  return compare({ rounds: count, calls: { measured: calls, baseline: calls }, clock: () => performance.now() }, measured, baseline);
}

async function networkBenchmarks(endpoint: string, run: string) {
  const json = createClient<any>({ endpoint, encoding: "json" }) as any;
  const cbor = createClient<any>({ endpoint, encoding: "cbor" }) as any;
  const raw = () => fetch(`${endpoint}/raw/increment?key=node-${run}`).then((response) => response.json());
  const viaJson = json.benchCounter.getOrCreate(`node-json-${run}`);
  const viaCbor = cbor.benchCounter.getOrCreate(`node-cbor-${run}`);
  const connection = json.benchCounter.getOrCreate(`node-conn-${run}`).connect();
  const rawSocket = await openRawSocket(`${endpoint.replace("http", "ws")}/raw/increment?key=node-ws-${run}`);
  await Promise.all([viaJson.increment(1), viaCbor.increment(1), raw(), connection.ready(), rawSocket.increment()]);
  const http = await alternate(20, 50, () => viaJson.increment(1), raw);
  const httpCbor = await alternate(20, 50, () => viaCbor.increment(1), raw);
  const overConnection = await alternate(20, 50, () => connection.increment(1), () => rawSocket.increment());
  await connection.dispose();
  rawSocket.close();

  const fanout = async (count: number) => {
    const key = `fanout-${count}-${run}`;
    const conns = Array.from({ length: count }, () => cbor.benchCounter.getOrCreate(key).connect());
    let received = 0;
    let done: () => void = () => undefined;
    for (const conn of conns) conn.on("changed", () => ++received === count && done());
    await Promise.all(conns.map((conn: { ready(): Promise<void> }) => conn.ready()));
    // A round trip on every connection: its subscription has reached the actor.
    await Promise.all(conns.map((conn: { increment(by: number): Promise<number> }) => conn.increment(0)));
    const samples: number[] = [];
    for (let round = 0; round < 7; round++) {
      received = 0;
      const all = new Promise<void>((resolve) => (done = resolve));
      const started = performance.now();
      await cbor.benchCounter.get(key).bump();
      await all;
      samples.push(performance.now() - started);
    }
    await Promise.all(conns.map((conn: { dispose(): Promise<void> }) => conn.dispose()));
    return median(samples);
  };
  const single = await fanout(1);
  const hundred = await fanout(100);
  const thousand = await fanout(1000);
  return {
    http,
    httpCbor,
    connection: overConnection,
    fanout100: { measuredMs: hundred, baselineMs: single, ratio: hundred / single },
    fanout1000: { measuredMs: thousand, baselineMs: single, ratio: thousand / single },
  };
}
