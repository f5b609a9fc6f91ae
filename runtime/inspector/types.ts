import type { LifecycleState } from "../../machines/lifecycle/types.ts";
import type { ActorNamespace } from "../platform.ts";
import type { Registry, ScheduledAction } from "../types/actor.ts";
import type { HistoryEntry, LoggedTransition } from "../storage/log-entries.ts";
import type { StateGraph } from "../../machines/workflow/state-tree.ts";
import type { SnapshotView } from "../../machines/workflow/types.ts";
import type { InspectorAccess } from "../auth/inspector-access.ts";

/** How an action was called. */
export type CallVia = "request" | "connection" | "schedule";

/** One action call as the inspector shows it. */
export interface ActionCall {
  /** When it was called (ms since the epoch). */
  at: number;
  action: string;
  /** The generation it ran in; `null` when it was refused before reaching one. */
  generation: number | null;
  via: CallVia;
  /**
   * How long it took, by the Worker's clock — which moves only across I/O, so an action
   * that awaits nothing shows 0 ms.
   */
  ms: number;
  ok: boolean;
  /** What the caller was told, for a failure: `group/code: message`. */
  error?: string;
}

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
  /** The last steps — the event, as the drawing names it, and the snapshot it led to — oldest first. */
  history: Array<HistoryEntry & { label: string }>;
  /** The time on the workflow's clock (a test's clock, or now). */
  now: number;
}

/**
 * What the inspector shows of one connection. Never its params' values: a caller signs in
 * with them (a token), so only their names are shown, with what `onBeforeConnect` made of
 * them.
 */
export interface InspectorConnection {
  id: string;
  /** The top-level keys of the connection's params (`[]` when they are not an object). */
  paramKeys: string[];
  /** What `onBeforeConnect` returned for it; absent for connections opened inside the Worker and actors without the hook. */
  auth?: unknown;
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
  connections: InspectorConnection[];
  schedules: ScheduledAction[];
  /** The transition log, oldest first (a page of it when `before` is given). */
  transitions: LoggedTransition[];
  /** The last action calls since the object was last loaded, oldest first (kept in memory only). */
  calls: ActionCall[];
  /** For a workflow actor: its own machine, snapshot, timers and history. */
  workflow?: WorkflowInspection;
}

/** One entry of an actor's KV store as the inspector shows it. */
export interface InspectorKvEntry {
  /** The key as text, or as hex when its bytes are not UTF-8 (then `binary` is set). */
  key: string;
  binary?: true;
  /** The stored (encoded) value's size in bytes. */
  size: number;
  /** The decoded value; absent when it is too large to show. */
  value?: unknown;
}

/** A page of an actor's KV store, in key order. */
export interface InspectorKvPage {
  entries: InspectorKvEntry[];
  /** Pass it back as `after` for the next page; `null` after the last one. */
  cursor: string | null;
}

/**
 * Makes the Stately Inspector bridge for one object: given where to send Stately-format
 * events, returns the observer for XState's inspection events. See `actorstate/stately`.
 */
export type StatelyBridgeFactory = (send: (event: unknown) => void) => (inspectionEvent: unknown) => void;

/** What `createHandler` hands the inspector: what its routes need from the Worker. */
export interface InspectorContext {
  registry: Registry;
  /** The actor namespace in a request's env. */
  namespaceIn(env: Record<string, unknown>): ActorNamespace;
  /** Who may read the inspector's data, from a request's env. */
  accessOf(env: Record<string, unknown>): InspectorAccess;
  /** Whether the Stately bridge is configured (the page shows its button only then). */
  stately: boolean;
}

/** The inspector's Worker routes: a response for its paths, `undefined` for any other. */
export type InspectorRoutes = (request: Request, env: Record<string, unknown>) => Promise<Response | undefined>;

/** The inspector, from `actorstate/inspector`, as `createHandler`'s `inspector` option takes it. */
export type Inspector = (context: InspectorContext) => InspectorRoutes;
