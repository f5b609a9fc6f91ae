import { env, evictDurableObject, runDurableObjectAlarm, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createHandler } from "actorstate";
import { inspector } from "actorstate/inspector";
import { statelyBridge } from "actorstate/stately";
import { lifecycleStates } from "../../machines/lifecycle/types.ts";
import { registry } from "./fixtures/actors.ts";
import worker from "./fixtures/worker.ts";
import { client, expectActorError, objectOf, publicClient, uniqueKey } from "./helpers.ts";

// The test Worker's ACTORSTATE_INSPECTOR_TOKEN (tests/workers/wrangler.json).
const TOKEN = "test-token";
const withToken = (init: RequestInit = {}) => ({ ...init, headers: { Authorization: `Bearer ${TOKEN}`, ...(init.headers as Record<string, string> | undefined) } });
/** An inspector request carrying the token, as the page sends it. */
const local = (path: string, init?: RequestInit) => SELF.fetch(`http://127.0.0.1/__actorstate${path}`, withToken(init));
const remote = (path: string, init?: RequestInit) => SELF.fetch(`https://actors.example.com/__actorstate${path}`, init);
/** The Host values a remote client can send that all mean loopback. */
const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "127.1", "0x7f.1", "2130706433", "[::1]", "127.0.0.1:8787"];
/** The test Worker's handler under other variables: no token, the local opt-in, or both. */
function withVars(vars: Record<string, string | undefined>) {
  const variant = { ...env, ACTORSTATE_INSPECTOR_TOKEN: undefined, ...vars };
  return (url: string, init?: RequestInit) => worker.fetch(new Request(url, init), variant);
}
const actorQuery = (name: string, key: string) => `?name=${name}&key=${encodeURIComponent(JSON.stringify([key]))}`;

