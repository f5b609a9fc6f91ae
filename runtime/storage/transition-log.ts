import type { TransitionRecord } from "../../machines/lifecycle/lifecycle.ts";
import type { LoggedTransition } from "./log-entries.ts";

/** How many transitions an actor keeps; older ones are dropped as new ones arrive. */
export const TRANSITION_LOG_LIMIT = 1000;

interface TransitionRow extends Record<string, SqlStorageValue> {
  seq: number;
  at: number;
  from_state: string;
  to_state: string;
  event: string;
  generation: number | null;
  ok: number;
  error: string | null;
}

/**
 * Append transitions and drop those beyond the limit; returns the last sequence number.
 * Call inside the caller's transaction.
 */
export function appendTransitions(storage: DurableObjectStorage, records: readonly TransitionRecord[], at = Date.now()): number {
  let last = 0;
  for (const record of records) {
    last = storage.sql
      .exec<{ seq: number }>(
        `INSERT INTO actorstate_transition (at, from_state, to_state, event, generation, ok, error)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
        at,
        record.from,
        record.to,
        record.event,
        record.generation,
        record.ok ? 1 : 0,
        record.error ?? null,
      )
      .one().seq;
  }
  if (last > TRANSITION_LOG_LIMIT) storage.sql.exec("DELETE FROM actorstate_transition WHERE seq <= ?", last - TRANSITION_LOG_LIMIT);
  return last;
}

/** The newest transitions, oldest first; `before` pages further back by sequence number. */
export function readTransitions(storage: DurableObjectStorage, options: { limit?: number; before?: number } = {}): LoggedTransition[] {
  const rows = storage.sql
    .exec<TransitionRow>(
      `SELECT * FROM actorstate_transition WHERE seq < ? ORDER BY seq DESC LIMIT ?`,
      options.before ?? Number.MAX_SAFE_INTEGER,
      options.limit ?? TRANSITION_LOG_LIMIT,
    )
    .toArray();
  return rows.reverse().map((row) => ({
    seq: row.seq,
    at: row.at,
    from: row.from_state,
    to: row.to_state,
    event: row.event,
    generation: row.generation,
    ok: row.ok === 1,
    ...(row.error === null ? {} : { error: row.error }),
  }));
}
