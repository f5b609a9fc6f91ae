// What users write actors and clients against: the context `c` of actions and hooks, an
// actor's definition, the registry, and the client typed from them. One module because
// these types refer to each other (the context's client is typed from the registry, whose
// definitions take the context). Plain types with no Cloudflare globals, so clients in
// Node and browsers can import them.
import type { ListOptions, ListPage } from "./directory/entry.ts";
import type { ActorError } from "./errors.ts";
import type { ActorKeyInput } from "./identity.ts";
import type { ActorInspection } from "./requests.ts";
import type { WorkflowSpec } from "./workflow/spec.ts";


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

// ---- Defining actors ----

/**
 * The Standard Schema interface (standardschema.dev), which zod 4, valibot and arktype
 * implement: actorstate validates create input and action arguments through it, so the
 * runtime does not bundle any one validation library.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => StandardSchemaV1.Result<Output> | Promise<StandardSchemaV1.Result<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

export declare namespace StandardSchemaV1 {
  type Result<Output> = { readonly value: Output; readonly issues?: undefined } | { readonly issues: ReadonlyArray<Issue> };
  interface Issue {
    readonly message: string;
    readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
  }
  type InferOutput<S extends StandardSchemaV1> = NonNullable<S["~standard"]["types"]>["output"];
}

/** An action without argument validation: `(c, ...args) => result`. */
export type ActionFunction<S> = (c: ActorContext<S>, ...args: any[]) => unknown;

/** An action whose arguments are checked by a schema for the argument tuple. */
export interface ValidatedAction<S, Args extends unknown[]> {
  args: StandardSchemaV1<unknown, Args>;
  handler: (c: ActorContext<S>, ...args: Args) => unknown;
}

export type ActionEntry<S> = ActionFunction<S> | ValidatedAction<S, any>;

/** Limits an actor runs under. */
export interface ActorOptions {
  /** How long one action may run before its caller gets `action/timed_out`. Default 60 s. */
  actionTimeoutMs?: number;
  /** How long `onDestroy` may run before the destroy goes on without it. Default 5 s. */
  onDestroyTimeoutMs?: number;
}

/**
 * Everything `actor()` accepts. `A` records the actions exactly as written (for typed
 * clients); the intersection gives each action its contextual `c`. Constraining `A` by the
 * state type instead would stop TypeScript inferring the state from `createState` whenever
 * `createState` reads its input.
 */
export interface ActorConfig<S, I, A> {
  /** Validates the input given to `create`/`getOrCreate`; a failure is `request/invalid`. */
  input?: StandardSchemaV1<unknown, I>;
  /** The initial state, copied for every new generation. */
  state?: S;
  /** Builds the initial state from the create input; used instead of `state`. */
  createState?: (c: CreateContext, input: I) => S | Promise<S>;
  actions: A & Record<string, ActionEntry<S>>;
  /** Runs once per generation, after the initial state is stored. */
  onCreate?: (c: ActorContext<S>, input: I) => unknown;
  /** Runs every time the actor comes into memory: after creation and after each wake. */
  onWake?: (c: ActorContext<S>) => unknown;
  /** Runs before a destroy wipes the actor; errors and timeouts are logged and the destroy goes on. */
  onDestroy?: (c: ActorContext<S>) => unknown;
  /** Runs when a client connects, before it is accepted: throw to refuse (`auth/forbidden`). */
  onBeforeConnect?: (c: ActorContext<S>, params: any) => unknown;
  /** Runs once a connection is accepted. */
  onConnect?: (c: ActorContext<S>, conn: Connection) => unknown;
  /** Runs when a connection ends (not when a destroy closes it). */
  onDisconnect?: (c: ActorContext<S>, conn: Connection) => unknown;
  options?: ActorOptions;
}

/** A defined actor type. */
export interface ActorDefinition<S, I, A> extends ActorConfig<S, I, A> {
  readonly kind: "actorstate.actor";
  readonly options: Required<ActorOptions>;
  /** Set for a workflow actor (`workflow({ ... })`): the machine it runs and how. */
  readonly workflow?: WorkflowSpec;
}

export type AnyActorDefinition = ActorDefinition<any, any, Record<string, any>>;

