// Randomized interleavings of everything callers and the platform do to actors — creates,
// failing creates, actions by key and by id, destroys, evictions, alarms, bursts, and resets
// (a crash of every object) at random moments, mid-create, mid-action and mid-destroy — with
// the invariants checked after every step. `npm test` runs a share; `npm run soak` runs it
// at full size (ACTORSTATE_RANDOMIZED_OPERATIONS).
import { abortAllDurableObjects, env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, inject, it, vi } from "vitest";
import { ActorError } from "actorstate";
import { createClient } from "actorstate/client";
import { transitionLog } from "actorstate/testing";
import { possibleStateChanges } from "../../machines/lifecycle/model.ts";
import type { registry } from "./fixtures/actors.ts";
import { objectOf, uniqueKey } from "./helpers.ts";
import { seededRandom } from "../support/random.ts";

/** What the test believes about one actor. */
interface Model {
  key: string;
  /** The newest generation that ever came to life. */
  generation: number | null;
  alive: boolean;
  total: number;
  /** Ticks known to have run. */
  ticks: number;
  /** Ticks scheduled that may not have run yet (the platform fires due alarms by itself too). */
  pending: number;
  ids: string[];
}

type Outcome<T> = { ok: true; value: T } | { ok: false; code: string };

const generationOf = (id: string) => Number(id.slice(id.lastIndexOf(":") + 1));
/** A client of its own for each call: stubs kept from before a reset fail once, as after a deploy. */
const fresh = () => createClient<typeof registry>({ binding: env.ACTORS });

async function outcome<T>(work: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    if (error instanceof ActorError) return { ok: false, code: error.fullCode };
    throw error;
  }
}

const SEEDS = [20261126, 7, 1234, 99, 31337, 4242, 8, 555];
const TOTAL = inject("randomizedOperations");
const PER_SEED = Math.ceil(TOTAL / SEEDS.length);

