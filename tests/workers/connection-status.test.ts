// A connection's status (connStatus, onStatusChange, onOpen, onClose) as its reconnect
// machine moves, and getParams asked afresh on every reconnect and call.
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expectActorError, objectOf, publicClient, uniqueKey } from "./helpers.ts";

const outside = publicClient();

describe("connection status", () => {
  it("goes connecting → connected → disconnected → connected over a dropped socket, and disconnected on dispose", async () => {
    const key = uniqueKey("status");
    const conn = outside.room.getOrCreate(key).connect({ name: "ada", token: "letmein" });
    const statuses: string[] = [];
    let opens = 0;
    let closes = 0;
    conn.onStatusChange((status) => statuses.push(status));
    conn.onOpen(() => opens++);
    const offClose = conn.onClose(() => closes++);
    expect(conn.connStatus).toBe("connecting");
    await conn.ready();
    expect(conn.connStatus).toBe("connected");
    await evictDurableObject(objectOf("room", key), { webSockets: "close" });
    await expect.poll(() => opens).toBe(2);
    expect(await conn.who()).toEqual(["ada"]);
    expect(statuses).toEqual(["connected", "disconnected", "connecting", "connected"]);
    expect(closes).toBe(1);
    offClose();
    await conn.dispose();
    expect(conn.connStatus).toBe("disconnected");
    expect(statuses.at(-1)).toBe("disconnected");
    expect(closes).toBe(1);
  });

  it("ends disconnected, with the reason, when the actor refuses it", async () => {
    const conn = outside.room.getOrCreate(uniqueKey("refused")).connect({ name: "eve", token: "wrong" });
    const statuses: string[] = [];
    conn.onStatusChange((status) => statuses.push(status));
    await expectActorError(conn.ready(), "auth/forbidden");
    expect(conn.connStatus).toBe("disconnected");
    expect(statuses).toEqual(["disconnected"]);
  });

  it("ends with getParams' own error when it fails, telling onError", async () => {
    const conn = outside.room.getOrCreate(uniqueKey("params-fail"), {
      getParams: async () => {
        throw new Error("The token store is down.");
      },
    }).connect();
    const errors: string[] = [];
    conn.onError((error) => errors.push(error.message));
    const error = await expectActorError(conn.ready(), "internal/error");
    expect(error.message).toContain("The token store is down.");
    expect(errors).toEqual([error.message]);
    expect(conn.connStatus).toBe("disconnected");
  });

  it("asks getParams on every connect and every call over HTTP: a token that expires is renewed", async () => {
    const key = uniqueKey("get-params");
    let asked = 0;
    const handle = outside.room.getOrCreate(key, {
      getParams: async () => ({ name: `ada-${++asked}`, token: "letmein" }),
    });
    const conn = handle.connect();
    let opens = 0;
    conn.onOpen(() => opens++);
    await conn.ready();
    expect(await conn.who()).toEqual(["ada-1"]);
    await evictDurableObject(objectOf("room", key), { webSockets: "close" });
    await expect.poll(() => opens).toBe(2);
    expect(await conn.who()).toEqual(["ada-2"]);
    await handle.say("over HTTP");
    expect(asked).toBe(3);
    await conn.dispose();
  });
});
