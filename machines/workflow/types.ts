import type { EventObject } from "xstate";

/**
 * Where an actor of a workflow's system lives: `""` for the workflow's own machine, the
 * invoke or spawn id for its children, `"child/grandchild"` below that.
 */
export type ActorPath = string;

/** A workflow's whole system — its machine and every child machine — as plain data to store. */
export interface PersistedSystem {
  /** XState's persisted snapshot of the root machine, each child machine's own snapshot nested in `children`. */
  root: unknown;
}

/** A delayed event to store: `after`, a delayed `raise`, a delayed `sendTo`. */
export interface TimerSet {
  type: "set";
  /** The actor that scheduled it: a `cancel()` there reaches it. */
  source: ActorPath;
  /** Its send id; `undefined` when the machine gave none (then nothing can cancel it). */
  sendId: string | undefined;
  /** The actor the event goes to. */
  target: ActorPath;
  delayMs: number;
  event: EventObject;
}

/** A `cancel(sendId)` by `source`. */
export interface TimerCancel {
  type: "cancel";
  source: ActorPath;
  sendId: string;
}

/** Start a promise actor `id` invoked or spawned by the machine at `path`. */
export interface WorkStart {
  type: "start";
  path: ActorPath;
  id: string;
  /** The actor source's name (`setup({ actors })`), or XState's generated name for inline logic. */
  src: string;
  input: unknown;
}

/** The machine at `path` no longer wants the outcome of its promise actor `id`. */
export interface WorkStop {
  type: "stop";
  path: ActorPath;
  id: string;
}

/** One transition taken by one actor of the system: for logs and the inspector. */
export interface SystemTransition {
  path: ActorPath;
  event: EventObject;
  /** The state value before and after. */
  from: unknown;
  to: unknown;
}

/**
 * What one step of a workflow's system asks its host to store and carry out. The host
 * stores the system's new snapshot together with the timer and work changes in one
 * transaction, and only then runs `actions` and starts the work.
 */
export interface SystemStep {
  /** Timer changes, in order (a set then a cancel of the same id leaves nothing). */
  timers: Array<TimerSet | TimerCancel>;
  /** Promise work started and stopped, in order. */
  work: Array<WorkStart | WorkStop>;
  /** Machines (and their descendants) that stopped: their timers and work go with them. */
  removed: ActorPath[];
  /** The machines' own side effects (custom actions, `log`): run once the step is stored. */
  actions: Array<() => void>;
  /** Events the root machine emitted (`emit(...)`). */
  emitted: EventObject[];
  /** Every transition taken, in order. */
  transitions: SystemTransition[];
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
