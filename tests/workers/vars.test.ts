import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { actor } from "actorstate";
import { client, objectOf, uniqueKey } from "./helpers.ts";

describe("c.vars", () => {
  it("is made by createVars when the actor comes into memory, kept while it stays, and made again after an eviction", async () => {
    const key = uniqueKey("vars");
    const handle = client.withVars.getOrCreate(key);
    const first = await handle.use();
    expect(first).toMatchObject({ hits: 1, greeting: `hello ada from withVars`, calls: 1 });
    expect(await handle.use()).toEqual({ ...first, hits: 2, calls: 2 });
    await evictDurableObject(objectOf("withVars", key));
    const woken = await handle.use();
    // Never stored: a new instance, counting from one, while the state went on.
    expect(woken.instance).not.toBe(first.instance);
    expect(woken).toMatchObject({ hits: 1, calls: 3 });
  });

  it("copies static vars for every instance: actors never share them", async () => {
    const a = client.staticVars.getOrCreate(uniqueKey("static-a"));
    const b = client.staticVars.getOrCreate(uniqueKey("static-b"));
    await a.hit("ada");
    expect(await a.hit("bob")).toEqual({ hits: 2, seen: ["ada", "bob"] });
    expect(await b.hit("cy")).toEqual({ hits: 1, seen: ["cy"] });
  });

  it("refuses an actor given both vars and createVars", () => {
    expect(() => actor({ state: {}, vars: {}, createVars: () => ({}), actions: {} })).toThrow("`vars` or `createVars`, not both");
  });
});
