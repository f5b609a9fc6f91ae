// Connections whose socket dropped, kept for a grace period so that the client's reconnect
// resumes them (same id, same `conn.state`); past it, the alarm ends them with onDisconnect.
import { decodeValue, encodeValue, toBlob } from "../codec.ts";

/** What a dropped connection keeps until it is resumed or ends. */
export interface ParkedConnection {
  id: string;
  generation: number;
  params: unknown;
  auth: unknown;
  /** `conn.state`, encoded, as its socket's attachment held it. */
  state?: Uint8Array;
}

export const PARKED_CONNECTION_TABLE = `CREATE TABLE actorstate_parked_connection (
  id TEXT PRIMARY KEY,
  generation INTEGER NOT NULL,
  token TEXT NOT NULL,
  until INTEGER NOT NULL,
  record BLOB NOT NULL
) WITHOUT ROWID`;
export const PARKED_CONNECTION_INDEX = "CREATE INDEX actorstate_parked_connection_until ON actorstate_parked_connection (until)";

/**
 * Keep a dropped connection until `until`; only a hello with `token`, the secret its client
 * was welcomed with, takes it back. The caller sets the alarm in the same block.
 */
export function parkConnection(storage: DurableObjectStorage, connection: ParkedConnection, token: string, until: number): void {
  storage.sql.exec(
    "INSERT OR REPLACE INTO actorstate_parked_connection (id, generation, token, until, record) VALUES (?, ?, ?, ?, ?)",
    connection.id,
    connection.generation,
    token,
    until,
    toBlob(encodeValue(connection, "a dropped connection")),
  );
}

/** The first parked connection whose grace ended by `now`, if any: still parked. */
export function firstEndedParkedConnection(storage: DurableObjectStorage, now: number): { id: string; generation: number } | undefined {
  return storage.sql
    .exec<{ id: string; generation: number }>("SELECT id, generation FROM actorstate_parked_connection WHERE until <= ? ORDER BY until LIMIT 1", now)
    .toArray()[0];
}

/**
 * Take one parked connection out of storage: the one a hello names with its secret, one
 * by its id (its grace ended), or one of a generation (its teardown).
 */
export function takeParkedConnection(
  storage: DurableObjectStorage,
  which: { id: string; token?: string; generation?: number } | { generation: number },
): ParkedConnection | undefined {
  const [where, ...bindings] =
    "id" in which
      ? which.token === undefined
        ? ["id = ?", which.id]
        : // Past its grace, a connection is the alarm's to end, even before the alarm has run.
          ["id = ? AND token = ? AND generation = ? AND until >= ?", which.id, which.token, which.generation, Date.now()]
      : ["id = (SELECT id FROM actorstate_parked_connection WHERE generation = ? LIMIT 1)", which.generation];
  const row = storage.sql.exec<{ record: ArrayBuffer }>(`DELETE FROM actorstate_parked_connection WHERE ${where} RETURNING record`, ...bindings).toArray()[0];
  return row && (decodeValue(row.record) as ParkedConnection);
}
