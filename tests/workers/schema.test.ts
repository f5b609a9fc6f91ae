import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { readRecord } from "../../runtime/storage/actor-record.ts";
import { encodeValue } from "../../runtime/codec.ts";
import { readStateValue } from "../../runtime/storage/actor-state.ts";
import { listSchedules } from "../../runtime/storage/schedules.ts";
import { actorSchema, migrate } from "../../runtime/storage/schema.ts";
import { client, expectActorError, objectOf, uniqueKey } from "./helpers.ts";

/** The schema objects of a storage, whitespace aside. */
function schemaOf(storage: DurableObjectStorage): string[] {
  return storage.sql
    .exec<{ type: string; name: string; sql: string | null }>("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'")
    .toArray()
    .map((row) => `${row.type} ${row.name} ${(row.sql ?? "").replace(/\s+/g, " ")}`)
    .sort();
}

const scratch = () => env.ACTORS.get(env.ACTORS.idFromName(`schema-${crypto.randomUUID()}`));

describe("the storage schema", () => {
  it("creates for a new object exactly what every migration in turn builds", async () => {
    const stepwise = await runInDurableObject(scratch(), (_, state) => {
      migrate(state.storage, { ...actorSchema, latest: undefined });
      return schemaOf(state.storage);
    });
    const latest = await runInDurableObject(scratch(), (_, state) => {
      migrate(state.storage);
      return schemaOf(state.storage);
    });
    expect(latest).toEqual(stepwise);
    expect(latest.some((entry) => entry.startsWith("table actorstate_actor "))).toBe(true);
  });

  it("keeps the schedules made before cron existed as one-off schedules", async () => {
    const listed = await runInDurableObject(scratch(), (_, state) => {
      migrate(state.storage, { ...actorSchema, migrations: actorSchema.migrations.slice(0, 3), latest: undefined });
      state.storage.sql.exec(
        "INSERT INTO actorstate_schedule (id, generation, run_at, action, args, created_at) VALUES ('before-cron', 0, 5, 'fire', ?, 0)",
        new Uint8Array([0x81, 0x63, 0x6f, 0x6c, 0x64]).buffer,
      );
      migrate(state.storage);
      return listSchedules(state.storage, 0);
    });
    expect(listed).toEqual([{ id: "before-cron", runAt: 5, action: "fire", args: ["old"] }]);
  });

  it("keeps a state stored whole by schema 6, now in parts: one per top-level key", async () => {
    const converted = await runInDurableObject(scratch(), (_, state) => {
      migrate(state.storage, { ...actorSchema, migrations: actorSchema.migrations.slice(0, 6), latest: undefined });
      state.storage.sql.exec("INSERT INTO actorstate_state (id, generation, value) VALUES (0, 2, ?)", encodeValue({ count: 5, items: ["a"] }).slice().buffer);
      migrate(state.storage);
      return {
        state: readStateValue(state.storage, 2),
        parts: state.storage.sql.exec<{ part: string }>("SELECT part FROM actorstate_state_part WHERE generation = 2 ORDER BY part").toArray().map((row) => row.part),
        oldTable: state.storage.sql.exec("SELECT count(*) AS n FROM sqlite_master WHERE name = 'actorstate_state'").one().n,
      };
    });
    expect(converted).toEqual({ state: { count: 5, items: ["a"] }, parts: ["", ".count", ".items"], oldTable: 0 });
  });

  it("keeps the parts schema 7 stored, in a table with rowids (fast beside a large part)", async () => {
    const moved = await runInDurableObject(scratch(), (_, state) => {
      migrate(state.storage, { ...actorSchema, migrations: actorSchema.migrations.slice(0, 7), latest: undefined });
      const table = () => state.storage.sql.exec<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'actorstate_state_part'").one().sql;
      const before = table();
      state.storage.sql.exec("INSERT INTO actorstate_state_part (part, generation, value) VALUES ('', 3, ?)", encodeValue({ keys: ["count"] }).slice().buffer);
      state.storage.sql.exec("INSERT INTO actorstate_state_part (part, generation, value) VALUES ('.count', 3, ?)", encodeValue(9).slice().buffer);
      migrate(state.storage);
      return { before: before.includes("WITHOUT ROWID"), after: table().includes("WITHOUT ROWID"), state: readStateValue(state.storage, 3) };
    });
    expect(moved).toEqual({ before: true, after: false, state: { count: 9 } });
  });

  it("carries a destroy that schema 2 left unfinished into the stored lifecycle, and finishes it", async () => {
    const key = uniqueKey("legacy");
    await runInDurableObject(objectOf("counter", key), (_, state) => {
      migrate(state.storage, { ...actorSchema, migrations: actorSchema.migrations.slice(0, 2), latest: undefined });
      state.storage.sql.exec(
        "INSERT INTO actorstate_meta (id, name, key, generation, lifecycle, destroyed, created_at, updated_at) VALUES (0, 'counter', ?, 3, 'destroying', 0, 1, 1)",
        JSON.stringify([key]),
      );
      state.storage.sql.exec("INSERT INTO actorstate_state (id, generation, value) VALUES (0, 3, ?)", new Uint8Array([0xa1, 0x65, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x05]).buffer);
    });
    const record = await runInDurableObject(objectOf("counter", key), (_, state) => {
      const converted = readRecord(state.storage);
      const resumeAt = state.storage.sql.exec<{ at: number | null }>("SELECT resume_at AS at FROM actorstate_actor").one().at;
      return { converted, resumeAt };
    });
    expect(record.converted).toEqual({ name: "counter", key: [key], lifecycle: { state: "destroying", generation: 3, request: null, pendingDestroy: false, attempts: 0 } });
    expect(record.resumeAt).not.toBeNull();
    await expectActorError(client.counter.get(key).get(), "actor/not_found");
    expect(await runInDurableObject(objectOf("counter", key), (_, state) => readRecord(state.storage)?.lifecycle.state)).toBe("destroyed");
  });
});
