// Per-actor HTTP: onRequest serves /v1/actors/{name}/key|id/{…}/request/*, after
// onBeforeConnect, as in-flight lifecycle work like an action.
import { evictDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { client, eventually, expectActorError, objectOf, ORIGIN, publicClient, uniqueKey } from "./helpers.ts";

const keySegment = (key: string) => Buffer.from(JSON.stringify([key])).toString("base64url");
const byKey = (key: string, rest = "") => `${ORIGIN}/v1/actors/vault/key/${keySegment(key)}/request${rest}`;
const session = (user: string) => ({ Cookie: `session=user-${user}` });

async function created(key: string): Promise<string> {
  return client.vault.getOrCreate(key).resolve();
}

describe("onRequest", () => {
  it("serves the path after /request, with query, method, body and the caller's auth", async () => {
    const key = uniqueKey("serve");
    await created(key);
    const response = await SELF.fetch(byKey(key, "/files/a.txt?download=1"), { method: "POST", headers: session("ada"), body: "hello" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      path: "/files/a.txt",
      search: "?download=1",
      method: "POST",
      body: "hello",
      caller: { auth: { user: "ada", method: "POST", path: "/files/a.txt" } },
      internalHeaders: [],
    });
    expect(((await (await SELF.fetch(byKey(key), { headers: session("ada") })).json()) as { path: string }).path).toBe("/");
  });

  it("serves by id too, and takes params from the x-actorstate-params header", async () => {
    const key = uniqueKey("by-id");
    const id = await created(key);
    const params = Buffer.from(JSON.stringify({ token: "user-bob" })).toString("base64url");
    const response = await SELF.fetch(`${ORIGIN}/v1/actors/vault/id/${id.replace(":", ".")}/request/x`, { headers: { "x-actorstate-params": params } });
    expect(await response.json()).toMatchObject({ path: "/x", caller: { auth: { user: "bob" }, params: { token: "user-bob" } } });
  });

  it("is refused by onBeforeConnect with auth/forbidden, running nothing", async () => {
    const key = uniqueKey("refused");
    await created(key);
    const response = await SELF.fetch(byKey(key, "/secret"));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ ok: false, error: { group: "auth", code: "forbidden", message: "Sign in first." } });
    expect(await client.vault.get(key).requests()).toBe(0);
  });

  it("saves the state it leaves, like an action", async () => {
    const key = uniqueKey("saved");
    await created(key);
    for (const path of ["/a", "/b"]) await (await SELF.fetch(byKey(key, path), { headers: session("ada") })).text();
    await evictDurableObject(objectOf("vault", key));
    expect(await client.vault.get(key).requests()).toBe(2);
  });

  it("runs as in-flight work: a destroy waits for the response", async () => {
    const key = uniqueKey("in-flight");
    await created(key);
    const served = SELF.fetch(byKey(key, "/slow?delayMs=200"), { headers: session("ada") });
    await eventually(async () => expect((await client.vault.get(key).inspect()).actionsInFlight).toBe(1));
    const destroyed = client.vault.get(key).destroy();
    const response = await served;
    expect(response.status).toBe(200);
    await destroyed;
    await expectActorError(client.vault.get(key).requests(), "actor/not_found");
  });

  it("never creates the actor, and answers actors without onRequest with action/not_found", async () => {
    const missing = await SELF.fetch(byKey(uniqueKey("missing"), "/x"), { headers: session("ada") });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { group: "actor", code: "not_found" } });
    const key = uniqueKey("no-handler");
    await client.counter.getOrCreate(key).get();
    const none = await SELF.fetch(`${ORIGIN}/v1/actors/counter/key/${keySegment(key)}/request/x`);
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ error: { group: "action", code: "not_found" } });
  });

  it("is not confused with other paths", async () => {
    const response = await SELF.fetch(`${ORIGIN}/v1/actors/vault/key/${keySegment("k")}/requests`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { group: "request", code: "invalid" } });
  });

  it("answers a generation's destroy with actor/not_found on a plain path, which never creates", async () => {
    const key = uniqueKey("gone");
    await created(key);
    await client.vault.get(key).destroy();
    const response = await SELF.fetch(byKey(key, "/x"), { headers: session("ada") });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { group: "actor", code: "not_found" } });
  });
});

describe("handle.fetch", () => {
  it("reaches onRequest from outside with the path, query, method, body and the handle's params", async () => {
    const key = uniqueKey("fetch");
    await created(key);
    const handle = publicClient().vault.get(key, { params: { token: "user-ada" } });
    const response = await handle.fetch("files/a.txt?download=1", { method: "PUT", body: "hi", headers: { "X-Custom": "1" } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      path: "/files/a.txt",
      search: "?download=1",
      method: "PUT",
      body: null,
      caller: { auth: { user: "ada", method: "PUT", path: "/files/a.txt" }, params: { token: "user-ada" } },
      internalHeaders: [],
    });
    expect(await client.vault.get(key).approvals()).toBe(1);
  });

  it("is refused by onBeforeConnect without params, as a JSON error with its status", async () => {
    const key = uniqueKey("fetch-refused");
    await created(key);
    const response = await publicClient().vault.get(key).fetch("/x");
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ ok: false, error: { group: "auth", code: "forbidden" } });
    expect(await client.vault.get(key).requests()).toBe(0);
  });

  it("creates the actor from a getOrCreate handle, and brings it back after a destroy", async () => {
    const key = uniqueKey("fetch-creates");
    const handle = publicClient().vault.getOrCreate(key, { params: { token: "user-ada" } });
    expect((await handle.fetch("/first")).status).toBe(200);
    const first = await client.vault.get(key).resolve();
    expect(first.endsWith(":0")).toBe(true);
    await client.vault.get(key).destroy();
    expect((await handle.fetch("/again")).status).toBe(200);
    const again = await client.vault.get(key).resolve();
    expect(again).not.toBe(first);
    expect(again.split(":")[0]).toBe(first.split(":")[0]);
    expect(await client.vault.get(key).requests()).toBe(1);
  });

  it("runs trusted from inside the Worker: no onBeforeConnect, no caller, the actor created", async () => {
    const key = uniqueKey("fetch-inside");
    const response = await client.vault.getOrCreate(key).fetch("/inside?x=1", { headers: { "x-actorstate-trusted": "0" } });
    expect(await response.json()).toMatchObject({ path: "/inside", search: "?x=1", caller: null, internalHeaders: [] });
    expect(await client.vault.get(key).approvals()).toBe(0);
    expect(await client.vault.get(key).requests()).toBe(1);
  });

  it("answers actor/not_found from a get handle when there is no actor", async () => {
    const response = await publicClient().vault.get(uniqueKey("fetch-missing"), { params: { token: "user-ada" } }).fetch("/x");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { group: "actor", code: "not_found" } });
  });
});
