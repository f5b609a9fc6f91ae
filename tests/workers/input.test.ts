import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { createClient } from "actorstate/client";
import { client, expectActorError, objectOf, uniqueKey } from "./helpers.ts";

describe("bad input gets the contract's errors and loses nothing", () => {
  it("rejects malformed ids with actor/invalid_id", async () => {
    const doId = "a".repeat(64);
    for (const id of ["", "nope", `${doId}`, `${doId}:`, `${doId}:-1`, `${doId}:01`, `${doId}:1.5`, `${doId.toUpperCase()}:0`, `${doId.slice(1)}:0`, `x:${doId}:0`, `${doId}:99999999999999999999`]) {
      await expectActorError(client.counter.getForId(id).get(), "actor/invalid_id");
    }
  });

  it("rejects an id from another namespace with actor/invalid_id", async () => {
    // Well-formed, but not minted by this binding.
    await expectActorError(client.counter.getForId(`${"0".repeat(64)}:0`).get(), "actor/invalid_id");
  });

  it("answers an id of another actor type with actor/not_found", async () => {
    const id = await client.counter.getOrCreate(uniqueKey("typed")).resolve();
    await expectActorError(client.recorder.getForId(id).events(), "actor/not_found");
  });

  it("rejects names that are not registered with actor/unknown_name", async () => {
    const untyped = createClient<any>({ binding: env.ACTORS }) as any;
    await expectActorError(untyped.nothing.getOrCreate("x").anything(), "actor/unknown_name");
    await expectActorError(untyped["x".repeat(65)].getOrCreate("x").anything(), "actor/unknown_name");
  });

  it("rejects keys over the limits with actor/invalid_key", async () => {
    await expectActorError(client.counter.getOrCreate("k".repeat(129)).get(), "actor/invalid_key");
    await expectActorError(client.counter.getOrCreate("é".repeat(65)).get(), "actor/invalid_key");
    await expectActorError(client.counter.getOrCreate(Array.from({ length: 9 }, () => "k".repeat(120))).get(), "actor/invalid_key");
    await expectActorError(client.counter.getOrCreate([1 as unknown as string]).get(), "actor/invalid_key");
    expect(await client.counter.getOrCreate("k".repeat(128)).get()).toBe(0);
  });

  it("limits the whole key, not only its parts' bytes, with actor/invalid_key", async () => {
    await expectActorError(client.counter.getOrCreate(Array(200_000).fill("")).get(), "actor/invalid_key");
    await expectActorError(client.counter.getOrCreate(Array(400).fill("")).get(), "actor/invalid_key");
    // Quotes and escapes count: 150 parts of one control character are 150 bytes, but 1,351 as JSON.
    await expectActorError(client.counter.getOrCreate(Array(150).fill("\u0001")).get(), "actor/invalid_key");
    expect(await client.counter.getOrCreate([uniqueKey("many-parts"), ...Array(99).fill("")]).get()).toBe(0);
  });

  it("rejects unknown actions with action/not_found, without creating the actor", async () => {
    const key = uniqueKey("unknown-action");
    await expectActorError((client.counter.getOrCreate(key) as any).nope(), "action/not_found");
    await expectActorError((client.counter.getOrCreate(key) as any).hasOwnProperty(), "action/not_found");
    await expectActorError(client.counter.get(key).get(), "actor/not_found");
  });

  it("rejects arguments that fail the action's schema with action/invalid_args, changing nothing", async () => {
    const key = uniqueKey("args");
    const actor = client.strict.getOrCreate(key, { input: { owner: "ada" } });
    expect(await actor.add("apple", 2)).toBe(1);
    const error = await expectActorError(actor.add("pear", 1.5 as number), "action/invalid_args");
    expect(error.metadata).toEqual({ issues: [{ path: "1", message: "expected int, received number" }] });
    expect(error.message).toBe('The arguments to "add" are invalid: args[1]: expected int, received number.');
    await expectActorError((actor.add as any)("pear"), "action/invalid_args");
    expect(await actor.items()).toEqual([{ name: "apple", quantity: 2 }]);
  });

  it("rejects create input that fails the schema with request/invalid, creating nothing", async () => {
    const key = uniqueKey("input");
    const wrongType = await expectActorError(client.strict.getOrCreate(key, { input: { owner: 5 } as any }).items(), "request/invalid");
    expect(wrongType.message).toBe('The input for "strict" is invalid: input.owner: expected string, received number.');
    const missing = await expectActorError(client.strict.getOrCreate(key).items(), "request/invalid");
    expect(missing.message).toBe('The input for "strict" is invalid: input: expected object, received undefined.');
    await expectActorError(client.strict.get(key).items(), "actor/not_found");
  });

  it("rejects requests that do not match the protocol with request/invalid", async () => {
    const stub = objectOf("counter", "raw") as unknown as { dispatch(request: unknown): Promise<{ ok: boolean; error?: { group: string; code: string } }> };
    for (const request of [null, 42, { op: "explode" }, { op: "action", target: { name: "counter" } }, { op: "action", target: { name: "counter", key: ["raw"] }, action: "get", args: "x" }]) {
      expect((await stub.dispatch(request)).error).toMatchObject({ group: "request", code: "invalid" });
    }
  });

  it("refuses a key request sent to the wrong object", async () => {
    const stub = objectOf("counter", "one") as unknown as { dispatch(request: unknown): Promise<{ ok: boolean; error?: { group: string; code: string } }> };
    const result = await stub.dispatch({ op: "action", target: { name: "counter", key: ["two"], create: {} }, action: "get", args: [] });
    expect(result.error).toMatchObject({ group: "request", code: "invalid" });
  });

  it("keeps the state when an action stores something that cannot be serialised", async () => {
    const key = uniqueKey("function-state");
    const actor = client.strict.getOrCreate(key, { input: { owner: "ada" } });
    await actor.add("apple", 1);
    await expectActorError(actor.storeFunction(), "internal/error");
    expect(await actor.items()).toEqual([{ name: "apple", quantity: 1 }]);
  });

  it("fails an action whose return value cannot be serialised", async () => {
    const actor = client.strict.getOrCreate(uniqueKey("function-return"), { input: { owner: "ada" } });
    await expectActorError(actor.returnFunction(), "internal/error");
  });

  it("keeps the last stored state when an action grows it past 2 MB", async () => {
    const key = uniqueKey("big");
    const actor = client.strict.getOrCreate(key, { input: { owner: "ada" } });
    expect(await actor.grow(1)).toBe(1);
    const error = await expectActorError(actor.grow(2), "action/state_too_large");
    expect(error.metadata).toMatchObject({ limit: 2 * 1024 * 1024, key: "items" });
    expect(error.message).toMatch(/state key "items"/);
    expect((await actor.items()).length).toBe(1);
  });

  it("holds a state past 2 MB in all when each top-level key stays under it, across an eviction", async () => {
    const key = uniqueKey("wide");
    const actor = client.strict.getOrCreate(key, { input: { owner: "ada" } });
    const megabyte = 1024 * 1024;
    expect(await actor.fill("left", 1.5)).toBe(1.5 * megabyte);
    expect(await actor.fill("right", 1.5)).toBe(3 * megabyte);
    await evictDurableObject(objectOf("strict", key));
    expect(await actor.add("apple", 1)).toBe(1);
    expect(await actor.fill("left", 0)).toBe(1.5 * megabyte);
  });

  it("keeps a top-level key deleted from the state deleted after an eviction, and the keys' order", async () => {
    const key = uniqueKey("drop");
    const actor = client.strict.getOrCreate(key, { input: { owner: "ada" } });
    expect(await actor.drop("left")).toEqual(["owner", "items", "right"]);
    await evictDurableObject(objectOf("strict", key));
    expect(await actor.keys()).toEqual(["owner", "items", "right"]);
  });

  it("passes UserErrors through as user/<code> with message and metadata", async () => {
    const actor = client.strict.getOrCreate(uniqueKey("user-error"), { input: { owner: "ada" } });
    const error = await expectActorError(actor.refuse(), "user/not_today");
    expect(error.message).toBe("Not today");
    expect(error.metadata).toEqual({ retryAfter: 5 });
  });

  it("hides internal errors from the caller: no message details, no stack", async () => {
    const actor = client.strict.getOrCreate(uniqueKey("crash"), { input: { owner: "ada" } });
    const error = await expectActorError(actor.crash(), "internal/error");
    expect(JSON.stringify(error.toJSON())).not.toMatch(/secret internal detail|at .*\.ts/);
    expect(error.message).toMatch(/^Internal error \(id [0-9a-f-]{36}\)/);
  });
});

