// CORS is off unless configured: pages on other origins cannot call (nor open a WebSocket,
// which CORS itself does not cover) with the user's cookies; the Worker's own origin and
// clients that are not browsers always can.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createHandler } from "actorstate";
import { registry } from "./fixtures/actors.ts";
import { client, expectActorError, ORIGIN, uniqueKey } from "./helpers.ts";

const APP = "https://app.example";
const EVIL = "https://evil.example";
const keySegment = (key: string) => Buffer.from(JSON.stringify([key])).toString("base64url");

const preflight = (origin: string) =>
  new Request(`${ORIGIN}/v1/call`, { method: "OPTIONS", headers: { Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" } });

/**
 * `POST /v1/call` of an increment. The body is bytes, so no Content-Type goes with it unless
 * given: a "simple" request, which browsers send cross-origin without asking first.
 */
const increment = (key: string, headers: Record<string, string>) =>
  new Request(`${ORIGIN}/v1/call`, {
    method: "POST",
    headers,
    body: new TextEncoder().encode(JSON.stringify({ op: "action", actor: { name: "counter", key: [key], create: {} }, action: "increment", args: [1] })),
  });

const upgrade = (key: string, origin: string) =>
  new Request(`${ORIGIN}/v1/actors/counter/key/${keySegment(key)}/connect?create=1`, {
    headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": "actorstate.v1.json", Origin: origin },
  });

describe("CORS off by default", () => {
  it("refuses a cross-origin preflight, with no Access-Control headers", async () => {
    const response = await SELF.fetch(preflight(EVIL));
    expect(response.status).toBe(403);
    expect([...response.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([]);
  });

  it("refuses a cross-origin call a browser would send without a preflight, running nothing", async () => {
    const key = uniqueKey("simple-post");
    const response = await SELF.fetch(increment(key, { Origin: EVIL, Cookie: "session=user-ada" }));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ ok: false, error: { group: "auth", code: "forbidden" } });
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
    await expectActorError(client.counter.get(key).get(), "actor/not_found");
  });

  it("refuses a cross-origin WebSocket upgrade before it reaches the actor", async () => {
    const key = uniqueKey("cswsh");
    const response = await SELF.fetch(upgrade(key, EVIL));
    expect(response.status).toBe(403);
    expect(response.webSocket).toBeNull();
    await expectActorError(client.counter.get(key).get(), "actor/not_found");
  });

  it("serves the Worker's own origin and clients that send no Origin", async () => {
    const key = uniqueKey("same-origin");
    expect((await SELF.fetch(increment(key, { Origin: ORIGIN }))).status).toBe(200);
    expect((await SELF.fetch(increment(key, {}))).status).toBe(200);
    const socket = await SELF.fetch(upgrade(key, ORIGIN));
    expect(socket.status).toBe(101);
    socket.webSocket?.accept();
    socket.webSocket?.close();
    expect(await client.counter.get(key).get()).toBe(2);
  });
});

describe("CORS configured", () => {
  const { handler } = createHandler(registry, { cors: { origins: [APP], credentials: true } });

  it("answers a preflight from a listed origin", async () => {
    const response = await handler.fetch(preflight(APP), env);
    expect(response.status).toBe(204);
    expect(Object.fromEntries([...response.headers].filter(([name]) => name.startsWith("access-control-") || name === "vary"))).toMatchObject({
      "access-control-allow-origin": APP,
      "access-control-allow-credentials": "true",
      "access-control-allow-headers": expect.stringContaining("Content-Type"),
      "access-control-allow-methods": expect.stringContaining("POST"),
      vary: "Origin",
    });
  });

  it("serves a listed origin with its CORS headers and refuses others", async () => {
    const allowed = await handler.fetch(increment(uniqueKey("listed"), { Origin: APP, "Content-Type": "application/json" }), env);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("Access-Control-Allow-Origin")).toBe(APP);
    const refused = await handler.fetch(increment(uniqueKey("unlisted"), { Origin: EVIL, "Content-Type": "application/json" }), env);
    expect(refused.status).toBe(403);
    expect((await handler.fetch(preflight(EVIL), env)).status).toBe(403);
    expect((await handler.fetch(upgrade(uniqueKey("unlisted-socket"), EVIL), env)).status).toBe(403);
  });

  it("allows any origin with \"*\", but never with credentials", async () => {
    const open = createHandler(registry, { cors: { origins: "*" } }).handler;
    const response = await open.fetch(increment(uniqueKey("any"), { Origin: EVIL }), env);
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(() => createHandler(registry, { cors: { origins: "*", credentials: true } })).toThrow(/credentials needs a list of origins/);
  });
});
