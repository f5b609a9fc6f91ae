// actorstate/machines: the durable statechart engine, the lifecycle machine and its types,
// and the diagram helpers. Nothing here imports Cloudflare APIs; it runs in Node, browsers and Workers.
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
export { createEngine, type MachineEngine, type Step } from "./engine/engine.ts";
export { DurableRunner, type CommittedStep, type Invocation, type RunnerPort } from "./engine/runner.ts";
export type { Effect } from "./engine/effects.ts";
export { answersTo, entryEventTypes, statePaths, type Answer } from "./lifecycle/acceptance.ts";
export {
  layoutGraph,
  layoutMachine,
  machineGraph,
  renderSvg,
  toSvg,
  type DiagramEdge,
  type DiagramGraph,
  type DiagramState,
  type MachineLayout,
  type PlacedEdge,
  type PlacedState,
  type SvgOptions,
} from "./diagram/index.ts";
