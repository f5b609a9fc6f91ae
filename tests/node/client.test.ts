import { request as httpRequest } from "node:http";
import { decodeMessage } from "../../runtime/protocol/encoding.ts";
import { describe, expect, inject, it, vi } from "vitest";
import { ActorError, createClient } from "actorstate/client";
import type { registry } from "../workers/fixtures/actors.ts";

const endpoint = inject("endpoint");
const unique = (label: string) => `${label}-${crypto.randomUUID()}`;

async function failure(work: Promise<unknown>): Promise<ActorError> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ActorError);
  return error as ActorError;
}

for (const encoding of ["json", "cbor"] as const) {
  describe(`the network client over HTTP (${encoding})`, () => {
    const client = createClient<typeof registry>({ endpoint, encoding });

    it("runs every handle operation", async () => {
      const key = unique("http");
      const counter = client.counter.getOrCreate(key, { input: { start: 10 } });
      expect(await counter.increment(5)).toBe(15);
      expect(await client.counter.get(key).get()).toBe(15);
      const id = await counter.resolve();
      expect(id).toMatch(/^[0-9a-f]{64}:0$/);
      expect(await client.counter.getForId(id).get()).toBe(15);
      expect(await counter.inspect()).toMatchObject({ lifecycle: "running", generation: 0, name: "counter", key: [key] });
      expect((await failure(client.counter.create(key))).fullCode).toBe("actor/already_exists");
      await counter.destroy();
      expect((await failure(client.counter.getForId(id).get())).fullCode).toBe("actor/not_found");
      const created = await client.counter.create(key, { input: { start: 1 } });
      expect(await created.resolve()).toMatch(/:1$/);
      expect(await created.get()).toBe(1);
    });

    it("fetches from onRequest with the handle's params, creating from a getOrCreate handle", async () => {
      const key = unique("fetch");
      const vault = client.vault.getOrCreate(key, { params: { token: "user-ada" } });
      const response = await vault.fetch("/files/a.txt?download=1", { method: "POST", body: "hello" });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        path: "/files/a.txt",
        search: "?download=1",
        body: "hello",
        caller: { auth: { user: "ada" }, params: { token: "user-ada" } },
        internalHeaders: [],
      });
      const refused = await client.vault.get(key).fetch("/x");
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ ok: false, error: { group: "auth", code: "forbidden" } });
    });

    it("opens a raw WebSocket from Node: the guestbook's backlog from c.sql, then each entry signed over HTTP", async () => {
      const guestbook = client.guestbook.getOrCreate(unique("guestbook"));
      await guestbook.sign("ada", "first");
      const socket = await guestbook.webSocket("/?backlog=5");
      const received: unknown[] = [];
      socket.addEventListener("message", (event) => received.push(JSON.parse(String(event.data))));
      await vi.waitFor(() => expect(received).toMatchObject([{ name: "ada", message: "first" }]));
      expect(await guestbook.sign("grace", "second")).toBe(2);
      await vi.waitFor(() => expect(received).toMatchObject([{ message: "first" }, { name: "grace", message: "second" }]));
      expect(await guestbook.latest(1)).toMatchObject([{ name: "grace" }]);
      socket.close();
    });

    it("keeps to the actor's message limits over a connection: a reply too large is an error, the connection goes on", async () => {
      const conn = client.postbox.getOrCreate(unique("postbox")).connect();
      await conn.ready();
      expect((await failure(conn.read(3000))).fullCode).toBe("action/message_too_large");
      expect(await conn.read(10)).toBe("x".repeat(10));
      expect((await failure(conn.post("x".repeat(2000)))).fullCode).toBe("request/too_large");
      await conn.dispose();
    });

    it("carries user errors, metadata and validation issues intact", async () => {
      const error = await failure(client.counter.getOrCreate(unique("user")).fail());
      expect(error.toJSON()).toEqual({ group: "user", code: "bad_thing", message: "nope", metadata: { x: 1 } });
      const invalid = await failure(client.strict.getOrCreate(unique("strict"), { input: { owner: "ada" } }).add("x", 1.5));
      expect(invalid.fullCode).toBe("action/invalid_args");
      expect(invalid.metadata).toMatchObject({ issues: [{ path: "1" }] });
      expect((await failure(client.counter.getOrCreate("k".repeat(129)).get())).fullCode).toBe("actor/invalid_key");
      expect((await failure(client.counter.getForId("not-an-id").get())).fullCode).toBe("actor/invalid_id");
      expect((await failure((createClient<any>({ endpoint, encoding }) as any).nobody.getOrCreate("x").go())).fullCode).toBe("actor/unknown_name");
    });

    it("lists actors only when given the inspector's token as a header", async () => {
      const key = unique("listed");
      await client.counter.getOrCreate(key).get();
      expect((await failure(client.counter.list())).fullCode).toBe("auth/forbidden");
      const trusted = createClient<typeof registry>({ endpoint, encoding, headers: { Authorization: "Bearer test-token" } });
      // The directory hears of the create just after it happens.
      await vi.waitFor(async () => {
        const keys: string[] = [];
        for (let page = await trusted.counter.list({ limit: 1000 }); ; page = await trusted.counter.list({ limit: 1000, cursor: page.cursor as string })) {
          keys.push(...page.actors.map((entry) => entry.key[0] as string));
          if (!page.cursor) break;
        }
        expect(keys).toContain(key);
      });
    });

    it("keeps bytes and dates", async () => {
      const store = client.store.getOrCreate(unique("bytes"));
      const value = { bytes: new Uint8Array([0, 1, 255]), when: new Date(1_800_000_000_000), text: "ü" };
      await store.put("v", value);
      expect(await store.get("v")).toEqual(value);
    });
  });

  describe(`connections from Node (${encoding})`, () => {
    const client = createClient<typeof registry>({ endpoint, encoding });

    it("calls actions, hears events, once and unsubscribe", async () => {
      const key = unique("room");
      const ada = client.room.getOrCreate(key).connect({ name: "ada", token: "letmein" });
      const bob = client.room.getOrCreate(key).connect({ name: "bob", token: "letmein" });
      await Promise.all([ada.ready(), bob.ready()]);
      const heard: unknown[][] = [];
      const once: unknown[] = [];
      const off = bob.on("message", (...args) => heard.push(args));
      bob.once("message", (_from, text) => once.push(text));
      expect(await ada.say("one")).toBe(1);
      expect(await ada.say("two")).toBe(2);
      await bob.me();
      off();
      await ada.say("three");
      await bob.me();
      expect(heard).toEqual([["ada", "one"], ["ada", "two"]]);
      expect(once).toEqual(["one"]);
      expect(await bob.who()).toEqual(["ada", "bob"]);
      await Promise.all([ada.dispose(), bob.dispose()]);
    });

    it("connects by id, and refuses with auth/forbidden when onBeforeConnect throws", async () => {
      const key = unique("by-id");
      // onBeforeConnect approves every call from outside, resolve included.
      const id = await client.room.getOrCreate(key, { params: { name: "ada", token: "letmein" } }).resolve();
      const conn = client.room.getForId(id).connect({ name: "ada", token: "letmein" });
      await conn.ready();
      expect(conn.actorId).toBe(id);
      await conn.dispose();
      const refused = client.room.getOrCreate(key).connect({ name: "eve" });
      expect((await failure(refused.ready())).fullCode).toBe("auth/forbidden");
    });

    it("sees the close on destroy, stops, and reaches the next generation only through a key handle", async () => {
      const key = unique("destroy");
      const conn = client.counter.getOrCreate(key).connect();
      await conn.ready();
      const changes: unknown[] = [];
      conn.on("changed", (count) => changes.push(count));
      expect(await conn.increment(2)).toBe(2);
      const ended = new Promise<ActorError>((resolve) => conn.onError(resolve));
      await client.counter.get(key).destroy();
      expect((await ended).fullCode).toBe("actor/not_found");
      expect((await failure(conn.increment(1))).fullCode).toBe("actor/not_found");
      expect(changes).toEqual([2]);
      expect(await client.counter.getOrCreate(key).increment(1)).toBe(1);
    });
  });
}