/** The set of actor types a Worker serves, by name. */
export interface Registry<Actors extends Record<string, AnyActorDefinition> = Record<string, AnyActorDefinition>> {
  readonly kind: "actorstate.registry";
  readonly actors: Actors;
}

// ---- The typed client ----


/** The arguments a caller passes to an action: everything after `c`. */
export type ActionArgs<E> = E extends ValidatedAction<any, infer Args>
  ? Args
  : E extends (c: any, ...args: infer Args) => any
    ? Args
    : never;

/** What a caller receives from an action: its return value, awaited. */
export type ActionReturn<E> = E extends ValidatedAction<any, any>
  ? Awaited<ReturnType<E["handler"]>>
  : E extends (...args: any[]) => infer R
    ? Awaited<R>
    : never;

/** The actions of an actor type, exactly as written. */
export type ActionsOf<D> = D extends ActorDefinition<any, any, infer A> ? A : never;

/** The create input an actor type accepts. */
export type InputOf<D> = D extends ActorDefinition<any, infer I, any> ? I : never;

/** A live connection: the actor's actions as methods, plus events, errors and dispose. */
export type ActorConnection<D extends AnyActorDefinition> = {
  [K in keyof ActionsOf<D> & string]: (...args: ActionArgs<ActionsOf<D>[K]>) => Promise<ActionReturn<ActionsOf<D>[K]>>;
} & {
  /** Listen for an event the actor broadcasts or sends; returns the unsubscribe function. */
  on(event: string, listener: (...args: any[]) => void): () => void;
  /** Listen for the next occurrence only. */
  once(event: string, listener: (...args: any[]) => void): () => void;
  /** Hear connection errors: refused, destroyed, no longer reachable. */
  onError(listener: (error: ActorError) => void): () => void;
  /** Close the connection; calls still waiting are rejected. */
  dispose(): Promise<void>;
  /** Resolves once the actor accepted the connection (after `onBeforeConnect`). */
  ready(): Promise<void>;
  /** The id of the generation this connection reached. */
  readonly actorId: string | undefined;
};

/** Operations every handle has besides the actor's own actions. */
export interface HandleMethods {
  /** The actor id (`{doId}:{generation}`) of the generation this handle reaches now. */
  resolve(): Promise<string>;
  /** Destroy the actor; resolves once it is destroyed. */
  destroy(): Promise<void>;
  /** The actor's lifecycle state, generation and identity. */
  inspect(): Promise<ActorInspection>;
}

/** A handle to one actor: its actions as methods, typed from its definition. */
export type ActorHandle<D extends AnyActorDefinition> = {
  [K in keyof ActionsOf<D> & string]: (...args: ActionArgs<ActionsOf<D>[K]>) => Promise<ActionReturn<ActionsOf<D>[K]>>;
} & HandleMethods & {
  /** Open a connection; `params` reach `onBeforeConnect` and `c.conn.params`. */
  connect(params?: unknown): ActorConnection<D>;
};

/** Options for `getOrCreate` and `create`. */
export interface CreateOptions<D> {
  input?: InputOf<D>;
}

/** How a client reaches actors of one type. */
export interface ActorAccessor<D extends AnyActorDefinition> {
  /** A handle that follows the key, creating (or resurrecting) the actor on first use. */
  getOrCreate(key?: ActorKeyInput, options?: CreateOptions<D>): ActorHandle<D>;
  /** A handle that follows the key and never creates: `actor/not_found` if absent or destroyed. */
  get(key?: ActorKeyInput): ActorHandle<D>;
  /** A handle pinned to one generation: once it is destroyed, `actor/not_found`, never a newer one. */
  getForId(id: string): ActorHandle<D>;
  /**
   * A page of this type's actors from the directory, optionally in one lifecycle phase; pass
   * the returned cursor for the next page.
   */
  list(options?: ListOptions): Promise<ListPage>;
  /** Create the actor and return a handle pinned to its new generation; `actor/already_exists` if live. */
  create(key?: ActorKeyInput, options?: CreateOptions<D>): Promise<ActorHandle<D>>;
}

/** A client for every actor type in a registry. */
export type Client<R extends Registry<any>> = {
  [Name in keyof R["actors"] & string]: ActorAccessor<R["actors"][Name]>;
};
