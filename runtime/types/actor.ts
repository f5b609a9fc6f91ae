// What users write actors and clients against: the context `c` of actions and hooks, an
// actor's definition, the registry, and the client typed from them. One module because
// these types refer to each other (the context's client is typed from the registry, whose
// definitions take the context); the types they share that refer to nothing of theirs live
// in ./types/ and are re-exported here. Plain types with no Cloudflare globals, so clients in
// Node and browsers can import them.
import type { ListOptions, ListPage } from "./directory.ts";
import type { ActorError } from "../errors.ts";
import type { ActorKeyInput } from "../identity.ts";
import type { WorkflowSpec } from "./workflow.ts";
import type { ActorEnv } from "./env.ts";
import type { ActorTypes, AnyActorTypes, DefaultActorTypes, EventArgsOf, EventNameOf } from "./events.ts";
import type { ActorLogger, ActorOptions, BeforeConnectDetails, Caller, ConnStateDetails } from "./hooks.ts";
import type { ActorKv } from "./kv.ts";
import type { ActorSql } from "./sql.ts";
import type { ConnectionStatus, HandleMethods } from "./handles.ts";
import type { ActorWebSocket, WebSocketDetails } from "./websocket.ts";
import type { ActorSchedule } from "./schedule.ts";
import type { StandardSchemaV1 } from "./schema.ts";

export type * from "./env.ts";
export type * from "./events.ts";
export type * from "./hooks.ts";
export type * from "./kv.ts";
export type * from "./sql.ts";
export type * from "./handles.ts";
export type * from "./websocket.ts";
export type * from "./schema.ts";
export type * from "./schedule.ts";

/**
 * A client connection, as actions and hooks see it (`c.conn`, `c.conns`, the `conn` of
 * `onConnect` and `onDisconnect`).
 */
