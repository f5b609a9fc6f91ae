import { abortAllDurableObjects, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
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
      rows: state.storage.sql.exec<{ n: number }>("SELECT (SELECT count(*) FROM actorstate_state) + (SELECT count(*) FROM actorstate_kv) AS n").one().n,
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

describe("the alarm loop", () => {
  it("runs a bounded batch per alarm and re-arms for the rest", async () => {
    const key = uniqueKey("batch");
    const timer = client.timer.getOrCreate(key);
    const at = Date.now() - 1_000;
    for (let i = 0; i < 120; i++) await timer.at(at, `t${i}`);
    const object = objectOf("timer", key);
    const fired = async () => (await timer.fired()).length;
    expect(await runDurableObjectAlarm(object)).toBe(true);
    expect(await fired()).toBe(50);
    expect(await runInDurableObject(object, (_, state) => state.storage.getAlarm())).not.toBeNull();
    expect(await runDurableObjectAlarm(object)).toBe(true);
    expect(await runDurableObjectAlarm(object)).toBe(true);
    expect(await fired()).toBe(120);
    // In order, each once.
    expect(await timer.fired()).toEqual(Array.from({ length: 120 }, (_, i) => `t${i}@0`));
  });

  it("does not run a schedule that reschedules itself at 0 ms more than once per alarm", async () => {
    const key = uniqueKey("spin");
    const timer = client.timer.getOrCreate(key);
    await timer.spin();
    const object = objectOf("timer", key);
    expect(await runDurableObjectAlarm(object)).toBe(true);
    expect(await timer.fired()).toEqual(["spin", "spin"]);
    expect(await runInDurableObject(object, (_, state) => state.storage.getAlarm())).not.toBeNull();
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
