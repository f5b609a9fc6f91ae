// Auth on every transport: onBeforeConnect approves each call from outside the Worker (HTTP
// and WebSocket), what it returns is the caller's auth data, in-Worker callers skip it, and
// the Worker-level authorize hook decides across actor types.
import { env, evictDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createHandler, type AuthorizeTarget } from "actorstate";
import { createClient } from "actorstate/client";
import { registry } from "./fixtures/actors.ts";
import { client, expectActorError, objectOf, ORIGIN, publicClient, uniqueKey } from "./helpers.ts";

const outside = publicClient();
const token = (user: string) => ({ params: { token: `user-${user}` } });

describe("onBeforeConnect on HTTP calls", () => {
  it("refuses an HTTP call it throws for with auth/forbidden, keeping its message, and runs no action", async () => {
    const key = uniqueKey("refused");
    const error = await expectActorError(outside.vault.getOrCreate(key).whoami(), "auth/forbidden");
    expect(error.message).toBe("Sign in first.");
    await expectActorError(outside.vault.getOrCreate(key, { params: { token: "guess" } }).whoami(), "auth/forbidden");
    // The hook ran twice (its state change is saved, like an action's); no action did.
    expect(await client.vault.get(key).approvals()).toBe(2);
  });

  it("gives actions what it returned as c.caller.auth, with the params sent", async () => {
    const key = uniqueKey("caller");
    const answer = await outside.vault.getOrCreate(key, token("ada")).whoami();
    expect(answer).toEqual({ caller: { auth: { user: "ada", method: "POST", path: "/v1/call" }, params: { token: "user-ada" } }, connAuth: null });
  });

  it("reads cookies from the caller's request", async () => {
    const withCookie = publicClient({ headers: { Cookie: "theme=dark; session=user-bob" } });
    expect((await withCookie.vault.getOrCreate(uniqueKey("cookie")).whoami()).caller).toMatchObject({ auth: { user: "bob" } });
  });

  it("guards every operation of a handle, not only actions", async () => {
    const key = uniqueKey("ops");
    const anonymous = outside.vault.getOrCreate(key);
    await expectActorError(anonymous.resolve(), "auth/forbidden");
    await expectActorError(anonymous.inspect(), "auth/forbidden");
    await expectActorError(anonymous.destroy(), "auth/forbidden");
    await expectActorError(outside.vault.get(key).whoami(), "auth/forbidden");
    const id = await client.vault.get(key).resolve();
    await expectActorError(outside.vault.getForId(id).whoami(), "auth/forbidden");
    expect((await outside.vault.getForId(id, token("ada")).whoami()).caller).toMatchObject({ auth: { user: "ada" } });
    expect(await outside.vault.get(key, token("ada")).resolve()).toBe(id);
    expect(await outside.vault.get(key, token("ada")).inspect()).toMatchObject({ lifecycle: "running", actorId: id });
  });

  it("lets a destroy through only when approved, and only for the generation that approved it", async () => {
    const key = uniqueKey("destroy");
    await client.vault.getOrCreate(key).approvals();
    await expectActorError(outside.vault.get(key).destroy(), "auth/forbidden");
    expect((await client.vault.get(key).inspect()).lifecycle).toBe("running");
    await outside.vault.get(key, token("ada")).destroy();
    await expectActorError(client.vault.get(key).approvals(), "actor/not_found");
    // Nothing live is left to approve a second destroy.
    await expectActorError(outside.vault.get(key, token("ada")).destroy(), "actor/not_found");
  });

  it("refuses create for a caller it refuses (the actor is created first: guard creation with authorize)", async () => {
    const key = uniqueKey("create");
    await expectActorError(outside.vault.create(key), "auth/forbidden");
    const created = await outside.vault.create(uniqueKey("create-ok"), token("ada"));
    expect((await created.whoami()).caller).toMatchObject({ auth: { user: "ada" } });
  });

  it("refuses with a generic message when the hook itself fails, and logs the bug", async () => {
    const error = await expectActorError(outside.vault.getOrCreate(uniqueKey("crash"), { params: { token: "crash" } }).whoami(), "auth/forbidden");
    expect(error.message).toMatch(/^The actor refused the call\. Internal error \(id [0-9a-f-]{36}\)/);
    expect(error.message).not.toMatch(/boom|null/);
  });

  it("refuses params over 4 KiB with request/too_large", async () => {
    await expectActorError(outside.vault.getOrCreate(uniqueKey("big"), { params: { token: "x".repeat(5000) } }).whoami(), "request/too_large");
  });

  it("lets actors without the hook take calls from outside, with c.caller set and no auth", async () => {
    expect(await outside.counter.getOrCreate(uniqueKey("open"), { params: { anything: 1 } }).increment(1)).toBe(1);
  });
});

