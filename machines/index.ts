// actorstate/machines: the lifecycle machine, its types and a driver for hosts, and the
// diagram helpers. Nothing here imports Cloudflare APIs; it runs in Node, browsers and Workers.
export { lifecycleMachine, type CreateWorkInput, type LifecycleMachine, type TeardownWorkInput } from "./lifecycle/machine.ts";
export {
  lifecycleStates,
  type CreatedRecord,
  type CreateMode,
  type CreateRequest,
  type EntryEventType,
  type LifecycleContext,
  type LifecycleEvent,
  type LifecycleState,
  type LoadedRecord,
  type Refusal,
  type RefusalReason,
} from "./lifecycle/types.ts";
export {
  startLifecycle,
  statePath,
  type LifecycleDriver,
  type LifecycleOptions,
  type LifecycleWork,
  type TransitionRecord,
  type Verdict,
} from "./lifecycle/driver.ts";
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
