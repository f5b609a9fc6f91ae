import { decodeValue, encodeValue, toBlob } from "../codec.ts";
import { encodeParts } from "./actor-state.ts";
import { PARKED_CONNECTION_INDEX, PARKED_CONNECTION_TABLE } from "./parked-connections.ts";

/**
 * One migration: SQL statements, or a function for a change SQL cannot express (re-encoding
 * rows). Either runs inside the migration's transaction.
 */
export type Migration = string[] | ((sql: SqlStorage) => void);

/**
 * A versioned SQLite schema. Each migration runs once, in order, inside one transaction
 * with the version bump; a new version is a new entry at the end, never an edit.
 */
export interface Schema {
  /** The table that records the version. */
  versionTable: string;
  migrations: Migration[];
  /**
   * The latest schema in one go, for storage that has none yet: a new object then creates
   * its tables once instead of replaying every migration. A test keeps it identical to what
   * the migrations build.
   */
  latest?: string[];
}

// Tables that migrations and the latest schema both create, written once.
const STATE_TABLE = `CREATE TABLE actorstate_state (
        id INTEGER PRIMARY KEY CHECK (id = 0),
        generation INTEGER NOT NULL,
        value BLOB NOT NULL
      )`;
// Schema 7 stores the state in parts, so a change to one part of a large state writes it alone.
// Schema 8 makes it a rowid table: in a WITHOUT ROWID table a 1 MiB part made every write of
// another part about 0.8 ms slower (measured in workerd), in a rowid table not at all.
const STATE_PART_TABLE = `CREATE TABLE actorstate_state_part (
        part TEXT NOT NULL PRIMARY KEY,
        generation INTEGER NOT NULL,
        value BLOB NOT NULL
      )`;
const KV_TABLE = `CREATE TABLE actorstate_kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID`;
const SCHEDULE_TABLE = `CREATE TABLE actorstate_schedule (
        id TEXT PRIMARY KEY,
        generation INTEGER NOT NULL,
        run_at INTEGER NOT NULL,
        action TEXT NOT NULL,
        args BLOB NOT NULL,
        created_at INTEGER NOT NULL
      )`;
// Schema 4 added the cron column; SQLite keeps the table's text as ALTER TABLE left it.
const SCHEDULE_CRON_COLUMN = "ALTER TABLE actorstate_schedule ADD COLUMN cron TEXT";
const SCHEDULE_TABLE_WITH_CRON = `${SCHEDULE_TABLE.slice(0, SCHEDULE_TABLE.lastIndexOf(")"))}, cron TEXT)`;
const SCHEDULE_INDEX = `CREATE INDEX actorstate_schedule_due ON actorstate_schedule (run_at, id)`;
const TRANSITION_TABLE = `CREATE TABLE actorstate_transition (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        event TEXT NOT NULL,
        generation INTEGER,
        ok INTEGER NOT NULL,
        error TEXT
      )`;
const OUTBOX_TABLE = `CREATE TABLE actorstate_directory_outbox (
        id INTEGER PRIMARY KEY CHECK (id = 0),
        version INTEGER NOT NULL,
        entry BLOB NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0
      )`;
const ACTOR_TABLE = `CREATE TABLE actorstate_actor (
        id INTEGER PRIMARY KEY CHECK (id = 0),
        name TEXT NOT NULL,
        key TEXT NOT NULL,
        lifecycle BLOB NOT NULL,
        resume_at INTEGER,
        updated_at INTEGER NOT NULL
      )`;
const HISTORY_TABLE = `CREATE TABLE actorstate_workflow_history (
        seq INTEGER PRIMARY KEY,
        generation INTEGER NOT NULL,
        at INTEGER NOT NULL,
        event BLOB NOT NULL,
        view BLOB NOT NULL
      )`;
// Schema 6 added the events a step emitted; SQLite keeps the table's text as ALTER TABLE left it.
const HISTORY_EMITTED_COLUMN = "ALTER TABLE actorstate_workflow_history ADD COLUMN emitted BLOB";
const HISTORY_TABLE_WITH_EMITTED = `${HISTORY_TABLE.slice(0, HISTORY_TABLE.lastIndexOf(")"))}, emitted BLOB)`;
const WORKFLOW_TABLES = [
  `CREATE TABLE actorstate_workflow_timer (
        id INTEGER PRIMARY KEY,
        generation INTEGER NOT NULL,
        source TEXT NOT NULL,
        send_id TEXT,
        target TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        event BLOB NOT NULL,
        manual INTEGER NOT NULL DEFAULT 0
      )`,
  `CREATE INDEX actorstate_workflow_timer_due ON actorstate_workflow_timer (due_at, id)`,
  `CREATE INDEX actorstate_workflow_timer_source ON actorstate_workflow_timer (source, send_id)`,
  `CREATE TABLE actorstate_workflow_work (
        run INTEGER PRIMARY KEY,
        generation INTEGER NOT NULL,
        path TEXT NOT NULL,
        invoke_id TEXT NOT NULL,
        src TEXT NOT NULL,
        input BLOB NOT NULL,
        started_at INTEGER NOT NULL,
        UNIQUE (path, invoke_id)
      )`,
];

