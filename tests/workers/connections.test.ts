import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ActorError } from "actorstate";
import { client, eventually, expectActorError, objectOf, publicClient, rawSocket, uniqueKey } from "./helpers.ts";

/** Connections from outside the Worker: these pass onBeforeConnect (the in-Worker client's skip it). */
const outside = publicClient();

const recorderFor = (key: string) => client.recorder.getOrCreate(["hooks", key]);

const guest = (name: string) => ({ name, token: "letmein" });

/** Resolves with the next `count` occurrences of `event` on a connection. */
function next(conn: { on(event: string, listener: (...args: any[]) => void): () => void }, event: string, count = 1): Promise<unknown[][]> {
  return new Promise((resolve) => {
    const seen: unknown[][] = [];
    const off = conn.on(event, (...args) => {
      seen.push(args);
      if (seen.length === count) {
        off();
        resolve(seen);
      }
    });
  });
}

describe("connections", () => {
  it("calls actions over the connection and receives broadcasts", async () => {
    const key = uniqueKey("room");
    const ada = client.room.getOrCreate(key).connect(guest("ada"));
    await ada.ready();
    const heard = next(ada, "message");
    expect(await ada.say("hello")).toBe(1);
    expect(await heard).toEqual([["ada", "hello"]]);
    expect(await ada.me()).toMatchObject({ params: guest("ada") });
    await ada.dispose();
  });

  it("keeps two connections with their own params apart", async () => {
    const key = uniqueKey("two");
    const ada = client.room.getOrCreate(key).connect(guest("ada"));
    const bob = client.room.getOrCreate(key).connect(guest("bob"));
    await Promise.all([ada.ready(), bob.ready()]);
    expect(await ada.who()).toEqual(["ada", "bob"]);
    const [adaMe, bobMe] = await Promise.all([ada.me(), bob.me()]);
    expect(adaMe.params).toEqual(guest("ada"));
    expect(bobMe.params).toEqual(guest("bob"));
    expect(adaMe.id).not.toBe(bobMe.id);
    const whispered = next(bob, "whisper");
    const adaHeard: unknown[] = [];
    ada.on("whisper", (text) => adaHeard.push(text));
    await bob.whisper("psst");
    expect(await whispered).toEqual([["psst"]]);
    const both = Promise.all([next(ada, "message"), next(bob, "message")]);
    await client.room.get(key).say("to everyone");
    expect(await both).toEqual([[["server", "to everyone"]], [["server", "to everyone"]]]);
    expect(adaHeard).toEqual([]);
    await Promise.all([ada.dispose(), bob.dispose()]);
  });

  it("delivers once() a single time and stops after unsubscribe", async () => {
    const key = uniqueKey("once");
    const conn = client.room.getOrCreate(key).connect(guest("ada"));
    const onces: unknown[] = [];
    const all: unknown[] = [];
    conn.once("message", (_from, text) => onces.push(text));
    const off = conn.on("message", (_from, text) => all.push(text));
    await conn.say("one");
    await conn.say("two");
    off();
    await conn.say("three");
    // A round trip after the last broadcast: every event sent before it has arrived.
    await conn.me();
    expect(onces).toEqual(["one"]);
    expect(all).toEqual(["one", "two"]);
    await conn.dispose();
  });

  it("runs the hooks in order: onWake, onBeforeConnect, onConnect … onDisconnect", async () => {
    const key = uniqueKey("hooks");
    const conn = outside.room.getOrCreate(key).connect(guest("ada"));
    await conn.ready();
    await conn.dispose();
    await eventually(async () =>
      expect(await client.room.get(key).hooks()).toEqual(["onWake", "onBeforeConnect:ada", "onConnect:ada", "onDisconnect:ada"]),
    );
  });

  it("refuses a connection when onBeforeConnect throws, with auth/forbidden", async () => {
    const conn = outside.room.getOrCreate(uniqueKey("refused")).connect({ name: "eve", token: "guess" });
    const error = await conn.ready().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActorError);
    expect((error as ActorError).fullCode).toBe("auth/forbidden");
    expect((error as ActorError).message).toBe("That token does not open this room.");
    await expectActorError(conn.say("hi"), "auth/forbidden");
  });

  it("answers connect to a missing actor through get() with actor/not_found", async () => {
    const conn = client.room.get(uniqueKey("nobody")).connect(guest("ada"));
    const errors: ActorError[] = [];
    conn.onError((error) => errors.push(error));
    await expectActorError(conn.ready(), "actor/not_found");
    expect(errors.map((e) => e.fullCode)).toEqual(["actor/not_found"]);
  });

  it("survives the object hibernating: same connection id, params and subscriptions", async () => {
    const key = uniqueKey("hibernate");
    const conn = client.room.getOrCreate(key).connect(guest("ada"));
    await conn.ready();
    const before = await conn.me();
    const heard = next(conn, "message");
    await evictDurableObject(objectOf("room", key), { webSockets: "hibernate" });
    expect(await conn.me()).toEqual(before);
    await client.room.get(key).say("after the nap");
    expect(await heard).toEqual([["server", "after the nap"]]);
    expect(await conn.who()).toEqual(["ada"]);
    await conn.dispose();
  });

  it("reconnects after a dropped socket and listens again for the same events", async () => {
    const key = uniqueKey("dropped");
    const conn = client.room.getOrCreate(key).connect(guest("ada"));
    await conn.ready();
    const errors: ActorError[] = [];
    conn.onError((error) => errors.push(error));
    const heard = next(conn, "message");
    await evictDurableObject(objectOf("room", key), { webSockets: "close" });
    // A call racing the drop may be sent on the dead socket: its result is lost, and the
    // client says so. The next call waits for the reconnection and is answered.
    const racing = await conn.who().catch((error: unknown) => error);
    expect(racing instanceof ActorError ? racing.fullCode : racing).toSatisfy(
      (answer: unknown) => answer === "internal/error" || JSON.stringify(answer) === JSON.stringify(["ada"]),
    );
    expect(await conn.who()).toEqual(["ada"]);
    await client.room.get(key).say("you are back");
    expect(await heard).toEqual([["server", "you are back"]]);
    expect(errors).toEqual([]);
    await conn.dispose();
  });

  it("closes every connection on destroy, and the client stops instead of reconnecting", async () => {
    const key = uniqueKey("destroyed");
    const conn = client.room.getOrCreate(key).connect(guest("ada"));
    await conn.ready();
    const oldId = conn.actorId;
    const ended = new Promise<ActorError>((resolve) => conn.onError(resolve));
    await client.room.get(key).destroy();
    expect((await ended).fullCode).toBe("actor/not_found");
    await expectActorError(conn.say("anyone?"), "actor/not_found");
    // Key-based handles reach the next generation; the old connection never does.
    const again = client.room.getOrCreate(key).connect(guest("ada"));
    await again.ready();
    expect(again.actorId).not.toBe(oldId);
    expect(again.actorId?.endsWith(":1")).toBe(true);
    await again.dispose();
  });
});

