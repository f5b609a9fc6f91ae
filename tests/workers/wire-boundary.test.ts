// What the public protocol refuses where it arrives: HTTP bodies and paths, and frames on a
// connection. Each refusal is a 4xx with a contract code, never a 500, and stores nothing.
import { SELF } from "cloudflare:test";
import { Encoder } from "cbor-x/index-no-eval";
import { describe, expect, it } from "vitest";
import { client, uniqueKey } from "./helpers.ts";

const cbor = new Encoder({ useRecords: false });
const TOKEN = "test-token";

type Reply = { ok: boolean; value?: unknown; error?: { group: string; code: string; message: string } };

async function call(body: string | Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; body: Reply }> {
  const cborBody = body instanceof Uint8Array;
  const response = await SELF.fetch("https://actors.example.com/v1/call", {
    method: "POST",
    headers: { "Content-Type": cborBody ? "application/cbor" : "application/json", ...headers },
    body,
  });
  const reply = cborBody ? (cbor.decode(new Uint8Array(await response.arrayBuffer())) as Reply) : ((await response.json()) as Reply);
  return { status: response.status, body: reply };
}

const keySegment = (key: string[]) => Buffer.from(JSON.stringify(key)).toString("base64url");

/** A raw connection to an actor, past its welcome; `next()` is the next frame it receives. */
async function connectRaw(name: string, key: string, encoding: "json" | "cbor") {
  const response = await SELF.fetch(`https://actors.example.com/v1/actors/${name}/key/${keySegment([key])}/connect?create=1`, {
    headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": `actorstate.v1.${encoding}` },
  });
  const socket = response.webSocket;
  if (!socket) throw new Error(`no socket: ${response.status}`);
  socket.binaryType = "arraybuffer";
  socket.accept();
  const frames: unknown[] = [];
  const waiting: Array<(frame: unknown) => void> = [];
  socket.addEventListener("message", (event) => {
    const frame = encoding === "json" ? JSON.parse(event.data as string) : cbor.decode(new Uint8Array(event.data as ArrayBuffer));
    const resolve = waiting.shift();
    if (resolve) resolve(frame);
    else frames.push(frame);
  });
  const next = () => (frames.length ? Promise.resolve(frames.shift()) : new Promise<unknown>((resolve) => waiting.push(resolve)));
  const send = (frame: unknown) => socket.send(encoding === "json" ? JSON.stringify(frame) : cbor.encode(frame));
  send({ t: "hello" });
  expect(await next()).toMatchObject({ t: "welcome" });
  return { socket, next, send, sendRaw: (data: string | Uint8Array) => socket.send(data) };
}

/** A CBOR action frame or request whose first argument is `value`, for values JSON cannot carry. */
const notPlain: Array<[string, unknown]> = [
  ["a Set", new Set([1, 2])],
  ["a bigint", 2n ** 64n],
  ["a tag-27 object", new Error("x")],
  ["a Map", new Map([[1, 2]])],
  ["an invalid CBOR date", new Date(Number.NaN)],
];

