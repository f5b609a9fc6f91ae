import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { client, expectActorError, objectOf, uniqueKey } from "./helpers.ts";

describe("onStateChange", () => {
  it("hears every stored change with the new state, never a change that was not stored", async () => {
    const key = uniqueKey("watched");
    const watched = client.watched.getOrCreate(key);
    await watched.increment(1);
    await watched.increment(2);
    // An action that changes nothing stores nothing.
    await watched.noop();
    expect(await watched.seen()).toEqual([1, 3]);
    // A change that cannot be stored is put back, and never heard of.
    await expectActorError(watched.tooBig(), "action/state_too_large");
    expect(await watched.seen()).toEqual([1, 3]);
    // What the hook changed was stored with the change, without calling it again.
    expect(await watched.state()).toEqual({ count: 3, heard: 2 });
    await evictDurableObject(objectOf("watched", key));
    expect(await watched.state()).toEqual({ count: 3, heard: 2 });
  });
});