export interface Connection<T extends AnyActorTypes = DefaultActorTypes> {
  readonly id: string;
  /** What the client passed to `connect(params)`, as `onBeforeConnect` approved them. */
  readonly params: T["params"];
  /**
   * This connection's own state, made by `createConnState(c, params)` when it opens. Mutate
   * it or assign it: it is saved when the action or hook ends, in the socket's hibernation
   * attachment, so it survives the object being evicted (at most 2 KiB encoded).
   */
  state: T["connState"];
  /**
   * What `onBeforeConnect` returned when this connection opened (who the caller is);
   * `undefined` for connections from inside the Worker, which skip the hook.
   */
  readonly auth: unknown;
  /** Send an event to this connection alone (if it listens for it). */
  send<K extends EventNameOf<T["events"]>>(event: K, ...args: EventArgsOf<T["events"], K>): void;
  /** End this connection. */
  close(reason?: string): void;
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

/** The context handed to `createState`: the actor's identity, its KV and env, but no state yet. */
export interface CreateContext extends ActorIdentity {
  readonly kv: ActorKv;
  /** The actor's own SQL tables in its object's SQLite ({@link ActorSql}). */
  readonly sql: ActorSql;
  /** The Worker's env: bindings, vars and secrets, typed as {@link ActorEnv}. */
  readonly env: ActorEnv;
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
export interface ActorContext<S, T extends AnyActorTypes = DefaultActorTypes> extends CreateContext {
  /** The actor's state. Mutate it or assign a new value; it is saved when the action ends. */
  state: S;
  /** This instance's `vars` (or what `createVars` made): in memory only, rebuilt on every wake. */
  readonly vars: T["vars"];
  /** Destroy this actor once the current action (and any other in flight) has finished. */
  destroy(): void;
  /**
   * A client for calling other actors (or this one) from inside, over Durable Object RPC.
   * Type it with your registry: `c.client<typeof registry>()`.
   */
  client<R extends Registry<any>>(): Client<R>;
  /** The connection this action was called over; `undefined` over HTTP or RPC. */
  readonly conn: Connection<T> | undefined;
  /**
   * Who called, for public calls (HTTP, a connection, `onRequest`): `c.caller.auth` is what
   * `onBeforeConnect` returned. `undefined` for calls from inside the Worker (`{ binding }`
   * clients, `c.client()`) and for scheduled actions, which are trusted.
   */
  readonly caller: Caller | undefined;
  /**
   * Every open connection of this generation, by connection id: a `ReadonlyMap`, read
   * afresh each time (`c.conns.size`, `c.conns.get(id)`, `[...c.conns.values()]`).
   */
  readonly conns: ReadonlyMap<string, Connection<T>>;
  /**
   * Send an event to every connection listening for it. With declared `events`, only those
   * names, each with its one payload: `c.broadcast("changed", c.state.count)`.
   */
  broadcast<K extends EventNameOf<T["events"]>>(event: K, ...args: EventArgsOf<T["events"], K>): void;
  /**
   * `broadcast`, except to `except`: a connection (typically `c.conn`, the caller), several,
   * or `undefined` for nobody — so `c.broadcastExcept(c.conn, …)` also works over HTTP.
   *
   * @example
   * ```ts
   * move: (c, x: number, y: number) => {
   *   c.broadcastExcept(c.conn, "moved", { id: c.conn?.id, x, y }); // everyone but the mover
   * }
   * ```
   */
  broadcastExcept<K extends EventNameOf<T["events"]>>(
    except: Connection<any> | Iterable<Connection<any>> | undefined,
    event: K,
    ...args: EventArgsOf<T["events"], K>
  ): void;
  /** Run actions later, on the object's alarm. */
  readonly schedule: ActorSchedule<T["actionArgs"]>;
}

// ---- Defining actors ----

/** An action without argument validation: `(c, ...args) => result`. */
export type ActionFunction<S, T extends AnyActorTypes = DefaultActorTypes> = (c: ActorContext<S, T>, ...args: any[]) => unknown;

/**
 * An action whose arguments are checked by a schema for the argument tuple; inside
 * `actor()` the handler's arguments are typed from the schema.
 */
export interface ValidatedAction<S, Args extends unknown[], T extends AnyActorTypes = DefaultActorTypes> {
  args: StandardSchemaV1<unknown, Args>;
  handler: (c: ActorContext<S, T>, ...args: Args) => unknown;
}

export type ActionEntry<S, T extends AnyActorTypes = DefaultActorTypes> = ActionFunction<S, T> | ValidatedAction<S, any, T>;

type ArgumentTuple<Args> = Args extends unknown[] ? Args : never;

/** Every action name, with its argument tuple where a schema gives one (`unknown` otherwise). */
export type ActionArgsMap<N extends string, Args> = { [K in N]: K extends keyof Args ? Args[K] : unknown };

/**
 * What `actor()` checks each action against. `Args` is inferred per action from a
 * validated action's schema, so its handler's arguments are typed from it; for a function
 * action it stays unknown and the function's own annotations count.
 */
export type ActionEntryFor<S, T extends AnyActorTypes, Args> =
  | ((c: ActorContext<S, T>, ...args: ArgumentTuple<Args>) => unknown)
  | { args: StandardSchemaV1<unknown, Args>; handler: (c: ActorContext<S, T>, ...args: ArgumentTuple<Args>) => unknown };

/**
 * Everything `actor()` accepts. `A` records the actions exactly as written (for typed
 * clients); the intersection gives each action its contextual `c`. Constraining `A` by the
 * state type instead would stop TypeScript inferring the state from `createState` whenever
 * `createState` reads its input.
 *
 * The other parameters are the types `c` carries, each inferred where it is written:
 * `N` (the action names), `Args` (per action, from validated actions' schemas) and `E`
 * (from `events`) before any function is looked at; `P` from the annotated `params` of
 * `onBeforeConnect` (or `createConnState`), `CS` from what `createConnState` returns.
 * TypeScript settles those two at the first function whose `c` uses them, reading the
 * object top to bottom: write `onBeforeConnect` and `createConnState` before `actions` and
 * the other hooks. `B` is `onBeforeConnect` as written, so clients get its params type
 * wherever it stands.
 */
export interface ActorConfig<S, I, A, N extends string = string, Args = Record<string, unknown>, E = undefined, P = unknown, CS = unknown, B = unknown, V = unknown> {
  /** Validates the input given to `create`/`getOrCreate`; a failure is `request/invalid`. */
  input?: StandardSchemaV1<unknown, I>;
  /** The initial state, copied for every new generation. */
  state?: S;
  /** Builds the initial state from the create input; used instead of `state`. */
  createState?: (c: CreateContext, input: I) => S | Promise<S>;
  /**
   * `c.vars`: values of one instance in memory, never stored — copied (`structuredClone`)
   * for every instance, so plain values only; for anything else use `createVars`.
   * RivetKit's `vars`.
   */
  vars?: V;
  /**
   * Builds `c.vars` every time the actor comes into memory (created or woken), before
   * `onCreate` and `onWake`: an SDK client, a router, a cache. Never stored, gone at
   * eviction. RivetKit's `createVars`.
   */
  createVars?: (c: CreateContext) => V | Promise<V>;
  /**
   * The events this actor sends, by name: a schema of the payload, or `event<T>()`. Once
   * declared, `c.broadcast`, `conn.send` and clients' `conn.on` take only these names, each
   * with its one payload; without `events`, any name and arguments.
   */
  events?: E;
  // Three views of one object: `A` as written, `N` its keys (known even when every action
  // is a function TypeScript cannot read yet), `Args` per action from its schema.
  actions: A & { [K in N]: unknown } & { [K in keyof Args]: ActionEntryFor<S, ActorTypes<E, P, CS, ActionArgsMap<N, Args>, V>, Args[K]> };
  /** Runs once per generation, after the initial state is stored. */
  onCreate?: (c: ActorContext<S, ActorTypes<E, P, CS, ActionArgsMap<N, Args>, V>>, input: I) => unknown;
  /** Runs every time the actor comes into memory: after creation and after each wake. */
  onWake?: (c: ActorContext<S, ActorTypes<E, P, CS, ActionArgsMap<N, Args>, V>>) => unknown;
  /** Runs before a destroy wipes the actor; errors and timeouts are logged and the destroy goes on. */
  onDestroy?: (c: ActorContext<S, ActorTypes<E, P, CS, ActionArgsMap<N, Args>, V>>) => unknown;
  /**
   * Runs after every stored change of `c.state` (by an action, a hook or a schedule), with
   * the new state; never for a change that was not stored. What it changes in `c.state` is
   * saved without calling it again; what it throws is logged. RivetKit's `onStateChange`.
   */
  onStateChange?: (c: ActorContext<S, ActorTypes<E, P, CS, ActionArgsMap<N, Args>, V>>, newState: S) => void;
  /**
   * Runs before every public call — each HTTP call, each connection, each request to
   * `onRequest` — with the caller's params and request: throw to refuse it
   * (`auth/forbidden`, your message kept). What it returns is the caller's auth data:
   * `c.caller.auth`, and `conn.auth` for a connection. Calls from inside the Worker
   * (`{ binding }` clients, `c.client()`) are trusted and skip it. Annotate `params`:
   * clients' `connect(params)` and `{ params }` are typed from it.
   */
  // A method's parameters are checked both ways, so an annotated `params` is accepted even
  // when TypeScript settled `P` before reaching this hook (it then stays unknown in `c`).
  onBeforeConnect?: B & { hook(c: ActorContext<S, ActorTypes<E, unknown, unknown, ActionArgsMap<N, Args>, V>>, params: P, details: BeforeConnectDetails): unknown }["hook"];
  /**
   * Makes a connection's `conn.state` from its params, once `onBeforeConnect` accepted it
   * and before `onConnect`. Plain data, at most 2 KiB encoded (it lives in the socket's
   * hibernation attachment). Its third argument has the upgrade's request, as
   * `onBeforeConnect` sees it — `undefined` for a connection from inside the Worker.
   */
  createConnState?: { hook(c: ActorContext<S, ActorTypes<E, unknown, unknown, ActionArgsMap<N, Args>, V>>, params: P, details: ConnStateDetails): CS | Promise<CS> }["hook"];
  /**
   * Whether a connection may listen for `event` (RivetKit's `canSubscribe`): asked for each
   * event a connection subscribes to, in its hello and later; a `false` refuses that event
   * with `auth/forbidden` and the connection goes on without it. Without it, any event.
   */
  // A method's parameters are checked both ways, so the event's name type may be narrower than the host's string.
  canSubscribe?: { hook(c: ActorContext<S, ActorTypes<E, P, CS, ActionArgsMap<N, Args>, V>>, conn: Connection<ActorTypes<E, P, CS, ActionArgsMap<N, Args>, V>>, event: EventNameOf<E>): boolean | Promise<boolean> }["hook"];
  /** Runs once a connection is accepted. */
  onConnect?: (c: ActorContext<S, ActorTypes<E, P, CS, ActionArgsMap<N, Args>, V>>, conn: Connection<ActorTypes<E, P, CS, ActionArgsMap<N, Args>, V>>) => unknown;
  /** Runs when a connection ends (not when a destroy closes it). */
  onDisconnect?: (c: ActorContext<S, ActorTypes<E, P, CS, ActionArgsMap<N, Args>, V>>, conn: Connection<ActorTypes<E, P, CS, ActionArgsMap<N, Args>, V>>) => unknown;
  /**
   * Serves HTTP at `/v1/actors/{name}/key/{key}/request/*` (and `/id/{id}/request/*`),
   * after `onBeforeConnect`; `request.url`'s path is the part after `/request`. Runs like
   * an action: the state is saved once the response is returned.
   */
  onRequest?: (c: ActorContext<S, ActorTypes<E, P, CS, ActionArgsMap<N, Args>, V>>, request: Request) => Response | Promise<Response>;
  /**
   * Takes raw WebSockets at `/v1/actors/{name}/key/{key}/websocket/*` (and by id), after
   * `onBeforeConnect`; attach listeners to `websocket`. Runs again, `resumed`, for each open
   * socket when the actor wakes, right after `onWake` (RivetKit's name).
   */
  onWebSocket?: (c: ActorContext<S, ActorTypes<E, P, CS, ActionArgsMap<N, Args>, V>>, websocket: ActorWebSocket, details: WebSocketDetails) => unknown;
  options?: ActorOptions;
}

/** A defined actor type. */
export interface ActorDefinition<S, I, A, T extends AnyActorTypes = DefaultActorTypes>
  extends ActorConfig<S, I, A, keyof T["actionArgs"] & string, T["actionArgs"], T["events"], T["params"], T["connState"], unknown, T["vars"]> {
  readonly kind: "actorstate.actor";
  readonly options: Required<ActorOptions>;
  /** Set for a workflow actor (`workflow({ ... })`): the machine it runs and how. */
  readonly workflow?: WorkflowSpec;
  /** Types only, never set: what clients and contexts of this actor type are typed with. */
  readonly "~types"?: T;
}

export type AnyActorDefinition = ActorDefinition<any, any, Record<string, any>, any>;

/** The params type of an `onBeforeConnect` hook as written, or `Fallback` without one. */
export type HookParams<B, Fallback> = B extends (c: any, params: infer P, ...rest: any[]) => any ? P : Fallback;

/** The set of actor types a Worker serves, by name. */
export interface Registry<Actors extends Record<string, AnyActorDefinition> = Record<string, AnyActorDefinition>> {
  readonly kind: "actorstate.registry";
  readonly actors: Actors;
}

// ---- The typed client ----


/** The arguments a caller passes to an action: everything after `c`. */
export type ActionArgs<E> = E extends ValidatedAction<any, infer Args, any>
  ? Args
  : E extends (c: any, ...args: infer Args) => any
    ? Args
    : never;

/** What a caller receives from an action: its return value, awaited. */
export type ActionReturn<E> = E extends ValidatedAction<any, any, any>
  ? Awaited<ReturnType<E["handler"]>>
  : E extends (...args: any[]) => infer R
    ? Awaited<R>
    : never;

/** The actions of an actor type, exactly as written. */
export type ActionsOf<D> = D extends ActorDefinition<any, any, infer A, any> ? A : never;

/** The create input an actor type accepts. */
export type InputOf<D> = D extends ActorDefinition<any, infer I, any, any> ? I : never;

/** The declared types of an actor type (events, params, connection state). */
export type TypesOf<D> = D extends { readonly "~types"?: infer T } ? (T extends AnyActorTypes ? T : DefaultActorTypes) : DefaultActorTypes;

/** What an actor type's clients pass as `params` (`connect(params)`, `{ params }`). */
export type ParamsOf<D> = TypesOf<D>["params"];

/** An actor type's declared events, or `undefined` when it declares none. */
export type EventsOf<D> = TypesOf<D>["events"];

/** A live connection: the actor's actions as methods, plus events, errors and dispose. */
export type ActorConnection<D extends AnyActorDefinition> = {
  [K in keyof ActionsOf<D> & string]: (...args: ActionArgs<ActionsOf<D>[K]>) => Promise<ActionReturn<ActionsOf<D>[K]>>;
} & {
  /**
   * Listen for an event the actor broadcasts or sends; returns the unsubscribe function.
   * Names and payloads are typed from the actor's declared `events`.
   */
  on<K extends EventNameOf<EventsOf<D>>>(event: K, listener: (...args: EventArgsOf<EventsOf<D>, K>) => void): () => void;
  /** Listen for the next occurrence only. */
  once<K extends EventNameOf<EventsOf<D>>>(event: K, listener: (...args: EventArgsOf<EventsOf<D>, K>) => void): () => void;
  /** Hear connection errors: refused, destroyed, no longer reachable. */
  onError(listener: (error: ActorError) => void): () => void;
  /** Close the connection; calls still waiting are rejected. */
  dispose(): Promise<void>;
  /** Resolves once the actor accepted the connection (after `onBeforeConnect`). */
  ready(): Promise<void>;
  /** The id of the generation this connection reached. */
  readonly actorId: string | undefined;
} & ConnectionStatus;

/** A handle to one actor: its actions as methods, typed from its definition. */
export type ActorHandle<D extends AnyActorDefinition> = {
  [K in keyof ActionsOf<D> & string]: (...args: ActionArgs<ActionsOf<D>[K]>) => Promise<ActionReturn<ActionsOf<D>[K]>>;
} & HandleMethods & {
  /**
   * Open a connection; `params` (typed from `onBeforeConnect`) reach `onBeforeConnect`,
   * `createConnState` and `c.conn.params`. Without them, the handle's own `{ params }`.
   */
  connect(params?: ParamsOf<D>): ActorConnection<D>;
};

/** Options for every handle. */
export interface HandleOptions<D> {
  /**
   * What this handle's calls and connections present to `onBeforeConnect`, typed from it:
   * sent with every call it makes over HTTP, and the default params of `connect()`.
   * In-Worker clients send none: their calls skip the hook.
   */
  params?: ParamsOf<D>;
  /**
   * Params computed afresh for every call and every (re)connect — a token that expires —
   * in place of `params` (RivetKit's name).
   */
  getParams?: () => ParamsOf<D> | Promise<ParamsOf<D>>;
}

/** Options for `getOrCreate` and `create`. */
export interface CreateOptions<D> extends HandleOptions<D> {
  input?: InputOf<D>;
}

/** How a client reaches actors of one type. */
export interface ActorAccessor<D extends AnyActorDefinition> {
  /** A handle that follows the key, creating (or resurrecting) the actor on first use. */
  getOrCreate(key?: ActorKeyInput, options?: CreateOptions<D>): ActorHandle<D>;
  /** A handle that follows the key and never creates: `actor/not_found` if absent or destroyed. */
  get(key?: ActorKeyInput, options?: HandleOptions<D>): ActorHandle<D>;
  /** A handle pinned to one generation: once it is destroyed, `actor/not_found`, never a newer one. */
  getForId(id: string, options?: HandleOptions<D>): ActorHandle<D>;
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
