import type { ActorPath, SnapshotView, TimerCancel, TimerSet, WorkStart, WorkStop } from "../../machines/workflow/types.ts";
import { decodeValue, encodeValue, toBlob } from "../codec.ts";
import type { HistoryEntry } from "./log-entries.ts";

/** How many steps of a workflow's history are kept for the inspector's time travel. */
export const HISTORY_LIMIT = 200;

/** A delayed event as stored: `dueAt` is on the workflow's clock. */
export interface StoredTimer {
  id: number;
  source: ActorPath;
  sendId: string | null;
  target: ActorPath;
  dueAt: number;
  event: { type: string };
}

/** Promise work under way: `run` is unique per start, so an outcome of an older run is told apart. */
export interface StoredWork {
  run: number;
  path: ActorPath;
  invokeId: string;
  src: string;
  input: unknown;
  startedAt: number;
}

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
  sendId: row.send_id,
  target: row.target,
  dueAt: row.due_at,
  event: decodeValue(row.event) as { type: string },
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
 * The bounds of a subtree of paths as an index range: `path` itself is matched apart, and
 * every descendant sorts between `path/` and `path0` (`0` follows `/`).
 */
function subtree(path: ActorPath): [string, string, string] {
  return [path, `${path}/`, `${path}0`];
}

/**
 * Apply a step's timer changes: a set with a send id replaces the pending one of the same
 * source and id (XState's scheduler does the same), a cancel removes it. `manual` marks
 * timers on a test's clock, which the alarm leaves alone. Call inside the step's
 * transaction.
 */
export function applyTimers(storage: DurableObjectStorage, generation: number, clock: { now: number; manual: boolean }, changes: ReadonlyArray<TimerSet | TimerCancel>): void {
  for (const change of changes) {
    if (change.sendId !== undefined) {
      storage.sql.exec("DELETE FROM actorstate_workflow_timer WHERE source = ? AND send_id = ?", change.source, change.sendId);
    }
    if (change.type === "set") {
      storage.sql.exec(
        "INSERT INTO actorstate_workflow_timer (generation, source, send_id, target, due_at, event, manual) VALUES (?, ?, ?, ?, ?, ?, ?)",
        generation,
        change.source,
        change.sendId ?? null,
        change.target,
        clock.now + Math.max(0, change.delayMs),
        toBlob(encodeValue(change.event, "delayed event")),
        clock.manual ? 1 : 0,
      );
    }
  }
}

/** The timers due by `now` on the workflow's clock, earliest first, at most `limit`. */
export function dueTimers(storage: DurableObjectStorage, generation: number, now: number, limit: number): StoredTimer[] {
  return storage.sql
    .exec<TimerRow>(
      "SELECT id, source, send_id, target, due_at, event FROM actorstate_workflow_timer WHERE due_at <= ? AND generation = ? ORDER BY due_at, id LIMIT ?",
      now,
      generation,
      limit,
    )
    .toArray()
    .map(toTimer);
}

/** Every pending timer of `generation`, earliest first. */
export function listTimers(storage: DurableObjectStorage, generation: number): StoredTimer[] {
  return storage.sql
    .exec<TimerRow>("SELECT id, source, send_id, target, due_at, event FROM actorstate_workflow_timer WHERE generation = ? ORDER BY due_at, id", generation)
    .toArray()
    .map(toTimer);
}

/** The earliest pending timer of `generation`, if any. */
export function nextTimer(storage: DurableObjectStorage, generation: number): StoredTimer | undefined {
  return storage.sql
    .exec<TimerRow>(
      "SELECT id, source, send_id, target, due_at, event FROM actorstate_workflow_timer WHERE generation = ? ORDER BY due_at, id LIMIT 1",
      generation,
    )
    .toArray()
    .map(toTimer)[0];
}

/** Put every pending timer on a test's clock: from now on only the test fires them, never the alarm. */
export function moveTimersToManualClock(storage: DurableObjectStorage): void {
  storage.sql.exec("UPDATE actorstate_workflow_timer SET manual = 1");
}

/** Remove one timer; whether it was still there (an alarm delivered twice finds it gone). */
export function deleteTimer(storage: DurableObjectStorage, id: number): boolean {
  return storage.sql.exec("DELETE FROM actorstate_workflow_timer WHERE id = ?", id).rowsWritten > 0;
}

/**
 * Apply a step's work changes: a start stores the work (replacing an older run of the same
 * invoke), a stop removes it. Returns the runs started, in order. Call inside the step's
 * transaction.
 */
export function applyWork(storage: DurableObjectStorage, generation: number, now: number, changes: ReadonlyArray<WorkStart | WorkStop>): StoredWork[] {
  const started: StoredWork[] = [];
  for (const change of changes) {
    storage.sql.exec("DELETE FROM actorstate_workflow_work WHERE path = ? AND invoke_id = ?", change.path, change.id);
    if (change.type !== "start") continue;
    const run = storage.sql
      .exec<{ run: number }>(
        "INSERT INTO actorstate_workflow_work (generation, path, invoke_id, src, input, started_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING run",
        generation,
        change.path,
        change.id,
        change.src,
        toBlob(encodeValue(change.input, "promise actor input")),
        now,
      )
      .one().run;
    started.push({ run, path: change.path, invokeId: change.id, src: change.src, input: change.input, startedAt: now });
  }
  return started;
}

/** Every piece of work of `generation` still under way, in the order it started. */
export function listWork(storage: DurableObjectStorage, generation: number): StoredWork[] {
  return storage.sql
    .exec<WorkRow>("SELECT run, path, invoke_id, src, input, started_at FROM actorstate_workflow_work WHERE generation = ? ORDER BY run", generation)
    .toArray()
    .map(toWork);
}

/** Remove the work of `run`: its outcome is being stored. */
export function deleteWork(storage: DurableObjectStorage, run: number): void {
  storage.sql.exec("DELETE FROM actorstate_workflow_work WHERE run = ?", run);
}

/** Whether `run` is still the current run of its work (not stopped, not replaced, not settled). */
export function workIsCurrent(storage: DurableObjectStorage, run: number): boolean {
  return storage.sql.exec("SELECT 1 FROM actorstate_workflow_work WHERE run = ?", run).toArray().length > 0;
}

/** Remove the timers and work of the machines at `paths` and everything below them. */
export function removeSubtrees(storage: DurableObjectStorage, paths: readonly ActorPath[]): void {
  for (const path of paths) {
    const [self, from, to] = subtree(path);
    storage.sql.exec("DELETE FROM actorstate_workflow_timer WHERE source = ? OR (source >= ? AND source < ?)", self, from, to);
    storage.sql.exec("DELETE FROM actorstate_workflow_work WHERE path = ? OR (path >= ? AND path < ?)", self, from, to);
  }
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
