// The host's ports to its transports: a transport that takes calls gets a `CallPort`; one
// that holds connections gets an `ActorPort` and gives back a `ConnectionsPort`. Interfaces,
// so that transports import the host and never the reverse. (The host's inner ports live
// beside who uses them: an instance's in `actor-instance.ts`, running actions' in `actions.ts`.)
import type { ActorContext, AnyActorDefinition, Connection } from "../types/actor.ts";
import type { ActorInspection, ActorTarget } from "../protocol/requests.ts";
import type { ConnectionTarget, PublicCall } from "../protocol/wire.ts";
import type { ActionConnections, ActionOptions } from "./actions.ts";
import type { ActorInstance, InstanceConnections } from "./actor-instance.ts";

/** What a transport that holds connections asks of the actor's host. */
export interface ActorPort {
  /** Check that the target is this object's actor; its type. */
  claim(target: ConnectionTarget): AnyActorDefinition;
  /** The actor type `name` names (`actor/unknown_name` otherwise). */
  actorType(name: string): AnyActorDefinition;
  /** Reach the actor (creating it if the target asks), admit `CONNECT`; the generation reached. */
  connect(target: ConnectionTarget, createInput: unknown): Promise<number>;
  /** Run a hook as in-flight work of `generation`. */
  runHook(generation: number, hook: (c: ActorContext<unknown>, instance: ActorInstance) => unknown, conn?: Connection): Promise<void>;
  /** Run an action called over a connection. */
  invoke(target: ActorTarget, name: string, args: unknown[], options: ActionOptions): Promise<unknown>;
  /** The id of the generation the actor is at. */
  actorId(): string;
  /** The local opt-in: `internal/error` carries the real message. */
  revealInternalErrors: boolean;
}

/** What the host asks of the transport that holds the actor's connections. */
export interface ConnectionsPort extends InstanceConnections, ActionConnections {
  /** The teardown of `generation`: close its connections, running `onDisconnect` with `instance` for each that opened. */
  endAll(generation: number, instance: ActorInstance | undefined): Promise<void>;
  /** End, with `onDisconnect`, the connections whose socket dropped and whose client did not come back in time. */
  endDropped(): Promise<void>;
  /** The actor woke with sockets of `generation` still open: attach what their hooks keep in memory. */
  resume(generation: number, instance: ActorInstance): Promise<void>;
}

/**
 * What a transport that takes calls asks of the host: one method per operation, each
 * admitted by the lifecycle. `approval` is a call from outside that `onBeforeConnect` must
 * approve first; calls from inside the Worker have none.
 */
export interface CallPort {
  /** The actor type `name` names (`actor/unknown_name` otherwise). */
  actorType(name: string): AnyActorDefinition;
  /** Run an action; `options.publicCall` asks `onBeforeConnect` first. */
  action(target: ActorTarget, name: string, args: unknown[], options: ActionOptions): Promise<unknown>;
  /** Reach the actor by key, creating it (with `target.create.input`) if it is not there; its id. */
  getOrCreate(target: Extract<ActorTarget, { key: string[] }>, approval: PublicCall | undefined): Promise<string>;
  /** Create the actor at `target`'s key: `actor/already_exists` if it is there; its id. */
  create(target: { name: string; key: string[] }, input: unknown, approval: PublicCall | undefined): Promise<string>;
  /** The id of the actor `target` names, if it exists. */
  resolve(target: ActorTarget, approval: PublicCall | undefined): Promise<string>;
  /** Destroy the generation `target` names (the one `onBeforeConnect` approved), and wait until it is done. */
  destroy(target: ActorTarget, approval: PublicCall | undefined): Promise<void>;
  /** The actor's lifecycle, generation and id. */
  inspect(target: ActorTarget, approval: PublicCall | undefined): Promise<ActorInspection>;
  /** A request for the actor's `onRequest`; one from outside (`call`) is approved by `onBeforeConnect` first. */
  serve(target: ActorTarget, request: Request, call: PublicCall | undefined): Promise<Response>;
  /** The object's id, for error details. */
  readonly objectId: string;
  /** The local opt-in: `internal/error` carries the real message. */
  readonly revealInternalErrors: boolean;
}
