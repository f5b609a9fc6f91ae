// A dropped socket's connection waits for its client: the reconnect resumes it (same id, same
// conn.state, no onConnect again); past the grace, or on dispose, it ends with onDisconnect.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createClient } from "actorstate/client";
import type { registry } from "./fixtures/actors.ts";
import { client, ORIGIN, uniqueKey } from "./helpers.ts";

type Listener = (event: never) => void;

/** A client from outside whose latest socket a test can drop, as a network would: a close its client did not ask for. */
function droppableClient() {
  let last: WebSocket | undefined;
  class DroppableSocket {
    binaryType = "arraybuffer";
    readonly #listeners = new Map<string, Listener[]>();
    #socket: WebSocket | undefined;
    constructor(url: string, protocols?: string | string[]) {
      const protocol = Array.isArray(protocols) ? protocols.join(", ") : (protocols ?? "");
      void SELF.fetch(url.replace(/^ws/, "http"), { headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": protocol } }).then((response) => {
        const socket = response.webSocket!;
        socket.accept();
        this.#socket = last = socket;
        for (const type of ["message", "close", "error"] as const) socket.addEventListener(type, (event) => this.#emit(type, event));
        this.#emit("open", {});
      });
    }
    send(data: string | Uint8Array) {
      this.#socket?.send(data);
    }
    close(code?: number, reason?: string) {
      this.#socket?.close(code, reason);
    }
    addEventListener(type: string, listener: Listener) {
      this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
    }
    #emit(type: string, event: unknown) {
      for (const listener of this.#listeners.get(type) ?? []) listener(event as never);
    }
  }
  const outside = createClient<typeof registry>({ endpoint: ORIGIN, fetch: (input, init) => SELF.fetch(String(input), init), WebSocket: DroppableSocket });
  return { outside, drop: () => last?.close(4000, "the network went away") };
}

describe("resuming a connection", () => {
  it("takes the connection back after a dropped socket: same id, same conn.state, no onConnect or onDisconnect", async () => {
    const key = uniqueKey("resume");
    const { outside, drop } = droppableClient();
    const conn = outside.lobby.getOrCreate(key).connect({ name: "ada" });
    let opens = 0;
    conn.onOpen(() => opens++);
    await conn.ready();
    const id = await conn.me();
    expect(await conn.tap()).toBe(1);
    drop();
    await expect.poll(() => opens).toBe(2);
    expect(await conn.me()).toBe(id);
    expect(await conn.tap()).toBe(2);
    expect(await client.lobby.get(key).log()).toEqual(["connect:ada"]);
    await conn.dispose();
    await expect.poll(() => client.lobby.get(key).log()).toEqual(["connect:ada", "disconnect:ada:2"]);
  });

  it("ends a dropped connection with onDisconnect once its grace runs out", async () => {
    const key = uniqueKey("grace");
    const { outside, drop } = droppableClient();
    const conn = outside.briefLobby.getOrCreate(key).connect({ name: "bob" });
    await conn.ready();
    await conn.tap();
    drop();
    await conn.dispose();
    // The alarm ends it: the grace was a millisecond.
    await expect.poll(() => client.briefLobby.get(key).log()).toEqual(["connect:bob", "disconnect:bob:1"]);
  });

  it("ends a connection the actor closed: the client's reconnect is a new connection", async () => {
    const key = uniqueKey("kicked");
    const { outside } = droppableClient();
    const conn = outside.lobby.getOrCreate(key).connect({ name: "mallory" });
    let opens = 0;
    conn.onOpen(() => opens++);
    await conn.ready();
    const id = await conn.me();
    await conn.kick().catch(() => undefined);
    await expect.poll(() => opens).toBe(2);
    expect(await conn.me()).not.toBe(id);
    await expect.poll(() => client.lobby.get(key).log()).toContain("disconnect:mallory:0");
    await conn.dispose();
  });

  it("does not resume a connection past its grace: the reconnect is a new connection", async () => {
    const key = uniqueKey("other");
    const { outside, drop } = droppableClient();
    const conn = outside.briefLobby.getOrCreate(key).connect({ name: "eve" });
    let opens = 0;
    conn.onOpen(() => opens++);
    await conn.ready();
    drop();
    await expect.poll(() => opens).toBe(2);
    // The grace of a millisecond ran out before the reconnect: a new connection, a new createConnState.
    expect(await conn.tap()).toBe(1);
    // The old one ends with onDisconnect (by the alarm, before or after the new one opened).
    await expect.poll(async () => (await client.briefLobby.get(key).log()).sort()).toEqual(["connect:eve", "connect:eve", "disconnect:eve:0"]);
    await conn.dispose();
  });
});
