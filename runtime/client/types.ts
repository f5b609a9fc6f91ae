import type { ActorDefinition, AnyActorDefinition, Registry, ValidatedAction } from "../definition.ts";
import type { ActorKeyInput } from "../identity.ts";
import type { ListOptions, ListPage } from "../directory/entry.ts";
import type { ActorError } from "../errors.ts";
import type { ActorInspection } from "../requests.ts";

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
