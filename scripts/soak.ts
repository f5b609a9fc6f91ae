// npm run soak: the same load on actorstate and on a raw Durable Object speaking the same
// wire protocol (tests/chaos/raw-contender.ts), in one wrangler dev, in alternating phases
// so drift on a shared machine hits both alike. Reports throughput, latency, errors and
// whether each counter ends at exactly the acknowledged increments. See tests/README.md.
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { parseFlags } from "./chaos/flags.ts";
import { Contender, TRANSPORTS, type SideResult } from "./soak/contender.ts";
import { summarize } from "./soak/stats.ts";
import { startWranglerDev } from "./wrangler-dev.ts";

const flags = parseFlags(
  process.argv.slice(2),
  {
    clients: { default: 200, help: "clients per side, split evenly over HTTP/WebSocket × JSON/CBOR" },
    actors: { default: 10, help: "counters per side the clients share" },
    seconds: { default: 90, help: "seconds of load per side" },
    phase: { default: 10, help: "seconds per phase; phases alternate between the sides" },
  },
  "npm run soak -- [--clients N] [--actors N] [--seconds S] [--phase S]",
);

const server = await startWranglerDev(fileURLToPath(new URL("../tests/chaos/wrangler.json", import.meta.url)), { quiet: true });
const run = Date.now().toString(36);
const keys = Array.from({ length: flags.actors }, (_, i) => `soak-${run}-${i}`);
const sides = [new Contender("actorstate", server.url, keys), new Contender("raw Durable Object", `${server.url}/raw`, keys)] as const;
let ok = true;

try {
  console.log(
    `actorstate soak: ${flags.clients} clients per side (${TRANSPORTS.join(", ")}) on ${flags.actors} counters, ` +
      `${flags.seconds} s per side in ${flags.phase} s phases, alternating; ${cpus().length} CPU(s), node ${process.version}`,
  );
  for (const side of sides) await side.open(flags.clients);
  const phases = Math.max(1, Math.round(flags.seconds / flags.phase));
  for (let phase = 0; phase < phases; phase++) {
    // Alternate which side goes first, so neither always follows the other's leftovers.
    const order = phase % 2 ? [sides[1], sides[0]] : [sides[0], sides[1]];
    const rates: string[] = [];
    for (const side of order) rates.push(`${side.name} ${(await side.phase((flags.seconds / phases) * 1000)).toFixed(0)} calls/s`);
    console.log(`phase ${phase + 1}/${phases}: ${rates.join(", ")}`);
  }
  const finals = await Promise.all(sides.map((side) => side.finalCounts()));
  await Promise.all(sides.map((side) => side.close()));

  console.log("\n| side | ops | ops/s | p50 ms | p99 ms | errors | final counts = acknowledged |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
  const rows = sides.map((side, i) => {
    const row = figures(side.result, finals[i] as Map<string, number>);
    ok &&= row.errors === 0 && row.countsMatch;
    console.log(`| ${side.name} | ${row.ops} | ${row.opsPerSecond.toFixed(0)} | ${row.p50.toFixed(2)} | ${row.p99.toFixed(2)} | ${row.errors} | ${row.countsText} |`);
    return row;
  });
  const [ours, raw] = rows as [ReturnType<typeof figures>, ReturnType<typeof figures>];
  console.log(`| actorstate / raw | | ${(ours.opsPerSecond / raw.opsPerSecond).toFixed(2)}× | ${(ours.p50 / raw.p50).toFixed(2)}× | ${(ours.p99 / raw.p99).toFixed(2)}× | | |`);

  console.log("\n| transport | actorstate ops/s | p50 ms | p99 ms | raw ops/s | p50 ms | p99 ms |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const transport of TRANSPORTS) {
    const cells = sides.map((side) => {
      const stats = summarize(side.result.latencies.get(transport) ?? []);
      return `${(stats.count / (side.result.activeMs / 1000)).toFixed(0)} | ${stats.p50.toFixed(2)} | ${stats.p99.toFixed(2)}`;
    });
    console.log(`| ${transport} | ${cells.join(" | ")} |`);
  }
  for (const side of sides) {
    for (const [message, count] of side.result.errors) console.log(`${side.name}: ${count}× ${message}`);
  }
} catch (error) {
  ok = false;
  console.error(error);
} finally {
  await server.stop();
}
process.exit(ok ? 0 : 1);

/** One side's row: throughput over its active time, latency over every measured call. */
function figures(result: SideResult, finals: Map<string, number>) {
  const all = [...result.latencies.values()].flat();
  const { count, p50, p99 } = summarize(all);
  const errors = [...result.errors.values()].reduce((a, b) => a + b, 0);
  const off = [...finals].filter(([key, final]) => final !== (result.acknowledged.get(key) ?? 0));
  const countsMatch = off.length === 0;
  const countsText = countsMatch
    ? `yes (${[...finals.values()].reduce((a, b) => a + b, 0)})`
    : `NO: ${off.map(([key, final]) => `${key} ${final} vs ${result.acknowledged.get(key) ?? 0} acknowledged`).join("; ")}`;
  return { ops: count, opsPerSecond: count / (result.activeMs / 1000), p50, p99, errors, countsMatch, countsText };
}
