/**
 * What the lifecycle machine knows and hears. Everything here is plain data: the durable
 * part of the machine's context is stored with every step that changes it.
 */

/** The lifecycle states, top level. `destroying` has sub-states for its phases. */
export const lifecycleStates = [
  "uninitialized",
  "loading",
  "absent",
  "creating",
  "running",
  "destroying",
  "destroyed",
  "resurrecting",
] as const;

/** A top-level lifecycle state name, as `handle.inspect()` reports it. */
export type LifecycleState = (typeof lifecycleStates)[number];

/**
 * The states that storage can hold. `uninitialized` exists only in memory (nothing has been
 * read yet) and `loading` is stored as `running`: the actor it wakes is live.
 */
export type StoredState = Exclude<LifecycleState, "uninitialized" | "loading">;

/** The lifecycle phases the actor directory shows. */
export type DirectoryPhase = "running" | "destroying" | "destroyed";

/** Whether a caller asked for exactly-new (`create`) or existing-or-new (`getOrCreate`). */
export type CreateMode = "create" | "getOrCreate";

/**
 * A caller's request to bring an actor to life, with the input for `createState`/`onCreate`.
 * `id` names the request, so that only its caller hears of its failure.
 */
export interface CreateRequest {
  id: string;
  mode: CreateMode;
  input?: unknown;
}

/** The machine's memory. All of it but `inFlight` is stored. */
export interface LifecycleContext {
  /**
   * The generation this object is at: the live one, the one being created, or the one
   * whose tombstone is kept. `null` until an actor has ever existed here.
   */
  generation: number | null;
  /** Actions (and other work admitted with `ACTION_START`) that have not ended yet. Memory only: a crash ends them all. */
  inFlight: number;
  /**
   * The creation under way (in `creating` and `resurrecting`), or one that arrived while the
   * actor was being destroyed and starts once the destroy is done.
   */
  request: CreateRequest | null;
  /** A destroy that arrived while the actor was loading or being created; it runs once the actor is running. */
  pendingDestroy: boolean;
  /** Failed attempts at finishing the current destroy, for the retry's back-off. */
  attempts: number;
}

/** What storage holds of the lifecycle: the machine's state and the stored part of its context. */
export interface StoredLifecycle {
  state: StoredState;
  generation: number | null;
  request: CreateRequest | null;
  pendingDestroy: boolean;
  attempts: number;
}

/** Input of the `load` work: the live generation to wake, and the request that asked for the load. */
export interface LoadWorkInput {
  generation: number;
  requestId: string | undefined;
}

/** Input of the `create` and `resurrect` work: the generation to bring to life and the request behind it. */
export interface CreateWorkInput {
  generation: number;
  request: CreateRequest;
}

/** Input of the `teardown` work: the generation being destroyed. */
export interface TeardownWorkInput {
  generation: number;
}

/**
 * Every entry point of an actor is one of these events. `generation` is present when the
 * caller holds an id (pinned to one generation) and absent for key-based callers, who
 * follow the key to whatever generation is current.
 */
export type LifecycleEvent =
  | { type: "LOAD"; stored: StoredLifecycle | null; requestId?: string }
  | { type: "CREATE"; request: CreateRequest }
  | { type: "ACTION_START"; generation?: number; count?: number }
  | { type: "ACTION_END" }
  | { type: "CONNECT"; generation?: number }
  | { type: "ALARM"; generation?: number }
  | { type: "DESTROY"; generation?: number }
  | { type: "INSPECT"; generation?: number }
  | { type: "RESOLVE"; generation?: number }
  | { type: "xstate.done.actor.load"; output?: unknown }
  | { type: "xstate.error.actor.load"; error: unknown }
  | { type: "xstate.done.actor.create"; output?: unknown }
  | { type: "xstate.error.actor.create"; error: unknown }
  | { type: "xstate.done.actor.resurrect"; output?: unknown }
  | { type: "xstate.error.actor.resurrect"; error: unknown }
  | { type: "xstate.done.actor.teardown"; output?: unknown }
  | { type: "xstate.error.actor.teardown"; error: unknown };

/** The event types a host sends; the rest are outcomes of the machine's own work. */
export type EntryEventType =
  | "LOAD"
  | "CREATE"
  | "ACTION_START"
  | "ACTION_END"
  | "CONNECT"
  | "ALARM"
  | "DESTROY"
  | "INSPECT"
  | "RESOLVE";

/**
 * Why the machine did not accept an event. The host maps each reason to a contract
 * error or to a retry:
 * - `not_loaded`: nothing is in memory yet; load, then send again.
 * - `not_ready`: work (load, create, resurrect) is under way; wait for it, then send again.
 * - `not_found`: no live actor here (never created, or destroyed).
 * - `stale_generation`: the caller's generation is not the current one.
 * - `already_exists`: `create` while an actor is live or being brought to life.
 * - `destroying`: the actor is being destroyed and takes no new work.
 * - `no_action_in_flight`: `ACTION_END` without a matching `ACTION_START` (a host bug).
 * - `unexpected`: an event this state never handles (a host bug).
 */
export type RefusalReason =
  | "not_loaded"
  | "not_ready"
  | "not_found"
  | "stale_generation"
  | "already_exists"
  | "destroying"
  | "no_action_in_flight"
  | "unexpected";

/** Emitted by the machine when it refuses an event. */
export interface Refusal {
  type: "refused";
  reason: RefusalReason;
}

/** Emitted by the machine when the actor's data must be erased, in the same transaction as the step. */
export interface Wipe {
  type: "wipe";
}
