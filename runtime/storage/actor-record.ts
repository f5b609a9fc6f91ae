import { toBlob } from "../codec.ts";
import { syncAlarm } from "./alarm.ts";
import { hasSchema, migrate } from "./schema.ts";

/** The durable facts about the actor this object hosts. */
export interface ActorRecord {
  name: string;
  key: string[];
  generation: number;
  /** The last durable lifecycle phase: `running`, `destroying` or `destroyed`. */
  lifecycle: string;
  destroyed: boolean;
}

interface MetaRow extends Record<string, SqlStorageValue> {
  name: string;
  key: string;
  generation: number;
  lifecycle: string;
  destroyed: number;
}

/** The actor's record, or `undefined` if no actor was ever created here. */
export function readRecord(storage: DurableObjectStorage): ActorRecord | undefined {
  if (!hasSchema(storage)) return undefined;
  migrate(storage);
  const row = storage.sql
    .exec<MetaRow>("SELECT name, key, generation, lifecycle, destroyed FROM actorstate_meta WHERE id = 0")
    .toArray()[0];
  if (!row) return undefined;
  return {
    name: row.name,
    key: JSON.parse(row.key) as string[],
    generation: row.generation,
    lifecycle: row.lifecycle,
    destroyed: row.destroyed === 1,
  };
}

/** The stored state of `generation`, or `undefined` if that generation has none. */
export function readState(storage: DurableObjectStorage, generation: number): Uint8Array | undefined {
  const row = storage.sql
    .exec<{ value: ArrayBuffer }>("SELECT value FROM actorstate_state WHERE id = 0 AND generation = ?", generation)
    .toArray()[0];
  return row ? new Uint8Array(row.value) : undefined;
}

/**
 * Write a new generation — the first, or one after a destroy — with its initial state, in
 * one transaction. Refuses to go backwards or to overwrite a live generation.
 */
export function writeNewGeneration(
  storage: DurableObjectStorage,
  actor: { name: string; key: readonly string[]; generation: number; state: Uint8Array },
): void {
  migrate(storage);
  const now = Date.now();
  storage.transactionSync(() => {
    const existing = readRecord(storage);
    if (existing && (existing.generation >= actor.generation || !existing.destroyed)) {
      throw new Error(`Cannot create generation ${actor.generation} over generation ${existing.generation} (${existing.lifecycle}).`);
    }
    storage.sql.exec(
      `INSERT INTO actorstate_meta (id, name, key, generation, lifecycle, destroyed, created_at, updated_at)
       VALUES (0, ?, ?, ?, 'running', 0, ?, ?)
       ON CONFLICT (id) DO UPDATE SET generation = excluded.generation, lifecycle = 'running', destroyed = 0,
         created_at = excluded.created_at, updated_at = excluded.updated_at`,
      actor.name,
      JSON.stringify(actor.key),
      actor.generation,
      now,
      now,
    );
    storage.sql.exec(
      `INSERT INTO actorstate_state (id, generation, value) VALUES (0, ?, ?)
       ON CONFLICT (id) DO UPDATE SET generation = excluded.generation, value = excluded.value`,
      actor.generation,
      toBlob(actor.state),
    );
  });
}

/**
 * Save the state of `generation`. The generation is part of the write, so a save that
 * arrives after its generation was destroyed touches nothing; that case throws.
 */
export function saveState(storage: DurableObjectStorage, generation: number, state: Uint8Array): void {
  const cursor = storage.sql.exec("UPDATE actorstate_state SET value = ? WHERE id = 0 AND generation = ?", toBlob(state), generation);
  if (cursor.rowsWritten !== 1) throw new Error(`Generation ${generation} has no stored state to update; it was destroyed.`);
}

/** Record a durable lifecycle phase (`running`, `destroying`, `destroyed`) for the next wake. */
export function writeLifecycle(storage: DurableObjectStorage, lifecycle: string): void {
  storage.sql.exec("UPDATE actorstate_meta SET lifecycle = ?, updated_at = ? WHERE id = 0", lifecycle, Date.now());
}

/**
 * Destroy `generation` in one transaction: state, KV and schedules are wiped and the record
 * becomes a tombstone that keeps the generation. The alarm is re-synced in the same
 * synchronous block, so the platform commits it with the transaction: with the schedules
 * gone it is removed, unless a directory update still waits for delivery. Idempotent.
 */
export async function wipeGeneration(storage: DurableObjectStorage, generation: number): Promise<void> {
  storage.transactionSync(() => {
    const record = readRecord(storage);
    if (!record || record.generation !== generation) {
      throw new Error(`Cannot wipe generation ${generation}: the record is at ${record?.generation ?? "nothing"}.`);
    }
    storage.sql.exec("DELETE FROM actorstate_state");
    storage.sql.exec("DELETE FROM actorstate_kv");
    storage.sql.exec("DELETE FROM actorstate_schedule");
    storage.sql.exec("UPDATE actorstate_meta SET destroyed = 1, lifecycle = 'destroyed', updated_at = ? WHERE id = 0", Date.now());
  });
  await syncAlarm(storage);
}

/**
 * Undo a generation whose creation failed after it was written (its `onCreate` or `onWake`
 * threw): a first generation disappears entirely; a resurrected one gives way to the
 * tombstone of the generation before it. Either way the next create starts clean.
 */
export function abandonGeneration(storage: DurableObjectStorage, generation: number, previous: number | null): void {
  storage.transactionSync(() => {
    storage.sql.exec("DELETE FROM actorstate_state");
    storage.sql.exec("DELETE FROM actorstate_kv");
    storage.sql.exec("DELETE FROM actorstate_schedule");
    if (previous === null) {
      storage.sql.exec("DELETE FROM actorstate_meta WHERE id = 0 AND generation = ?", generation);
    } else {
      storage.sql.exec(
        "UPDATE actorstate_meta SET generation = ?, destroyed = 1, lifecycle = 'destroyed', updated_at = ? WHERE id = 0 AND generation = ?",
        previous,
        Date.now(),
        generation,
      );
    }
  });
}
