/**
 * Point the object's one alarm at the earliest thing that needs it — a due schedule or an
 * undelivered directory update — or clear it when nothing does. Call it in the same
 * synchronous block as the write that changed either, so the platform commits both together.
 */
export function syncAlarm(storage: DurableObjectStorage): Promise<void> {
  const next = storage.sql
    .exec<{ at: number | null }>(
      `SELECT min(at) AS at FROM (
         SELECT min(run_at) AS at FROM actorstate_schedule
         UNION ALL SELECT next_attempt_at FROM actorstate_directory_outbox
       )`,
    )
    .one().at;
  // An overdue time fires at once; the platform refuses times <= 0.
  return next === null ? storage.deleteAlarm() : storage.setAlarm(Math.max(next, 1));
}