describe("the handshake", () => {
  it("replies to an action that destroys its own actor before the destroy closes the connection", async () => {
    const conn = client.counter.getOrCreate(uniqueKey("self-conn")).connect();
    await conn.ready();
    const ended = new Promise<ActorError>((resolve) => conn.onError(resolve));
    expect(await conn.selfDestruct()).toBe("bye");
    expect((await ended).fullCode).toBe("actor/not_found");
  });

  it("never opens a connection whose socket closed while onBeforeConnect was running", async () => {
    const key = uniqueKey("closed-early");
    const conn = outside.gate.getOrCreate(key).connect({ user: "ada", token: "valid", delayMs: 100 });
    await eventually(async () => expect(await recorderFor(key).events()).toEqual(["checking:ada"]));
    await conn.dispose();
    await eventually(async () => expect((await client.gate.get(key).inspect()).actionsInFlight).toBe(0));
    // onConnect did not run, so no onDisconnect is owed: the hooks stay paired.
    expect(await recorderFor(key).events()).toEqual(["checking:ada"]);
  });

  it("pairs onConnect with onDisconnect when a destroy ends the connection", async () => {
    const key = uniqueKey("paired");
    const conn = outside.gate.getOrCreate(key).connect({ user: "ada", token: "valid" });
    await conn.ready();
    await client.gate.get(key).destroy();
    expect(await recorderFor(key).events()).toEqual(["checking:ada", "onConnect:ada", "onDisconnect:ada"]);
  });

  it("ends the connection on a second hello, opening nothing with params the hook did not approve", async () => {
    const key = uniqueKey("second-hello");
    await client.gate.getOrCreate(key).me();
    const socket = await rawSocket("gate", key);
    socket.send(JSON.stringify({ t: "hello", params: { user: "alice", token: "valid", delayMs: 50 } }));
    socket.send(JSON.stringify({ t: "hello", params: { user: "mallory", token: "bad", delayMs: 200 } }));
    expect(await socket.closed).toBe(4400);
    expect(socket.frames.map((frame) => [frame.t, frame.error?.code])).toEqual([["error", "invalid"]]);
    await eventually(async () => expect((await client.gate.get(key).inspect()).actionsInFlight).toBe(0));
    // The first check ran and approved, but the connection was gone: nothing opened.
    expect(await recorderFor(key).events()).toEqual(["checking:alice"]);
  });
});

