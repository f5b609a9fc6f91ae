/**
 * The last time the platform's alarm takes: `setAlarm` refuses later dates ("This API
 * doesn't support dates after 2189"), so anything due later can never fire.
 */
export const LATEST_ALARM_TIME = Date.UTC(2189, 11, 31, 23, 59, 59, 999);

/**
 * While a workflow's promise work is under way, how long until the alarm looks again. Work
 * runs in memory: if the object stops (a crash, an eviction, a deploy), only this alarm
 * wakes it to run the work again with nobody calling. While the object lives, each look
 * moves it on.
 */
export const WORK_WATCH_MS = 10_000;

/**
 * Point the object's one alarm at the earliest thing that needs it — a due schedule, a
 * workflow's delayed event, an undelivered directory update, lifecycle work to resume (an
 * interrupted creation or destroy), a dropped connection's grace ending, or a look at a
 * workflow's promise work under way — or
 * clear it when nothing does. Call it in the same synchronous block as the write that
 * changed any of them, so the platform commits both together.
 */
export function syncAlarm(storage: DurableObjectStorage): Promise<void> {
  const next = storage.sql
    .exec<{ at: number | null }>(
      `SELECT min(at) AS at FROM (
         SELECT min(run_at) AS at FROM actorstate_schedule
         UNION ALL SELECT min(due_at) FROM actorstate_workflow_timer WHERE manual = 0
         UNION ALL SELECT next_attempt_at FROM actorstate_directory_outbox
         UNION ALL SELECT resume_at FROM actorstate_actor
         -- SQLite takes five terms in one compound SELECT: the rest are one term of their own.
         UNION ALL SELECT (SELECT min(at) FROM (
           SELECT min(until) AS at FROM actorstate_parked_connection
           UNION ALL SELECT CASE WHEN EXISTS (SELECT 1 FROM actorstate_workflow_work) THEN ? END
         ))
       )`,
      Date.now() + WORK_WATCH_MS,
    )
    .one().at;
  // An overdue time fires at once; the platform refuses times <= 0.
  return next === null ? storage.deleteAlarm() : storage.setAlarm(Math.max(next, 1));
}
