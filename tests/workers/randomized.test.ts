import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ActorError } from "actorstate";
import { transitionLog } from "actorstate/testing";
import { possibleStateChanges } from "../../machines/lifecycle/model.ts";
import { client, objectOf, uniqueKey } from "./helpers.ts";
import { seededRandom } from "../support/random.ts";


/** What the test believes about one actor. */
interface Model {
  key: string;
  generation: number | null;
  alive: boolean;
  total: number;
  ids: string[];
}

const generationOf = (id: string) => Number(id.slice(id.lastIndexOf(":") + 1));

async function outcome<T>(work: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; code: string }> {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    if (error instanceof ActorError) return { ok: false, code: error.fullCode };
    throw error;
  }
}

const SEED = 20261126;
const OPERATIONS = 600;

describe(`randomized lifecycle operations (seed ${SEED})`, () => {
  it(`keeps every invariant through ${OPERATIONS} interleaved operations on 3 actors`, async () => {
    const rng = seededRandom(SEED);
    const actors: Model[] = [0, 1, 2].map((i) => ({ key: uniqueKey(`random-${i}`), generation: null, alive: false, total: 0, ids: [] }));
    const history: string[] = [];
    const fail = (message: string): never => {
      throw new Error(`${message}\nseed ${SEED}, after:\n${history.slice(-15).join("\n")}`);
    };
    const check = (condition: boolean, message: string) => condition || fail(message);

    const ran = (model: Model, result: { generation: number; total: number }, by: number) => {
      // No action may run on a generation other than the live one, and no write is lost.
      check(result.generation === model.generation, `action ran on generation ${result.generation}, live is ${model.generation}`);
      model.total += by;
      check(result.total === model.total, `total ${result.total}, expected ${model.total}`);
    };
    const born = (model: Model, start: number) => {
      model.generation = (model.generation ?? -1) + 1;
      model.alive = true;
      model.total = start;
    };

    const operations: Record<string, (model: Model) => Promise<void>> = {
      async getOrCreateAdd(model) {
        const by = 1 + rng.int(9);
        if (!model.alive) born(model, 0);
        ran(model, await client.ledger.getOrCreate(model.key).add(by), by);
      },
      async create(model) {
        const start = rng.int(100);
        const result = await outcome(client.ledger.create(model.key, { input: { start } }).then((handle) => handle.resolve()));
        if (model.alive) return void check(!result.ok && result.code === "actor/already_exists", `create on a live actor: ${JSON.stringify(result)}`);
        born(model, start);
        check(result.ok && generationOf(result.value) === model.generation, `create: ${JSON.stringify(result)}`);
        if (result.ok) model.ids.push(result.value);
      },
      async getAdd(model) {
        const by = 1 + rng.int(9);
        const result = await outcome(client.ledger.get(model.key).add(by));
        if (!model.alive) return void check(!result.ok && result.code === "actor/not_found", `get on a dead actor: ${JSON.stringify(result)}`);
        check(result.ok, `get on a live actor failed: ${JSON.stringify(result)}`);
        if (result.ok) ran(model, result.value, by);
      },
      async idAdd(model) {
        if (!model.ids.length) return;
        const id = rng.pick(model.ids);
        const by = 1 + rng.int(9);
        const result = await outcome(client.ledger.getForId(id).add(by));
        if (model.alive && generationOf(id) === model.generation) {
          check(result.ok, `current id failed: ${JSON.stringify(result)}`);
          if (result.ok) ran(model, result.value, by);
        } else {
          check(!result.ok && result.code === "actor/not_found", `stale id ${id} reached generation ${JSON.stringify(result)}`);
        }
      },
      async resolve(model) {
        const result = await outcome(client.ledger.get(model.key).resolve());
        if (!model.alive) return void check(!result.ok && result.code === "actor/not_found", `resolve on a dead actor: ${JSON.stringify(result)}`);
        check(result.ok && generationOf(result.value) === model.generation, `resolve: ${JSON.stringify(result)}`);
        if (result.ok && !model.ids.includes(result.value)) model.ids.push(result.value);
      },
      async read(model) {
        const result = await outcome(client.ledger.get(model.key).read());
        if (!model.alive) return void check(!result.ok && result.code === "actor/not_found", `read on a dead actor: ${JSON.stringify(result)}`);
        check(result.ok && result.value.total === model.total && result.value.generation === model.generation, `read: ${JSON.stringify(result)} vs ${model.total}`);
      },
      async destroy(model) {
        const result = await outcome(client.ledger.get(model.key).destroy());
        if (model.generation === null) return void check(!result.ok && result.code === "actor/not_found", `destroy of a never-created actor: ${JSON.stringify(result)}`);
        check(result.ok, `destroy: ${JSON.stringify(result)}`);
        model.alive = false;
      },
      async destroyById(model) {
        if (!model.ids.length) return;
        const id = rng.pick(model.ids);
        const result = await outcome(client.ledger.getForId(id).destroy());
        if (generationOf(id) === model.generation) {
          check(result.ok, `destroy by current id: ${JSON.stringify(result)}`);
          model.alive = false;
        } else {
          check(!result.ok && result.code === "actor/not_found", `destroy by stale id ${id}: ${JSON.stringify(result)}`);
        }
      },
      async evict(model) {
        // Rejects when the object is not running; there is then nothing to evict.
        await evictDurableObject(objectOf("ledger", model.key)).catch(() => undefined);
      },
      async alarm(model) {
        const object = objectOf("ledger", model.key);
        await runInDurableObject(object, (_, state) => state.storage.setAlarm(Date.now() + 60_000));
        await runDurableObjectAlarm(object);
      },
      async burst(model) {
        // Interleaved: several adds at once, sometimes racing a destroy.
        const adds = Array.from({ length: 2 + rng.int(4) }, () => 1 + rng.int(9));
        const withDestroy = model.alive && rng.next() < 0.4;
        const calls = adds.map((by) => outcome(client.ledger.get(model.key).add(by)).then((result) => ({ by, result })));
        const destroyed = withDestroy ? outcome(client.ledger.get(model.key).destroy()) : undefined;
        const results = await Promise.all(calls);
        if (destroyed) check((await destroyed).ok, "destroy in a burst failed");
        const succeeded = results.filter((r) => r.result.ok);
        if (!model.alive) check(succeeded.length === 0, "an add succeeded on a dead actor");
        if (model.alive && !withDestroy) check(succeeded.length === adds.length, "an add failed on a live actor");
        for (const { result } of results) {
          if (result.ok) check(result.value.generation === model.generation, `burst add ran on generation ${result.value.generation}`);
          else check(["actor/not_found", "actor/destroying"].includes(result.code), `burst add failed with ${result.code}`);
        }
        const totals = succeeded.map((r) => (r.result.ok ? r.result.value.total : 0)).sort((a, b) => a - b);
        const sum = succeeded.reduce((total, r) => total + r.by, 0);
        check(totals.length === 0 || totals.at(-1) === model.total + sum, `burst totals ${totals} from ${model.total} + ${sum}`);
        model.total += sum;
        if (withDestroy) model.alive = false;
      },
    };
    const weights: Array<[string, number]> = [
      ["getOrCreateAdd", 5], ["create", 2], ["getAdd", 3], ["idAdd", 3], ["resolve", 2], ["read", 3],
      ["destroy", 2], ["destroyById", 1], ["evict", 2], ["alarm", 1], ["burst", 2],
    ];
    const bag = weights.flatMap(([name, weight]) => Array<string>(weight).fill(name));

    const changes = possibleStateChanges();
    const checkLogs = async () => {
      for (const model of actors) {
        const log = await transitionLog(objectOf("ledger", model.key));
        for (const [index, record] of log.entries()) {
          const previous = log[index - 1];
          if (previous) check(record.from === previous.to || record.from === "uninitialized", `log gap: ${JSON.stringify(previous)} then ${JSON.stringify(record)}`);
          if (record.from !== record.to) check(changes.has(`${record.from}|${record.event}|${record.to}`), `log entry the machine cannot make: ${JSON.stringify(record)}`);
          else check(!record.ok, `a logged non-change must be a refusal or failure: ${JSON.stringify(record)}`);
        }
      }
    };

    let maxGenerations = actors.map(() => -1);
    for (let step = 0; step < OPERATIONS; step++) {
      const target = rng.int(actors.length);
      const model = actors[target] as Model;
      const name = rng.pick(bag);
      history.push(`${step}: ${name} on actor ${target} (generation ${model.generation}, ${model.alive ? "alive" : "dead"}, total ${model.total})`);
      await operations[name]?.(model);
      // Generations only grow.
      const generations = actors.map((a) => a.generation ?? -1);
      check(generations.every((g, i) => g >= (maxGenerations[i] ?? -1)), "a generation went backwards");
      maxGenerations = generations;
      if (step % 100 === 99) await checkLogs();
    }
    await checkLogs();
    expect(actors.some((a) => (a.generation ?? 0) > 2)).toBe(true);
    console.log(`randomized: ${OPERATIONS} operations, generations reached ${actors.map((a) => a.generation).join("/")}`);
  }, 120_000);
});
