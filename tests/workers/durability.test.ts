import { abortAllDurableObjects, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { decodeValue } from "../../runtime/codec.ts";
import { SCHEDULE_BATCH } from "../../runtime/host/scheduler.ts";
import { readRecord } from "../../runtime/storage/actor-record.ts";
import { client, eventually, expectActorError, objectOf, uniqueKey } from "./helpers.ts";

const recorderFor = (key: string) => client.recorder.getOrCreate(["hooks", key]);

describe("crash safety: what a reset leaves is the completed step or none", () => {
  it("finishes a creation a reset interrupted in onCreate: never a running actor whose onCreate did not finish", async () => {
    const key = uniqueKey("reset-create");
    const first = client.slowCreate.getOrCreate(key).created().then(
      () => "finished",
      () => "interrupted",
    );
    await eventually(async () => expect(await recorderFor(key).events()).toEqual(["create-attempt:1"]));
    await abortAllDurableObjects();
    expect(await first).toBe("interrupted");
    // Storage says the creation is under way, not that the actor runs.
    const stored = await runInDurableObject(objectOf("slowCreate", key), (_, state) => readRecord(state.storage)?.lifecycle.state);
    expect(stored).toBe("creating");
    // Even a plain get resumes the creation: it answers from the completed actor.
    expect(await client.slowCreate.get(key).created()).toBe(true);
    expect(await recorderFor(key).events()).toEqual(["create-attempt:1", "create-attempt:2"]);
  });

  it("resumes an interrupted creation on the alarm alone, with no request", async () => {
    const key = uniqueKey("reset-create-alarm");
    void client.slowCreate.getOrCreate(key).created().catch(() => undefined);
    await eventually(async () => expect(await recorderFor(key).events()).toEqual(["create-attempt:1"]));
    await abortAllDurableObjects();
    const object = objectOf("slowCreate", key);
    expect(await runInDurableObject(object, (_, state) => state.storage.getAlarm())).not.toBeNull();
    expect(await runDurableObjectAlarm(object)).toBe(true);
    expect(await runInDurableObject(object, (_, state) => readRecord(state.storage)?.lifecycle.state)).toBe("running");
    expect(await recorderFor(key).events()).toEqual(["create-attempt:1", "create-attempt:2"]);
  });

  it("finishes a destroy a reset interrupted, on the alarm alone, with no request", async () => {
    const key = uniqueKey("reset-destroy-alarm");
    const actor = client.stubbornDestroy.getOrCreate(key);
    await actor.value();
    void actor.destroy().catch(() => undefined);
    // The first onDestroy records its attempt, then blocks until the object goes away.
    await eventually(async () => expect(await recorderFor(key).events()).toEqual(["destroy-attempt:1"]));
    await abortAllDurableObjects();
    const object = objectOf("stubbornDestroy", key);
    // Nobody touches the actor: the alarm armed with the destroy brings the object back.
    expect(await runInDurableObject(object, (_, state) => state.storage.getAlarm())).not.toBeNull();
    expect(await runDurableObjectAlarm(object)).toBe(true);
    const after = await runInDurableObject(object, (_, state) => ({
      lifecycle: readRecord(state.storage)?.lifecycle.state,
      rows: state.storage.sql.exec<{ n: number }>("SELECT (SELECT count(*) FROM actorstate_state_part) + (SELECT count(*) FROM actorstate_kv) AS n").one().n,
    }));
    expect(after).toEqual({ lifecycle: "destroyed", rows: 0 });
    expect(await recorderFor(key).events()).toEqual(["destroy-attempt:1", "destroy-attempt:2"]);
  });

  it("fails the request whose step could not be stored, and moves nothing", async () => {
    const key = uniqueKey("journal-fails");
    await client.counter.getOrCreate(key).increment(1);
    const object = objectOf("counter", key);
    // Take the transition log away: the destroy's step cannot be written.
    await runInDurableObject(object, (_, state) => void state.storage.sql.exec("ALTER TABLE actorstate_transition RENAME TO away"));
    await expectActorError(client.counter.get(key).destroy(), "internal/error");
    await runInDurableObject(object, (_, state) => void state.storage.sql.exec("ALTER TABLE away RENAME TO actorstate_transition"));
    // Nothing moved: still running, and the destroy can be asked for again.
    expect(await client.counter.get(key).increment(1)).toBe(2);
    await client.counter.get(key).destroy();
    await expectActorError(client.counter.get(key).get(), "actor/not_found");
  });
});

describe("each caller gets the answer to its own request", () => {
  it("gives a failed create's error to its caller only: a concurrent get is not found, a getOrCreate creates its own", async () => {
    const key = uniqueKey("own-error");
    const failing = client.failingCreate.create(key, { input: { fail: true } }).then(
      () => undefined,
      (error: unknown) => error,
    );
    await eventually(async () => expect(await recorderFor(key).events()).toEqual(["create:failing"]));
    const [getError, created] = await Promise.all([
      client.failingCreate.get(key).ping().then(
        () => undefined,
        (error: unknown) => error,
      ),
      client.failingCreate.getOrCreate(key, { input: { fail: false } }).ping(),
    ]);
    expect(await failing).toMatchObject({ group: "user", code: "create_failed", metadata: { by: "onCreate" } });
    expect(getError).toMatchObject({ group: "actor", code: "not_found" });
    expect(created).toBe("pong");
    expect(await recorderFor(key).events()).toEqual(["create:failing", "create:ok"]);
  });
});

describe("destroy asked for while waking", () => {
  it("honours c.destroy() in onWake: the actor is destroyed once awake", async () => {
    const key = uniqueKey("wake-destroy");
    await client.wakeDestroyer.getOrCreate(key).destroyOnNextWake();
    await evictDurableObject(objectOf("wakeDestroyer", key));
    await expectActorError(client.wakeDestroyer.get(key).ping(), "actor/not_found");
    const lifecycle = await runInDurableObject(objectOf("wakeDestroyer", key), (_, state) => readRecord(state.storage)?.lifecycle.state);
    expect(lifecycle).toBe("destroyed");
  });
});

describe("destroys that cannot be held up", () => {
  it("destroys an actor whose onWake throws: the destroy wins over the failed wake", async () => {
    const key = uniqueKey("unwakeable");
    const actor = client.flaky.getOrCreate(key);
    await actor.breakNextWake();
    await evictDurableObject(objectOf("flaky", key));
    await client.flaky.get(key).destroy();
    await expectActorError(client.flaky.get(key).wakes(), "actor/not_found");
  });

  it("finishes a destroy whose connection's onDisconnect never ends", async () => {
    const key = uniqueKey("stuck-hooks");
    const conn = client.stuckHooks.getOrCreate(key).connect();
    await conn.ready();
    await client.stuckHooks.get(key).destroy();
    await expectActorError(client.stuckHooks.get(key).ping(), "actor/not_found");
    await conn.dispose();
  });
});

describe("the alarm loop", () => {
  it("runs a bounded batch per alarm and re-arms for the rest", async () => {
    const key = uniqueKey("batch");
    const timer = client.timer.getOrCreate(key);
    const count = SCHEDULE_BATCH * 2 + 20;
    // Scheduled for later, so the platform's own alarm stays away while the test sets up.
    await timer.atMany(count, Date.now() + 3_600_000);
    const object = objectOf("timer", key);
    // One alarm invocation, inside the object: nothing else can run in between.
    const firstBatch = await runInDurableObject(object, async (instance, state) => {
      state.storage.sql.exec("UPDATE actorstate_schedule SET run_at = ?", Date.now() - 1_000);
      await (instance as unknown as { alarm(): Promise<void> }).alarm();
      return { fired: firedIn(state.storage), alarm: await state.storage.getAlarm() };
    });
    expect(firstBatch.fired).toHaveLength(SCHEDULE_BATCH);
    expect(firstBatch.alarm).not.toBeNull();
    // The rest runs on the alarms that follow, in order, each once.
    await eventually(async () => {
      await runDurableObjectAlarm(object);
      expect(await timer.fired()).toEqual(Array.from({ length: count }, (_, i) => `t${i}@0`));
    });
  });

  it("runs a schedule that reschedules itself at 0 ms once per alarm, not on and on", async () => {
    const key = uniqueKey("spin");
    const timer = client.timer.getOrCreate(key);
    await timer.spin();
    const spins = await runInDurableObject(objectOf("timer", key), async (instance, state) => {
      const before = firedIn(state.storage).length;
      await (instance as unknown as { alarm(): Promise<void> }).alarm();
      return { ran: firedIn(state.storage).length - before, alarm: await state.storage.getAlarm() };
    });
    expect(spins.ran).toBe(1);
    expect(spins.alarm).not.toBeNull();
    await timer.destroy();
  });

  it("never runs a schedule cancelled by an earlier one of the same batch", async () => {
    const key = uniqueKey("cancel-in-batch");
    const timer = client.timer.getOrCreate(key);
    const at = Date.now() - 1_000;
    // Both are due in one batch: the first cancels the second, which the alarm has already read.
    const victim = await timer.at(at + 1, "victim");
    await timer.cancelAt(at, victim);
    expect(await runDurableObjectAlarm(objectOf("timer", key))).toBe(true);
    expect(await timer.fired()).toEqual(["cancel:true"]);
    expect(await timer.list()).toEqual([]);
  });
});

/** What the timer actor has fired, read from its stored state inside its object. */
function firedIn(storage: DurableObjectStorage): string[] {
  const row = storage.sql.exec<{ value: ArrayBuffer }>("SELECT value FROM actorstate_state_part WHERE part = '.fired'").toArray()[0];
  return row ? (decodeValue(row.value) as string[]) : [];
}
