import { decodeValue, encodeValue, toBlob } from "../codec.ts";
import type { ActorKv as ActorKvApi, KvKey, KvListOptions, KvRange } from "../types/kv.ts";

/** SQLite binds at most 100 parameters per statement. */
const MAX_PARAMETERS = 100;
/** SQLite's limit for one value in a Durable Object. */
export const MAX_VALUE_BYTES = 2 * 1024 * 1024;

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

function keyBytes(key: KvKey): Uint8Array {
  if (typeof key === "string") return utf8.encode(key);
  if (key instanceof Uint8Array) return key;
  throw new TypeError("A KV key must be a string or a Uint8Array.");
}

function keyBlob(key: KvKey): ArrayBuffer {
  return toBlob(keyBytes(key));
}

/**
 * The smallest key greater than every key that starts with `prefix`: drop trailing 0xFF
 * bytes (nothing sorts between them and the end), then add one to the last byte left.
 * `undefined` when the prefix is empty or all 0xFF: the range is then open-ended.
 */
export function prefixUpperBound(prefix: Uint8Array): Uint8Array | undefined {
  let end = prefix.byteLength;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const upper = prefix.slice(0, end);
  upper[end - 1] = (upper[end - 1] ?? 0) + 1;
  return upper;
}

function encodeStored(value: unknown, key: KvKey): Uint8Array {
  const bytes = encodeValue(value, "KV value");
  if (bytes.byteLength > MAX_VALUE_BYTES) {
    throw new RangeError(`KV value for ${String(key).slice(0, 64)} is ${bytes.byteLength} bytes; the limit is ${MAX_VALUE_BYTES}.`);
  }
  return bytes;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * `c.kv` on SQLite. Every call first checks that the actor generation it belongs to is
 * still the live one, so a stale context can never write into a newer generation.
 */
export class ActorKv implements ActorKvApi {
  private readonly storage: DurableObjectStorage;
  private readonly assertLive: () => void;

  constructor(storage: DurableObjectStorage, assertLive: () => void) {
    this.storage = storage;
    this.assertLive = assertLive;
  }

  get<T = unknown>(key: KvKey): T | undefined {
    this.assertLive();
    const row = this.storage.sql
      .exec<{ value: ArrayBuffer }>("SELECT value FROM actorstate_kv WHERE key = ?", keyBlob(key))
      .toArray()[0];
    return row ? (decodeValue(row.value) as T) : undefined;
  }

  /** Values in the order of `keys`; `undefined` where a key is absent. */
  getBatch<T = unknown>(keys: readonly KvKey[]): Array<T | undefined> {
    this.assertLive();
    const found = new Map<string, T>();
    for (const group of chunks(keys.map(keyBlob), MAX_PARAMETERS)) {
      const rows = this.storage.sql.exec<{ key: ArrayBuffer; value: ArrayBuffer }>(
        `SELECT key, value FROM actorstate_kv WHERE key IN (${group.map(() => "?").join(",")})`,
        ...group,
      );
      for (const row of rows) found.set(hex(new Uint8Array(row.key)), decodeValue(row.value) as T);
    }
    return keys.map((key) => found.get(hex(keyBytes(key))));
  }

  put(key: KvKey, value: unknown): void {
    this.assertLive();
    this.storage.sql.exec(
      "INSERT INTO actorstate_kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      keyBlob(key),
      toBlob(encodeStored(value, key)),
    );
  }

  /** Write many entries in one transaction. */
  putBatch(entries: ReadonlyArray<readonly [KvKey, unknown]>): void {
    this.assertLive();
    const rows = entries.map(([key, value]) => [keyBlob(key), toBlob(encodeStored(value, key))] as const);
    this.storage.transactionSync(() => {
      for (const group of chunks(rows, MAX_PARAMETERS / 2)) {
        this.storage.sql.exec(
          `INSERT INTO actorstate_kv (key, value) VALUES ${group.map(() => "(?, ?)").join(",")}
           ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
          ...group.flat(),
        );
      }
    });
  }

  /** Whether the key existed. */
  delete(key: KvKey): boolean {
    this.assertLive();
    return this.storage.sql.exec("DELETE FROM actorstate_kv WHERE key = ?", keyBlob(key)).rowsWritten > 0;
  }

  /** How many of the keys existed. */
  deleteBatch(keys: readonly KvKey[]): number {
    this.assertLive();
    let deleted = 0;
    this.storage.transactionSync(() => {
      for (const group of chunks(keys.map(keyBlob), MAX_PARAMETERS)) {
        deleted += this.storage.sql.exec(
          `DELETE FROM actorstate_kv WHERE key IN (${group.map(() => "?").join(",")})`,
          ...group,
        ).rowsWritten;
      }
    });
    return deleted;
  }

  /** Delete every key of a range (`list()`'s bounds); how many there were. One statement, never a scan. */
  deleteRange(range: KvRange): number {
    this.assertLive();
    const { sql, parameters } = deleteRangeQuery(range);
    return this.storage.sql.exec(sql, ...parameters).rowsWritten;
  }

  /** Entries in key order, as one range query on the primary key (see {@link listQuery}). */
  list<T = unknown>(options: KvListOptions = {}): Array<[KvKey, T]> {
    this.assertLive();
    const { sql, parameters } = listQuery(options);
    const rows = this.storage.sql.exec<{ key: ArrayBuffer; value: ArrayBuffer }>(sql, ...parameters);
    const asBytes = options.keys === "bytes" || (options.keys === undefined && [options.prefix, options.start, options.end].some((k) => k instanceof Uint8Array));
    return [...rows].map((row) => {
      const key = new Uint8Array(row.key);
      return [asBytes ? key : utf8Decoder.decode(key), decodeValue(row.value) as T];
    });
  }

}

/** One stored KV entry as the inspector reads it: the value only when it is small enough to show. */
export interface StoredKvEntry {
  key: Uint8Array;
  /** The encoded value's size in bytes. */
  size: number;
  /** The encoded value, or `undefined` when it is larger than the page's `valueBytes`. */
  value: Uint8Array | undefined;
}

/**
 * A page of the KV store in key order, for the inspector: up to `limit` entries after
 * `after`, as one range query on the primary key. Values over `valueBytes` are left
 * unread, so a page of large values stays small.
 */
export function readKvPage(storage: DurableObjectStorage, options: { after?: Uint8Array; limit: number; valueBytes: number }): StoredKvEntry[] {
  const after = options.after ? "WHERE key > ?" : "";
  const rows = storage.sql.exec<{ key: ArrayBuffer; size: number; value: ArrayBuffer | null }>(
    `SELECT key, length(value) AS size, CASE WHEN length(value) <= ? THEN value END AS value
     FROM actorstate_kv ${after} ORDER BY key LIMIT ?`,
    options.valueBytes,
    ...(options.after ? [toBlob(options.after)] : []),
    options.limit,
  );
  return [...rows].map((row) => ({ key: new Uint8Array(row.key), size: row.size, value: row.value === null ? undefined : new Uint8Array(row.value) }));
}

/**
 * The keys a range covers, as a condition on the primary key: a prefix becomes
 * `key >= prefix AND key < upper(prefix)`, so only the matching rows are read.
 */
function rangeCondition(range: KvRange, operation: string): { where: string; parameters: SqlStorageValue[] } {
  if (range.prefix !== undefined && (range.start !== undefined || range.end !== undefined)) {
    throw new TypeError(`kv.${operation}() takes either prefix or start/end, not both.`);
  }
  const lower = range.prefix ?? range.start;
  const upper = range.prefix !== undefined ? prefixUpperBound(keyBytes(range.prefix)) : range.end;
  const conditions: string[] = [];
  const parameters: SqlStorageValue[] = [];
  if (lower !== undefined) {
    conditions.push("key >= ?");
    parameters.push(keyBlob(lower));
  }
  if (upper !== undefined) {
    conditions.push("key < ?");
    parameters.push(keyBlob(upper));
  }
  return { where: conditions.length ? `WHERE ${conditions.join(" AND ")}` : "", parameters };
}

/**
 * The statement `list()` runs: one range query on the primary key (see
 * {@link rangeCondition}). Exported so a test can check its query plan.
 */
export function listQuery(options: KvListOptions): { sql: string; parameters: SqlStorageValue[] } {
  const { where, parameters } = rangeCondition(options, "list");
  const limit = options.limit === undefined ? "" : "LIMIT ?";
  if (options.limit !== undefined) parameters.push(Math.max(0, Math.floor(options.limit)));
  return { sql: `SELECT key, value FROM actorstate_kv ${where} ORDER BY key ${options.reverse ? "DESC" : "ASC"} ${limit}`, parameters };
}

/** The statement `deleteRange()` runs: the same range as `list()`, deleted. Exported for its query plan. */
export function deleteRangeQuery(range: KvRange): { sql: string; parameters: SqlStorageValue[] } {
  const { where, parameters } = rangeCondition(range, "deleteRange");
  return { sql: `DELETE FROM actorstate_kv ${where}`, parameters };
}

function hex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += byte.toString(16).padStart(2, "0");
  return out;
}
