/** A workflow's whole system — its machine and every child machine — as plain data to store. */
export interface PersistedSystem {
  /** XState's persisted snapshot of the root machine, each child machine's own snapshot nested in `children`. */
  root: unknown;
}

/** The status of a workflow's machine, as XState names it. */
export type WorkflowStatus = "active" | "done" | "error" | "stopped";

/**
 * What callers see of a workflow's snapshot: `handle.send()`, `handle.snapshot()` and
 * `conn.on("snapshot")` all answer with it.
 */
export interface SnapshotView<TValue = unknown, TContext = unknown, TOutput = unknown> {
  /** The state value: a name, or an object for nested and parallel states. */
  value: TValue;
  context: TContext;
  status: WorkflowStatus;
  /** The final state's output, once `status` is `"done"`. */
  output?: TOutput;
  /** What ended the machine, once `status` is `"error"`: `{ name, message }`. */
  error?: { name: string; message: string };
  /** The workflow's `version` that wrote this snapshot. */
  version: number;
}
