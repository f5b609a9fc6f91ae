// `c.sql`: the actor's own tables in its object's SQLite, in the shape of the Durable Object
// `SqlStorage` API — typed here without Workers types, so clients need none.

/** A value SQLite stores and returns: what a binding may be and a column holds. */
export type SqlValue = string | number | null | ArrayBuffer;

/** The rows of one query, as the Durable Object `SqlStorageCursor` gives them. */
export interface SqlCursor<T extends Record<string, SqlValue>> extends Iterable<T> {
  /** Every row, as objects keyed by column name. */
  toArray(): T[];
  /** The one row: throws if there are none or more than one. */
  one(): T;
  /** The rows as arrays of values, in column order. */
  raw<U extends SqlValue[] = SqlValue[]>(): IterableIterator<U>;
  next(): { done?: false; value: T } | { done: true; value?: never };
  readonly columnNames: string[];
  readonly rowsRead: number;
  readonly rowsWritten: number;
}

/**
 * `c.sql` (RivetKit's and the Agents SDK's name): SQL on the actor's own tables, in its
 * object's SQLite. Inside an action, what it writes is saved when the state is — before
 * the reply, and in one commit with the state when the action does not await. A destroy
 * drops every table it made. Names beginning with `actorstate_` are the library's own and
 * refused (`action/reserved_table`).
 *
 * @example
 * ```ts
 * c.sql.exec("CREATE TABLE IF NOT EXISTS todo (id INTEGER PRIMARY KEY, title TEXT NOT NULL)");
 * c.sql.exec("INSERT INTO todo (title) VALUES (?)", title);
 * const todos = c.sql.exec<{ id: number; title: string }>("SELECT id, title FROM todo").toArray();
 * ```
 */
export interface ActorSql {
  exec<T extends Record<string, SqlValue> = Record<string, SqlValue>>(query: string, ...bindings: SqlValue[]): SqlCursor<T>;
}