describe("the inspector", () => {
  // The first list of every type instantiates each type's 16 directory shards, slow in the
  // test pool; the tests below are about what a list shows, not about that cold start.
  beforeAll(() => local("/api/actors").then((response) => response.body?.cancel()), 120_000);

  it("serves its page and the statechart without needing anything online", async () => {
    const page = await local("/");
    expect(page.headers.get("Content-Type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain("<title>actorstate inspector</title>");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|https?:\/\/(?!stately\.ai\/inspect)/);
    const svg = await (await local("/lifecycle.svg")).text();
    for (const state of lifecycleStates) expect(svg).toContain(`data-state="${state}"`);
  });

  it("lists the registry's actor types with their actions", async () => {
    const body = (await (await local("/api/registry")).json()) as { actors: Array<{ name: string; actions: string[] }> };
    expect(body.actors.find((a) => a.name === "counter")?.actions).toEqual(["increment", "get", "fail", "selfDestruct"]);
  });

  it("lists actors, by type and lifecycle", async () => {
    const [alive, gone] = [uniqueKey("insp-alive"), uniqueKey("insp-gone")];
    await client.counter.getOrCreate(alive).increment(1);
    await client.counter.getOrCreate(gone).increment(1);
    await client.counter.get(gone).destroy();
    type Page = { actors: Array<{ key: string[]; lifecycle: string; name: string }>; cursor: string | null };
    // The directory hears of each change just after it happens. One type's list: the
    // other types' actors of this test Worker need not be paged through.
    await vi.waitFor(async () => {
      const all = (await (await local("/api/actors?name=counter")).json()) as Page;
      expect(all.actors.filter((a) => [alive, gone].includes(a.key[0] as string)).map((a) => a.lifecycle).sort()).toEqual(["destroyed", "running"]);
    });
    const destroyed = (await (await local("/api/actors?name=counter&lifecycle=destroyed")).json()) as Page;
    expect(destroyed.actors.every((a) => a.name === "counter" && a.lifecycle === "destroyed")).toBe(true);
    expect(destroyed.actors.some((a) => a.key[0] === gone)).toBe(true);
    expect(destroyed.actors.some((a) => a.key[0] === alive)).toBe(false);
  });

  it("shows an actor's state, connections, schedules and transition log", async () => {
    const key = uniqueKey("insp-room");
    const conn = client.room.getOrCreate(key).connect({ name: "ada", token: "letmein" });
    await conn.ready();
    await conn.say("hello");
    await client.timer.getOrCreate(key).after(60_000, "later");
    const room = (await (await local(`/api/actor${actorQuery("room", key)}`)).json()) as Record<string, any>;
    expect(room).toMatchObject({ name: "room", key: [key], lifecycle: "running", machineState: "running", generation: 0 });
    expect(room.state.messages).toBe(1);
    // Opened inside the Worker: no onBeforeConnect ran, so there is no auth to show.
    expect(room.connections).toEqual([{ id: expect.any(String), paramKeys: ["name", "token"] }]);
    expect(room.transitions.map((t: { to: string }) => t.to)).toEqual(["absent", "creating", "running"]);
    const timer = (await (await local(`/api/actor${actorQuery("timer", key)}`)).json()) as Record<string, any>;
    expect(timer.schedules).toMatchObject([{ action: "fire", args: ["later"] }]);
    await conn.dispose();
  });

  it("never shows a connection's param values: their names, and what onBeforeConnect returned", async () => {
    const outside = publicClient();
    const token = `s3cret-${crypto.randomUUID()}`;
    // A plain actor and a workflow actor, each signing the connection in with its hook.
    const key = uniqueKey("insp-secret");
    const plain = outside.signedIn.getOrCreate(key, { params: { token } }).connect();
    const flow = outside.signedInFlow.getOrCreate(key, { params: { token } }).connect();
    await Promise.all([plain.ready(), flow.ready()]);
    await plain.whoami();
    await flow.send({ type: "CLOSE" });
    for (const name of ["signedIn", "signedInFlow"]) {
      const text = await (await local(`/api/actor${actorQuery(name, key)}`)).text();
      expect(text, name).not.toContain(token);
      expect(text, name).not.toContain(token.slice("s3cret-".length));
      const { connections } = JSON.parse(text) as { connections: Array<Record<string, unknown>> };
      expect(connections, name).toEqual([{ id: expect.any(String), paramKeys: ["token"], auth: { user: "ada" } }]);
    }
    await Promise.all([plain.dispose(), flow.dispose()]);
  });

  it("shows a destroyed actor's log, and never wakes an actor to show it", async () => {
    const key = uniqueKey("insp-asleep");
    await client.room.getOrCreate(key).hooks();
    await evictDurableObject(objectOf("room", key));
    const asleep = (await (await local(`/api/actor${actorQuery("room", key)}`)).json()) as Record<string, any>;
    expect(asleep.machineState).toBeNull();
    expect(asleep.state.hooks).toEqual(["onWake"]);
    await client.room.get(key).destroy();
    const gone = (await (await local(`/api/actor${actorQuery("room", key)}`)).json()) as Record<string, any>;
    expect(gone).toMatchObject({ lifecycle: "destroyed", state: null, connections: [], schedules: [] });
    expect(gone.transitions.at(-1)).toMatchObject({ from: "destroying.finalizing", to: "destroyed" });
  });

  it("pages through every type with a URL-safe cursor, and refuses one it did not give out", async () => {
    for (let i = 0; i < 3; i++) await client.counter.getOrCreate(uniqueKey("insp-page")).get();
    type Page = { actors: unknown[]; cursor: string | null };
    const first = (await (await local("/api/actors?limit=2")).json()) as Page;
    expect(first.actors).toHaveLength(2);
    expect(first.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = (await (await local(`/api/actors?limit=2&cursor=${first.cursor}`)).json()) as Page;
    expect(second.actors).toHaveLength(2);
    expect(second.actors).not.toEqual(first.actors);
    const bad = await local("/api/actors?cursor=not-a-cursor");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { group: "request", code: "invalid" } });
  });

  it("answers an actor that was never created with actor/not_found", async () => {
    const response = await local(`/api/actor${actorQuery("counter", uniqueKey("never"))}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { group: "actor", code: "not_found" } });
  });

  it("pings a watching inspector when the actor changes", async () => {
    const key = uniqueKey("insp-watch");
    await client.counter.getOrCreate(key).increment(1);
    const response = await local(`/api/watch${actorQuery("counter", key)}`, { headers: { Upgrade: "websocket" } });
    const socket = response.webSocket;
    expect(response.status).toBe(101);
    expect(response.headers.get("Sec-WebSocket-Protocol")).toBe("actorstate.inspector");
    if (!socket) throw new Error("no socket");
    socket.accept();
    const pinged = new Promise((resolve) => socket.addEventListener("message", (event) => resolve(JSON.parse(event.data as string))));
    await client.counter.get(key).increment(1);
    expect(await pinged).toEqual({ t: "changed" });
    // An inspector is not one of the actor's connections.
    const snapshot = (await (await local(`/api/actor${actorQuery("counter", key)}`)).json()) as Record<string, any>;
    expect(snapshot.connections).toEqual([]);
    socket.close();
  });

  it("names events as the diagram does: create done, not xstate.done.actor.create", async () => {
    const key = uniqueKey("insp-labels");
    await client.counter.getOrCreate(key).increment(1);
    const snapshot = (await (await local(`/api/actor${actorQuery("counter", key)}`)).json()) as Record<string, any>;
    expect(snapshot.transitions.map((t: { event: string; label: string }) => [t.event, t.label])).toEqual([
      ["LOAD", "LOAD"],
      ["CREATE", "CREATE"],
      ["xstate.done.actor.create", "create done"],
    ]);
    await vi.waitFor(async () => {
      const listed = (await (await local("/api/actors?name=counter")).json()) as { actors: Array<{ key: string[]; last: Record<string, string> }> };
      expect(listed.actors.find((a) => a.key[0] === key)?.last).toMatchObject({ event: "xstate.done.actor.create", label: "create done" });
    });
  });

  it("shows recent action calls: name, outcome, duration and how each was called", async () => {
    const key = uniqueKey("insp-calls");
    const strict = client.strict.getOrCreate(key, { input: { owner: "ada" } });
    await strict.add("apple", 2);
    await expectActorError(strict.refuse(), "user/not_today");
    await expectActorError(strict.add("pear", "many" as unknown as number), "action/invalid_args");
    const calls = async (name: string) =>
      ((await (await local(`/api/actor${actorQuery(name, key)}`)).json()) as { calls: Array<Record<string, unknown>> }).calls;
    expect(await calls("strict")).toEqual([
      { at: expect.any(Number), action: "add", generation: 0, via: "request", ms: expect.any(Number), ok: true },
      { at: expect.any(Number), action: "refuse", generation: 0, via: "request", ms: expect.any(Number), ok: false, error: "user/not_today: Not today" },
      // Refused before it ran: no generation, and the caller's error.
      { at: expect.any(Number), action: "add", generation: null, via: "request", ms: expect.any(Number), ok: false, error: 'action/invalid_args: The arguments to "add" are invalid: args[1]: expected number, received string.' },
    ]);
    // An internal error's details stay in the log, as they do for the caller.
    await expectActorError(strict.crash(), "internal/error");
    expect((await calls("strict")).at(-1)).toMatchObject({ action: "crash", ok: false, error: "internal/error" });

    const conn = client.room.getOrCreate(key).connect({ name: "ada", token: "letmein" });
    await conn.say("hello");
    expect((await calls("room")).map((c) => [c.action, c.via, c.ok])).toEqual([["say", "connection", true]]);
    await conn.dispose();

    const timer = client.timer.getOrCreate(key);
    await timer.at(Date.now() - 1, "now");
    await runDurableObjectAlarm(objectOf("timer", key));
    expect((await calls("timer")).map((c) => [c.action, c.via, c.ok])).toEqual([["at", "request", true], ["fire", "schedule", true]]);
  });

  it("keeps the last 100 calls, in memory only", async () => {
    const key = uniqueKey("insp-many-calls");
    const counter = client.counter.getOrCreate(key);
    for (let i = 1; i <= 105; i++) await counter.increment(i);
    const read = async () => ((await (await local(`/api/actor${actorQuery("counter", key)}`)).json()) as { calls: Array<{ action: string; at: number }> }).calls;
    const calls = await read();
    expect(calls).toHaveLength(100);
    expect(calls.every((c) => c.action === "increment")).toBe(true);
    expect(calls.map((c) => c.at)).toEqual(calls.map((c) => c.at).sort((a, b) => a - b));
    await evictDurableObject(objectOf("counter", key));
    expect(await read()).toEqual([]);
  });

  it("shows the KV store a page at a time, decoded, without waking the actor", async () => {
    const key = uniqueKey("insp-kv");
    const store = client.store.getOrCreate(key);
    await store.putMany(Array.from({ length: 60 }, (_, i) => [`item:${String(i).padStart(2, "0")}`, { n: i, tags: ["a"] }] as [string, unknown]));
    await store.putBytes([0xff, 0x00], new Uint8Array([1, 2, 3]));
    await store.put("big", "x".repeat(20_000));
    await store.put("when", new Date(0));
    await evictDurableObject(objectOf("store", key));
    type KvPage = { entries: Array<{ key: string; binary?: true; size: number; value?: unknown }>; cursor: string | null };
    const page = async (after?: string) => (await (await local(`/api/kv${actorQuery("store", key)}${after ? `&after=${after}` : ""}`)).json()) as KvPage;
    const first = await page();
    expect(first.entries).toHaveLength(50);
    expect(first.entries[0]).toEqual({ key: "big", size: expect.any(Number) });
    expect(first.entries[0]?.size).toBeGreaterThan(20_000);
    expect(first.entries[1]).toEqual({ key: "item:00", size: expect.any(Number), value: { n: 0, tags: ["a"] } });
    expect(first.cursor).toMatch(/^[0-9a-f]+$/);
    const second = await page(first.cursor ?? "");
    expect(second.entries.map((e) => e.key)).toEqual([
      ...Array.from({ length: 11 }, (_, i) => `item:${49 + i}`),
      "when",
      "ff00",
    ]);
    expect(second.entries.at(-2)?.value).toEqual({ $date: "1970-01-01T00:00:00.000Z" });
    expect(second.entries.at(-1)).toMatchObject({ binary: true, value: { $bytes: "AQID" } });
    expect(second.cursor).toBeNull();
    // Looking did not wake it.
    const snapshot = (await (await local(`/api/actor${actorQuery("store", key)}`)).json()) as Record<string, any>;
    expect(snapshot.machineState).toBeNull();

    const bad = await local(`/api/kv${actorQuery("store", key)}&after=xyz`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { group: "request", code: "invalid" } });
    const never = await local(`/api/kv${actorQuery("store", uniqueKey("never"))}`);
    expect(never.status).toBe(404);
  });

  it("tells the page whether the Stately bridge is configured", async () => {
    const registryOf = async (handler: { fetch(request: Request, env: object): Promise<Response> }) =>
      (await (await handler.fetch(new Request("http://127.0.0.1/__actorstate/api/registry", withToken()), env)).json()) as { stately: boolean };
    expect((await registryOf(worker)).stately).toBe(false);
    expect((await registryOf(createHandler(registry, { inspector, stately: statelyBridge }).handler)).stately).toBe(true);
  });

  it("is not served by a Worker that did not opt in, whose listing still needs the token", async () => {
    const { handler } = createHandler(registry);
    for (const path of ["/__actorstate", "/__actorstate/", "/__actorstate/lifecycle.svg", "/__actorstate/api/registry"]) {
      const response = await handler.fetch(new Request(`http://127.0.0.1${path}`, withToken()), env);
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain("actorstate/inspector");
    }
    const list = { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ op: "list", actor: { name: "counter" } }) };
    expect((await handler.fetch(new Request("http://127.0.0.1/v1/call", list), env)).status).toBe(403);
    expect((await handler.fetch(new Request("http://127.0.0.1/v1/call", withToken(list)), env)).status).toBe(200);
  });

  it("refuses list parameters it cannot use with request/invalid instead of an empty page", async () => {
    for (const query of ["limit=abc", "limit=0", "limit=-5", "limit=1.5", "limit=", "lifecycle=zombie", "lifecycle=running&limit=1e3"]) {
      const response = await local(`/api/actors?${query}`);
      expect(response.status, query).toBe(400);
      expect(await response.json()).toMatchObject({ error: { group: "request", code: "invalid" } });
    }
    const unknown = await local("/api/actors?name=nobody");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { group: "actor", code: "unknown_name" } });
    const before = await local(`/api/actor${actorQuery("counter", "x")}&before=soon`);
    expect(before.status).toBe(400);
    expect(await before.json()).toMatchObject({ error: { group: "request", code: "invalid" } });
  });

  describe("access", () => {
    it("needs the configured token on every data request, whatever Host the request names", async () => {
      const key = uniqueKey("insp-forged");
      await client.counter.getOrCreate(key).get();
      for (const host of [...LOOPBACK_HOSTS, "actors.example.com"]) {
        for (const headers of [{}, { Authorization: "Bearer wrong-token" }, { Authorization: `Bearer ${TOKEN}-longer` }] as Array<Record<string, string>>) {
          const response = await SELF.fetch(`http://${host}/__actorstate/api/actors`, { headers });
          expect(response.status, host).toBe(403);
          expect(await response.json()).toMatchObject({ error: { group: "auth", code: "forbidden" } });
        }
        const watch = await SELF.fetch(`http://${host}/__actorstate/api/watch${actorQuery("counter", key)}`, {
          headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": "actorstate.inspector" },
        });
        expect(watch.status, host).toBe(403);
        expect(watch.webSocket).toBeNull();
      }
      expect((await remote("/")).status).toBe(200);
    });

    it("says whether the token was missing, refused or not configured, and which variable holds it", async () => {
      type Refusal = { error: { message: string; metadata: unknown } };
      const missing = (await (await remote("/api/actors")).json()) as Refusal;
      expect(missing.error.message).toMatch(/^This inspector needs its token \(the Worker's ACTORSTATE_INSPECTOR_TOKEN\)/);
      expect(missing.error.metadata).toEqual({ token: "missing" });
      const wrong = await (await remote("/api/actors", { headers: { Authorization: "Bearer wrong-token" } })).text();
      expect((JSON.parse(wrong) as Refusal).error).toMatchObject({ message: expect.stringMatching(/^The inspector token was refused: it is not the Worker's ACTORSTATE_INSPECTOR_TOKEN/), metadata: { token: "refused" } });
      // The refusal never repeats the token it was given.
      expect(wrong).not.toContain("wrong-token");
      const unset = (await (await withVars({})("https://actors.example.com/__actorstate/api/actors")).json()) as Refusal;
      expect(unset.error).toMatchObject({ message: expect.stringContaining("ACTORSTATE_INSPECTOR_TOKEN"), metadata: { token: "unset" } });
    });

    it("serves the data with the token in a header or a socket subprotocol", async () => {
      expect((await remote("/api/registry", { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      const key = uniqueKey("insp-remote");
      await client.counter.getOrCreate(key).get();
      const accepted = await remote(`/api/watch${actorQuery("counter", key)}`, {
        headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": `actorstate.inspector, actorstate.inspector.token.${TOKEN}` },
      });
      expect(accepted.status).toBe(101);
      accepted.webSocket?.accept();
      accepted.webSocket?.close();
    });

    it("is off without a token unless the developer opted in with ACTORSTATE_INSPECTOR=open", async () => {
      const listBody = JSON.stringify({ op: "list", actor: { name: "counter" } });
      const list = { method: "POST", headers: { "Content-Type": "application/json" }, body: listBody };
      const closed = withVars({});
      const open = withVars({ ACTORSTATE_INSPECTOR: "open" });
      for (const host of LOOPBACK_HOSTS) {
        expect((await closed(`http://${host}/__actorstate/api/registry`)).status, host).toBe(403);
        expect((await closed(`http://${host}/v1/call`, list)).status, host).toBe(403);
      }
      expect((await open("https://actors.example.com/__actorstate/api/registry")).status).toBe(200);
      expect((await open("http://127.0.0.1/v1/call", list)).status).toBe(200);
      // Anything but the exact opt-in keeps it closed.
      expect((await withVars({ ACTORSTATE_INSPECTOR: "true" })("http://localhost/__actorstate/api/registry")).status).toBe(403);
    });

    it("still needs a configured token when the developer opted in", async () => {
      const both = withVars({ ACTORSTATE_INSPECTOR: "open", ACTORSTATE_INSPECTOR_TOKEN: TOKEN });
      expect((await both("http://127.0.0.1/__actorstate/api/registry")).status).toBe(403);
      expect((await both("http://127.0.0.1/__actorstate/api/registry", withToken())).status).toBe(200);
    });

    it("does not let a client connection open an inspector socket on its own", async () => {
      const key = Buffer.from(JSON.stringify(["sneaky"])).toString("base64url");
      const response = await SELF.fetch(`https://actors.example.com/v1/actors/counter/key/${key}/connect?create=1`, {
        headers: { Upgrade: "websocket", "x-actorstate-inspector": "1" },
      });
      // Without the header honoured it is an ordinary connection request, which needs a subprotocol.
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { group: "request", code: "invalid" } });
    });
  });
});
