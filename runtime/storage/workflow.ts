import type { EventObject } from "xstate";
import { storeRefs } from "../../machines/engine/actor-refs.ts";
import type { StoredTimer, StoredWork } from "../../machines/engine/durable-step.ts";
import type { SnapshotView } from "../../machines/workflow/types.ts";
import { assertPlainData, decodeValue, encodeValue, toBlob } from "../codec.ts";
import type { HistoryEntry } from "./log-entries.ts";

export type { StoredTimer, StoredWork } from "../../machines/engine/durable-step.ts";

/** How many steps of a workflow's history are kept for the inspector's time travel. */
export const HISTORY_LIMIT = 200;

interface TimerRow extends Record<string, SqlStorageValue> {
  id: number;
  source: string;
  send_id: string | null;
  target: string;
  due_at: number;
  event: ArrayBuffer;
}

interface WorkRow extends Record<string, SqlStorageValue> {
  run: number;
  path: string;
  invoke_id: string;
  src: string;
  input: ArrayBuffer;
  started_at: number;
}

const toTimer = (row: TimerRow): StoredTimer => ({
  id: row.id,
  source: row.source,
  // Timers stored before every timer had a send id get one no `cancel()` names.
  sendId: row.send_id ?? `stored-${row.id}`,
  target: row.target,
  dueAt: row.due_at,
  event: decodeValue(row.event) as StoredTimer["event"],
});

const toWork = (row: WorkRow): StoredWork => ({
  run: row.run,
  path: row.path,
  invokeId: row.invoke_id,
  src: row.src,
  input: decodeValue(row.input),
  startedAt: row.started_at,
});

/**
 * Apply a step's timer changes: the timers it set, under their own ids, and those it
 * cleared (fired, cancelled, or meant for an actor that stopped). `manual` marks timers on
 * a test's clock, which the alarm leaves alone. Call inside the step's transaction.
 */
export function applyTimerChanges(storage: DurableObjectStorage, generation: number, manual: boolean, changes: { set: readonly StoredTimer[]; cleared: readonly number[] }): void {
  for (const id of changes.cleared) storage.sql.exec("DELETE FROM actorstate_workflow_timer WHERE id = ?", id);
  for (const timer of changes.set) {
    storage.sql.exec(
      "INSERT INTO actorstate_workflow_timer (id, generation, source, send_id, target, due_at, event, manual) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      timer.id,
      generation,
      timer.source,
      timer.sendId,
      timer.target,
      timer.dueAt,
      toBlob(encodeValue(timer.event, "delayed event")),
      manual ? 1 : 0,
    );
  }
}

/** Every pending timer of `generation`, earliest first. */
export function listTimers(storage: DurableObjectStorage, generation: number): StoredTimer[] {
  return storage.sql
    .exec<TimerRow>("SELECT id, source, send_id, target, due_at, event FROM actorstate_workflow_timer WHERE generation = ? ORDER BY due_at, id", generation)
    .toArray()
    .map(toTimer);
}

/** Put every pending timer on a test's clock: from now on only the test fires them, never the alarm. */
export function moveTimersToManualClock(storage: DurableObjectStorage): void {
  storage.sql.exec("UPDATE actorstate_workflow_timer SET manual = 1");
}

/**
 * Apply a step's work changes: promise work that ended (settled, or stopped), then work
 * started (a run of its own). Call inside the step's transaction.
 */
export function applyWorkChanges(storage: DurableObjectStorage, generation: number, changes: { started: readonly StoredWork[]; ended: readonly number[] }): void {
  for (const run of changes.ended) storage.sql.exec("DELETE FROM actorstate_workflow_work WHERE run = ?", run);
  for (const work of changes.started) {
    storage.sql.exec(
      "INSERT INTO actorstate_workflow_work (run, generation, path, invoke_id, src, input, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      work.run,
      generation,
      work.path,
      work.invokeId,
      work.src,
      toBlob(encodeValue(work.input, "promise actor input")),
      work.startedAt,
    );
  }
}

/** Every piece of work of `generation` still under way, in the order it started. */
export function listWork(storage: DurableObjectStorage, generation: number): StoredWork[] {
  return storage.sql
    .exec<WorkRow>("SELECT run, path, invoke_id, src, input, started_at FROM actorstate_workflow_work WHERE generation = ? ORDER BY run", generation)
    .toArray()
    .map(toWork);
}

/** Remove every timer and all work: the workflow's machine finished. */
export function clearWorkflowPending(storage: DurableObjectStorage): void {
  storage.sql.exec("DELETE FROM actorstate_workflow_timer");
  storage.sql.exec("DELETE FROM actorstate_workflow_work");
}

/** Append one step to the history, keeping the last {@link HISTORY_LIMIT}. */
export function appendHistory(
  storage: DurableObjectStorage,
  generation: number,
  at: number,
  step: { event: { type: string }; view: SnapshotView; emitted: ReadonlyArray<{ type: string }> },
): void {
  const seq = storage.sql
    .exec<{ seq: number }>(
      "INSERT INTO actorstate_workflow_history (generation, at, event, view, emitted) VALUES (?, ?, ?, ?, ?) RETURNING seq",
      generation,
      at,
      toBlob(encodeValue(step.event, "workflow event")),
      toBlob(encodeValue(step.view, "workflow snapshot")),
      step.emitted.length ? toBlob(encodeValue(step.emitted, "emitted events")) : null,
    )
    .one().seq;
  if (seq > HISTORY_LIMIT) storage.sql.exec("DELETE FROM actorstate_workflow_history WHERE seq <= ?", seq - HISTORY_LIMIT);
}

/** The workflow's history of `generation`, oldest first. */
export function readHistory(storage: DurableObjectStorage, generation: number): HistoryEntry[] {
  return storage.sql
    .exec<{ seq: number; at: number; event: ArrayBuffer; view: ArrayBuffer; emitted: ArrayBuffer | null }>(
      "SELECT seq, at, event, view, emitted FROM actorstate_workflow_history WHERE generation = ? ORDER BY seq",
      generation,
    )
    .toArray()
    .map((row) => ({
      seq: row.seq,
      at: row.at,
      event: decodeValue(row.event) as { type: string },
      view: decodeValue(row.view) as SnapshotView,
      emitted: row.emitted ? (decodeValue(row.emitted) as Array<{ type: string }>) : [],
    }));
}

/** Erase a generation's workflow data: part of every wipe. */
export function wipeWorkflow(storage: DurableObjectStorage): void {
  clearWorkflowPending(storage);
  storage.sql.exec("DELETE FROM actorstate_workflow_history");
}

/**
 * The event a history entry keeps of a step's cause: as it came, refs as paths — or only its
 * type when it holds what storage cannot (a promise's output the machine did not keep): the
 * history is a record, and must never be why a step cannot be stored.
 */
export function historyEvent(cause: EventObject): EventObject {
  const stored = storeRefs(cause) as EventObject;
  try {
    assertPlainData(stored, "workflow event");
    return stored;
  } catch {
    return { type: cause.type };
  }
}
