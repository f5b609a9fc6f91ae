import { env, runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { objectNameFor } from "../../runtime/identity.ts";
import type { DirectoryEntry } from "../../runtime/types/directory.ts";
import {
  DIRECTORY_SHARDS,
  importLegacyDirectory,
  legacyShardStub,
  listDirectory,
  listEveryType,
  shardOf,
  shardStub,
  type DirectoryRequest,
} from "../../runtime/directory/routing.ts";
import { directorySchema, legacyDirectorySchema } from "../../runtime/directory/shard.ts";
import type { ActorNamespace } from "../../runtime/platform.ts";
import { encodeValue, toBlob } from "../../runtime/codec.ts";
import { migrate } from "../../runtime/storage/schema.ts";
import { client, objectOf, uniqueKey } from "./helpers.ts";

/**
 * Make the directory shard of an actor fail every update (its table is moved away, so writes
 * fail); the function returned puts it back.
 */
async function breakShard(name: string, key: string): Promise<() => Promise<void>> {
  const doId = env.ACTORS.idFromName(objectNameFor(name, [key])).toString();
  const shard = shardStub(env.ACTORS, shardOf(doId)) as unknown as DurableObjectStub;
  await runInDurableObject(shard, (_, state) => {
    migrate(state.storage, directorySchema);
    state.storage.sql.exec("ALTER TABLE actorstate_directory_v2 RENAME TO actorstate_directory_away");
  });
  return () => runInDurableObject(shard, (_, state) => void state.storage.sql.exec("ALTER TABLE actorstate_directory_away RENAME TO actorstate_directory_v2"));
}

/**
 * The namespace, counting the directory calls made through it, and the waves they came in
 * (a wave: calls that started while another of it was under way).
 */
function counted(): { namespace: ActorNamespace; calls: () => number; waves: () => number; reset: () => void } {
  let calls = 0;
  let waves = 0;
  let inFlight = 0;
  const namespace: ActorNamespace = {
    idFromName: (name) => env.ACTORS.idFromName(name),
    idFromString: (id) => env.ACTORS.idFromString(id),
    get: (id) => {
      const stub = env.ACTORS.get(id) as unknown as { directory(request: DirectoryRequest): Promise<DirectoryEntry[] | null> };
      return {
        directory: async (request: DirectoryRequest) => {
          calls += 1;
          if (inFlight++ === 0) waves += 1;
          try {
            return await stub.directory(request);
          } finally {
            inFlight -= 1;
          }
        },
      };
    },
  };
  return { namespace, calls: () => calls, waves: () => waves, reset: () => void (calls = waves = 0) };
}

/** A directory entry of `name`/`key` at `version`, for the actor's real object id. */
function entryOf(name: string, key: string, options: { lifecycle?: "running" | "destroyed"; version?: number; generation?: number } = {}): DirectoryEntry {
  const doId = env.ACTORS.idFromName(objectNameFor(name, [key])).toString();
  const generation = options.generation ?? 0;
  return {
    name,
    key: [key],
    actorId: `${doId}:${generation}`,
    generation,
    lifecycle: options.lifecycle ?? "running",
    last: { from: "creating", to: options.lifecycle ?? "running", event: "xstate.done.actor.create", at: 1, ok: true },
    version: options.version ?? 2,
  };
}

/** Deliver entries to their shards as actors do (one upsert per entry). */
async function deliver(entries: DirectoryEntry[]): Promise<void> {
  await Promise.all(entries.map((entry) => shardStub(env.ACTORS, shardOf(entry.actorId)).directory({ op: "upsert", entry })));
}

/** Every page of every listed type, `limit` at a time, with the shard calls each page took. */
async function everyType(namespace: ActorNamespace, calls: () => number, options: { types: string[]; lifecycle?: "running" | "destroyed"; limit?: number }) {
  const all: DirectoryEntry[] = [];
  const callsPerPage: number[] = [];
  let cursor: string | undefined;
  do {
    const before = calls();
    const page = await listEveryType(namespace, { ...options, ...(cursor ? { cursor } : {}) });
    callsPerPage.push(calls() - before);
    all.push(...page.actors);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return { all, callsPerPage };
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

describe("the directory every type shares", () => {
  it("lists 2 actors among 150 types in one pass over the shards, as many calls as for one type", async () => {
    const run = uniqueKey("many");
    const types = Array.from({ length: 150 }, (_, i) => `${run}-type-${i}`);
    const mine = [entryOf(types[17] as string, "a"), entryOf(types[123] as string, "b")];
    await deliver(mine);
    const { namespace, calls, waves, reset } = counted();

    const all = await listEveryType(namespace, { types, limit: 1000 });
    expect(all.actors.map((entry) => entry.name).sort()).toEqual([types[17], types[123]].sort());
    expect(all.cursor).toBeNull();
    // One call per shard (the per-type fan-out this replaces made 150 × 16), in two waves:
    // the first shard, nearly empty, and then every other shard at once.
    expect(calls()).toBe(DIRECTORY_SHARDS);
    expect(waves()).toBe(2);

    reset();
    const one = await listEveryType(namespace, { types: [types[17] as string], limit: 1000 });
    expect(one.actors.map((entry) => entry.key)).toEqual([["a"]]);
    expect(calls()).toBe(DIRECTORY_SHARDS);

    // One type's list is a range over the same shards: the same number of calls.
    reset();
    const typed = await listDirectory(namespace, types[123] as string, { limit: 1000 });
    expect(typed.actors.map((entry) => entry.key)).toEqual([["b"]]);
    expect(calls()).toBe(DIRECTORY_SHARDS);
  });

  it("pages across types by (shard, type, key) without repeats or gaps, filtered by lifecycle", async () => {
    const run = uniqueKey("across");
    const types = Array.from({ length: 30 }, (_, i) => `${run}-t${String(i).padStart(2, "0")}`);
    const entries = types.flatMap((type, i) => [
      entryOf(type, "one"),
      entryOf(type, "two", { lifecycle: i % 3 === 0 ? "destroyed" : "running" }),
    ]);
    await deliver(entries);
    const { namespace, calls } = counted();
    const ids = (list: DirectoryEntry[]) => list.map((entry) => entry.actorId).sort();

    const paged = await everyType(namespace, calls, { types, limit: 7 });
    expect(ids(paged.all)).toEqual(ids(entries));
    // A page asks each shard at most once; other types' entries (of other tests here) take
    // no calls of their own.
    expect(Math.max(...paged.callsPerPage)).toBeLessThanOrEqual(DIRECTORY_SHARDS);

    const destroyed = await everyType(namespace, calls, { types, lifecycle: "destroyed", limit: 3 });
    expect(ids(destroyed.all)).toEqual(ids(entries.filter((entry) => entry.lifecycle === "destroyed")));

    // Types not asked for (say, no longer registered) are left out, however they fall.
    const some = await everyType(namespace, calls, { types: types.slice(0, 4), limit: 5 });
    expect(ids(some.all)).toEqual(ids(entries.filter((entry) => types.slice(0, 4).includes(entry.name))));
  });

  it("keeps the newest version of an entry whatever order updates arrive in, one at a time or in a batch", async () => {
    const name = uniqueKey("versions");
    const newer = { ...entryOf(name, "k", { version: 8, generation: 1 }), lifecycle: "running" as const };
    const older = entryOf(name, "k", { version: 5, lifecycle: "destroyed" });
    const shard = shardStub(env.ACTORS, shardOf(newer.actorId));
    await shard.directory({ op: "upsert", entry: newer });
    await shard.directory({ op: "upsert", entry: older });
    await shard.directory({ op: "upsert", entry: [older, { ...older, version: 7 }] });
    const listed = await listDirectory(env.ACTORS, name);
    expect(listed.actors).toHaveLength(1);
    expect(listed.actors[0]).toMatchObject({ version: 8, generation: 1, lifecycle: "running" });
    await shard.directory({ op: "upsert", entry: [{ ...newer, version: 9, lifecycle: "destroyed" }] });
    expect((await listDirectory(env.ACTORS, name, { lifecycle: "destroyed" })).actors).toMatchObject([{ version: 9 }]);
  });

  it("takes a cursor only from the same kind of list", async () => {
    const name = uniqueKey("kinds");
    await deliver([entryOf(name, "a"), entryOf(name, "b"), entryOf(name, "c")]);
    const typed = await listDirectory(env.ACTORS, name, { limit: 1 });
    const every = await listEveryType(env.ACTORS, { types: [name], limit: 1 });
    expect(typed.cursor).not.toBeNull();
    expect(every.cursor).not.toBeNull();
    await expect(listEveryType(env.ACTORS, { cursor: typed.cursor as string })).rejects.toMatchObject({ group: "request", code: "invalid" });
    await expect(listDirectory(env.ACTORS, name, { cursor: every.cursor as string })).rejects.toMatchObject({ group: "request", code: "invalid" });
  });

  // It brings up 16 old shard objects and the 16 shared ones over 30 requests: about 2 s on
  // an idle machine, too close to the default 5 s under a loaded CI.
  it("imports entries from the per-type shards of older versions, never over a newer delivery, resumably", async () => {
    // A registered type, so that the inspector's import (of every registered type) takes it.
    const name = "ledger";
    const run = uniqueKey("legacy");
    const old = Array.from({ length: 12 }, (_, i) => entryOf(name, `${run}-${i}`, { version: 4 }));
    const moved = old[3] as DirectoryEntry;
    const mine = async () => (await everything("ledger")).filter((entry) => (entry.key[0] as string).startsWith(run));
    // What an older actorstate left: entries in the 16 shard objects of this type.
    for (const entry of old) {
      await runInDurableObject(legacyShardStub(env.ACTORS, name, shardOf(entry.actorId)) as unknown as DurableObjectStub, (_, state) => {
        migrate(state.storage, legacyDirectorySchema);
        state.storage.sql.exec(
          "INSERT INTO actorstate_directory (actor, key, lifecycle, version, entry) VALUES (?, ?, ?, ?, ?)",
          entry.actorId.slice(0, entry.actorId.lastIndexOf(":")),
          JSON.stringify(entry.key),
          entry.lifecycle,
          entry.version,
          toBlob(encodeValue(entry)),
        );
      });
    }
    // One actor has reported since the upgrade: its newer entry must survive the import.
    await deliver([{ ...moved, lifecycle: "destroyed", version: 6 }]);
    expect(await mine()).toHaveLength(1);

    // Through the inspector: a bounded step per request, repeated with the cursor.
    let cursor: string | null = null;
    let imported = 0;
    do {
      const response: Response = await SELF.fetch(`http://127.0.0.1/__actorstate/api/directory/import${cursor ? `?cursor=${cursor}` : ""}`, {
        method: "POST",
        headers: { Authorization: "Bearer test-token" },
      });
      expect(response.status).toBe(200);
      const step = (await response.json()) as { imported: number; cursor: string | null };
      imported += step.imported;
      cursor = step.cursor;
    } while (cursor);
    expect(imported).toBeGreaterThanOrEqual(old.length);
    const listed = await mine();
    expect(listed.map((entry) => entry.actorId).sort()).toEqual(old.map((entry) => entry.actorId).sort());
    expect(listed.find((entry) => entry.actorId === moved.actorId)).toMatchObject({ lifecycle: "destroyed", version: 6 });

    // Again, two reads a step: the cursor carries it through every shard, and nothing changes.
    const names = [uniqueKey("legacy-empty"), name];
    let step = await importLegacyDirectory(env.ACTORS, names, { reads: 2 });
    let steps = 1;
    while (step.cursor) {
      step = await importLegacyDirectory(env.ACTORS, names, { cursor: step.cursor, reads: 2 });
      steps += 1;
    }
    expect(steps).toBe(DIRECTORY_SHARDS);
    expect(await mine()).toEqual(listed);
    await expect(importLegacyDirectory(env.ACTORS, names, { cursor: "bogus" })).rejects.toMatchObject({ group: "request", code: "invalid" });
    const get = await SELF.fetch("http://127.0.0.1/__actorstate/api/directory/import", { headers: { Authorization: "Bearer test-token" } });
    expect(get.status).toBe(400);
  }, 20_000);
});