/** The schema of an object that hosts an actor. */
export const actorSchema: Schema = {
  versionTable: "actorstate_schema",
  migrations: [
    // 1: the actor — record, state, KV, schedules, transition log.
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
      STATE_TABLE,
      KV_TABLE,
      SCHEDULE_TABLE,
      SCHEDULE_INDEX,
      TRANSITION_TABLE,
    ],
    // 2: the directory outbox — the actor's latest directory entry, kept until a shard
    // acknowledges it, written in the same transaction as the lifecycle change it reports.
    [OUTBOX_TABLE],
    // 3: the stored lifecycle machine replaces the separate phase and `destroyed` columns.
    (sql) => {
      sql.exec(ACTOR_TABLE);
      for (const row of sql.exec<LegacyMeta>("SELECT name, key, generation, lifecycle, destroyed, updated_at FROM actorstate_meta")) {
        const state = row.destroyed ? "destroyed" : row.lifecycle === "destroying" ? "destroying" : "running";
        const lifecycle = { state, generation: row.generation, request: null, pendingDestroy: false, attempts: 0 };
        // An interrupted destroy is resumed by the alarm as soon as the new code runs.
        const resumeAt = state === "destroying" ? row.updated_at : null;
        sql.exec(
          "INSERT INTO actorstate_actor (id, name, key, lifecycle, resume_at, updated_at) VALUES (0, ?, ?, ?, ?, ?)",
          row.name,
          row.key,
          toBlob(encodeValue(lifecycle, "stored lifecycle")),
          resumeAt,
          row.updated_at,
        );
      }
      sql.exec("DROP TABLE actorstate_meta");
    },
    // 4: workflow actors — delayed events, promise work under way, and the history of steps.
    [...WORKFLOW_TABLES, HISTORY_TABLE],
    // 5: cron schedules (`c.schedule.cron`) keep their expression; one-off ones have none.
    [SCHEDULE_CRON_COLUMN],
    // 6: each step of a workflow's history keeps the events its machine emitted.
    [HISTORY_EMITTED_COLUMN],
    // 7: the state in parts (one row per top-level key of a plain-object state).
    (sql) => {
      sql.exec(`CREATE TABLE actorstate_state_part (
        part TEXT PRIMARY KEY,
        generation INTEGER NOT NULL,
        value BLOB NOT NULL
      ) WITHOUT ROWID`);
      for (const row of sql.exec<{ generation: number; value: ArrayBuffer }>("SELECT generation, value FROM actorstate_state")) {
        for (const [part, bytes] of encodeParts(decodeValue(row.value))) {
          sql.exec("INSERT INTO actorstate_state_part (part, generation, value) VALUES (?, ?, ?)", part, row.generation, toBlob(bytes));
        }
      }
      sql.exec("DROP TABLE actorstate_state");
    },
    // 8: the parts in a rowid table (see STATE_PART_TABLE); renaming the old table keeps the new one's text as written.
    [
      "ALTER TABLE actorstate_state_part RENAME TO actorstate_state_part_7",
      STATE_PART_TABLE,
      "INSERT INTO actorstate_state_part (part, generation, value) SELECT part, generation, value FROM actorstate_state_part_7",
      "DROP TABLE actorstate_state_part_7",
    ],
    // 9: connections whose socket dropped, kept for their client's reconnect.
    [PARKED_CONNECTION_TABLE, PARKED_CONNECTION_INDEX],
  ],
  latest: [
    ...[ACTOR_TABLE, STATE_PART_TABLE, KV_TABLE, SCHEDULE_TABLE_WITH_CRON, SCHEDULE_INDEX, TRANSITION_TABLE, OUTBOX_TABLE],
    ...[...WORKFLOW_TABLES, HISTORY_TABLE_WITH_EMITTED, PARKED_CONNECTION_TABLE, PARKED_CONNECTION_INDEX],
  ],
};

/** A record as schema 1 and 2 kept it. */
interface LegacyMeta extends Record<string, SqlStorageValue> {
  name: string;
  key: string;
  generation: number;
  lifecycle: string;
  destroyed: number;
  updated_at: number;
}

// Each object's storage is only ever migrated by this code, so once it is known to be at
// the latest version it stays there: no need to ask sqlite_master on every write.
const knownVersions = new WeakMap<SqlStorage, Map<string, number>>();

function currentVersion(sql: SqlStorage, schema: Schema): number {
  const known = knownVersions.get(sql)?.get(schema.versionTable);
  if (known !== undefined) return known;
  const table = sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", schema.versionTable).toArray();
  if (!table.length) return 0;
  return sql.exec<{ version: number }>(`SELECT version FROM ${schema.versionTable}`).one().version;
}

/**
 * Whether this object has ever stored anything under `schema`. Reading never creates the
 * schema, so a `get()` of a key that was never created leaves no storage behind.
 */
export function hasSchema(storage: DurableObjectStorage, schema: Schema = actorSchema): boolean {
  return currentVersion(storage.sql, schema) > 0;
}

/** Bring `schema` to its latest version. Cheap when it is already there. */
export function migrate(storage: DurableObjectStorage, schema: Schema = actorSchema): void {
  const latest = schema.migrations.length;
  const from = currentVersion(storage.sql, schema);
  const known = () => {
    const versions = knownVersions.get(storage.sql) ?? new Map<string, number>();
    knownVersions.set(storage.sql, versions.set(schema.versionTable, latest));
  };
  if (from === latest) return known();
  if (from > latest) {
    throw new Error(`This object's storage is at schema ${from}, newer than this code's ${latest}; deploy the newer code.`);
  }
  storage.transactionSync(() => {
    if (from === 0) storage.sql.exec(`CREATE TABLE ${schema.versionTable} (version INTEGER NOT NULL)`);
    // One call for the whole latest schema: each call into SQLite costs more than the statement.
    if (from === 0 && schema.latest) storage.sql.exec(schema.latest.join(";\n"));
    else for (const migration of schema.migrations.slice(from)) {
      if (typeof migration === "function") migration(storage.sql);
      else for (const statement of migration) storage.sql.exec(statement);
    }
    if (from === 0) storage.sql.exec(`INSERT INTO ${schema.versionTable} (version) VALUES (?)`, latest);
    else storage.sql.exec(`UPDATE ${schema.versionTable} SET version = ?`, latest);
  });
  known();
}
