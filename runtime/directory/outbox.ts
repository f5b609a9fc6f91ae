import { decodeValue, encodeValue, toBlob } from "../codec.ts";
import type { DirectoryEntry } from "../types/directory.ts";

/** How long until an undelivered entry is tried again, doubling per attempt up to a minute. */
const RETRY = { firstMs: 1_000, maxMs: 60_000 };

/**
 * Keep `entry` as the actor's pending directory update, replacing an older pending one:
 * only the latest state of an actor matters to the directory. Call inside the transaction
 * of the lifecycle change it reports; the retry time is set now, so an object that stops
 * before delivering still has an alarm that will.
 */
export function stageDirectoryEntry(storage: DurableObjectStorage, entry: DirectoryEntry): void {
  storage.sql.exec(
    `INSERT INTO actorstate_directory_outbox (id, version, entry, next_attempt_at, attempts) VALUES (0, ?, ?, ?, 0)
     ON CONFLICT (id) DO UPDATE SET version = excluded.version, entry = excluded.entry,
       next_attempt_at = excluded.next_attempt_at, attempts = 0`,
    entry.version,
    toBlob(encodeValue(entry, "directory entry")),
    Date.now() + RETRY.firstMs,
  );
}

/** The pending update, if any. */
export function pendingDirectoryEntry(storage: DurableObjectStorage): DirectoryEntry | undefined {
  const row = storage.sql.exec<{ entry: ArrayBuffer }>("SELECT entry FROM actorstate_directory_outbox WHERE id = 0").toArray()[0];
  return row ? (decodeValue(row.entry) as DirectoryEntry) : undefined;
}

/** The shard acknowledged `version`: forget it, unless a newer one was staged meanwhile. */
export function acknowledgeDirectoryEntry(storage: DurableObjectStorage, version: number): void {
  storage.sql.exec("DELETE FROM actorstate_directory_outbox WHERE id = 0 AND version = ?", version);
}

/** Delivery failed: try again later, backing off. */
export function postponeDirectoryEntry(storage: DurableObjectStorage): void {
  storage.sql.exec(
    `UPDATE actorstate_directory_outbox SET attempts = attempts + 1,
       next_attempt_at = ? + min(?, ? * (1 << min(attempts, 16))) WHERE id = 0`,
    Date.now(),
    RETRY.maxMs,
    RETRY.firstMs * 2,
  );
}
