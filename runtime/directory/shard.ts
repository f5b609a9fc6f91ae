import { decodeValue, encodeValue, toBlob } from "../codec.ts";
import { hasSchema, migrate, type Schema } from "../storage/schema.ts";
import type { DirectoryEntry } from "../types/directory.ts";
import type { ShardList } from "./routing.ts";

/**
 * The schema of a directory shard object: one of the 16 shards every actor type shares.
 * Entries are ordered by (type, key, object), so listing every type is one range per shard
 * and listing one type is a range within it.
 */
export const directorySchema: Schema = {
  versionTable: "actorstate_directory_v2_schema",
  migrations: [
    [
      `CREATE TABLE actorstate_directory_v2 (
        actor TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        key TEXT NOT NULL,
        lifecycle TEXT NOT NULL,
        version INTEGER NOT NULL,
        entry BLOB NOT NULL
      )`,
      `CREATE INDEX actorstate_directory_v2_by_key ON actorstate_directory_v2 (name, key, actor)`,
      `CREATE INDEX actorstate_directory_v2_by_lifecycle ON actorstate_directory_v2 (lifecycle, name, key, actor)`,
    ],
  ],
};

/**
 * The schema of a directory shard of one actor type, as actorstate before the shared
 * directory wrote it (16 shard objects per type). Nothing writes it any more; it is read
 * only to import old entries into the shared shards (`importLegacyDirectory`).
 */
export const legacyDirectorySchema: Schema = {
  versionTable: "actorstate_directory_schema",
  migrations: [
    [
      `CREATE TABLE actorstate_directory (
        actor TEXT PRIMARY KEY,
        key TEXT NOT NULL,
        lifecycle TEXT NOT NULL,
        version INTEGER NOT NULL,
        entry BLOB NOT NULL
      )`,
      `CREATE INDEX actorstate_directory_by_key ON actorstate_directory (key, actor)`,
      `CREATE INDEX actorstate_directory_by_lifecycle ON actorstate_directory (lifecycle, key, actor)`,
    ],
  ],
};

type Row = { entry: ArrayBuffer };

/**
 * One directory shard: a Durable Object holding the latest entry of each actor whose object
 * id falls in it, whatever its type. Updates carry a version, and an older one never
 * replaces a newer one, so deliveries (and imports of old entries) may repeat or arrive out
 * of order.
 */
export class DirectoryShard {
  private readonly storage: DurableObjectStorage;

  constructor(storage: DurableObjectStorage) {
    this.storage = storage;
  }

  /** Keep each entry unless the shard already holds a newer version of its actor. */
  upsert(entries: DirectoryEntry | DirectoryEntry[]): void {
    migrate(this.storage, directorySchema);
    const write = (entry: DirectoryEntry) =>
      this.storage.sql.exec(
        `INSERT INTO actorstate_directory_v2 (actor, name, key, lifecycle, version, entry) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (actor) DO UPDATE SET lifecycle = excluded.lifecycle, version = excluded.version, entry = excluded.entry
         WHERE excluded.version > actorstate_directory_v2.version`,
        entry.actorId.slice(0, entry.actorId.lastIndexOf(":")),
        entry.name,
        JSON.stringify(entry.key),
        entry.lifecycle,
        entry.version,
        toBlob(encodeValue(entry, "directory entry")),
      );
    if (!Array.isArray(entries)) write(entries);
    else this.storage.transactionSync(() => entries.forEach(write));
  }

  /**
   * Up to `limit` entries after `after`, in (type, key, object) order: of one type when
   * `name` is given, else of the `types` listed (of every type without them), optionally
   * in one lifecycle phase. With `legacy`, the entries of the
   * per-type shard this object was before the shared directory, in (key, object) order.
   */
  list(request: ShardList): DirectoryEntry[] {
    const { lifecycle, limit } = request;
    const after = request.after ?? { key: "", actor: "" };
    const rows = (query: string, ...bindings: SqlStorageValue[]) => [...this.storage.sql.exec<Row>(query, ...bindings)].map((row) => decodeValue(row.entry) as DirectoryEntry);
    if (request.legacy) {
      if (!hasSchema(this.storage, legacyDirectorySchema)) return [];
      return rows(`SELECT entry FROM actorstate_directory WHERE (key, actor) > (?, ?) ORDER BY key, actor LIMIT ?`, after.key, after.actor, limit);
    }
    if (!hasSchema(this.storage, directorySchema)) return [];
    const phase = lifecycle ? "lifecycle = ? AND " : "";
    const phaseBinding = lifecycle ? [lifecycle] : [];
    if (request.name !== undefined) {
      return rows(
        `SELECT entry FROM actorstate_directory_v2 WHERE ${phase}name = ? AND (key, actor) > (?, ?) ORDER BY key, actor LIMIT ?`,
        ...phaseBinding,
        request.name,
        after.key,
        after.actor,
        limit,
      );
    }
    // `+name` keeps SQLite on the range of the (type, key, object) index, skipping other
    // types' rows as it goes, rather than walking each listed type from its start.
    const typed = request.types ? " AND +name IN (SELECT value FROM json_each(?))" : "";
    return rows(
      `SELECT entry FROM actorstate_directory_v2 WHERE ${phase}(name, key, actor) > (?, ?, ?)${typed} ORDER BY name, key, actor LIMIT ?`,
      ...phaseBinding,
      after.name ?? "",
      after.key,
      after.actor,
      ...(request.types ? [JSON.stringify(request.types)] : []),
      limit,
    );
  }
}
