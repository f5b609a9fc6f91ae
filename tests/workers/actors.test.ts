import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { client, expectActorError, objectOf, uniqueKey } from "./helpers.ts";

describe("creating and calling actors", () => {
  it("keeps state across handles and across eviction", async () => {
    const key = uniqueKey("persist");
    await client.counter.getOrCreate(key).increment(2);
    await client.counter.getOrCreate(key).increment(3);
    await evictDurableObject(objectOf("counter", key));
    expect(await client.counter.get(key).get()).toBe(5);
  });

  it("keeps separate keys separate and matches keys exactly", async () => {
    const base = uniqueKey("keys");
    const keys = [[base, "a", "b"], [base, "a,b"], [`${base}\u0000a`, "b"], [`${base}/a/b`], [`${base}a`, "b"], [base, "é"], [base, "e\u0301"]];
    for (const [index, key] of keys.entries()) await client.counter.getOrCreate(key).increment(index + 1);
    for (const [index, key] of keys.entries()) expect(await client.counter.get(key).get()).toBe(index + 1);
  });

  it("treats no key, undefined and [] as one key, and a string as its one-element array", async () => {
    const name = uniqueKey("same");
    await client.counter.getOrCreate(name).increment(1);
    expect(await client.counter.get([name]).get()).toBe(1);
    const ids = await Promise.all([client.recorder.getOrCreate().resolve(), client.recorder.getOrCreate(undefined).resolve(), client.recorder.getOrCreate([]).resolve()]);
    expect(new Set(ids).size).toBe(1);
    await expectActorError(client.recorder.get([""]).events(), "actor/not_found");
  });

  it("gives the create input to createState and onCreate", async () => {
    const key = uniqueKey("input");
    const counter = client.counter.getOrCreate(key, { input: { start: 40 } });
    expect(await counter.increment(2)).toBe(42);
    await client.hooks.getOrCreate(key, { input: { label: "hello" } }).read();
    expect(await client.recorder.getOrCreate(["hooks", key]).events()).toEqual(["create:0:hello"]);
  });

  it("refuses a second create with actor/already_exists", async () => {
    const key = uniqueKey("twice");
    await client.counter.create(key);
    await expectActorError(client.counter.create(key), "actor/already_exists");
  });

  it("answers get on a missing key with actor/not_found and stores nothing for it", async () => {
    const key = uniqueKey("missing");
    await expectActorError(client.counter.get(key).get(), "actor/not_found");
    const tables = await runInDurableObject(objectOf("counter", key), (_, state) =>
      state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'actorstate%'").toArray(),
    );
    expect(tables).toEqual([]);
  });

  it("returns a handle pinned to the new generation from create()", async () => {
    const key = uniqueKey("create-handle");
    const created = await client.counter.create(key, { input: { start: 7 } });
    expect(await created.get()).toBe(7);
    expect(await created.resolve()).toMatch(/^[0-9a-f]{64}:0$/);
    expect(await created.inspect()).toMatchObject({ lifecycle: "running", generation: 0, name: "counter", key: [key], actionsInFlight: 0 });
  });
});
