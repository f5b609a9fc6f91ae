import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { deleteRangeQuery, listQuery } from "../../runtime/storage/kv.ts";
import { client, expectActorError, objectOf, uniqueKey } from "./helpers.ts";

function store() {
  const key = uniqueKey("kv");
  return { key, kv: client.store.getOrCreate(key) };
}

describe("c.kv", () => {
  it("stores and returns plain data of every kind", async () => {
    const { kv } = store();
    const value = { text: "héllo", n: -1.5, yes: true, none: null, bytes: new Uint8Array([0, 255]), when: new Date(1_700_000_000_000), list: [1, [2, { three: 3 }]] };
    await kv.put("a", value);
    expect(await kv.get("a")).toEqual(value);
    expect(await kv.get("missing")).toBeUndefined();
    expect(await kv.delete("a")).toBe(true);
    expect(await kv.delete("a")).toBe(false);
    expect(await kv.get("a")).toBeUndefined();
  });

  it("writes, reads and deletes batches larger than SQLite's 100-parameter limit", async () => {
    const { kv } = store();
    const entries = Array.from({ length: 250 }, (_, i) => [`item:${String(i).padStart(3, "0")}`, i] as [string, number]);
    await kv.putMany(entries);
    const keys = [...entries.map(([key]) => key).slice(0, 150), "item:nope"];
    const values = await kv.getMany(keys);
    expect(values.slice(0, 150)).toEqual(entries.slice(0, 150).map(([, value]) => value));
    expect(values[150]).toBeUndefined();
    expect(await kv.deleteMany([...keys, "item:nope-again"])).toBe(150);
    expect((await kv.list({ prefix: "item:" })).length).toBe(100);
  });

  it("lists by prefix in key order, with reverse and limit", async () => {
    const { kv } = store();
    await kv.putMany([["user:b", 2], ["user:a", 1], ["user:c", 3], ["users", 0], ["use", 9], ["user;", 4]]);
    expect(await kv.list({ prefix: "user:" })).toEqual([["user:a", 1], ["user:b", 2], ["user:c", 3]]);
    expect(await kv.list({ prefix: "user:", reverse: true, limit: 2 })).toEqual([["user:c", 3], ["user:b", 2]]);
    expect(await kv.list({ prefix: "user:", limit: 0 })).toEqual([]);
    expect((await kv.list({})).map(([key]) => key)).toEqual(["use", "user:a", "user:b", "user:c", "user;", "users"]);
  });

  it("lists a start/end range: start included, end excluded", async () => {
    const { kv } = store();
    await kv.putMany(["a", "b", "c", "d"].map((key) => [key, key] as [string, string]));
    expect((await kv.list({ start: "b", end: "d" })).map(([key]) => key)).toEqual(["b", "c"]);
    expect((await kv.list({ start: "c" })).map(([key]) => key)).toEqual(["c", "d"]);
    expect((await kv.list({ end: "b", reverse: true })).map(([key]) => key)).toEqual(["a"]);
  });

  it("handles prefixes that end in 0xFF bytes", async () => {
    const { kv } = store();
    for (const key of [[0x61], [0x61, 0xff], [0x61, 0xff, 0x00], [0x61, 0xff, 0xff, 0x01], [0x62], [0xff], [0xff, 0xff, 0x02]]) {
      await kv.putBytes(key, key.length);
    }
    expect((await kv.listBytes([0x61, 0xff])).map(([key]) => key)).toEqual([[0x61, 0xff], [0x61, 0xff, 0x00], [0x61, 0xff, 0xff, 0x01]]);
    expect((await kv.listBytes([0xff, 0xff])).map(([key]) => key)).toEqual([[0xff, 0xff, 0x02]]);
    expect((await kv.listBytes([0xff], { reverse: true, limit: 1 })).map(([key]) => key)).toEqual([[0xff, 0xff, 0x02]]);
  });

  it("reads a prefix as a range search on the primary key, never a scan", async () => {
    const { key, kv } = store();
    await kv.put("x", 1);
    // The statements c.kv.list() itself builds, forwards and backwards.
    const plans = await runInDurableObject(objectOf("store", key), (_, state) =>
      [listQuery({ prefix: "user:", limit: 10 }), listQuery({ prefix: "user:", reverse: true })].map(({ sql, parameters }) =>
        state.storage.sql
          .exec(`EXPLAIN QUERY PLAN ${sql}`, ...parameters)
          .toArray()
          .map((row) => String(row.detail))
          .join(" | "),
      ),
    );
    for (const plan of plans) {
      expect(plan).toMatch(/SEARCH actorstate_kv USING PRIMARY KEY \(key>\? AND key<\?\)/);
      expect(plan).not.toMatch(/SCAN|TEMP B-TREE/);
    }
  });

  it("deletes a range by prefix or by start and end, as list reads it, and says how many keys went", async () => {
    const { kv } = store();
    await kv.putMany([["user:a", 1], ["user:b", 2], ["users", 0], ["a", 0], ["b", 0], ["c", 0], ["d", 0]]);
    expect(await kv.deleteRange({ prefix: "user:" })).toBe(2);
    expect((await kv.list({ prefix: "user" })).map(([key]) => key)).toEqual(["users"]);
    expect(await kv.deleteRange({ start: "b", end: "d" })).toBe(2);
    expect((await kv.list({})).map(([key]) => key)).toEqual(["a", "d", "users"]);
    expect(await kv.deleteRange({ prefix: "nothing:" })).toBe(0);
    // A programming error in the action: internal, its message in the log (and shown with the local opt-in).
    await expectActorError(kv.deleteRange({ prefix: "a", start: "a" }), "internal/error");
    expect((await kv.list({})).length).toBe(3);
    expect(await kv.deleteRange({})).toBe(3);
    expect(await kv.list({})).toEqual([]);
  });

  it("deletes a prefix as a range on the primary key, never a scan", async () => {
    const { key, kv } = store();
    await kv.put("x", 1);
    const plan = await runInDurableObject(objectOf("store", key), (_, state) => {
      const { sql, parameters } = deleteRangeQuery({ prefix: "user:" });
      return state.storage.sql.exec(`EXPLAIN QUERY PLAN ${sql}`, ...parameters).toArray().map((row) => String(row.detail)).join(" | ");
    });
    expect(plan).toMatch(/SEARCH actorstate_kv USING PRIMARY KEY \(key>\? AND key<\?\)/);
    expect(plan).not.toMatch(/SCAN/);
  });
});
