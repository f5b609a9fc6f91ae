import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { objectNameFor } from "../../runtime/identity.ts";
import { listDirectory, shardOf, shardStub } from "../../runtime/directory/routing.ts";
import { directorySchema } from "../../runtime/directory/shard.ts";
import { migrate } from "../../runtime/storage/schema.ts";
import { client, objectOf, uniqueKey } from "./helpers.ts";

/**
 * Make the directory shard of an actor fail every update (its table is moved away, so writes
 * fail); the function returned puts it back.
 */
async function breakShard(name: string, key: string): Promise<() => Promise<void>> {
  const doId = env.ACTORS.idFromName(objectNameFor(name, [key])).toString();
  const shard = shardStub(env.ACTORS, name, shardOf(doId)) as unknown as DurableObjectStub;
  await runInDurableObject(shard, (_, state) => {
    migrate(state.storage, directorySchema);
    state.storage.sql.exec("ALTER TABLE actorstate_directory RENAME TO actorstate_directory_away");
  });
  return () => runInDurableObject(shard, (_, state) => void state.storage.sql.exec("ALTER TABLE actorstate_directory_away RENAME TO actorstate_directory"));
}

/** Every entry of a type, all pages, `limit` at a time. */
async function everything(name: "ledger" | "timer" | "indexed", options: { lifecycle?: "running" | "destroyed"; limit?: number } = {}) {
  const all = [];
  let cursor: string | undefined;
  do {
    const page = await client[name].list({ ...options, ...(cursor ? { cursor } : {}) });
    all.push(...page.actors);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return all;
}

describe("the actor directory", () => {
  it("lists actors as they are created, destroyed and brought back", async () => {
    const keys = [uniqueKey("dir-a"), uniqueKey("dir-b"), uniqueKey("dir-c")];
    for (const key of keys) await client.ledger.getOrCreate(key).read();
    await client.ledger.get(keys[1]).destroy();
    // Delivery follows the change (the caller does not wait for it): wait for the listing.
    const mine = () => everything("ledger").then((all) => all.filter((entry) => keys.includes(entry.key[0] as string)));
    await vi.waitFor(async () =>
      expect((await mine()).map((entry) => [entry.key[0], entry.lifecycle, entry.generation]).sort()).toEqual(
        [[keys[0], "running", 0], [keys[1], "destroyed", 0], [keys[2], "running", 0]].sort(),
      ),
    );
    const destroyed = (await mine()).find((entry) => entry.key[0] === keys[1]);
    expect(destroyed?.last).toMatchObject({ to: "destroyed", event: "xstate.done.actor.teardown", ok: true });

    await client.ledger.getOrCreate(keys[1]).read();
    await vi.waitFor(async () => expect((await mine()).find((entry) => entry.key[0] === keys[1])).toMatchObject({ lifecycle: "running", generation: 1 }));
    const back = (await mine()).find((entry) => entry.key[0] === keys[1]);
    expect(back?.actorId).toBe(await client.ledger.get(keys[1]).resolve());
  });

  it("filters by lifecycle and pages without repeats or gaps", async () => {
    const keys = Array.from({ length: 7 }, (_, i) => uniqueKey(`page-${i}`));
    for (const key of keys) await client.timer.getOrCreate(key).fired();
    for (const key of keys.slice(0, 3)) await client.timer.get(key).destroy();
    await vi.waitFor(async () =>
      expect((await everything("timer", { lifecycle: "destroyed" })).filter((entry) => keys.includes(entry.key[0] as string)).length).toBe(3),
    );
    const paged = (await everything("timer", { limit: 2 })).filter((entry) => keys.includes(entry.key[0] as string));
    expect(paged.map((entry) => entry.key[0]).sort()).toEqual([...keys].sort());
    const destroyed = (await everything("timer", { lifecycle: "destroyed", limit: 2 })).filter((entry) => keys.includes(entry.key[0] as string));
    expect(destroyed.map((entry) => entry.key[0]).sort()).toEqual(keys.slice(0, 3).sort());
    expect(destroyed.every((entry) => entry.lifecycle === "destroyed")).toBe(true);
  });

  it("ends a page early once its encoded size passes the byte budget, and pages on from there", async () => {
    // Keys near the 1 KiB limit make entries of over 1 KB each.
    const run = uniqueKey("big-entry");
    const keys = Array.from({ length: 5 }, (_, i) => [run, String(i), ...Array.from({ length: 6 }, () => "k".repeat(120))]);
    for (const key of keys) await client.recorder.getOrCreate(key).events();
    const mine = (entries: Array<{ key: string[] }>) => entries.filter((entry) => entry.key[0] === run);
    await vi.waitFor(async () => {
      const all = [];
      for (let page = await client.recorder.list({ limit: 1000 }); ; page = await client.recorder.list({ limit: 1000, cursor: page.cursor as string })) {
        all.push(...page.actors);
        if (!page.cursor) break;
      }
      expect(mine(all)).toHaveLength(keys.length);
    });
    const budget = 2000;
    const size = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listDirectory(env.ACTORS, "recorder", { limit: 1000, ...(cursor ? { cursor } : {}) }, { bytes: budget });
      // A page stops at the entry that passes the budget: everything before it fits.
      expect(page.actors.slice(0, -1).reduce((total, entry) => total + size(entry), 0)).toBeLessThanOrEqual(budget);
      seen.push(...mine(page.actors).map((entry) => entry.key[1] as string));
      cursor = page.cursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(seen.sort()).toEqual(["0", "1", "2", "3", "4"]);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it("rejects a cursor it did not give out", async () => {
    await expect(client.timer.list({ cursor: "bogus" })).rejects.toMatchObject({ group: "request", code: "invalid" });
  });

  it("delivers an update that could not reach its shard, on the actor's alarm", async () => {
    const key = uniqueKey("unavailable");
    const repair = await breakShard("indexed", key);
    await client.indexed.getOrCreate(key).touch();
    const object = objectOf("indexed", key);
    // The failed delivery follows the change; wait until it has been tried.
    await vi.waitFor(async () =>
      expect(await runInDurableObject(object, (_, state) => state.storage.sql.exec<{ n: number }>("SELECT attempts AS n FROM actorstate_directory_outbox").one().n)).toBe(1),
    );
    const pending = () =>
      runInDurableObject(object, async (_, state) => ({
        outbox: state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM actorstate_directory_outbox").one().n,
        alarm: await state.storage.getAlarm(),
      }));
    const waiting = await pending();
    expect(waiting.outbox).toBe(1);
    expect(waiting.alarm).not.toBeNull();

    // Still unavailable: the alarm keeps the update and tries again later.
    expect(await runDurableObjectAlarm(object)).toBe(true);
    expect((await pending()).outbox).toBe(1);

    await repair();
    expect(await runDurableObjectAlarm(object)).toBe(true);
    expect(await pending()).toEqual({ outbox: 0, alarm: null });
    const listed = (await everything("indexed")).find((entry) => entry.key[0] === key);
    expect(listed).toMatchObject({ lifecycle: "running", generation: 0 });
  });

  it("keeps the alarm for a pending directory update when a destroy wipes the actor", async () => {
    // The wipe clears schedules, which alone would clear the alarm; but the alarm also
    // carries the directory's retries, and an object that stops now must still deliver.
    const key = uniqueKey("wipe-alarm");
    await client.indexed.getOrCreate(key).touch();
    const repair = await breakShard("indexed", key);
    await client.indexed.get(key).destroy();
    const object = objectOf("indexed", key);
    await vi.waitFor(async () =>
      expect(await runInDurableObject(object, (_, state) => state.storage.sql.exec<{ n: number }>("SELECT attempts AS n FROM actorstate_directory_outbox").one().n)).toBe(1),
    );
    const alarm = await runInDurableObject(object, (_, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    await repair();
  });
});
