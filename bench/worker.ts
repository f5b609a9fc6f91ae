// The benchmark Worker: each route runs one benchmark inside workerd and returns timings.
// Clocks in workerd only move across I/O, so each sample is a round of sequential calls
// (every call is I/O) timed as a whole; rounds of the measured side and its baseline alternate.
import { actor, createHandler, setup, workflow } from "actorstate";
import { assign, setup as machineSetup } from "xstate";
import { createClient } from "actorstate/client";
import { inspector } from "actorstate/inspector";
import { compare, median } from "./compare.ts";
import { objectNameFor } from "../runtime/identity.ts";
import type { DirectoryEntry } from "../runtime/types/directory.ts";
import { DIRECTORY_SHARDS, legacyShardStub, shardOf, shardStub } from "../runtime/directory/routing.ts";
import type { InspectorSnapshot } from "../runtime/inspector/types.ts";
import type { RawCounter } from "./raw-counter.ts";

export { RawCounter } from "./raw-counter.ts";

const benchCounter = actor({
  state: { count: 0 },
  actions: {
    increment: (c, by: number) => (c.state.count += by),
    bump: (c) => {
      c.state.count += 1;
      c.broadcast("changed", c.state.count);
    },
  },
});

/** benchCounter's increment on a state that also holds a string of `bytes` bytes, set at creation. */
const benchLarge = actor({
  createState: (_c, input: { bytes: number }) => ({ count: 0, blob: "x".repeat(input.bytes) }),
  actions: { increment: (c, by: number) => (c.state.count += by) },
});

/** Schedules: many at once, each one bumping a counter. */
const benchTimer = actor({
  state: { ticks: 0 },
  actions: {
    tick: (c) => (c.state.ticks += 1),
    ticks: (c) => c.state.ticks,
    scheduleMany: (c, count: number) => {
      const now = Date.now();
      for (let i = 0; i < count; i++) c.schedule.at(now, "tick");
    },
  },
});

const benchStore = actor({
  state: {},
  actions: {
    seed: (c, from: number, count: number, prefix: string) => {
      const entries: Array<[string, number]> = [];
      for (let i = from; i < from + count; i++) entries.push([`${prefix}${String(i).padStart(6, "0")}`, i]);
      c.kv.putBatch(entries);
    },
    rangeList: (c, prefix: string) => c.kv.list({ prefix }).length,
    // What a KV without range queries does: read every key, keep the matching ones.
    scanList: (c, prefix: string) => c.kv.list().filter(([key]) => (key as string).startsWith(prefix)).length,
  },
});

/** The workflow counterpart of benchCounter: each INC event adds one, as increment(1) does. */
const benchFlow = workflow({
  machine: machineSetup({ types: { context: {} as { count: number }, events: {} as { type: "INC" } } }).createMachine({
    context: { count: 0 },
    on: { INC: { actions: assign({ count: ({ context }) => context.count + 1 }) } },
  }),
});

/** A workflow whose one timer fires 200 ms after it starts. */
const TIMER_MS = 200;
const benchDelay = workflow({
  machine: machineSetup({}).createMachine({ initial: "waiting", states: { waiting: { after: { [TIMER_MS]: "done" } }, done: {} } }),
});

const registry = setup({ actors: { benchCounter, benchLarge, benchStore, benchTimer, benchFlow, benchDelay } });
const { handler, ActorObject } = createHandler(registry, { inspector });
export { ActorObject };

/**
 * A Worker with many actor types and few actors, for the directory: 150 types generated
 * here, served by their own object class (binding LISTED) so that no other benchmark's
 * actors are listed with them.
 */
const LISTED_TYPES = 150;
const listedActors = Object.fromEntries(
  Array.from({ length: LISTED_TYPES }, (_, i) => [`type${String(i).padStart(3, "0")}`, actor({ state: { touched: 0 }, actions: { touch: (c) => (c.state.touched += 1) } })]),
);
const listedRegistry = setup({ actors: listedActors });
const listed = createHandler(listedRegistry, { binding: "LISTED", inspector });
export const ListedObject = listed.ActorObject;

interface Env {
  ACTORS: DurableObjectNamespace;
  LISTED: DurableObjectNamespace;
  RAW: DurableObjectNamespace<RawCounter>;
}

/** A page of the inspector's list of every type, as its page asks for it (up to 1,000), read whole. */
async function inspectorList(worker: { fetch(request: Request, env: object): Promise<Response> }, env: Env): Promise<{ actors: DirectoryEntry[]; cursor: string | null }> {
  const response = await worker.fetch(new Request("http://bench.local/__actorstate/api/actors?limit=1000"), { ...env, ACTORSTATE_INSPECTOR: "open" });
  if (!response.ok) throw new Error(`inspector list: ${response.status} ${await response.text()}`);
  return response.json();
}

