import type { AnyStateMachine } from "xstate";
import type { PersistedSystem } from "../../machines/workflow/types.ts";
import type { ActorEnv } from "./env.ts";
import type { ActorLogger } from "./hooks.ts";
import type { StandardSchemaV1 } from "./schema.ts";

/** What a promise actor interrupted by a restart (eviction, crash, deploy) becomes on wake. */
export type InterruptedPolicy = "rerun" | "error";

/**
 * Who sent the event a workflow's machine is stepping with: a caller from outside the
 * Worker, as `onBeforeConnect` approved it. Only `auth` — what the hook returned — never
 * the params the caller signed in with.
 */
export interface WorkflowCaller {
  /** What `onBeforeConnect` returned for this caller; `undefined` for a type without the hook. */
  readonly auth: unknown;
}

/**
 * What the runtime gives a workflow's `provide(c)`: the actor's identity, the Worker's env,
 * a client and the caller of the step under way. Its public face, with the client typed
 * from a registry, is `WorkflowProvideContext` (workflow/workflow.ts).
 */
export interface WorkflowScope {
  readonly name: string;
  readonly key: readonly string[];
  readonly actorId: string;
  readonly generation: number;
  readonly log: ActorLogger;
  readonly env: ActorEnv;
  client(): unknown;
  readonly caller: WorkflowCaller | undefined;
}

/** What the host needs to know of a workflow actor type, beside its actor definition. */
export interface WorkflowSpec {
  machine: AnyStateMachine;
  /** Per event type, the schema its events must pass. */
  events: Record<string, StandardSchemaV1> | undefined;
  version: number;
  migrate: ((snapshot: any, fromVersion: number) => unknown) | undefined;
  /** Per promise actor source, what a run interrupted by a restart becomes; `"rerun"` by default. */
  interrupted: Record<string, InterruptedPolicy> | undefined;
  /** The machine's implementations given the actor's `c` (`machine.provide`). */
  provide: ((c: WorkflowScope) => unknown) | undefined;
}

/** A workflow actor's state: its system's persisted snapshot, and the version that wrote it. */
export interface WorkflowState {
  version: number;
  /** `null` only between `createState` and the machine's start in `onCreate`. */
  system: PersistedSystem | null;
  /**
   * The time on a test's clock (`actorstate/testing`), which only `advanceTime` moves;
   * `null` — always, in production — for the wall clock.
   */
  manualClock: number | null;
  /** The next durable id for a timer or a run of promise work (absent in snapshots stored before it). */
  nextId?: number;
}

/**
 * The Durable Object method `actorstate/testing` calls, inside the object, to run work on a
 * workflow's runtime (moving its clock). A symbol: Durable Object RPC cannot reach it.
 */
export const WORKFLOW_TESTING = Symbol.for("actorstate.workflowTesting");
