/**
 * What the lifecycle machine knows and hears. Everything here is plain data so a
 * snapshot can be persisted and restored (the model-based tests do it after every step).
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

/** The machine's memory. Durable facts are re-read from storage on every wake. */
export interface LifecycleContext {
  /**
   * The generation this object is at: the live one, the one being created, or the one
   * whose tombstone is kept. `null` until an actor has ever existed here.
   */
  generation: number | null;
  /** Actions (and other work admitted with `ACTION_START`) that have not ended yet. */
  inFlight: number;
  /** A destroy arrived while the actor was being created; it runs once creation ends. */
  pendingDestroy: boolean;
  /**
   * A create that arrived while the actor was being destroyed, kept (with its input) so
   * the resurrection that follows the destroy starts from it.
   */
  queuedCreate: CreateRequest | null;
}

/** Whether a caller asked for exactly-new (`create`) or existing-or-new (`getOrCreate`). */
export type CreateMode = "create" | "getOrCreate";

/** A caller's request to bring an actor to life, with the input for `createState`/`onCreate`. */
export interface CreateRequest {
  mode: CreateMode;
  input?: unknown;
}

/** What loading found in durable storage. */
export type LoadedRecord =
  | { status: "absent" }
  | { status: "live" | "destroying" | "destroyed"; generation: number };

/** What a finished create or resurrect reports: the generation now live. */
export interface CreatedRecord {
  generation: number;
}

/**
 * Every entry point of an actor is one of these events. `generation` is present when the
 * caller holds an id (pinned to one generation) and absent for key-based callers, who
 * follow the key to whatever generation is current.
 */
export type LifecycleEvent =
  | { type: "LOAD" }
  | { type: "CREATE"; mode: CreateMode; input?: unknown }
  | { type: "ACTION_START"; generation?: number }
  | { type: "ACTION_END" }
  | { type: "CONNECT"; generation?: number }
  | { type: "ALARM"; generation?: number }
  | { type: "DESTROY"; generation?: number }
  | { type: "INSPECT"; generation?: number }
  | { type: "RESOLVE"; generation?: number }
  | { type: "xstate.done.actor.load"; output: LoadedRecord }
  | { type: "xstate.error.actor.load"; error: unknown }
  | { type: "xstate.done.actor.create"; output: CreatedRecord }
  | { type: "xstate.error.actor.create"; error: unknown }
  | { type: "xstate.done.actor.resurrect"; output: CreatedRecord }
  | { type: "xstate.error.actor.resurrect"; error: unknown }
  | { type: "xstate.done.actor.teardown"; output: void }
  | { type: "xstate.error.actor.teardown"; error: unknown };

/** The event types a host sends; the rest are results of the machine's own work. */
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

/** Emitted by the machine, synchronously while it handles an event it refuses. */
export interface Refusal {
  type: "refused";
  reason: RefusalReason;
  event: LifecycleEvent;
}