async function runSeed(seed: number, operationsCount: number): Promise<Record<string, number>> {
  const rng = seededRandom(seed);
  const actors: Model[] = [0, 1, 2].map((i) => ({ key: uniqueKey(`random-${seed}-${i}`), generation: null, alive: false, total: 0, ticks: 0, pending: 0, ids: [] }));
  const history: string[] = [];
  const fail = (message: string): never => {
    throw new Error(`${message}\nseed ${seed}, after:\n${history.slice(-15).join("\n")}`);
  };
  const check = (condition: boolean, message: string) => condition || fail(message);
  /** Only a caller that asked for a failing creation may hear of one. */
  const notAnotherCallersError = (result: Outcome<unknown>, asked: boolean) =>
    check(asked || result.ok || result.code !== "user/create_failed", `a caller got another caller's error: ${JSON.stringify(result)}`);

  const ran = (model: Model, result: { generation: number; total: number }, by: number) => {
    // No action may run on a generation other than the live one, and no write is lost.
    check(result.generation === model.generation, `action ran on generation ${result.generation}, live is ${model.generation}`);
    model.total += by;
    check(result.total === model.total, `total ${result.total}, expected ${model.total}`);
  };
  const born = (model: Model, start: number) => {
    model.generation = (model.generation ?? -1) + 1;
    Object.assign(model, { alive: true, total: start, ticks: 0, pending: 0 });
  };
  const died = (model: Model) => Object.assign(model, { alive: false, pending: 0 });
  /** Scheduled ticks run once each: never more than were scheduled, never one twice. */
  const ticked = (model: Model, seen: number) => {
    check(seen >= model.ticks && seen <= model.ticks + model.pending, `ticks ${seen}, expected ${model.ticks} to ${model.ticks + model.pending}`);
    model.pending -= seen - model.ticks;
    model.ticks = seen;
  };

  /** After a reset: what each actor is now must be one of the outcomes the interrupted work allows. */
  const resync = async (model: Model, interrupted: { op: string; start?: number; by?: number } | undefined) => {
    const result = await outcome(fresh().account.get(model.key).read());
    if (!result.ok) {
      check(result.code === "actor/not_found", `after a reset: ${JSON.stringify(result)}`);
      check(!model.alive || interrupted?.op === "destroy", `a live actor is gone after a reset (${interrupted?.op ?? "nothing"} interrupted)`);
      return void died(model);
    }
    const seen = result.value;
    // No running actor whose onCreate did not finish.
    check(seen.created, `a running actor whose onCreate did not finish: ${JSON.stringify(seen)}`);
    if (model.alive && seen.generation === model.generation) {
      const adds = interrupted?.op === "add" ? [model.total, model.total + (interrupted.by ?? 0)] : [model.total];
      check(adds.includes(seen.total), `after a reset, total ${seen.total}, expected one of ${adds}`);
      ticked(model, seen.ticks);
      model.total = seen.total;
      return;
    }
    check(interrupted?.op === "create" && seen.generation === (model.generation ?? -1) + 1, `after a reset, generation ${seen.generation} from ${model.generation}`);
    born(model, interrupted?.start ?? 0);
    check(seen.total === model.total, `a resumed creation started at ${seen.total}, not ${model.total}`);
  };

  const operations: Record<string, (model: Model) => Promise<void>> = {
    async getOrCreateAdd(model) {
      const by = 1 + rng.int(9);
      const fails = !model.alive && rng.next() < 0.25;
      const result = await outcome(fresh().account.getOrCreate(model.key, { input: { start: 0, fail: fails } }).add(by));
      if (fails) return void check(!result.ok && result.code === "user/create_failed", `a failing creation: ${JSON.stringify(result)}`);
      if (!model.alive) born(model, 0);
      check(result.ok, `getOrCreate: ${JSON.stringify(result)}`);
      if (result.ok) ran(model, result.value, by);
    },
    async create(model) {
      const start = rng.int(100);
      const result = await outcome(fresh().account.create(model.key, { input: { start } }).then((handle) => handle.resolve()));
      if (model.alive) return void check(!result.ok && result.code === "actor/already_exists", `create on a live actor: ${JSON.stringify(result)}`);
      born(model, start);
      check(result.ok && generationOf(result.value) === model.generation, `create: ${JSON.stringify(result)}`);
      if (result.ok) model.ids.push(result.value);
    },
    async getAdd(model) {
      const by = 1 + rng.int(9);
      const result = await outcome(fresh().account.get(model.key).add(by));
      if (!model.alive) return void check(!result.ok && result.code === "actor/not_found", `get on a dead actor: ${JSON.stringify(result)}`);
      check(result.ok, `get on a live actor failed: ${JSON.stringify(result)}`);
      if (result.ok) ran(model, result.value, by);
    },
    async idAdd(model) {
      if (!model.ids.length) return;
      const id = rng.pick(model.ids);
      const by = 1 + rng.int(9);
      const result = await outcome(fresh().account.getForId(id).add(by));
      if (model.alive && generationOf(id) === model.generation) {
        check(result.ok, `current id failed: ${JSON.stringify(result)}`);
        if (result.ok) ran(model, result.value, by);
      } else {
        check(!result.ok && result.code === "actor/not_found", `stale id ${id} reached generation ${JSON.stringify(result)}`);
      }
    },
    async resolve(model) {
      const result = await outcome(fresh().account.get(model.key).resolve());
      if (!model.alive) return void check(!result.ok && result.code === "actor/not_found", `resolve on a dead actor: ${JSON.stringify(result)}`);
      check(result.ok && generationOf(result.value) === model.generation, `resolve: ${JSON.stringify(result)}`);
      if (result.ok && !model.ids.includes(result.value)) model.ids.push(result.value);
    },
    async read(model) {
      const result = await outcome(fresh().account.get(model.key).read());
      if (!model.alive) return void check(!result.ok && result.code === "actor/not_found", `read on a dead actor: ${JSON.stringify(result)}`);
      check(result.ok && result.value.total === model.total && result.value.generation === model.generation && result.value.created, `read: ${JSON.stringify(result)} vs ${model.total}`);
      if (result.ok) ticked(model, result.value.ticks);
    },
    async destroy(model) {
      const result = await outcome(fresh().account.get(model.key).destroy());
      if (model.generation === null) return void check(!result.ok && result.code === "actor/not_found", `destroy of a never-created actor: ${JSON.stringify(result)}`);
      check(result.ok, `destroy: ${JSON.stringify(result)}`);
      died(model);
    },
    async destroyById(model) {
      if (!model.ids.length) return;
      const id = rng.pick(model.ids);
      const result = await outcome(fresh().account.getForId(id).destroy());
      if (generationOf(id) === model.generation) {
        check(result.ok, `destroy by current id: ${JSON.stringify(result)}`);
        died(model);
      } else {
        check(!result.ok && result.code === "actor/not_found", `destroy by stale id ${id}: ${JSON.stringify(result)}`);
      }
    },
    async schedule(model) {
      if (!model.alive || model.pending >= 10) return;
      const result = await outcome(fresh().account.get(model.key).tickSoon());
      check(result.ok, `schedule: ${JSON.stringify(result)}`);
      model.pending += 1;
    },
    async alarm(model) {
      await runDurableObjectAlarm(objectOf("account", model.key));
      if (!model.alive) return;
      // Every due tick of the live generation has run (by this alarm, or one the platform
      // fired itself, which may still be finishing), each exactly once.
      const expected = model.ticks + model.pending;
      await vi.waitFor(
        async () => {
          const result = await outcome(fresh().account.get(model.key).read());
          check(result.ok, `read after the alarm: ${JSON.stringify(result)}`);
          if (result.ok) ticked(model, result.value.ticks);
          expect(model.ticks).toBe(expected);
        },
        { timeout: 5_000, interval: 10 },
      );
    },
    async evict(model) {
      // Rejects when the object is not running; there is then nothing to evict.
      await evictDurableObject(objectOf("account", model.key)).catch(() => undefined);
    },
    async burst(model) {
      // Interleaved: several adds at once — some through a failing getOrCreate when the actor
      // is gone — sometimes racing a destroy.
      const calls = Array.from({ length: 2 + rng.int(4) }, () => ({ by: 1 + rng.int(9), failing: !model.alive && rng.next() < 0.3 }));
      const withDestroy = model.alive && rng.next() < 0.4;
      const running = calls.map(({ by, failing }) =>
        outcome(failing ? fresh().account.getOrCreate(model.key, { input: { start: 0, fail: true } }).add(by) : fresh().account.get(model.key).add(by)),
      );
      const destroyed = withDestroy ? outcome(fresh().account.get(model.key).destroy()) : undefined;
      const results = await Promise.all(running);
      if (destroyed) check((await destroyed).ok, "destroy in a burst failed");
      results.forEach((result, i) => notAnotherCallersError(result, calls[i]?.failing ?? false));
      const succeeded = calls.filter((_, i) => results[i]?.ok);
      if (!model.alive) check(succeeded.length === 0, "an add succeeded on a dead actor");
      if (model.alive && !withDestroy) check(succeeded.length === calls.length, "an add failed on a live actor");
      for (const result of results) {
        if (result.ok) check(result.value.generation === model.generation, `burst add ran on generation ${result.value.generation}`);
        else check(["actor/not_found", "actor/destroying", "user/create_failed"].includes(result.code), `burst add failed with ${result.code}`);
      }
      const totals = results.flatMap((r) => (r.ok ? [r.value.total] : [])).sort((a, b) => a - b);
      const sum = succeeded.reduce((total, call) => total + call.by, 0);
      check(totals.length === 0 || totals.at(-1) === model.total + sum, `burst totals ${totals} from ${model.total} + ${sum}`);
      model.total += sum;
      if (withDestroy) died(model);
    },
    async reset(model) {
      // Start work on this actor, let it reach a random await, then crash every object.
      const kinds = model.alive ? ["add", "destroy"] : ["create"];
      const op = rng.pick(kinds);
      const by = 1 + rng.int(9);
      const start = rng.int(100);
      const pauseMs = rng.int(15);
      const work =
        op === "add"
          ? fresh().account.get(model.key).add(by, pauseMs)
          : op === "destroy"
            ? fresh().account.get(model.key).destroy()
            : fresh().account.getOrCreate(model.key, { input: { start, pauseMs } }).read();
      const settled = work.then(
        () => true,
        () => false,
      );
      await scheduler.wait(rng.int(20));
      await abortAllDurableObjects();
      const finished = await settled;
      history.push(`   reset during ${op} (finished before the reset: ${finished})`);
      for (const other of actors) await resync(other, other === model ? { op, start, by } : undefined);
    },
  };
  const weights: Array<[string, number]> = [
    ["getOrCreateAdd", 5], ["create", 2], ["getAdd", 3], ["idAdd", 3], ["resolve", 2], ["read", 3], ["destroy", 2],
    ["destroyById", 1], ["schedule", 2], ["alarm", 2], ["evict", 2], ["burst", 2], ["reset", 2],
  ];
  const bag = weights.flatMap(([name, weight]) => Array<string>(weight).fill(name));

  const changes = possibleStateChanges();
  const checkLogs = async () => {
    for (const model of actors) {
      const log = await transitionLog(objectOf("account", model.key));
      for (const [index, record] of log.entries()) {
        const previous = log[index - 1];
        if (previous) check(record.from === previous.to || record.from === "uninitialized", `log gap: ${JSON.stringify(previous)} then ${JSON.stringify(record)}`);
        if (record.from !== record.to) check(changes.has(`${record.from}|${record.event}|${record.to}`), `log entry the machine cannot make: ${JSON.stringify(record)}`);
        else check(!record.ok, `a logged non-change must be a refusal or failure: ${JSON.stringify(record)}`);
      }
    }
  };

  let maxGenerations = actors.map(() => -1);
  const counts: Record<string, number> = {};
  for (let step = 0; step < operationsCount; step++) {
    const target = rng.int(actors.length);
    const model = actors[target] as Model;
    const name = rng.pick(bag);
    counts[name] = (counts[name] ?? 0) + 1;
    history.push(`${step}: ${name} on actor ${target} (generation ${model.generation}, ${model.alive ? "alive" : "dead"}, total ${model.total})`);
    await operations[name]?.(model);
    // Generations only grow.
    const generations = actors.map((a) => a.generation ?? -1);
    check(generations.every((g, i) => g >= (maxGenerations[i] ?? -1)), "a generation went backwards");
    maxGenerations = generations;
    if (step % 200 === 199) await checkLogs();
  }
  await checkLogs();
  console.log(`randomized: seed ${seed}: ${operationsCount} operations (${counts.reset ?? 0} resets, ${counts.burst ?? 0} bursts), generations ${actors.map((a) => a.generation).join("/")}`);
  return counts;
}

describe(`randomized lifecycle operations (${TOTAL} in all, ${SEEDS.length} seeds)`, () => {
  for (const seed of SEEDS) {
    it(`keeps every invariant through ${PER_SEED} interleaved operations on 3 actors (seed ${seed})`, async () => {
      const counts = await runSeed(seed, PER_SEED);
      // The run really crashed objects mid-work, and really raced destroys.
      expect(counts.reset).toBeGreaterThan(0);
      expect(counts.burst).toBeGreaterThan(0);
    }, 600_000);
  }
});
