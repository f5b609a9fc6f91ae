// Auth and CORS over real HTTP and WebSockets (wrangler dev), as a Node process or a
// browser page on another origin would meet them.
import { request as httpRequest } from "node:http";
import { describe, expect, inject, it } from "vitest";
import { ActorError, createClient } from "actorstate/client";
import type { registry } from "../workers/fixtures/actors.ts";

const endpoint = inject("endpoint");
const unique = (label: string) => `${label}-${crypto.randomUUID()}`;
const keySegment = (key: string) => Buffer.from(JSON.stringify([key])).toString("base64url");

async function failure(work: Promise<unknown>): Promise<ActorError> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ActorError);
  return error as ActorError;
}

/** A request with headers `fetch` will not send (Origin, a WebSocket upgrade): its status. */
function statusOf(method: string, path: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${endpoint}${path}`, { method, headers });
    request.on("response", (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("upgrade", (_response, socket) => {
      socket.destroy();
      resolve(101);
    });
    request.on("error", reject);
    request.end(body);
  });
}

const upgrade = { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Protocol": "actorstate.v1.json" };

for (const encoding of ["json", "cbor"] as const) {
  describe(`onBeforeConnect over the network (${encoding})`, () => {
    const client = createClient<typeof registry>({ endpoint, encoding });

    it("refuses an HTTP call with auth/forbidden, and gives an approved one its auth as c.caller.auth", async () => {
      const key = unique("http");
      const refused = await failure(client.vault.getOrCreate(key).whoami());
      expect(refused.toJSON()).toEqual({ group: "auth", code: "forbidden", message: "Sign in first." });
      expect(await client.vault.getOrCreate(key, { params: { token: "user-ada" } }).whoami()).toEqual({
        caller: { auth: { user: "ada", method: "POST", path: "/v1/call" }, params: { token: "user-ada" } },
        connAuth: null,
      });
    });

    it("reads a cookie on HTTP calls and on the WebSocket upgrade", async () => {
      const withCookie = createClient<typeof registry>({ endpoint, encoding, headers: { Cookie: "session=user-bob" } });
      expect((await withCookie.vault.getOrCreate(unique("cookie")).whoami()).caller).toMatchObject({ auth: { user: "bob" } });
      // Node's WebSocket sends no cookie: the connection's params carry the token instead.
      const conn = withCookie.vault.getOrCreate(unique("cookie-conn")).connect({ token: "user-bob" });
      expect((await conn.whoami()).connAuth).toMatchObject({ user: "bob", method: "GET" });
      await conn.dispose();
    });

    it("refuses a connection with auth/forbidden, and gives an accepted one conn.auth", async () => {
      const key = unique("conn");
      const refused = client.vault.getOrCreate(key).connect({ token: "guess" });
      expect((await failure(refused.ready())).fullCode).toBe("auth/forbidden");
      const conn = client.vault.getOrCreate(key).connect({ token: "user-carol" });
      const me = await conn.whoami();
      expect(me.connAuth).toMatchObject({ user: "carol" });
      expect(me.caller).toMatchObject({ auth: { user: "carol" }, params: { token: "user-carol" } });
      await conn.dispose();
    });
  });
}

describe("onRequest over the network", () => {
  it("serves the actor's HTTP, after onBeforeConnect", async () => {
    const key = unique("request");
    await createClient<typeof registry>(endpoint).vault.getOrCreate(key, { params: { token: "user-ada" } }).whoami();
    const url = `${endpoint}/v1/actors/vault/key/${keySegment(key)}/request/files/a.txt?x=1`;
    expect((await fetch(url)).status).toBe(403);
    const response = await fetch(url, { method: "PUT", headers: { Cookie: "session=user-ada" }, body: "data" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ path: "/files/a.txt", search: "?x=1", method: "PUT", caller: { auth: { user: "ada" } } });
  });
});

describe("CORS off unless configured", () => {
  it("refuses a cross-origin preflight", async () => {
    const response = await fetch(`${endpoint}/v1/call`, {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("refuses a cross-origin call and WebSocket upgrade, and serves the Worker's own origin", async () => {
    const key = unique("origin");
    const body = JSON.stringify({ op: "action", actor: { name: "counter", key: [key], create: {} }, action: "increment", args: [1] });
    expect(await statusOf("POST", "/v1/call", { Origin: "https://evil.example" }, body)).toBe(403);
    const connect = `/v1/actors/counter/key/${keySegment(key)}/connect?create=1`;
    expect(await statusOf("GET", connect, { ...upgrade, Origin: "https://evil.example" })).toBe(403);
    expect(await statusOf("POST", "/v1/call", { Origin: endpoint, "Content-Type": "application/json" }, body)).toBe(200);
    expect(await statusOf("GET", connect, { ...upgrade, Origin: endpoint })).toBe(101);
    expect(await createClient<typeof registry>(endpoint).counter.get(key).get()).toBe(1);
  });
});
