// The shapes of the logs an actor keeps, apart from the storage code that reads and writes
// them: the inspector's types reach them from the public API, and everything a client or a
// registry's type reaches must type-check without Workers types.
import type { TransitionRecord } from "../../machines/lifecycle/lifecycle.ts";
import type { SnapshotView } from "../../machines/workflow/types.ts";

/** One durable log entry: a transition record with its sequence number and time. */
export interface LoggedTransition extends TransitionRecord {
  seq: number;
  at: number;
}

/** One step of a workflow's history: what came in, the snapshot it led to, and what the machine emitted. */
export interface HistoryEntry {
  seq: number;
  at: number;
  event: { type: string };
  view: SnapshotView;
  /** The events the workflow's machine emitted in this step (`emit(...)`), in order. */
  emitted: Array<{ type: string }>;
}
