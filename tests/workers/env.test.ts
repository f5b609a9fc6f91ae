// c.env: the Worker's env, in actions and every hook.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { client, eventually, ORIGIN, publicClient, uniqueKey } from "./helpers.ts";

describe("c.env", () => {
  it("reaches createState, onCreate, onWake, the connection hooks, onRequest and onDestroy", async () => {
    const key = uniqueKey("env");
    const reader = client.envReader.getOrCreate(key);
    expect(await reader.seen()).toEqual(["createState:hello from env", "onCreate:hello from env", "onWake:hello from env"]);
    const conn = publicClient().envReader.getOrCreate(key).connect();
    await conn.ready();
    await conn.dispose();
    const segment = Buffer.from(JSON.stringify([key])).toString("base64url");
    expect(await (await SELF.fetch(`${ORIGIN}/v1/actors/envReader/key/${segment}/request`)).text()).toBe("hello from env");
    await eventually(async () =>
      expect((await reader.seen()).slice(3)).toEqual([
        "onBeforeConnect:hello from env",
        "onConnect:hello from env",
        "onDisconnect:hello from env",
        "onBeforeConnect:hello from env",
        "onRequest:hello from env",
      ]),
    );
    await reader.destroy();
    expect(await client.recorder.getOrCreate(["hooks", key]).events()).toEqual(["onDestroy:hello from env"]);
  });

  it("holds the Worker's bindings: an actor reaches another through c.env.ACTORS", async () => {
    const key = uniqueKey("binding");
    await client.recorder.getOrCreate(key).record("via env");
    expect(await client.envReader.getOrCreate(uniqueKey("reader")).viaBinding(key)).toEqual(["via env"]);
  });
});