interface ShardStub {
  directory(request: object): Promise<DirectoryEntry[] | null>;
}

/** Clocks in workerd move only across I/O: fine for rounds of calls, each of them I/O. */
const rounds = (count: number, measured: number, baseline: number) => ({ rounds: count, calls: { measured, baseline }, clock: Date.now });

const benchmarks: Record<string, (env: Env, run: string) => Promise<unknown>> = {
  async action(env, run) {
    const client = createClient<typeof registry>({ binding: env.ACTORS });
    const counter = client.benchCounter.getOrCreate(`action-${run}`);
    const raw = env.RAW.get(env.RAW.idFromName(`action-${run}`));
    await counter.increment(1);
    await raw.increment(1);
    return compare(rounds(30, 100, 100), () => counter.increment(1), () => raw.increment(1));
  },
  async largeState(env, run) {
    const client = createClient<typeof registry>({ binding: env.ACTORS });
    const large = client.benchLarge.getOrCreate(`large-${run}`, { input: { bytes: 1024 * 1024 } });
    const small = client.benchCounter.getOrCreate(`small-${run}`);
    await large.increment(1);
    await small.increment(1);
    return compare(rounds(30, 40, 40), () => large.increment(1), () => small.increment(1));
  },
  async lookup(env, run) {
    // A new client and handle for every call, as a Worker's fetch handler would make them.
    return compare(
      rounds(30, 100, 100),
      () => createClient<typeof registry>({ binding: env.ACTORS }).benchCounter.getOrCreate(`lookup-${run}`).increment(1),
      () => env.RAW.get(env.RAW.idFromName(`lookup-${run}`)).increment(1),
    );
  },
  async concurrent(env, run) {
    const counter = createClient<typeof registry>({ binding: env.ACTORS }).benchCounter.getOrCreate(`concurrent-${run}`);
    const raw = env.RAW.get(env.RAW.idFromName(`concurrent-${run}`));
    await counter.increment(1);
    await raw.increment(1);
    // One "call" is a burst of 200 at once; the ratio of burst times is the inverse of the throughput ratio.
    return compare(
      rounds(15, 1, 1),
      () => Promise.all(Array.from({ length: 200 }, () => counter.increment(1))),
      () => Promise.all(Array.from({ length: 200 }, () => raw.increment(1))),
    );
  },
  async create(env, run) {
    const client = createClient<typeof registry>({ binding: env.ACTORS });
    return compare(rounds(10, 20, 20), (i) => client.benchCounter.getOrCreate(`create-${run}-${i}`).increment(1), (i) => env.RAW.get(env.RAW.idFromName(`create-${run}-${i}`)).increment(1));
  },
  async cycle(env, run) {
    const client = createClient<typeof registry>({ binding: env.ACTORS });
    const counter = client.benchCounter.getOrCreate(`cycle-${run}`);
    const raw = env.RAW.get(env.RAW.idFromName(`cycle-${run}`));
    await counter.increment(1);
    return compare(
      rounds(10, 20, 20),
      async () => {
        await counter.destroy();
        await counter.increment(1);
      },
      async () => {
        await raw.wipe();
        await raw.recreate();
        await raw.increment(1);
      },
    );
  },
  async schedules(env, run) {
    const client = createClient<typeof registry>({ binding: env.ACTORS });
    const timer = client.benchTimer.getOrCreate(`schedules-${run}`);
    const direct = client.benchTimer.getOrCreate(`direct-${run}`);
    await timer.ticks();
    await direct.ticks();
    const started = Date.now();
    await timer.scheduleMany(1000);
    const scheduled = Date.now();
    // The alarm fires on its own; each poll is I/O, so the clock moves.
    while ((await timer.ticks()) < 1000) await scheduler.wait(5);
    const ran = Date.now();
    for (let i = 0; i < 1000; i++) await direct.tick();
    const baseline = Date.now() - ran;
    return { scheduleMs: scheduled - started, runMs: ran - scheduled, measuredMs: ran - started, baselineMs: baseline, ratio: (ran - started) / baseline };
  },
  async workflowSend(env, run) {
    const client = createClient<typeof registry>({ binding: env.ACTORS });
    const flow = client.benchFlow.getOrCreate(`send-${run}`);
    const counter = client.benchCounter.getOrCreate(`send-${run}`);
    await flow.send({ type: "INC" });
    await counter.increment(1);
    return compare(rounds(30, 100, 100), () => flow.send({ type: "INC" }), () => counter.increment(1));
  },
  async timerLateness(env, run) {
    // 20 workflows with a 200 ms timer vs 20 raw objects with a 200 ms alarm: how late each fires.
    const client = createClient<typeof registry>({ binding: env.ACTORS });
    const keys = Array.from({ length: 20 }, (_, i) => `late-${run}-${i}`);
    const started = new Map<string, number>();
    await Promise.all(
      keys.map(async (key) => {
        started.set(key, Date.now());
        await client.benchDelay.getOrCreate(key).resolve();
        await env.RAW.get(env.RAW.idFromName(key)).armAlarm(TIMER_MS);
      }),
    );
    const lateness = { measured: [] as number[], baseline: [] as number[] };
    for (const key of keys) {
      const object = env.ACTORS.get(env.ACTORS.idFromName(objectNameFor("benchDelay", [key]))) as unknown as { inspector(request: object): Promise<InspectorSnapshot | null> };
      for (;;) {
        const step = (await object.inspector({}))?.workflow?.history.find((entry) => entry.event.type.startsWith("xstate.after."));
        const start = (await object.inspector({}))?.workflow?.history[0];
        if (step && start) {
          lateness.measured.push(step.at - (start.at + TIMER_MS));
          break;
        }
        await scheduler.wait(10);
      }
      for (;;) {
        const times = await env.RAW.get(env.RAW.idFromName(key)).alarmTimes();
        if (times?.firedAt) {
          lateness.baseline.push(times.firedAt - times.dueAt);
          break;
        }
        await scheduler.wait(10);
      }
    }
    const measuredMs = median(lateness.measured);
    const baselineMs = median(lateness.baseline);
    return { measuredMs, baselineMs, ratio: measuredMs / Math.max(baselineMs, 1), worstMs: Math.max(...lateness.measured) };
  },
  async manyTimers(env, run) {
    // 1,000 workflows with one timer each, then 1,000 raw objects with one alarm each: from the
    // first creation to the last fire.
    const client = createClient<typeof registry>({ binding: env.ACTORS });
    const keys = Array.from({ length: 1_000 }, (_, i) => `many-${run}-${i}`);
    const inBatches = async (work: (key: string) => Promise<unknown>) => {
      for (let i = 0; i < keys.length; i += 100) await Promise.all(keys.slice(i, i + 100).map(work));
    };
    const time = async (start: (key: string) => Promise<unknown>, fired: (key: string) => Promise<boolean>) => {
      const began = Date.now();
      await inBatches(start);
      let pending = keys;
      while (pending.length) {
        const left: string[] = [];
        for (let i = 0; i < pending.length; i += 100) {
          const batch = pending.slice(i, i + 100);
          const done = await Promise.all(batch.map(fired));
          batch.forEach((key, j) => done[j] || left.push(key));
        }
        pending = left;
        if (pending.length) await scheduler.wait(20);
      }
      return Date.now() - began;
    };
    const measuredMs = await time(
      (key) => client.benchDelay.getOrCreate(key).resolve(),
      async (key) => {
        const object = env.ACTORS.get(env.ACTORS.idFromName(objectNameFor("benchDelay", [key]))) as unknown as { inspector(request: object): Promise<InspectorSnapshot | null> };
        return (await object.inspector({}))?.workflow?.timers.length === 0;
      },
    );
    const baselineMs = await time(
      (key) => env.RAW.get(env.RAW.idFromName(`many-raw-${key}`)).armAlarm(TIMER_MS),
      async (key) => Boolean((await env.RAW.get(env.RAW.idFromName(`many-raw-${key}`)).alarmTimes())?.firedAt),
    );
    return { measuredMs, baselineMs, ratio: measuredMs / baselineMs };
  },
  async kvList(env, run) {
    const client = createClient<typeof registry>({ binding: env.ACTORS });
    const store = client.benchStore.getOrCreate(`kv-${run}`);
    for (let from = 0; from < 99_900; from += 9_990) await store.seed(from, 9_990, "item:");
    await store.seed(0, 100, "wanted:");
    if ((await store.rangeList("wanted:")) !== 100 || (await store.scanList("wanted:")) !== 100) throw new Error("kv bench saw the wrong keys");
    return compare(rounds(5, 200, 2), () => store.rangeList("wanted:"), () => store.scanList("wanted:"));
  },
};

