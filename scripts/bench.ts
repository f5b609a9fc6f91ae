// npm run bench: runs bench/worker.ts on real workerd (wrangler dev, offline) and prints
// each benchmark as a ratio against a baseline measured in the same run.
import { cpus, totalmem } from "node:os";
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
  rows.push(["action round trip", "actorstate action (RPC)", "raw DO RPC, same SQLite write", await measure("action"), "≤ 1.3×"]);
  rows.push(["getOrCreate of a new actor + first action", "actorstate", "raw DO, first RPC", await measure("create"), "—"]);
  rows.push(["destroy → resurrect → action", "actorstate", "raw DO: wipe, insert, write", await measure("cycle"), "—"]);
  rows.push(["kv.list 100 of 100,000 keys by prefix", "range query (c.kv.list)", "scan all keys and filter", await measure("kvList"), "≥ 100× faster"]);

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
