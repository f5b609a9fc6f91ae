// The actor's own SQL tables (`c.sql`): everything in the object's SQLite that is not the
// library's (`actorstate_…`), Cloudflare's (`_cf_…`) or SQLite's (`sqlite_…`).
import { ActorError } from "../errors.ts";
import type { ActorSql, SqlCursor, SqlValue } from "../types/sql.ts";

/** A name the library's tables and indexes begin with, anywhere in a query (quoted, qualified or bare). */
const RESERVED = /(?:^|[^\w$])actorstate_/i;

/**
 * `c.sql` over `storage`: `guard` runs before every statement (it throws once the code's
 * generation or lease no longer reaches the actor).
 */
export function actorSql(storage: DurableObjectStorage, guard: () => void): ActorSql {
  return {
    exec<T extends Record<string, SqlValue>>(query: string, ...bindings: SqlValue[]): SqlCursor<T> {
      guard();
      if (RESERVED.test(query)) {
        throw new ActorError("action/reserved_table", "Names beginning with actorstate_ are the library's own tables; c.sql cannot reach them. Name yours otherwise.");
      }
      return storage.sql.exec<T>(query, ...bindings) as unknown as SqlCursor<T>;
    },
  };
}

/** The user's objects in `sqlite_master`: triggers and views first, so tables drop without them. */
function userObjects(storage: DurableObjectStorage): Array<{ type: string; name: string }> {
  return storage.sql
    .exec<{ type: string; name: string }>(
      `SELECT type, name FROM sqlite_master
       WHERE type IN ('table', 'view', 'trigger')
         AND name NOT LIKE 'actorstate\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
       ORDER BY CASE type WHEN 'trigger' THEN 0 WHEN 'view' THEN 1 ELSE 2 END`,
    )
    .toArray();
}

/**
 * Drop every table, view and trigger the actor made with `c.sql`: part of every wipe. A
 * table another references (a foreign key) may refuse to go first, and a virtual table's
 * own tables go with it: so it goes round until nothing is left.
 */
export function dropUserTables(storage: DurableObjectStorage): void {
  for (let objects = userObjects(storage); objects.length; ) {
    let failure: unknown;
    for (const { type, name } of objects) {
      try {
        storage.sql.exec(`DROP ${type.toUpperCase()} IF EXISTS "${name.replaceAll('"', '""')}"`);
      } catch (error) {
        failure = error;
      }
    }
    const left = userObjects(storage);
    // No progress: what is left cannot go (and says why), or is not ours to drop.
    if (left.length >= objects.length) {
      if (failure) throw failure;
      return;
    }
    objects = left;
  }
}
