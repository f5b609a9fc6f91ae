// What one fidelity case is: a machine from XState's own tests, and what happens to it.
import type { AnyStateMachine, EventObject } from "xstate";

/** One thing that happens to the machine: an event sent to it, or time moving on. */
export type Step = { send: EventObject } | { advance: number };

/**
 * A machine run once by XState itself in memory and once as a durable workflow actor (an
 * eviction after every step), with the same steps; after each, both must be alike.
 */
export interface FidelityCase {
  /** Where it comes from: `<file in packages/core/test/> › <test name>`, and how it was adapted. */
  from: string;
  machine: AnyStateMachine;
  input?: unknown;
  steps: Step[];
  /**
   * Why the durable actor still behaves differently, while it does: the case then runs as a
   * known failure, and the suite fails the day it passes, so the mark cannot outlive the fix.
   */
  differs?: string;
}

/** A case's actor name in the fidelity Worker: `f` and its index. */
export const caseName = (index: number) => `f${index}`;
