import { abortAllDurableObjects, env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { waitFor } from "actorstate/client";
import { startWorkflow } from "actorstate/testing";
import { encodeParts, readStateValue, writeInitialState } from "../../runtime/storage/actor-state.ts";
import { client, eventually, expectActorError, objectOf, uniqueKey } from "./helpers.ts";
import { charges, hanging, sideEffects } from "./fixtures/workflows.ts";
import type { farDelayMachine } from "./fixtures/delays.ts";
import type { storabilityMachine } from "./fixtures/storability.ts";
import type { delayMachine, familyMachine, finishingMachine, onceMachine, orderMachine, rearmMachine } from "./fixtures/workflows.ts";

/** Rows of one table in the actor's object. */
function rows(object: DurableObjectStub, sql: string): Promise<Array<Record<string, unknown>>> {
  return runInDurableObject(object, (_, state) => state.storage.sql.exec(sql).toArray());
}

/** The stored parts of the actor's state, as rows. */
const stateRows = (object: DurableObjectStub) => rows(object, "SELECT part, generation, value FROM actorstate_state_part ORDER BY part");

/** Rewrite the stored workflow state (its version, its snapshot) as an older deploy would have left it; answers the rows it wrote. */
async function rewriteStoredWorkflow(object: DurableObjectStub, change: (state: { version: number; system: { root: { value: unknown } } }) => void) {
  await runInDurableObject(object, (_, state) => {
    const { generation } = state.storage.sql.exec<{ generation: number }>("SELECT generation FROM actorstate_state_part WHERE part = ''").one();
    const stored = readStateValue(state.storage, generation) as { version: number; system: { root: { value: unknown } } };
    change(stored);
    writeInitialState(state.storage, generation, encodeParts(stored));
  });
  return stateRows(object);
}

describe("workflow actors: XState's durable-execution cases on a real Durable Object", () => {
  it("runs entry and transition actions once each, across evictions", async () => {
    const tag = uniqueKey("once");
    const run = await startWorkflow<typeof onceMachine>(env.ACTORS, "once", { input: { tag } });
    await run.evict();
    await run.send({ type: "GO" });
    await run.evict();
    expect((await run.getSnapshot()).value).toBe("b");
    expect(sideEffects.filter((entry) => entry.startsWith(tag))).toEqual([`${tag}:entry`, `${tag}:transition`]);
  });

  it("keeps `after: 100` waiting at 99 ms and done at 100 ms", async () => {
    const run = await startWorkflow<typeof delayMachine>(env.ACTORS, "delay");
    expect((await run.advanceTime(99)).value).toBe("waiting");
    expect((await run.advanceTime(1)).value).toBe("done");
  });

  it("keeps `after: 100` across an eviction at 50 ms", async () => {
    const run = await startWorkflow<typeof delayMachine>(env.ACTORS, "delay");
    await run.advanceTime(50);
    await run.evict();
    expect((await run.advanceTime(49)).value).toBe("waiting");
    expect((await run.advanceTime(1)).value).toBe("done");
    expect(await rows(run.object, "SELECT * FROM actorstate_workflow_timer")).toEqual([]);
  });

  it("fires a delayed event cancelled and replaced by its id once, at the replacement's time", async () => {
    const run = await startWorkflow<typeof rearmMachine>(env.ACTORS, "rearm");
    await run.send({ type: "ARM" });
    await run.advanceTime(50);
    await run.send({ type: "REARM" });
    expect((await run.advanceTime(299)).context.fired).toBe(0);
    expect((await run.advanceTime(1)).context.fired).toBe(1);
    expect((await run.advanceTime(10_000)).context.fired).toBe(1);
  });

  it("processes an event a machine sends itself on entry", async () => {
    const run = await startWorkflow(env.ACTORS, "selfSend");
    expect((await run.getSnapshot()).value).toBe("b");
  });

  it("starts and stops a spawned child, exchanges messages with an invoked one, and hears its completion", async () => {
    const run = await startWorkflow<typeof familyMachine>(env.ACTORS, "family");
    expect((await run.getSnapshot()).context.ups).toBe(1);
    await run.evict();
    expect((await run.send({ type: "PING_KID" })).context.pongs).toBe(1);
    expect((await run.send({ type: "SPAWN" })).context.ups).toBe(2);
    await run.send({ type: "STOP_SPAWNED" });
    // The stopped child's timer went with it; the invoked child's is still there.
    expect(await rows(run.object, "SELECT source FROM actorstate_workflow_timer")).toEqual([{ source: "kid" }]);
    await run.evict();
    const done = await run.send({ type: "FINISH_KID" });
    expect(done).toMatchObject({ status: "done", value: "grown", output: { childOutput: { from: "child" }, pongs: 1 } });
    await expect(run.result).resolves.toEqual({ childOutput: { from: "child" }, pongs: 1 });
  });

  it("keeps the timer of a child machine stopped and invoked again in one step", async () => {
    const run = await startWorkflow<typeof familyMachine>(env.ACTORS, "family");
    await run.advanceTime(600);
    await run.send({ type: "RESTART" });
    expect(await rows(run.object, "SELECT source FROM actorstate_workflow_timer")).toEqual([{ source: "kid" }]);
    // The new child's timer runs from the restart: 1,000 ms from there, not from the start.
    expect((await run.advanceTime(999)).value).toBe("parenting");
    expect((await run.advanceTime(1)).value).toBe("grown");
  });

  it("leaves memory as storage has it when a step runs away, and takes the next event", async () => {
    const run = await startWorkflow(env.ACTORS, "spin");
    await expectActorError(run.send({ type: "SPIN" }), "internal/error");
    // None of the refused step's 10,000 spins survives in memory to be stored with the next one.
    expect((await run.send({ type: "COUNT" })).context).toEqual({ count: 1, spins: 0 });
    await run.evict();
    expect((await run.getSnapshot()).context).toEqual({ count: 1, spins: 0 });
  });

  it("gives the machine an error for a promise output that cannot be stored", async () => {
    const run = await startWorkflow(env.ACTORS, "unstorable");
    await eventually(async () => expect((await run.getSnapshot()).value).toBe("refused"));
    expect(((await run.getSnapshot()).context as { error: string }).error).toContain("the output of");
  });

  it("restores a child machine's own timer", async () => {
    const run = await startWorkflow<typeof familyMachine>(env.ACTORS, "family");
    await run.evict();
    expect((await run.advanceTime(999)).value).toBe("parenting");
    expect((await run.advanceTime(1)).value).toBe("grown");
  });

  it("ends in status error on an unhandled error, and run.result rejects with it", async () => {
    const run = await startWorkflow(env.ACTORS, "failing");
    await expect(run.result).rejects.toThrow("the card was declined");
    const view = await run.getSnapshot();
    expect(view).toMatchObject({ status: "error", error: { message: "the card was declined" } });
    await expectActorError(run.send({ type: "ANY" }), "machine/finished");
  });

  it("resolves run.result with a final state's output, and refuses events afterwards", async () => {
    const run = await startWorkflow<typeof finishingMachine>(env.ACTORS, "finishing");
    const view = await run.send({ type: "FINISH", result: "shipped" });
    expect(view).toMatchObject({ status: "done", output: { result: "shipped" }, version: 1 });
    await expect(run.result).resolves.toEqual({ result: "shipped" });
    await expectActorError(run.send({ type: "FINISH", result: "again" }), "machine/finished");
  });
});

describe("workflow actors: events", () => {
  it("refuses an event the current state does not take, naming it, and stores nothing", async () => {
    const run = await startWorkflow<typeof onceMachine>(env.ACTORS, "once");
    const before = await rows(run.object, "SELECT seq FROM actorstate_workflow_history");
    const error = await expectActorError(run.send({ type: "BACK" }), "machine/event_not_accepted");
    expect(error.message).toContain("BACK");
    expect(await rows(run.object, "SELECT seq FROM actorstate_workflow_history")).toEqual(before);
  });

  it("refuses events that fail their schema, have no type, or are XState's own", async () => {
    const run = await startWorkflow<typeof orderMachine>(env.ACTORS, "order");
    const invalid = await expectActorError(run.handle.send({ type: "SUBMIT", amount: -5 }), "machine/invalid_event");
    expect(invalid.metadata).toMatchObject({ issues: [{ path: "amount" }] });
    await expectActorError(run.handle.send({ amount: 5 } as never), "machine/invalid_event");
    await expectActorError(run.handle.send({ type: "xstate.done.actor.hold" } as never), "machine/invalid_event");
    expect((await run.getSnapshot()).value).toBe("draft");
  });

  it("never lets an id of a destroyed generation reach the next one", async () => {
    const key = uniqueKey("stale");
    const first = client.once.getOrCreate(key);
    const staleId = await first.resolve();
    await first.destroy();
    await client.once.getOrCreate(key).send({ type: "GO" });
    await expectActorError(client.once.getForId(staleId).send({ type: "GO" }), "actor/not_found");
    await expectActorError(client.once.getForId(staleId).snapshot(), "actor/not_found");
  });

  it("tells connections every stored change as the snapshot event, and waitFor resolves on the match", async () => {
    const handle = client.rearm.getOrCreate(uniqueKey("live"));
    const conn = handle.connect();
    const heard: unknown[] = [];
    conn.on("snapshot", (view) => heard.push(view));
    await conn.ready();
    const waiting = waitFor(handle, (view) => (view.context as { fired: number }).fired === 1, { timeoutMs: 5_000 });
    await handle.send({ type: "FIRE" });
    await expect(waiting).resolves.toMatchObject({ context: { fired: 1 } });
    await eventually(async () => expect(heard).toContainEqual(expect.objectContaining({ context: { fired: 1, at: [] } })));
    await conn.dispose();
  });

  it("gives up waiting with machine/wait_timed_out", async () => {
    const handle = client.rearm.getOrCreate(uniqueKey("wait"));
    await expectActorError(waitFor(handle, () => false, { timeoutMs: 50 }), "machine/wait_timed_out");
  });
});

describe("workflow actors: durable time on the alarm", () => {
  it("clears pending timers on destroy, and a resurrected workflow starts its own", async () => {
    const run = await startWorkflow<typeof delayMachine>(env.ACTORS, "delay");
    expect(await rows(run.object, "SELECT generation FROM actorstate_workflow_timer")).toEqual([{ generation: 0 }]);
    await run.handle.destroy();
    expect(await rows(run.object, "SELECT * FROM actorstate_workflow_timer")).toEqual([]);
    expect(await rows(run.object, "SELECT * FROM actorstate_workflow_history")).toEqual([]);
    expect((await client.delay.getOrCreate(run.key).snapshot()).value).toBe("waiting");
    expect(await rows(run.object, "SELECT generation FROM actorstate_workflow_timer")).toEqual([{ generation: 1 }]);
  });

  it("fires a due timer on the alarm once, even when the alarm is delivered again", async () => {
    // On the wall clock (not startWorkflow's), as in production.
    const key = uniqueKey("alarm");
    const handle = client.rearm.getOrCreate(key);
    const object = objectOf("rearm", key);
    await handle.send({ type: "ARM" });
    // Make the timer due now, as if its time had come while the object was away.
    await runInDurableObject(object, (_, state) => state.storage.sql.exec("UPDATE actorstate_workflow_timer SET due_at = ?", Date.now() - 1));
    await evictDurableObject(object);
    expect(await runDurableObjectAlarm(object)).toBe(true);
    expect(await runDurableObjectAlarm(object)).toBe(false);
    // A redelivered alarm (the platform retries) finds nothing left to fire.
    await runInDurableObject(object, (instance) => (instance as unknown as { alarm(): Promise<void> }).alarm());
    const history = await rows(object, "SELECT seq FROM actorstate_workflow_history");
    expect((await handle.snapshot()).context.fired).toBe(1);
    expect(history).toHaveLength(3); // start, ARM, FIRE
  });
});

describe("workflow actors: promise work across restarts", () => {
  it("runs interrupted work again on wake with the same idempotency key", async () => {
    const run = await startWorkflow<typeof orderMachine>(env.ACTORS, "order");
    await run.send({ type: "SUBMIT", amount: 12 });
    await eventually(async () => expect((await run.getSnapshot()).value).toBe("waiting"));
    const actorId = await run.handle.resolve();
    const key = hanging.map((h) => h.key).find((k) => k.startsWith(actorId));
    expect(key).toBeDefined();
    await run.evict();
    expect((await run.getSnapshot()).value).toBe("waiting");
    await eventually(async () => expect(hanging.filter((h) => h.key === key)).toHaveLength(2));
    // Settled inside the object, as a real promise there would be.
    await runInDurableObject(run.object, () => hanging.filter((h) => h.key === key).at(-1)!.resolve("released"));
    await expect(run.result).resolves.toBeUndefined();
    expect(charges.filter((c) => c.key.startsWith(actorId))).toHaveLength(1);
  });

  it("delivers interrupted work to the machine as an error where the workflow says so", async () => {
    const run = await startWorkflow<typeof orderMachine>(env.ACTORS, "strictOrder");
    await run.send({ type: "SUBMIT", amount: 3 });
    await eventually(async () => expect((await run.getSnapshot()).value).toBe("waiting"));
    await run.evict();
    expect((await run.getSnapshot()).value).toBe("interrupted");
    expect(await rows(run.object, "SELECT * FROM actorstate_workflow_work")).toEqual([]);
  });
});

describe("workflow actors: versions", () => {
  it("answers machine/version_mismatch for a snapshot another version wrote, leaving it untouched", async () => {
    const run = await startWorkflow(env.ACTORS, "versioned");
    const stored = await rewriteStoredWorkflow(run.object, (state) => void (state.version = 1));
    await run.evict();
    await expectActorError(run.getSnapshot(), "machine/version_mismatch");
    await expectActorError(run.send({ type: "GO" }), "machine/version_mismatch");
    expect(await stateRows(run.object)).toEqual(stored);
  });

  it("passes an older version's snapshot through migrate", async () => {
    const run = await startWorkflow(env.ACTORS, "migrating");
    await rewriteStoredWorkflow(run.object, (state) => {
      state.version = 1;
      state.system.root.value = "legacy";
    });
    await run.evict();
    expect(await run.getSnapshot()).toMatchObject({ value: "current", version: 2 });
    expect(await run.send({ type: "GO" })).toMatchObject({ value: "next", version: 2 });
  });

  it("refuses a snapshot naming a state the machine lacks, even at the same version", async () => {
    const run = await startWorkflow(env.ACTORS, "versioned");
    await rewriteStoredWorkflow(run.object, (state) => void (state.system.root.value = "vanished"));
    await run.evict();
    await expectActorError(run.getSnapshot(), "machine/version_mismatch");
  });
});

describe("workflow actors under crashes", () => {
  it("runs promise work a crash interrupted again on the alarm, with nobody calling", async () => {
    const run = await startWorkflow<typeof orderMachine>(env.ACTORS, "order");
    await run.send({ type: "SUBMIT", amount: 5 });
    await eventually(async () => expect((await run.getSnapshot()).value).toBe("waiting"));
    const actorId = await run.handle.resolve();
    const runs = () => hanging.filter((h) => h.key.startsWith(actorId));
    expect(runs()).toHaveLength(1);
    // The work runs in memory; the alarm watches it while it is under way.
    expect(await runInDurableObject(run.object, (_, state) => state.storage.getAlarm())).not.toBeNull();
    await abortAllDurableObjects();
    // Nobody calls: the alarm alone wakes the object, which runs the work again. (Stubs
    // made before the reset are broken by it: take a fresh one.)
    const object = objectOf("order", run.key);
    expect(await runDurableObjectAlarm(object)).toBe(true);
    await eventually(async () => expect(runs()).toHaveLength(2));
    expect(runs()[1]!.key).toBe(runs()[0]!.key);
    await runInDurableObject(object, () => runs()[1]!.resolve("released"));
    await eventually(async () => expect((await client.order.get(run.key).snapshot()).value).toBe("paid"));
  });

  it("refuses a caller's event that schedules past the platform's last alarm, storing nothing", async () => {
    const run = await startWorkflow<typeof farDelayMachine>(env.ACTORS, "farDelay");
    const error = await expectActorError(run.send({ type: "FAR" }), "machine/invalid_delay");
    expect(error.message).toContain("2189");
    expect(await run.getSnapshot()).toMatchObject({ value: "idle", status: "active" });
    expect(await rows(run.object, "SELECT * FROM actorstate_workflow_timer")).toEqual([]);
    // The alarm stays usable: nothing unschedulable reached it.
    await runDurableObjectAlarm(run.object);
    expect((await run.send({ type: "ARM" })).value).toBe("armed");
  });

  it("ends the machine in error when a timer's step schedules past the platform's last alarm", async () => {
    const run = await startWorkflow<typeof farDelayMachine>(env.ACTORS, "farDelay");
    await run.send({ type: "ARM" });
    const view = await run.advanceTime(100);
    expect(view).toMatchObject({ status: "error", error: { name: "ActorError" } });
    expect(view.error?.message).toContain("2189");
    await expect(run.result).rejects.toThrow("2189");
    expect(await rows(run.object, "SELECT * FROM actorstate_workflow_timer")).toEqual([]);
  });

  it("runs the machine's own actions inside the step, as XState does: one that throws ends the machine in error", async () => {
    const tag = uniqueKey("throwing");
    const run = await startWorkflow<typeof onceMachine>(env.ACTORS, "once", { input: { tag: `${tag}:throw` } });
    const view = await run.send({ type: "GO" });
    expect(view).toMatchObject({ value: "a", status: "error", error: { message: "the transition action broke" } });
    await run.evict();
    expect(await run.getSnapshot()).toMatchObject({ value: "a", status: "error" });
    expect(sideEffects.filter((entry) => entry.startsWith(tag))).toEqual([`${tag}:throw:entry`]);
  });

  it("refuses a caller's step that cannot be stored, and memory stays where storage is", async () => {
    const run = await startWorkflow<typeof storabilityMachine>(env.ACTORS, "storability");
    await expectActorError(run.send({ type: "BAD_EMIT" }), "internal/error");
    expect((await run.getSnapshot()).value).toBe("idle");
    await run.evict();
    expect((await run.getSnapshot()).value).toBe("idle");
  });

  it("ends the machine in error when a timer's step cannot be stored, instead of firing it for ever", async () => {
    const run = await startWorkflow<typeof storabilityMachine>(env.ACTORS, "storability");
    await run.send({ type: "ARM" });
    const view = await run.advanceTime(100);
    expect(view).toMatchObject({ value: "armed", status: "error", error: { name: "NotSerialisableError" } });
    expect(await rows(run.object, "SELECT * FROM actorstate_workflow_timer")).toEqual([]);
  });

  it("ends the machine in error when an inline promise's output, kept in context, cannot be stored", async () => {
    const run = await startWorkflow<typeof storabilityMachine>(env.ACTORS, "storability");
    await run.send({ type: "RUN_INLINE" });
    await eventually(async () => expect(await run.getSnapshot()).toMatchObject({ status: "error", error: { name: "NotSerialisableError" } }));
  });

  it("keeps the name of a named promise spawned by its object, so its outcome arrives", async () => {
    const run = await startWorkflow<typeof storabilityMachine>(env.ACTORS, "storability");
    await run.send({ type: "SPAWN_NAMED" });
    await eventually(async () => expect((await run.getSnapshot()).context.got).toBe(7));
  });

  it("never takes a stored step again after a crash: its actions ran once", async () => {
    const tag = uniqueKey("crash-once");
    const run = await startWorkflow<typeof onceMachine>(env.ACTORS, "once", { input: { tag } });
    await run.send({ type: "GO" });
    await abortAllDurableObjects();
    // A fresh stub after the reset; the machine comes back from storage, in "b".
    expect((await client.once.get(run.key).snapshot()).value).toBe("b");
    expect(sideEffects.filter((entry) => entry.startsWith(tag))).toEqual([`${tag}:entry`, `${tag}:transition`]);
  });

  it("refuses a caller's step whose context grows past what storage holds, by name, keeping the last stored view", async () => {
    const run = await startWorkflow<typeof storabilityMachine>(env.ACTORS, "storability");
    await expectActorError(run.send({ type: "GROW" }), "action/state_too_large");
    expect(await run.getSnapshot()).toMatchObject({ value: "idle", context: { got: null } });
  });
});
