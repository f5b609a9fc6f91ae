import type { LifecycleState } from "../../machines/lifecycle/types.ts";
import type { ScheduledAction } from "../actor-types.ts";
import type { LoggedTransition } from "../storage/transition-log.ts";

/** What the inspector shows of one actor. */
export interface InspectorSnapshot {
  name: string;
  key: string[];
  actorId: string;
  generation: number;
  /** Top-level lifecycle state (`running`, `destroyed`, …). */
  lifecycle: LifecycleState;
  /** The full state path while the actor is in memory (`destroying.draining`), else `null`. */
  machineState: string | null;
  actionsInFlight: number;
  /** The stored state; `null` once destroyed. */
  state: unknown;
  connections: Array<{ id: string; params: unknown }>;
  schedules: ScheduledAction[];
  /** The transition log, oldest first (a page of it when `before` is given). */
  transitions: LoggedTransition[];
}

/**
 * Makes the Stately Inspector bridge for one object: given where to send Stately-format
 * events, returns the observer for XState's inspection events. See `actorstate/stately`.
 */
export type StatelyBridgeFactory = (send: (event: unknown) => void) => (inspectionEvent: unknown) => void;