describe("onBeforeConnect on connections", () => {
  it("gives conn.auth and c.caller.auth to actions over the connection, through hibernation", async () => {
    const key = uniqueKey("conn");
    const conn = outside.vault.getOrCreate(key).connect({ token: "user-ada" });
    const expected = { user: "ada", method: "GET", path: expect.stringMatching(/\/connect$/) };
    expect(await conn.whoami()).toEqual({ caller: { auth: expected, params: { token: "user-ada" } }, connAuth: expected });
    await evictDurableObject(objectOf("vault", key), { webSockets: "hibernate" });
    expect((await conn.whoami()).connAuth).toEqual(expected);
    await conn.dispose();
  });

  it("hands each action its own copy of the auth data and params: changing them changes nothing for the next", async () => {
    const key = uniqueKey("scribble");
    const conn = outside.vault.getOrCreate(key).connect({ token: "user-ada" });
    const before = await conn.whoami();
    await conn.scribble();
    expect(await conn.whoami()).toEqual(before);
    expect(before.connAuth).toMatchObject({ user: "ada" });
    await conn.dispose();
  });

  it("gives createConnState the upgrade's request, and none to a connection from inside the Worker", async () => {
    const key = uniqueKey("conn-state-request");
    const withCookie = publicClient({ headers: { Cookie: "session=user-dan" } });
    const outsider = withCookie.vault.getOrCreate(key).connect();
    expect(await outsider.connState()).toEqual({ path: expect.stringMatching(/\/connect$/), cookie: "session=user-dan" });
    const insider = client.vault.getOrCreate(key).connect();
    expect(await insider.connState()).toEqual({ path: null, cookie: null });
    await outsider.dispose();
    await insider.dispose();
  });

  it("uses the handle's params for connect() by default", async () => {
    const conn = outside.vault.getOrCreate(uniqueKey("default-params"), token("bob")).connect();
    expect((await conn.whoami()).connAuth).toMatchObject({ user: "bob" });
    await conn.dispose();
  });

  it("reads cookies from the upgrade request", async () => {
    const withCookie = publicClient({ headers: { Cookie: "session=user-carol" } });
    const conn = withCookie.vault.getOrCreate(uniqueKey("cookie-conn")).connect();
    expect((await conn.whoami()).connAuth).toMatchObject({ user: "carol", method: "GET" });
    await conn.dispose();
  });

  it("refuses a connection the hook throws for with auth/forbidden", async () => {
    const conn = outside.vault.getOrCreate(uniqueKey("conn-refused")).connect({ token: "guess" });
    const error = await expectActorError(conn.ready(), "auth/forbidden");
    expect(error.message).toBe("Sign in first.");
  });

  it("refuses auth data a connection cannot keep (over 1 KiB) as the hook's bug", async () => {
    const conn = outside.vault.getOrCreate(uniqueKey("big-auth")).connect({ token: "user-big" });
    await expectActorError(conn.ready(), "internal/error");
    // Over HTTP nothing is kept, so the same auth data is fine.
    expect((await outside.vault.getOrCreate(uniqueKey("big-auth-http"), token("big")).whoami()).caller).toBeTruthy();
  });
});

describe("the caller's request", () => {
  it("may carry big cookies over HTTP, but at most 8 KiB of URL and headers on an upgrade", async () => {
    const cookie = `session=user-ada; padding=${"x".repeat(9000)}`;
    expect((await publicClient({ headers: { Cookie: cookie } }).vault.getOrCreate(uniqueKey("big-cookie")).whoami()).caller).toMatchObject({ auth: { user: "ada" } });
    const segment = Buffer.from(JSON.stringify([uniqueKey("big-upgrade")])).toString("base64url");
    const response = await SELF.fetch(`${ORIGIN}/v1/actors/vault/key/${segment}/connect?create=1`, {
      headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": "actorstate.v1.json", Cookie: cookie },
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { group: "request", code: "too_large" } });
  });
});

