// maxIncomingMessageSize and maxOutgoingMessageSize: a message past either is refused with a
// named error, never half-sent, over HTTP and over connections.
import { describe, expect, it } from "vitest";
import type { ActorError } from "actorstate/client";
import { client, expectActorError, publicClient, uniqueKey } from "./helpers.ts";

describe("message limits", () => {
  for (const encoding of ["json", "cbor"] as const) {
    const outside = publicClient({ encoding });

    it(`refuses a call past maxIncomingMessageSize over HTTP (${encoding}), running nothing`, async () => {
      const postbox = outside.postbox.getOrCreate(uniqueKey("in-http"));
      expect(await postbox.post("a short letter")).toBe(1);
      await expectActorError(postbox.post("x".repeat(2000)), "request/too_large");
      expect(await postbox.letters()).toBe(1);
    });

    it(`replaces a reply past maxOutgoingMessageSize over HTTP (${encoding}) with action/message_too_large; the action's work stands`, async () => {
      const postbox = outside.postbox.getOrCreate(uniqueKey("out-http"));
      expect(await postbox.read(100)).toHaveLength(100);
      const error = await expectActorError(postbox.read(3000), "action/message_too_large");
      expect(error.metadata).toEqual({ limit: 2048 });
      expect(await postbox.letters()).toBe(2);
    });
  }

  it("refuses frames and replies past the limits over a connection", async () => {
    const key = uniqueKey("conn");
    const conn = publicClient().postbox.getOrCreate(key).connect();
    await conn.ready();
    await expectActorError(conn.read(3000), "action/message_too_large");
    expect(await conn.read(10)).toBe("x".repeat(10));
    const errors: ActorError[] = [];
    conn.onError((error) => errors.push(error));
    // A frame past 1 KiB ends the connection as a protocol violation.
    const refused = conn.post("x".repeat(2000));
    await expectActorError(refused, "request/too_large");
    expect(errors.map((error) => error.fullCode)).toContain("request/too_large");
    expect(await client.postbox.get(key).letters()).toBe(2);
    await conn.dispose();
  });

  it("sends no event past the limit to anyone, and c.broadcast and conn.send throw", async () => {
    const key = uniqueKey("events");
    // (Connections from outside speak JSON here: workerd's test WebSocket cannot take CBOR's binary frames.)
    const listeners = [publicClient(), publicClient()].map((outside) => outside.postbox.getOrCreate(key).connect());
    const heard: number[] = [];
    for (const conn of listeners) conn.on("shout", (text: string) => heard.push(text.length));
    await Promise.all(listeners.map((conn) => conn.ready()));
    await expectActorError(client.postbox.get(key).shout(3000), "action/message_too_large");
    await expectActorError(listeners[0]!.whisper(3000), "action/message_too_large");
    expect(await listeners[0]!.whisper(5)).toBe("sent");
    expect(await client.postbox.get(key).shout(7)).toBe("sent");
    await expect.poll(() => heard.sort()).toEqual([5, 7, 7]);
    await Promise.all(listeners.map((conn) => conn.dispose()));
  });

  it("puts no limit on calls from inside the Worker", async () => {
    const postbox = client.postbox.getOrCreate(uniqueKey("inside"));
    expect(await postbox.post("x".repeat(5000))).toBe(1);
    expect(await postbox.read(5000)).toHaveLength(5000);
  });
});
