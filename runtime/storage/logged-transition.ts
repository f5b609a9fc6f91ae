// The shape of a transition log entry, apart from the storage code that reads and writes it:
// clients and the inspector's types reach it, and they must type-check without Workers types.
import type { TransitionRecord } from "../../machines/lifecycle/lifecycle.ts";

/** One durable log entry: a transition record with its sequence number and time. */
export interface LoggedTransition extends TransitionRecord {
  seq: number;
  at: number;
}