describe("timeouts and failed loads", () => {
  it("answers an action that runs past actionTimeoutMs with action/timed_out", async () => {
    const key = uniqueKey("timeout");
    const actor = client.slow.getOrCreate(key);
    expect(await actor.wait(1)).toBe("finished");
    await expectActorError(actor.wait(300), "action/timed_out");
    // The timed-out action goes on running, but its context has expired: its late change
    // to the state is refused, and the next action's save cannot carry it to storage.
    await vi.waitFor(async () => expect(await client.recorder.getOrCreate(["hooks", key]).events()).toEqual(["finished:1", "expired:300"]), { timeout: 5_000 });
    expect(await actor.wait(1)).toBe("finished");
    expect(await actor.finished()).toBe(2);
  });

  it("leaves an actor whose load failed retryable, never stuck", async () => {
    const key = uniqueKey("flaky");
    const actor = client.flaky.getOrCreate(key);
    expect(await actor.wakes()).toBe(1);
    await actor.breakNextWake();
    const object = objectOf("flaky", key);
    await evictDurableObject(object);
    await expectActorError(actor.wakes(), "internal/error");
    await expectActorError(actor.wakes(), "internal/error");
    await runInDurableObject(object, (_, state) => state.storage.sql.exec("DELETE FROM actorstate_kv"));
    expect(await actor.wakes()).toBe(2);
  });
});