/** The directory benchmarks: one page of the inspector's list of every type. */
const directoryBenchmarks: Record<string, (env: Env, run: string) => Promise<unknown>> = {
  async listSparse(env, run) {
    // 2 actors among 150 types, created for real; their entries follow the replies.
    const client = createClient<typeof listedRegistry>({ binding: env.LISTED });
    await client["type017"]?.getOrCreate(`sparse-${run}`).touch();
    await client["type123"]?.getOrCreate(`sparse-${run}`).touch();
    let started = Date.now();
    const first = await inspectorList(listed.handler, env);
    // The first list reaches shard objects nobody has read yet: the cold cost, reported aside.
    const coldMs = Date.now() - started;
    if (first.actors.length < 2) while ((await inspectorList(listed.handler, env)).actors.length < 2) await scheduler.wait(10);
    // What the inspector did before the shared directory: each type's 16 shards in turn
    // (shard objects of the old layout, read as the old code read them; here they are empty).
    const names = Object.keys(listedActors);
    const perTypeFanOut = async () => {
      let found = 0;
      for (const name of names) {
        for (let shard = 0; shard < DIRECTORY_SHARDS; shard++) {
          const stub = legacyShardStub(env.LISTED, name, shard) as ShardStub;
          found += ((await stub.directory({ op: "list", legacy: true, limit: 1000 - found })) ?? []).length;
        }
      }
      return found;
    };
    started = Date.now();
    await perTypeFanOut();
    const coldBaselineMs = Date.now() - started;
    const warm = await compare(
      rounds(5, 4, 1),
      async () => {
        const page = await inspectorList(listed.handler, env);
        if (page.actors.length !== 2 || page.cursor !== null) throw new Error(`listSparse saw ${page.actors.length} actors`);
      },
      perTypeFanOut,
    );
    return { ...warm, coldMs, coldBaselineMs };
  },
  async listDense(env, run) {
    // 10,000 entries of the 5 bench types, written through the shards' own upsert (the call
    // each actor's delivery makes), in batches: creating 10,000 actors would take minutes,
    // and a listing reads only the directory.
    const types = Object.keys(registry.actors);
    const entries: DirectoryEntry[] = Array.from({ length: 10_000 }, (_, i) => {
      const name = types[i % types.length] as string;
      const key = [`user-${run}-${String(i).padStart(5, "0")}`];
      const doId = env.ACTORS.idFromName(objectNameFor(name, key)).toString();
      const last = { from: "creating", to: "running", event: "xstate.done.actor.create", at: Date.now(), ok: true };
      return { name, key, actorId: `${doId}:0`, generation: 0, lifecycle: "running", last, version: 2 };
    });
    const byShard = new Map<number, DirectoryEntry[]>();
    for (const entry of entries) byShard.set(shardOf(entry.actorId), [...(byShard.get(shardOf(entry.actorId)) ?? []), entry]);
    for (const [shard, batch] of byShard) {
      for (let i = 0; i < batch.length; i += 500) await (shardStub(env.ACTORS, shard) as ShardStub).directory({ op: "upsert", entry: batch.slice(i, i + 500) });
    }
    // The baseline: the same entries as rows of one raw object, read 1,000 at once.
    const raw = env.RAW.get(env.RAW.idFromName(`rows-${run}`));
    for (let i = 0; i < entries.length; i += 1000) {
      await raw.seedRows(entries.slice(i, i + 1000).map((entry) => ({ name: entry.name, key: JSON.stringify(entry.key), entry })));
    }
    const page = async () => {
      const listed = await inspectorList(handler, env);
      if (listed.actors.length !== 1000 || !listed.cursor) throw new Error(`listDense saw ${listed.actors.length} actors`);
    };
    const rawPage = async () => {
      // Sent on as JSON and read back, as the inspector's answer is.
      const rows = (await Response.json(await raw.readRows(1000)).json()) as unknown[];
      if (rows.length !== 1000) throw new Error(`raw rows: ${rows.length}`);
    };
    await page();
    await rawPage();
    return compare(rounds(10, 5, 5), page, rawPage);
  },
};
Object.assign(benchmarks, directoryBenchmarks);

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/raw/increment") {
      return env.RAW.get(env.RAW.idFromName(url.searchParams.get("key") ?? "raw")).fetch(request);
    }
    const name = url.pathname.slice(1);
    const bench = benchmarks[name];
    if (!bench) return handler.fetch(request, env);
    return Response.json(await bench(env, url.searchParams.get("run") ?? crypto.randomUUID()));
  },
} satisfies ExportedHandler<Env>;
