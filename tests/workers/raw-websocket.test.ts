// Raw WebSockets: onWebSocket at …/websocket/*, behind the same auth, hibernatable, and
// handle.webSocket(path?, protocols?) in the client.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { client, expectActorError, objectOf, publicClient, uniqueKey } from "./helpers.ts";

/** What a socket receives, in order, and a way to wait for the next message. */
function listen(socket: { addEventListener(type: "message", listener: (event: { data: unknown }) => void): void }) {
  const received: unknown[] = [];
  const waiting: Array<(data: unknown) => void> = [];
  socket.addEventListener("message", (event) => {
    const data = event.data instanceof ArrayBuffer ? [...new Uint8Array(event.data)] : event.data;
    const next = waiting.shift();
    if (next) next(data);
    else received.push(data);
  });
  return { next: () => (received.length ? Promise.resolve(received.shift()) : new Promise<unknown>((resolve) => waiting.push(resolve))) };
}

function closed(socket: { addEventListener(type: "close", listener: (event: { code: number }) => void): void }): Promise<number> {
  return new Promise((resolve) => socket.addEventListener("close", (event) => resolve(event.code)));
}

describe("raw WebSockets", () => {
  it("reaches onWebSocket from inside the Worker, trusted, with the path, query and protocol, and echoes text and bytes", async () => {
    const key = uniqueKey("inside");
    const socket = await client.echo.getOrCreate(key).webSocket("/room/1?x=2", ["chat.v1"]);
    const heard = listen(socket);
    expect(await heard.next()).toBe("hello /room/1?x=2 inside chat.v1");
    socket.send("hi");
    expect(await heard.next()).toBe("echo hi");
    socket.send(new Uint8Array([1, 2, 3]));
    expect(await heard.next()).toEqual([1, 2, 3]);
    expect(await client.echo.get(key).stats()).toMatchObject({ messages: 2, opened: 1, resumed: 0 });
    // Not a connection: c.conns does not list it.
    expect(await client.echo.get(key).connections()).toBe(0);
    socket.close(1000, "done");
  });

  it("passes onBeforeConnect from outside with the handle's params, and is refused without them", async () => {
    const key = uniqueKey("outside");
    const socket = await publicClient().echo.getOrCreate(key, { params: { token: "ada" } }).webSocket("chat");
    expect(await listen(socket).next()).toBe("hello /chat ada -");
    socket.close(1000, "done");
    await expectActorError(publicClient().echo.get(key, { params: { token: "refused" } }).webSocket(), "internal/error");
    await expectActorError(client.counter.getOrCreate(uniqueKey("no-hook")).webSocket(), "action/not_found");
    await expectActorError(client.echo.get(uniqueKey("missing")).webSocket(), "actor/not_found");
  });

  it("attaches its listeners again after hibernation (resumed), and saves what they change", async () => {
    const key = uniqueKey("hibernate");
    const socket = await client.echo.getOrCreate(key).webSocket();
    const heard = listen(socket);
    await heard.next();
    socket.send("one");
    expect(await heard.next()).toBe("echo one");
    await evictDurableObject(objectOf("echo", key), { webSockets: "hibernate" });
    socket.send("slow");
    expect(await heard.next()).toBe("echo slow");
    expect(await client.echo.get(key).stats()).toMatchObject({ messages: 2, opened: 1, resumed: 1 });
    socket.close(1000, "done");
  });

  it("is closed by a destroy with 4001, and a getOrCreate handle brings the actor back on the next one", async () => {
    const key = uniqueKey("destroy");
    const handle = client.echo.getOrCreate(key);
    const socket = await handle.webSocket();
    const code = closed(socket);
    const first = await handle.resolve();
    await handle.destroy();
    expect(await code).toBe(4001);
    const again = await handle.webSocket();
    expect(await listen(again).next()).toBe("hello / inside -");
    expect(await handle.resolve()).not.toBe(first);
    again.close(1000, "done");
  });

  it("hears one message at a time: a listener that awaits is done before the next message", async () => {
    const socket = await client.echo.getOrCreate(uniqueKey("order")).webSocket();
    const heard = listen(socket);
    await heard.next();
    socket.send("slow");
    socket.send("fast");
    expect([await heard.next(), await heard.next()]).toEqual(["echo slow", "echo fast"]);
    socket.close(1000, "done");
  });

  it("closes the socket it had accepted when onWebSocket throws", async () => {
    const key = uniqueKey("boom");
    await client.echo.getOrCreate(key).stats();
    await expectActorError(client.echo.get(key).webSocket("/boom"), "internal/error");
    const open = await runInDurableObject(objectOf("echo", key), (_, state) => state.getWebSockets("actorstate.raw").filter((ws) => ws.readyState === WebSocket.OPEN).length);
    expect(open).toBe(0);
  });

  it("tells the close listener when the client closes", async () => {
    const key = uniqueKey("client-close");
    const socket = await client.echo.getOrCreate(key).webSocket();
    await listen(socket).next();
    socket.close(4321, "bye");
    await expect.poll(async () => (await client.echo.get(key).stats()).closed).toEqual([4321]);
  });
});
