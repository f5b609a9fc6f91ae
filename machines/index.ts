// actorstate/machines: the durable statechart engine, the lifecycle machine and its types,
// and the diagram helpers that need no layout engine. Nothing here imports Cloudflare APIs;
// it runs in Node, browsers and Workers.
export { lifecycleMachine, type LifecycleMachine } from "./lifecycle/machine.ts";
export {
  lifecycleStates,
  type CreateMode,
  type CreateRequest,
  type CreateWorkInput,
  type DirectoryPhase,
  type EntryEventType,
  type LifecycleContext,
  type LifecycleEvent,
  type LifecycleState,
  type LoadWorkInput,
  type Refusal,
  type RefusalReason,
  type StoredLifecycle,
  type StoredState,
  type TeardownWorkInput,
  type Wipe,
} from "./lifecycle/types.ts";
export {
  Lifecycle,
  statePath,
  type LifecycleChange,
  type LifecyclePort,
  type LifecycleWork,
  type TransitionRecord,
  type Verdict,
} from "./lifecycle/lifecycle.ts";
// The diagram helpers that need no layout engine. Laying a machine out (`toSvg`,
// `layoutMachine`, `layoutGraph`) needs elkjs, an optional peer dependency, so it lives in
// `actorstate/diagram`: importing this module never loads elkjs, in Node or in a Worker bundle.
export { machineGraph, type DiagramEdge, type DiagramGraph, type DiagramState } from "./diagram/machine-graph.ts";
export { renderSvg, type SvgOptions } from "./diagram/svg.ts";
export type { MachineLayout, PlacedEdge, PlacedState } from "./diagram/layout.ts";
export { DurableActor } from "./engine/durable-actor.ts";
export {
  MAX_EVENTS_PER_STEP,
  RestoreError,
  RunawayStepError,
  type DurableActorPorts,
  type DurableState,
  type DurableStep,
  type StoredTimer,
  type StoredWork,
} from "./engine/durable-step.ts";
export type { ActorPath } from "./engine/actor-refs.ts";
export { stateTree, eventLabel, formatDelay, type StateGraph, type TransitionGraph } from "./workflow/state-tree.ts";
export { viewOf } from "./workflow/view.ts";
export type { PersistedSystem, SnapshotView, WorkflowStatus } from "./workflow/types.ts";
