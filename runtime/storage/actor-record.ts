import type { StoredLifecycle } from "../../machines/lifecycle/types.ts";
import { decodeValue, encodeValue, toBlob } from "../codec.ts";
import { hasSchema, migrate } from "./schema.ts";
import { wipeWorkflow } from "./workflow.ts";

/** The actor this object hosts, as storage holds it: who it is and where its lifecycle stands. */
export interface ActorRecord {
  name: string;
  key: string[];
  /** The stored part of the lifecycle machine: its state, generation and pending requests. */
  lifecycle: StoredLifecycle;
}

interface ActorRow extends Record<string, SqlStorageValue> {
  name: string;
  key: string;
  lifecycle: ArrayBuffer;
}

/** The actor's record, or `undefined` if nothing of an actor was ever stored here. */
export function readRecord(storage: DurableObjectStorage): ActorRecord | undefined {
  if (!hasSchema(storage)) return undefined;
  migrate(storage);
  const row = storage.sql.exec<ActorRow>("SELECT name, key, lifecycle FROM actorstate_actor WHERE id = 0").toArray()[0];
  if (!row) return undefined;
  return { name: row.name, key: JSON.parse(row.key) as string[], lifecycle: decodeValue(row.lifecycle) as StoredLifecycle };
}

/**
 * Write the record: the actor's identity, its stored lifecycle, and when the alarm must
 * resume lifecycle work left unfinished (`null` when there is none). Call inside the
 * transaction of the step that changed the lifecycle.
 */
export function writeRecord(
  storage: DurableObjectStorage,
  record: ActorRecord,
  resumeAt: number | null,
): void {
  storage.sql.exec(
    `INSERT INTO actorstate_actor (id, name, key, lifecycle, resume_at, updated_at) VALUES (0, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET lifecycle = excluded.lifecycle, resume_at = excluded.resume_at, updated_at = excluded.updated_at`,
    record.name,
    JSON.stringify(record.key),
    toBlob(encodeValue(record.lifecycle, "stored lifecycle")),
    resumeAt,
    Date.now(),
  );
}

/** The stored state of `generation`, or `undefined` if that generation has none. */
export function readState(storage: DurableObjectStorage, generation: number): Uint8Array | undefined {
  const row = storage.sql
    .exec<{ value: ArrayBuffer }>("SELECT value FROM actorstate_state WHERE id = 0 AND generation = ?", generation)
    .toArray()[0];
  return row ? new Uint8Array(row.value) : undefined;
}

/** Write the first state of `generation` (a creation): whatever state was there goes. */
export function writeInitialState(storage: DurableObjectStorage, generation: number, state: Uint8Array): void {
  storage.sql.exec(
    `INSERT INTO actorstate_state (id, generation, value) VALUES (0, ?, ?)
     ON CONFLICT (id) DO UPDATE SET generation = excluded.generation, value = excluded.value`,
    generation,
    toBlob(state),
  );
}

/**
 * Save the state of `generation`. The generation is part of the write, so a save that
 * arrives after its generation was wiped touches nothing; that case throws.
 */
export function saveState(storage: DurableObjectStorage, generation: number, state: Uint8Array): void {
  const cursor = storage.sql.exec("UPDATE actorstate_state SET value = ? WHERE id = 0 AND generation = ?", toBlob(state), generation);
  if (cursor.rowsWritten !== 1) throw new Error(`Generation ${generation} has no stored state to update; it was destroyed.`);
}

/**
 * Erase the actor's data: state, KV, schedules and a workflow's timers, work and history. The record (identity and lifecycle) and
 * the transition log stay. Call inside the transaction of the step that ends the data: a
 * finished destroy writes its tombstone with it; a failed creation its way back.
 */
export function wipeActorData(storage: DurableObjectStorage): void {
  storage.sql.exec("DELETE FROM actorstate_state");
  storage.sql.exec("DELETE FROM actorstate_kv");
  storage.sql.exec("DELETE FROM actorstate_schedule");
  wipeWorkflow(storage);
}
