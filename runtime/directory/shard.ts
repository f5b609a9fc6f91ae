import { decodeValue, encodeValue, toBlob } from "../codec.ts";
import { hasSchema, migrate, type Schema } from "../storage/schema.ts";
import type { DirectoryEntry } from "./entry.ts";
import type { ShardPosition } from "./routing.ts";

/** The schema of a directory shard object. */
export const directorySchema: Schema = {
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

/**
 * One shard of the directory of an actor type: a Durable Object holding the latest entry of
 * each of its actors. Updates carry a version, and an older one never replaces a newer
 * one, so deliveries may repeat or arrive out of order.
 */
export class DirectoryShard {
  private readonly storage: DurableObjectStorage;

  constructor(storage: DurableObjectStorage) {
    this.storage = storage;
  }

  upsert(entry: DirectoryEntry): void {
    migrate(this.storage, directorySchema);
    const actor = entry.actorId.slice(0, entry.actorId.lastIndexOf(":"));
    this.storage.sql.exec(
      `INSERT INTO actorstate_directory (actor, key, lifecycle, version, entry) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (actor) DO UPDATE SET lifecycle = excluded.lifecycle, version = excluded.version, entry = excluded.entry
       WHERE excluded.version > actorstate_directory.version`,
      actor,
      JSON.stringify(entry.key),
      entry.lifecycle,
      entry.version,
      toBlob(encodeValue(entry, "directory entry")),
    );
  }

  /** Up to `limit` entries after `after`, in key order, optionally in one lifecycle phase. */
  list(options: { lifecycle?: string; after?: ShardPosition; limit: number }): DirectoryEntry[] {
    if (!hasSchema(this.storage, directorySchema)) return [];
    const after = options.after ?? { key: "", actor: "" };
    const rows = options.lifecycle
      ? this.storage.sql.exec<{ entry: ArrayBuffer }>(
          `SELECT entry FROM actorstate_directory WHERE lifecycle = ? AND (key, actor) > (?, ?) ORDER BY key, actor LIMIT ?`,
          options.lifecycle,
          after.key,
          after.actor,
          options.limit,
        )
      : this.storage.sql.exec<{ entry: ArrayBuffer }>(
          `SELECT entry FROM actorstate_directory WHERE (key, actor) > (?, ?) ORDER BY key, actor LIMIT ?`,
          after.key,
          after.actor,
          options.limit,
        );
    return [...rows].map((row) => decodeValue(row.entry) as DirectoryEntry);
  }
}
