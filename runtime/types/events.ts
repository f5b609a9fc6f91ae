// How an actor declares its events, and the types an actor's definition carries to its
// context and clients.
import type { StandardSchemaV1 } from "./schema.ts";

/**
 * How an actor declares one event (`events: { changed: … }`): a Standard Schema of its
 * payload (zod, valibot…), or `event<T>()` for a type alone. The schema gives the type; it
 * is not run on each broadcast (the actor is the only sender, and TypeScript checks it).
 */
export type EventDeclaration<T = unknown> = StandardSchemaV1<unknown, T>;

/** An actor's declared events, by name. */
export type EventDeclarations = Record<string, EventDeclaration<any>>;

/** The payload type an event declaration describes. */
export type EventPayload<D> = D extends StandardSchemaV1<any, infer T> ? T : never;

/**
 * The arguments after the event name: one payload, or none for an event declared
 * `event<void>()`.
 */
export type EventArgs<T> = [T] extends [void] ? [] : [payload: T];

/** The event names an actor may send: the declared ones, or any string when it declares none. */
export type EventNameOf<E> = E extends EventDeclarations ? keyof E & string : string;

/** The arguments of event `K`: typed from its declaration, or anything when the actor declares none. */
export type EventArgsOf<E, K> = E extends EventDeclarations ? (K extends keyof E ? EventArgs<EventPayload<E[K]>> : never) : any[];

/**
 * The types an actor declares besides its state, which its context `c` and its clients are
 * typed with: its events, what clients pass to `connect(params)` (from `onBeforeConnect` or
 * `createConnState`), its connections' `conn.state` (from `createConnState`), the
 * arguments each action takes where a schema says so (for `c.schedule`), and `c.vars`.
 */
export interface ActorTypes<E = EventDeclarations | undefined, P = unknown, CS = unknown, Args = Record<string, unknown>, V = unknown> {
  events: E;
  params: P;
  connState: CS;
  actionArgs: Args;
  /** `c.vars`: from `vars` or what `createVars` returns. */
  vars: V;
}

/** Any actor's types: the bound of every type parameter that takes them. */
export type AnyActorTypes = ActorTypes<any, any, any, any, any>;

/** What an actor that declares nothing is typed with: any event, params and connection state of unknown type. */
export type DefaultActorTypes = ActorTypes<undefined, unknown, unknown, Record<string, unknown>, unknown>;
