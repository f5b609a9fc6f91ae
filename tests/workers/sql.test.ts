// c.sql: the actor's own tables in its object's SQLite — saved with the state, dropped by a
// destroy, and the library's own tables out of reach.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { client, expectActorError, objectOf, publicClient, uniqueKey } from "./helpers.ts";

/** The tables, views and triggers of an actor's object that are not actorstate's or Cloudflare's. */
async function userObjects(key: string): Promise<string[]> {
  return runInDurableObject(objectOf("notebook", key), (_, state) =>
    state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger') AND name NOT LIKE 'actorstate%' AND name NOT LIKE '\\_cf%' ESCAPE '\\' ORDER BY name")
      .toArray()
      .map((row) => row.name),
  );
}

describe("c.sql", () => {
  it("keeps the actor's own tables beside its state, across evictions, migrated once", async () => {
    const key = uniqueKey("notes");
    const notebook = client.notebook.getOrCreate(key);
    expect(await notebook.add("milk")).toBe(1);
    expect(await notebook.addLater("eggs")).toBe(2);
    await evictDurableObject(objectOf("notebook", key));
    expect(await notebook.titles()).toEqual(["milk", "eggs"]);
    expect(await notebook.tags()).toBe(2);
    expect(await notebook.query("SELECT max(version) AS version, count(*) AS runs FROM migration")).toEqual([{ version: 5, runs: 5 }]);
    expect(await notebook.tables()).toEqual(["migration", "note", "note_tagged", "open_note", "tag"]);
  });

  it("keeps what an action wrote when it throws, as it keeps the state", async () => {
    const key = uniqueKey("throws");
    const notebook = client.notebook.getOrCreate(key);
    await expectActorError(notebook.addThenFail("kept"), "user/after_write");
    expect(await notebook.titles()).toEqual(["kept"]);
    expect(await notebook.notes()).toBe(1);
  });

  it("rolls back what an action wrote with a state that cannot be stored", async () => {
    const key = uniqueKey("rolled-back");
    const notebook = client.notebook.getOrCreate(key);
    await notebook.add("first");
    await expectActorError(notebook.addTooMuch("lost"), "action/state_too_large");
    expect(await notebook.titles()).toEqual(["first"]);
    await evictDurableObject(objectOf("notebook", key));
    expect(await notebook.titles()).toEqual(["first"]);
  });

  it("rolls back what an action wrote with its state for a call from outside too, approved first", async () => {
    const key = uniqueKey("outside");
    const notebook = publicClient().notebook.getOrCreate(key);
    await notebook.add("first");
    await expectActorError(notebook.addTooMuch("lost"), "action/state_too_large");
    expect(await notebook.titles()).toEqual(["first"]);
  });

  it("refuses the library's own tables with action/reserved_table, however they are named", async () => {
    const notebook = client.notebook.getOrCreate(uniqueKey("reserved"));
    for (const query of ["SELECT * FROM actorstate_kv", 'DELETE FROM "ACTORSTATE_STATE_PART"', "DROP TABLE main.actorstate_schedule", "SELECT * FROM [actorstate_actor]"]) {
      await expectActorError(notebook.query(query), "action/reserved_table");
    }
    expect(await notebook.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  it("drops every table, view and trigger the actor made when it is destroyed", async () => {
    const key = uniqueKey("dropped");
    const notebook = client.notebook.getOrCreate(key);
    await notebook.add("gone");
    await notebook.destroy();
    expect(await userObjects(key)).toEqual([]);
    // Brought back, it migrates again from nothing.
    expect(await notebook.titles()).toEqual([]);
    expect(await notebook.query("SELECT count(*) AS runs FROM migration")).toEqual([{ runs: 5 }]);
  });
});