describe("the public protocol's door", () => {
  it("lists actors over HTTP only with the inspector's token, and in-Worker clients without one", async () => {
    const key = uniqueKey("list-door");
    await client.counter.getOrCreate(key).get();
    const list = JSON.stringify({ op: "list", actor: { name: "counter" } });
    for (const headers of [{}, { Authorization: "Bearer nope" }, { Authorization: `Bearer ${TOKEN}x` }] as Array<Record<string, string>>) {
      const refused = await call(list, headers);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ group: "auth", code: "forbidden" });
    }
    const allowed = await call(list, { Authorization: `Bearer ${TOKEN}` });
    expect(allowed.status).toBe(200);
    expect(allowed.body.value).toMatchObject({ actors: expect.any(Array) });
    expect(await client.counter.list()).toMatchObject({ actors: expect.any(Array) });
  });

  it("refuses an invalid $date with request/invalid and stores nothing", async () => {
    const key = uniqueKey("bad-date");
    const put = (value: unknown) => JSON.stringify({ op: "action", actor: { name: "store", key: [key], create: {} }, action: "put", args: ["when", value] });
    const refused = await call(put({ $date: "not a date" }));
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ group: "request", code: "invalid" });
    const cborRefused = await call(cbor.encode({ op: "action", actor: { name: "store", key: [key], create: {} }, action: "put", args: ["when", new Date(Number.NaN)] }));
    expect(cborRefused.status).toBe(400);
    expect(cborRefused.body.error).toMatchObject({ group: "request", code: "invalid" });
    expect(await client.store.getOrCreate(key).get("when")).toBeUndefined();
    // A valid date still travels.
    expect((await call(put({ $date: "2027-01-15T08:00:00.000Z" }))).status).toBe(200);
    expect(await client.store.get(key).get("when")).toEqual(new Date("2027-01-15T08:00:00.000Z"));
  });

  it("answers an invalid $date on a connection with an error frame, and the connection goes on", async () => {
    const key = uniqueKey("bad-date-frame");
    const conn = await connectRaw("store", key, "json");
    conn.sendRaw(JSON.stringify({ t: "action", id: 1, name: "put", args: ["when", { $date: "not a date" }] }));
    expect(await conn.next()).toMatchObject({ t: "error", error: { group: "request", code: "invalid" } });
    conn.send({ t: "action", id: 2, name: "get", args: ["when"] });
    expect(await conn.next()).toEqual({ t: "result", id: 2, ok: true });
    conn.socket.close();
  });

  it("refuses CBOR values that are not plain data with request/invalid, over HTTP and on a connection", async () => {
    const key = uniqueKey("not-plain");
    for (const [label, value] of notPlain) {
      const refused = await call(cbor.encode({ op: "action", actor: { name: "store", key: [key], create: {} }, action: "put", args: ["v", value] }));
      expect(refused.status, label).toBe(400);
      expect(refused.body.error, label).toMatchObject({ group: "request", code: "invalid" });
    }
    const conn = await connectRaw("store", key, "cbor");
    for (const [label, value] of notPlain) {
      conn.sendRaw(cbor.encode({ t: "action", id: 1, name: "put", args: ["v", value] }));
      expect(await conn.next(), label).toMatchObject({ t: "error", error: { group: "request", code: "invalid" } });
    }
    conn.send({ t: "action", id: 2, name: "get", args: ["v"] });
    expect(await conn.next()).toEqual({ t: "result", id: 2, ok: true });
    conn.socket.close();
    // An integer another encoder wrote in 8 bytes (cbor-x does so for a small bigint) is a number.
    expect((await call(cbor.encode({ op: "action", actor: { name: "store", key: [key] }, action: "put", args: ["v", 5n] }))).status).toBe(200);
    expect(await client.store.get(key).get("v")).toBe(5);
  });

  it("answers a key part that is not a string with actor/invalid_key", async () => {
    for (const request of [
      { op: "action", actor: { name: "counter", key: [1] }, action: "get", args: [] },
      { op: "action", actor: { name: "counter", key: ["a", null], create: {} }, action: "get", args: [] },
      { op: "create", actor: { name: "counter", key: [{}] }, mode: "getOrCreate" },
    ]) {
      const refused = await call(JSON.stringify(request));
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ group: "actor", code: "invalid_key" });
    }
  });

  it("answers a key of many empty parts with actor/invalid_key", async () => {
    const refused = await call(JSON.stringify({ op: "action", actor: { name: "counter", key: Array(200_000).fill(""), create: {} }, action: "get", args: [] }));
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ group: "actor", code: "invalid_key" });
  });

  it("answers a malformed % escape in a connect path with request/invalid", async () => {
    for (const path of [`/v1/actors/%E0%A4%A/key/${keySegment(["x"])}/connect`, "/v1/actors/counter/id/%E0%A4%A/connect", "/v1/actors/counter/id/%/connect"]) {
      const response = await SELF.fetch(`https://actors.example.com${path}`, {
        headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": "actorstate.v1.json" },
      });
      expect(response.status, path).toBe(400);
      expect(await response.json()).toMatchObject({ error: { group: "request", code: "invalid" } });
    }
  });
});
