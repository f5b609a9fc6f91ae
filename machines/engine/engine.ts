import {
  createActor,
  type AnyActorRef,
  type AnyActorScope,
  type AnyStateMachine,
  type EventFrom,
  type InputFrom,
  type InspectionEvent,
  type SnapshotFrom,
} from "xstate";
import { effectsOf, type Effect, type ExecutableAction } from "./effects.ts";

/** One step of a machine: where it is now, and what its host must carry out. */
export interface Step<TMachine extends AnyStateMachine> {
  /** Where the machine is after the step. */
  snapshot: SnapshotFrom<TMachine>;
  /** What the step asks its host to carry out, in order. */
  effects: Effect[];
}

/**
 * A machine stepped with XState's pure transitions: nothing runs, nothing is scheduled,
 * each step only computes the next snapshot and the effects it asks for. This is the shape a
 * durable host wants: store the step, then carry out its effects, then feed their outcomes
 * back as events.
 */
export interface MachineEngine<TMachine extends AnyStateMachine> {
  /** The machine this engine steps. */
  readonly machine: TMachine;
  /**
   * A never-started actor of the machine: the `actorRef` of the inspection events a runner
   * makes up for tools (the Stately bridge), and the parent of the inert actor refs that
   * snapshots hold for invoked work.
   */
  readonly self: AnyActorRef;
  /** The machine's first snapshot and the effects of entering it. */
  initial(input?: InputFrom<TMachine>): Step<TMachine>;
  /**
   * The snapshot after `event`, and the effects of getting there. An unhandled event returns
   * the same snapshot and no effects. `inspect` hears XState's own inspection events of the
   * step (`@xstate.microstep` with the transitions taken): for tools, never for decisions.
   */
  step(snapshot: SnapshotFrom<TMachine>, event: EventFrom<TMachine>, inspect?: (event: InspectionEvent) => void): Step<TMachine>;
}

/**
 * An engine for `machine`.
 *
 * XState's own `transition()` and `initialTransition()` are these same pure steps, but they
 * build a fresh actor (computing the machine's initial state) on every call — about six
 * times the cost of the step itself. The engine builds that inert actor scope once and
 * reuses it; like XState's, it executes nothing and only collects what would be executed.
 *
 * @example
 * ```ts
 * const engine = createEngine(lifecycleMachine);
 * let { snapshot } = engine.initial();
 * const step = engine.step(snapshot, { type: "LOAD", stored: null });
 * // store step.snapshot, then carry out step.effects
 * ```
 */
export function createEngine<TMachine extends AnyStateMachine>(machine: TMachine): MachineEngine<TMachine> {
  const self = createActor(machine);
  let collected: ExecutableAction[] = [];
  let inspector: ((event: InspectionEvent) => void) | undefined;
  self.system.inspect((event) => inspector?.(event));
  const scope = {
    self,
    id: "",
    sessionId: self.sessionId,
    system: self.system,
    logger: () => {},
    defer: () => {},
    stopChild: () => {},
    emit: () => {},
    actionExecutor: (action: ExecutableAction) => collected.push(action),
  } as unknown as AnyActorScope;

  function collect(compute: () => SnapshotFrom<TMachine>, inspect?: (event: InspectionEvent) => void): Step<TMachine> {
    collected = [];
    inspector = inspect;
    try {
      const snapshot = compute();
      return { snapshot, effects: effectsOf(collected) };
    } finally {
      collected = [];
      inspector = undefined;
    }
  }

  return {
    machine,
    self,
    initial: (input) => collect(() => machine.getInitialSnapshot(scope, input) as SnapshotFrom<TMachine>),
    step: (snapshot, event, inspect) => collect(() => machine.transition(snapshot, event, scope) as SnapshotFrom<TMachine>, inspect),
  };
}