describe("schedules", () => {
  it("runs schedules in time order, ties in the order they were made, each once", async () => {
    const key = uniqueKey("timer");
    const timer = client.timer.getOrCreate(key);
    await timer.fired();
    // All due already: the order comes from their times alone.
    const now = Date.now() - 1_000;
    await timer.at(now + 30, "third");
    await timer.at(now + 10, "first");
    await timer.at(now + 20, "second");
    await timer.at(now + 20, "second-tie");
    expect((await timer.list()).map((s) => s.args[0])).toEqual(["first", "second", "second-tie", "third"]);
    await runAlarm(key);
    expect(await timer.fired()).toEqual(["first@0", "second@0", "second-tie@0", "third@0"]);
    expect(await timer.list()).toEqual([]);
    // A second delivery of the same alarm finds nothing to run again.
    await runAlarm(key, true);
    expect(await timer.fired()).toEqual(["first@0", "second@0", "second-tie@0", "third@0"]);
  });

  it("schedules after() relative to when it is called, and runs it on the alarm", async () => {
    const key = uniqueKey("after");
    const timer = client.timer.getOrCreate(key);
    await timer.fired();
    const before = Date.now();
    await timer.after(25, "later");
    const after = Date.now();
    const [scheduled] = await timer.list();
    expect(scheduled?.runAt).toBeGreaterThanOrEqual(before + 25);
    expect(scheduled?.runAt).toBeLessThanOrEqual(after + 25);
    await scheduler.wait(Math.max(0, (scheduled?.runAt ?? 0) - Date.now()) + 5);
    await runAlarm(key);
    expect(await timer.fired()).toEqual(["later@0"]);
  });

  it("lists and cancels pending schedules", async () => {
    const timer = client.timer.getOrCreate(uniqueKey("cancel"));
    const id = await timer.after(60_000, "later");
    await timer.after(120_000, "much later");
    expect(await timer.cancel(id)).toBe(true);
    expect(await timer.cancel(id)).toBe(false);
    expect((await timer.list()).map((s) => s.action + ":" + s.args[0])).toEqual(["fire:much later"]);
  });

  it("refuses to schedule an action that does not exist, with action/not_found", async () => {
    const error = await expectActorError(client.timer.getOrCreate(uniqueKey("missing")).scheduleMissing(), "action/not_found");
    expect(error.message).toBe('Cannot schedule "nope": actor "timer" has no such action.');
  });

  it("refuses a time past the platform's last alarm, and the actor's alarm keeps working", async () => {
    const key = uniqueKey("far");
    const timer = client.timer.getOrCreate(key);
    await expectActorError(timer.at(1e13, "never"), "internal/error");
    expect(await timer.list()).toEqual([]);
    await timer.at(Date.now() - 1, "now");
    await runDurableObjectAlarm(objectOf("timer", key));
    expect(await timer.fired()).toEqual(["now@0"]);
  });

  it("never runs what a destroyed generation scheduled", async () => {
    const key = uniqueKey("fenced");
    const timer = client.timer.getOrCreate(key);
    await timer.after(5, "old");
    await timer.destroy();
    await timer.fired();
    // The destroy wiped the schedule; plant one anyway, as a crash mid-wipe could leave it.
    await runInObject(key, (storage) =>
      storage.sql.exec("INSERT INTO actorstate_schedule (id, generation, run_at, action, args, created_at) VALUES ('stale', 0, 0, 'fire', ?, 0)", new Uint8Array([0x81, 0x63, 0x6f, 0x6c, 0x64]).buffer),
    );
    await runAlarm(key, true);
    expect(await timer.fired()).toEqual([]);
    expect(await runInObject(key, (storage) => storage.sql.exec("SELECT count(*) AS n FROM actorstate_schedule").one().n)).toBe(0);
  });
});

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";

async function runInObject<T>(key: string, work: (storage: DurableObjectStorage) => T): Promise<T> {
  return runInDurableObject(objectOf("timer", key), (_, state) => work(state.storage));
}

/** Fire the object's alarm now (setting one first when `force`, as a redelivery would). */
async function runAlarm(key: string, force = false): Promise<void> {
  if (force) await runInObject(key, (storage) => storage.setAlarm(Date.now()));
  await runDurableObjectAlarm(objectOf("timer", key));
}
