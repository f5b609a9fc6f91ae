// The plain data of an actor's KV and schedules, as `c.kv` and `c.schedule` hand it out.
/** A KV key: a string (stored as its UTF-8 bytes) or raw bytes. Keys sort bytewise. */
export type KvKey = string | Uint8Array;

/** Which keys `c.kv.list()` returns, and in what order. */
export interface KvListOptions {
  /** Every key that starts with these bytes. Not combined with `start`/`end`. */
  prefix?: KvKey;
  /** Keys at or after this one. */
  start?: KvKey;
  /** Keys before this one. */
  end?: KvKey;
  /** Descending key order. */
  reverse?: boolean;
  limit?: number;
  /** How keys come back; by default strings, unless a bound was given as bytes. */
  keys?: "string" | "bytes";
}

/** The bounds of a range of keys, as `list()` takes them: a prefix, or start and end. */
export type KvRange = Pick<KvListOptions, "prefix" | "start" | "end">;

/**
 * The actor's key-value store (`c.kv`), in its Durable Object's SQLite. Synchronous, like
 * the storage beneath it.
 *
 * @example
 * ```ts
 * c.kv.put("user:42", { name: "Ada" });
 * c.kv.list({ prefix: "user:", limit: 10 }); // [["user:42", { name: "Ada" }]]
 * ```
 */
export interface ActorKv {
  /**
   * The value under `key`, or `undefined`. `T` says what you stored there; it is not
   * checked (`c.kv.get<{ name: string }>("user:42")`).
   */
  get<T = unknown>(key: KvKey): T | undefined;
  /** Values in the order of `keys`; `undefined` where a key is absent. */
  getBatch<T = unknown>(keys: readonly KvKey[]): Array<T | undefined>;
  put(key: KvKey, value: unknown): void;
  /** Write many entries in one transaction. */
  putBatch(entries: ReadonlyArray<readonly [KvKey, unknown]>): void;
  /** Whether the key existed. */
  delete(key: KvKey): boolean;
  /** How many of the keys existed. */
  deleteBatch(keys: readonly KvKey[]): number;
  /**
   * Delete every key in a range — `list()`'s bounds: `{ prefix }`, or `{ start?, end? }`
   * (`{}` is every key) — in one statement; how many there were. RivetKit's `deleteRange`.
   */
  deleteRange(range: KvRange): number;
  /** Entries in key order: one range query, never a scan. `T` types the values, unchecked. */
  list<T = unknown>(options?: KvListOptions): Array<[KvKey, T]>;
}

/** A scheduled action as `c.schedule.list()` shows it. */
export interface ScheduledAction {
  id: string;
  /** When it runs, in epoch milliseconds. */
  runAt: number;
  action: string;
  args: unknown[];
  /** The cron expression of a repeating schedule (`c.schedule.cron`); `runAt` is its next run. */
  cron?: string;
}
