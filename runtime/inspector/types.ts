import type { LifecycleState } from "../../machines/lifecycle/types.ts";
import type { ScheduledAction } from "../actor-types.ts";
import type { HistoryEntry, LoggedTransition } from "../storage/log-entries.ts";
import type { StateGraph } from "../../machines/workflow/graph.ts";
import type { SnapshotView } from "../../machines/workflow/types.ts";

/** What the inspector shows of a workflow actor's own machine. */
export interface WorkflowInspection {
  /** The machine's states and transitions, to draw. */
  machine: StateGraph;
  /** The stored snapshot view; `null` before the machine started or once destroyed. */
  view: SnapshotView | null;
  /** Delayed events waiting, earliest first; `dueAt` on the workflow's clock. */
  timers: Array<{ source: string; target: string; event: string; label: string; dueAt: number }>;
  /** Promise work under way. */
  work: Array<{ path: string; id: string; src: string; startedAt: number }>;
  /** The last steps — the event, and the snapshot it led to — oldest first. */
  history: HistoryEntry[];
  /** The time on the workflow's clock (a test's clock, or now). */
  now: number;
}

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
  /** For a workflow actor: its own machine, snapshot, timers and history. */
  workflow?: WorkflowInspection;
}

/**
 * Makes the Stately Inspector bridge for one object: given where to send Stately-format
 * events, returns the observer for XState's inspection events. See `actorstate/stately`.
 */
export type StatelyBridgeFactory = (send: (event: unknown) => void) => (inspectionEvent: unknown) => void;
