// What actions and hooks see: the context `c` and everything reachable from it. Plain
// types with no Cloudflare globals, so clients in Node and browsers can import them.
import type { Client } from "./client/index.ts";
import type { Registry } from "./definition.ts";

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
  get(key: KvKey): unknown;
  /** Values in the order of `keys`; `undefined` where a key is absent. */
  getBatch(keys: readonly KvKey[]): unknown[];
  put(key: KvKey, value: unknown): void;
  /** Write many entries in one transaction. */
  putBatch(entries: ReadonlyArray<readonly [KvKey, unknown]>): void;
  /** Whether the key existed. */
  delete(key: KvKey): boolean;
  /** How many of the keys existed. */
  deleteBatch(keys: readonly KvKey[]): number;
  /** Entries in key order: one range query, never a scan. */
  list(options?: KvListOptions): Array<[KvKey, unknown]>;
}

/** A scheduled action as `c.schedule.list()` shows it. */
export interface ScheduledAction {
  id: string;
  /** When it runs, in epoch milliseconds. */
  runAt: number;
  action: string;
  args: unknown[];
}

/** A client connection, as actions and hooks see it (`c.conn`, `c.conns`). */
export interface Connection {
  readonly id: string;
  /** What the client passed to `connect(params)`; checked by `onBeforeConnect`. */
  readonly params: unknown;
  /** Send an event to this connection alone (if it listens for it). */
  send(event: string, ...args: unknown[]): void;
  /** End this connection. */
  close(reason?: string): void;
}

/** Structured logging for actors; each line carries the actor's name, key and id. */
export interface ActorLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** What every hook and action can see about the actor, whatever its state. */
export interface ActorIdentity {
  readonly name: string;
  readonly key: readonly string[];
  /** `${doId}:${generation}`. */
  readonly actorId: string;
  readonly generation: number;
  readonly log: ActorLogger;
}

/** The context handed to `createState`: the actor's identity and its KV, but no state yet. */
export interface CreateContext extends ActorIdentity {
  readonly kv: ActorKv;
}

/**
 * `c` in actions and hooks.
 *
 * @example
 * ```ts
 * increment: (c, by: number) => {
 *   c.state.count += by; // saved before the reply is sent
 *   return c.state.count;
 * }
 * ```
 */
export interface ActorContext<S> extends CreateContext {
  /** The actor's state. Mutate it or assign a new value; it is saved when the action ends. */
  state: S;
  /** Destroy this actor once the current action (and any other in flight) has finished. */
  destroy(): void;
  /**
   * A client for calling other actors (or this one) from inside, over Durable Object RPC.
   * Type it with your registry: `c.client<typeof registry>()`.
   */
  client<R extends Registry<any>>(): Client<R>;
  /** The connection this action was called over; `undefined` over HTTP or RPC. */
  readonly conn: Connection | undefined;
  /** Every open connection, by id. */
  readonly conns: ReadonlyMap<string, Connection>;
  /** Send an event to every connection listening for it. */
  broadcast(event: string, ...args: unknown[]): void;
  /** Run actions later, on the object's alarm. */
  readonly schedule: ActorSchedule;
}

/**
 * `c.schedule`: actions that run later, kept in the actor's storage and run in order on the
 * object's single alarm. Each runs once; a destroy cancels them all.
 *
 * @example
 * ```ts
 * const id = c.schedule.after(60_000, "remind", "stand up");
 * c.schedule.cancel(id);
 * ```
 */
export interface ActorSchedule {
  /** Run `action(...args)` in `ms` milliseconds. Returns the schedule's id. */
  after(ms: number, action: string, ...args: unknown[]): string;
  /** Run `action(...args)` at `epochMs`. Returns the schedule's id. */
  at(epochMs: number, action: string, ...args: unknown[]): string;
  /** Pending schedules, earliest first. */
  list(): ScheduledAction[];
  /** Whether there was such a pending schedule. */
  cancel(id: string): boolean;
}

