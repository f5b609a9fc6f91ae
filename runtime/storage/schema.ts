/**
 * The object's SQLite schema, versioned. Each migration runs once, in order, inside one
 * transaction with the version bump; a new version is a new entry at the end, never an edit.
 */
const migrations: string[][] = [
  [
    `CREATE TABLE actorstate_meta (
      id INTEGER PRIMARY KEY CHECK (id = 0),
      name TEXT NOT NULL,
      key TEXT NOT NULL,
      generation INTEGER NOT NULL,
      lifecycle TEXT NOT NULL,
      destroyed INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`,
    `CREATE TABLE actorstate_state (
      id INTEGER PRIMARY KEY CHECK (id = 0),
      generation INTEGER NOT NULL,
      value BLOB NOT NULL
    )`,
    `CREATE TABLE actorstate_kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID`,
    `CREATE TABLE actorstate_schedule (
      id TEXT PRIMARY KEY,
      generation INTEGER NOT NULL,
      run_at INTEGER NOT NULL,
      action TEXT NOT NULL,
      args BLOB NOT NULL,
      created_at INTEGER NOT NULL
    )`,
    `CREATE INDEX actorstate_schedule_due ON actorstate_schedule (run_at, id)`,
    `CREATE TABLE actorstate_transition (
      seq INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      from_state TEXT NOT NULL,
      to_state TEXT NOT NULL,
      event TEXT NOT NULL,
      generation INTEGER,
      ok INTEGER NOT NULL,
      error TEXT
    )`,
  ],
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = migrations.length;

function currentVersion(sql: SqlStorage): number {
  const table = sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'actorstate_schema'").toArray();
  if (!table.length) return 0;
  return sql.exec<{ version: number }>("SELECT version FROM actorstate_schema").one().version;
}

/**
 * Whether this object has ever stored an actor. Reading never creates the schema, so a
 * `get()` of a key that was never created leaves no storage behind.
 */
export function hasSchema(storage: DurableObjectStorage): boolean {
  return currentVersion(storage.sql) > 0;
}

/** Bring the schema to {@link SCHEMA_VERSION}. Cheap when it is already there. */
export function migrate(storage: DurableObjectStorage): void {
  const from = currentVersion(storage.sql);
  if (from === SCHEMA_VERSION) return;
  if (from > SCHEMA_VERSION) {
    throw new Error(`This object's storage is at schema ${from}, newer than this code's ${SCHEMA_VERSION}; deploy the newer code.`);
  }
  storage.transactionSync(() => {
    if (from === 0) storage.sql.exec("CREATE TABLE actorstate_schema (version INTEGER NOT NULL)");
    for (const statements of migrations.slice(from)) for (const statement of statements) storage.sql.exec(statement);
    if (from === 0) storage.sql.exec("INSERT INTO actorstate_schema (version) VALUES (?)", SCHEMA_VERSION);
    else storage.sql.exec("UPDATE actorstate_schema SET version = ?", SCHEMA_VERSION);
  });
}
