import { decodeValue, encodeValue, toBlob } from "../codec.ts";
import type { ScheduledAction } from "../types/kv.ts";

interface ScheduleRow extends Record<string, SqlStorageValue> {
  id: string;
  generation: number;
  run_at: number;
  action: string;
  args: ArrayBuffer;
  cron: string | null;
}

const COLUMNS = "id, generation, run_at, action, args, cron";

function toScheduled(row: ScheduleRow): ScheduledAction {
  return {
    id: row.id,
    runAt: row.run_at,
    action: row.action,
    args: decodeValue(row.args) as unknown[],
    ...(row.cron === null ? {} : { cron: row.cron }),
  };
}

/** Store one scheduled action for `generation`; a `cron` one runs again after each run. */
export function insertSchedule(storage: DurableObjectStorage, generation: number, entry: Omit<ScheduledAction, "id">): string {
  const id = crypto.randomUUID();
  storage.sql.exec(
    "INSERT INTO actorstate_schedule (id, generation, run_at, action, args, created_at, cron) VALUES (?, ?, ?, ?, ?, ?, ?)",
    id,
    generation,
    entry.runAt,
    entry.action,
    toBlob(encodeValue(entry.args, "scheduled arguments")),
    Date.now(),
    entry.cron ?? null,
  );
  return id;
}

/** Move a pending (cron) schedule to its next run; nothing if it was cancelled meanwhile. */
export function rescheduleSchedule(storage: DurableObjectStorage, id: string, runAt: number): void {
  storage.sql.exec("UPDATE actorstate_schedule SET run_at = ? WHERE id = ?", runAt, id);
}

/** The schedules due at `now`, earliest first; ties in the order they were scheduled. */
export function dueSchedules(storage: DurableObjectStorage, now: number, limit: number): Array<ScheduledAction & { generation: number }> {
  return storage.sql
    .exec<ScheduleRow>(
      `SELECT ${COLUMNS} FROM actorstate_schedule WHERE run_at <= ? ORDER BY run_at, rowid LIMIT ?`,
      now,
      limit,
    )
    .toArray()
    .map((row) => ({ ...toScheduled(row), generation: row.generation }));
}

/** Every pending schedule of `generation`, earliest first. */
export function listSchedules(storage: DurableObjectStorage, generation: number): ScheduledAction[] {
  return storage.sql
    .exec<ScheduleRow>(
      `SELECT ${COLUMNS} FROM actorstate_schedule WHERE generation = ? ORDER BY run_at, rowid`,
      generation,
    )
    .toArray()
    .map(toScheduled);
}

/** Whether the schedule existed (for `generation`, when given). */
export function deleteSchedule(storage: DurableObjectStorage, id: string, generation?: number): boolean {
  const cursor =
    generation === undefined
      ? storage.sql.exec("DELETE FROM actorstate_schedule WHERE id = ?", id)
      : storage.sql.exec("DELETE FROM actorstate_schedule WHERE id = ? AND generation = ?", id, generation);
  return cursor.rowsWritten > 0;
}

/** Whether the schedule is still pending (not cancelled, not yet run). */
export function scheduleExists(storage: DurableObjectStorage, id: string): boolean {
  return storage.sql.exec("SELECT 1 FROM actorstate_schedule WHERE id = ?", id).toArray().length > 0;
}

// A test's clock is not the actor's data: it lives in the platform's key-value storage,
// outside the actor's tables, so no migration carries it and a destroy (which wipes the
// tables) leaves the object on the test's clock.
const TEST_CLOCK_KEY = "actorstate.scheduleTestClock";

/** The time on the test clock that holds this object's schedules, if one does. */
export function readTestClock(storage: DurableObjectStorage): number | undefined {
  return storage.kv.get<number>(TEST_CLOCK_KEY);
}

/** Store the time on the test clock that holds this object's schedules. */
export function writeTestClock(storage: DurableObjectStorage, at: number): void {
  storage.kv.put(TEST_CLOCK_KEY, at);
}
