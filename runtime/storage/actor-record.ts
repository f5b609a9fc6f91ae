import type { StoredLifecycle } from "../../machines/lifecycle/types.ts";
import { decodeValue, encodeValue, toBlob } from "../codec.ts";
import { hasSchema, migrate } from "./schema.ts";
import { wipeState } from "./actor-state.ts";
import { dropUserTables } from "./user-tables.ts";
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

/**
 * Erase the actor's data: state, KV, schedules and a workflow's timers, work and history. The record (identity and lifecycle) and
 * the transition log stay. Call inside the transaction of the step that ends the data: a
 * finished destroy writes its tombstone with it; a failed creation its way back.
 */
export function wipeActorData(storage: DurableObjectStorage): void {
  wipeState(storage);
  storage.sql.exec("DELETE FROM actorstate_kv");
  storage.sql.exec("DELETE FROM actorstate_schedule");
  storage.sql.exec("DELETE FROM actorstate_parked_connection");
  dropUserTables(storage);
  wipeWorkflow(storage);
}