describe("the HTTP protocol with bad input", () => {
  const call = (body: BodyInit, type = "application/json") =>
    fetch(`${endpoint}/v1/call`, { method: "POST", headers: { "Content-Type": type }, body });

  it("answers malformed JSON and CBOR with request/invalid", async () => {
    for (const [body, type] of [["{nope", "application/json"], [new Uint8Array([0xff, 0x00, 0x1c]), "application/cbor"], ["[]", "application/json"], ['{"op":"explode"}', "application/json"]] as const) {
      const response = await call(body, type);
      expect(response.status).toBe(400);
      const reply = decodeMessage(type === "application/cbor" ? "cbor" : "json", await response.arrayBuffer());
      expect(reply).toMatchObject({ ok: false, error: { group: "request", code: "invalid" } });
    }
  });

  it("refuses other content types, oversized bodies and unknown routes", async () => {
    expect((await call("x", "text/plain")).status).toBe(415);
    const big = await call(JSON.stringify({ op: "action", actor: { name: "counter", key: ["big"] }, action: "get", args: ["x".repeat(1_100_000)] }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { group: "request", code: "too_large" } });
    const missing = await fetch(`${endpoint}/v2/call`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { group: "request", code: "invalid" } });
  });

  it("stops reading a chunked body past 1 MiB and answers request/too_large", async () => {
    // No Content-Length, and the body never ends: a server that read it whole before
    // checking its size would never answer.
    const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 1024 * 1024) return; // stalls the stream: no more chunks, no end
        controller.enqueue(chunk);
        sent += chunk.byteLength;
      },
    });
    const response = await fetch(`${endpoint}/v1/call`, { method: "POST", headers: { "Content-Type": "application/json" }, body, duplex: "half" } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ ok: false, error: { group: "request", code: "too_large" } });
  });

  it("closes a connection that sends a frame over 1 MiB, and refuses params over 4 KiB", async () => {
    const key = Buffer.from(JSON.stringify(["limits"])).toString("base64url");
    const url = `${endpoint.replace("http", "ws")}/v1/actors/counter/key/${key}/connect?create=1`;
    const socket = new WebSocket(url, "actorstate.v1.json");
    const messages: string[] = [];
    socket.addEventListener("message", (event) => messages.push(event.data as string));
    const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.addEventListener("close", (event) => resolve(event)));
    await new Promise((resolve) => socket.addEventListener("open", resolve));
    socket.send(JSON.stringify({ t: "hello" }));
    socket.send("x".repeat(1024 * 1024 + 1));
    expect(await closed).toMatchObject({ code: 4400, reason: "request/too_large" });
    expect(messages.map((m) => JSON.parse(m))).toContainEqual({ t: "error", error: expect.objectContaining({ group: "request", code: "too_large" }) });

    const client = createClient<typeof registry>(endpoint);
    const conn = client.room.getOrCreate(unique("params")).connect({ name: "x".repeat(5000), token: "letmein" });
    expect((await failure(conn.ready())).fullCode).toBe("request/too_large");
  });

  it("refuses a connection that offers another protocol version", async () => {
    const key = Buffer.from(JSON.stringify(["v2"])).toString("base64url");
    const socket = new WebSocket(`${endpoint.replace("http", "ws")}/v1/actors/counter/key/${key}/connect`, "actorstate.v2.json");
    const outcome = await new Promise<string>((resolve) => {
      socket.addEventListener("open", () => resolve("open"));
      socket.addEventListener("error", () => resolve("error"));
    });
    expect(outcome).toBe("error");
  });
});

