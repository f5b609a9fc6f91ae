// The chat room of the docs over a real network connection: typed params and events,
// connection state, broadcasts that leave the sender out, against wrangler dev.
import { describe, expect, inject, it } from "vitest";
import { ActorError, createClient } from "actorstate/client";
import type { registry } from "../workers/fixtures/actors.ts";

const endpoint = inject("endpoint");
const unique = (label: string) => `${label}-${crypto.randomUUID()}`;

for (const encoding of ["json", "cbor"] as const) {
  describe(`a chat room over WebSockets (${encoding})`, () => {
    const client = createClient<typeof registry>({ endpoint, encoding });

    it("keeps each connection's state, and leaves the sender out of its own broadcasts", async () => {
      const key = unique("chat");
      const ada = client.chat.getOrCreate(key).connect({ name: "ada", token: "letmein" });
      const bob = client.chat.getOrCreate(key, { params: { name: "bob", token: "letmein" } }).connect();
      await Promise.all([ada.ready(), bob.ready()]);
      const adaTyping: string[] = [];
      const bobTyping: string[] = [];
      const bobMessages: string[] = [];
      ada.on("typing", ({ from }) => adaTyping.push(from));
      bob.on("typing", ({ from }) => bobTyping.push(from));
      bob.on("message", ({ from, text }) => bobMessages.push(`${from}: ${text}`));
      // Subscriptions travel with the next frames: a round trip makes sure they arrived.
      await Promise.all([ada.me(), bob.me()]);

      await ada.typing();
      expect(await ada.post("hello")).toBe(1);
      await bob.post("hi ada");
      await Promise.all([ada.me(), bob.me()]);
      expect(adaTyping).toEqual([]);
      expect(bobTyping).toEqual(["ada"]);
      expect(bobMessages).toEqual(["ada: hello", "bob: hi ada"]);
      // Over HTTP too, onBeforeConnect wants the token.
      expect(await client.chat.get(key, { params: { name: "carol", token: "letmein" } }).roster()).toEqual(["ada:1", "bob:1"]);
      expect((await bob.me())?.state).toEqual({ name: "bob", sent: 1 });
      await Promise.all([ada.dispose(), bob.dispose()]);
    });

    it("refuses a connection without the right token with auth/forbidden", async () => {
      const conn = client.chat.getOrCreate(unique("refused")).connect({ name: "eve", token: "guess" });
      const error = await conn.ready().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ActorError);
      expect((error as ActorError).fullCode).toBe("auth/forbidden");
    });
  });
}
