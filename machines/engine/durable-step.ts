// The data a durable actor's step is made of — what its host stores in one transaction and
// gives back to restore it — the ports it needs from its host, and the errors it throws.
import type { EventObject, InspectionEvent } from "xstate";
import type { ActorPath } from "./actor-refs.ts";

/** A delayed event waiting on the actor's clock, as stored: `dueAt` is on that clock. */
export interface StoredTimer {
  /** Its durable id (unique within the actor's life). */
  id: number;
  /** The actor that scheduled it: a `cancel()` there reaches it. */
  source: ActorPath;
  /** The actor the event goes to. */
  target: ActorPath;
  sendId: string;
  dueAt: number;
  /** The event, actor refs in it stored as paths. */
  event: EventObject;
}

/** Promise work under way: the promise actor `invokeId`, child of the actor at `path`. */
export interface StoredWork {
  /** Its durable id: the same for every run of this invocation, new for the next one. */
  run: number;
  path: ActorPath;
  invokeId: string;
  /** The promise logic's name in the machine's `actors`, or XState's name for inline logic. */
  src: string;
  input: unknown;
  startedAt: number;
}

/** What one step of a durable actor asks its host to store, in one transaction. */
export interface DurableStep {
  /** What caused it: an event sent, a timer, a promise's outcome, the start. */
  cause: EventObject;
  /** XState's persisted snapshot of the root machine, children nested in it. */
  root: unknown;
  status: "active" | "done" | "error";
  /** Delayed events set and cleared (fired, cancelled, their target gone). */
  timers: { set: StoredTimer[]; cleared: number[] };
  /** Promise work started and ended. */
  work: { started: StoredWork[]; ended: number[] };
  /** What the root machine emitted (`emit(...)`), in order. */
  emitted: EventObject[];
  /** The next durable id to hand out: store it with the step. */
  nextId: number;
}

/** What a durable actor keeps beside its tables: its persisted root and its id counter. */
export interface DurableState {
  root: unknown;
  nextId: number;
}

/** What a {@link DurableActor} needs from its host. */
export interface DurableActorPorts {
  /** Now on the actor's clock: the wall clock, or a test's. */
  now(): number;
  /**
   * Something changed outside a call of the host's (a promise settled): take a step soon.
   * Called once XState has finished delivering what followed from it.
   */
  changed(): void;
  /** XState's `log()` actions. */
  log?(...args: unknown[]): void;
  /** What a promise actor of `src` that a restart interrupted becomes: run again, or an error for its parent. */
  interrupted?(src: string): "rerun" | "error";
  /** Prefix of the idempotency keys of promise work (the actor's id). */
  keyPrefix: string;
  /** XState's own inspection events of the system, for tools (the Stately bridge): never for decisions. */
  inspect?(event: InspectionEvent): void;
  /**
   * The name under which `logic` is one of the machine's actors, when the host knows it
   * better than the machine does (it wrapped or provided them); by default the machine's
   * own `implementations.actors` are searched.
   */
  actorName?(logic: unknown): string | undefined;
}

/** The most events one call may deliver: machines that send each other events for ever must not hang their object. */
export const MAX_EVENTS_PER_STEP = 10_000;

/** A step that delivered more than {@link MAX_EVENTS_PER_STEP} events: it is abandoned. */
export class RunawayStepError extends Error {
  override readonly name = "RunawayStepError";
  constructor() {
    super(`The workflow took more than ${MAX_EVENTS_PER_STEP} steps for one event; its machines keep sending each other events.`);
  }
}

/** A stored snapshot that does not fit the machine (a state it lacks). */
export class RestoreError extends Error {
  override readonly name = "RestoreError";
}
