// The few fields and methods of XState's own runtime objects the engine reads or replaces,
// typed here once: they are not in XState's public types.
import type { AnyActorRef, EventObject } from "xstate";

/** XState's system as its actors reach it: every event between actors is relayed here. */
export type RelayingSystem = { _relay(source: AnyActorRef | undefined, target: AnyActorRef, event: EventObject): void };

/** XState's scheduler of delayed events, which the engine wraps to pair each with its timeout. */
export type Scheduler = { schedule(source: AnyActorRef, target: AnyActorRef, event: EventObject, delay: number, id?: string): void };

/** Runtime fields of XState's actors the engine reads or sets. */
export interface RuntimeActor {
  _snapshot: unknown;
  start(): unknown;
  src: unknown;
}