describe("callers inside the Worker are trusted", () => {
  it("skips onBeforeConnect for the binding client's calls and connections", async () => {
    const key = uniqueKey("trusted");
    expect(await client.vault.getOrCreate(key).whoami()).toEqual({ caller: null, connAuth: null });
    const conn = client.vault.getOrCreate(key).connect({ token: "anything" });
    expect(await conn.whoami()).toEqual({ caller: null, connAuth: null });
    await conn.dispose();
    expect(await client.vault.get(key).approvals()).toBe(0);
  });

  it("skips onBeforeConnect for c.client() calls from other actors", async () => {
    const key = uniqueKey("from-actor");
    expect(await outside.vaultClient.getOrCreate(uniqueKey("asker")).ask(key)).toEqual({ caller: null, connAuth: null });
    expect(await client.vault.get(key).approvals()).toBe(0);
  });

  it("does not let a caller from outside claim to be trusted", async () => {
    const key = uniqueKey("claims-trust");
    const segment = Buffer.from(JSON.stringify([key])).toString("base64url");
    const response = await SELF.fetch(`${ORIGIN}/v1/actors/vault/key/${segment}/connect?create=1`, {
      headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": "actorstate.v1.json", "x-actorstate-trusted": "1" },
    });
    const socket = response.webSocket!;
    socket.accept();
    const closed = new Promise<number>((resolve) => socket.addEventListener("close", (event) => resolve(event.code)));
    socket.send(JSON.stringify({ t: "hello", params: { token: "nope" } }));
    expect(await closed).toBe(4003);
  });
});

describe("authorize on createHandler", () => {
  const ADMIN = "Bearer admin-secret";
  const seen: AuthorizeTarget[] = [];
  const { handler } = createHandler(registry, {
    authorize: (request, target, workerEnv) => {
      seen.push(target);
      if (target.name === "recorder") throw new Error(`Recorders are internal (${workerEnv.GREETING}).`);
      return target.op !== "destroy" || request.headers.get("Authorization") === ADMIN;
    },
  });
  const through = (headers: Record<string, string> = {}) =>
    createClient<typeof registry>({
      endpoint: ORIGIN,
      fetch: (input, init) => handler.fetch(new Request(input as string, init), env),
      headers,
    });

  it("blocks destroy without the admin token, across actor types", async () => {
    const key = uniqueKey("admin");
    const anyone = through();
    expect(await anyone.counter.getOrCreate(key).increment(1)).toBe(1);
    const error = await expectActorError(anyone.counter.get(key).destroy(), "auth/forbidden");
    expect(error.message).toBe('The Worker refused destroy on "counter".');
    expect(await client.counter.get(key).get()).toBe(1);
    await through({ Authorization: ADMIN }).counter.get(key).destroy();
    await expectActorError(client.counter.get(key).get(), "actor/not_found");
  });

  it("keeps the message of what it throws, and reads the Worker's env", async () => {
    const error = await expectActorError(through().recorder.getOrCreate("x").events(), "auth/forbidden");
    expect(error.message).toBe("Recorders are internal (hello from env).");
  });

  it("is told the op, actor, key or id, whether the call creates, and the params", async () => {
    seen.length = 0;
    const key = uniqueKey("told");
    const anyone = through();
    await anyone.counter.getOrCreate(key, { params: { p: 1 } }).increment(2);
    const id = await anyone.counter.get(key).resolve();
    await anyone.counter.getForId(id).get();
    expect(seen).toEqual([
      { op: "action", name: "counter", key: [key], id: undefined, action: "increment", creates: true, params: { p: 1 } },
      { op: "resolve", name: "counter", key: [key], id: undefined, creates: false, params: undefined },
      { op: "action", name: "counter", key: undefined, id, action: "get", creates: false, params: undefined },
    ]);
  });

  it("decides on connections before the upgrade reaches the actor", async () => {
    const guarded = createHandler(registry, { authorize: (_request, { op }) => op !== "connect" }).handler;
    const segment = Buffer.from(JSON.stringify(["k"])).toString("base64url");
    const response = await guarded.fetch(
      new Request(`${ORIGIN}/v1/actors/counter/key/${segment}/connect?create=1`, { headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": "actorstate.v1.json" } }),
      env,
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { group: "auth", code: "forbidden" } });
  });

  it("never sees calls from inside the Worker", async () => {
    seen.length = 0;
    await client.recorder.getOrCreate(uniqueKey("inside")).events();
    expect(seen).toEqual([]);
  });
});
