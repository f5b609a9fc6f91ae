// Per-actor HTTP: onRequest serves /v1/actors/{name}/key|id/{…}/request/*, after
// onBeforeConnect, as in-flight lifecycle work like an action.
import { evictDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { client, eventually, expectActorError, objectOf, ORIGIN, uniqueKey } from "./helpers.ts";

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
});