describe("inspector access from the network", () => {
  /** A GET whose Host header says what a remote client wants it to: the status, or 101 for an upgrade. */
  const getAs = (host: string, path: string, headers: Record<string, string> = {}) =>
    new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${endpoint}${path}`, { headers: { ...headers, Host: host } });
      request.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("upgrade", (_response, socket) => {
        socket.destroy();
        resolve(101);
      });
      request.on("error", reject);
      request.end();
    });

  it("does not open the inspector to a Host header that claims loopback", async () => {
    const key = unique("forged");
    const client = createClient<typeof registry>(endpoint);
    await client.counter.getOrCreate(key).get();
    const watch = `/__actorstate/api/watch?name=counter&key=${encodeURIComponent(JSON.stringify([key]))}`;
    const upgrade = { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Protocol": "actorstate.inspector" };
    for (const host of ["localhost", "127.0.0.1", "127.1", "0x7f.1", "2130706433", "[::1]"]) {
      expect(await getAs(host, "/__actorstate/api/actors"), host).toBe(403);
      expect(await getAs(host, watch, upgrade), host).toBe(403);
    }
    expect(await getAs("localhost", "/__actorstate/api/actors", { Authorization: "Bearer test-token" })).toBe(200);
    expect(await getAs("localhost", watch, { ...upgrade, Authorization: "Bearer test-token" })).toBe(101);
  });
});
