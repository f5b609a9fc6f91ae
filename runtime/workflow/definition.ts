import type { AnyStateMachine, ContextFrom, EventFrom, EventObject, InputFrom, OutputFrom, StateValueFrom } from "xstate";
import type { SnapshotView } from "../../machines/workflow/types.ts";
import type { ActorContext, ActorDefinition, ActorOptions, StandardSchemaV1 } from "../actor-types.ts";
import { actor, validate } from "../definition.ts";
import { ActorError } from "../errors.ts";
import type { WorkflowRuntime } from "./runtime.ts";
import type { InterruptedPolicy, WorkflowSpec, WorkflowState } from "./spec.ts";

/**
 * Where a context `c` keeps its generation's workflow runtime. A symbol: user code never
 * sees it, and `Symbol.for` keeps it one key even if a bundle holds two copies of this module.
 */
export const WORKFLOW_RUNTIME = Symbol.for("actorstate.workflowRuntime");

/** The snapshot view of a workflow actor whose machine is `TMachine`. */
export type WorkflowView<TMachine extends AnyStateMachine> = SnapshotView<StateValueFrom<TMachine>, ContextFrom<TMachine>, OutputFrom<TMachine>>;

/** The actions every workflow actor has: `handle.send(event)` and `handle.snapshot()`. */
export type WorkflowActions<TMachine extends AnyStateMachine> = {
  /** Validate `event`, step the machine with it, store the step; answers with the new snapshot view. */
  send: (c: ActorContext<WorkflowState>, event: EventFrom<TMachine>) => WorkflowView<TMachine> | Promise<WorkflowView<TMachine>>;
  /** The current snapshot view. */
  snapshot: (c: ActorContext<WorkflowState>) => WorkflowView<TMachine>;
};

/** What `workflow({ ... })` takes. */
export interface WorkflowConfig<TMachine extends AnyStateMachine, I> {
  /** The XState v5 machine this actor runs. */
  machine: TMachine;
  /** Per event type, a Standard Schema (zod, valibot, ...) that events of that type must pass; others go through as sent. */
  events?: { [Type in EventFrom<TMachine>["type"]]?: StandardSchemaV1<unknown, Extract<EventFrom<TMachine>, { type: Type }>> };
  /** Validates the input given on create; the machine's input is its output. */
  input?: StandardSchemaV1<unknown, I>;
  /** The version of the machine; snapshots remember the version that wrote them. Default 1. */
  version?: number;
  /** Bring a snapshot written by an older `version` to this one (return the new persisted snapshot). */
  migrate?: (snapshot: any, fromVersion: number) => unknown;
  /**
   * Per promise actor source (a name in the machine's `setup({ actors })`), what a run cut
   * short by a restart becomes on wake: `"rerun"` (the default; the promise gets the same
   * `idempotencyKey`) or `"error"` (the machine gets `xstate.error.actor.<id>`).
   */
  interrupted?: Record<string, InterruptedPolicy>;
  options?: ActorOptions;
}

/**
 * A workflow actor type: an actor whose state is its machine's snapshot, and whose
 * `workflow` names the machine. (The plain `ActorDefinition` type, so clients infer its
 * actions as they do any actor's.)
 */
export type WorkflowDefinition<TMachine extends AnyStateMachine, I> = ActorDefinition<WorkflowState, I, WorkflowActions<TMachine>>;

function runtimeOf(c: ActorContext<WorkflowState>): WorkflowRuntime {
  return (c as unknown as Record<symbol, () => WorkflowRuntime>)[WORKFLOW_RUNTIME]!();
}

function invalidEvent(message: string, metadata?: unknown): ActorError {
  return new ActorError("machine/invalid_event", message, metadata === undefined ? {} : { metadata });
}

/** The event as the machine will get it: checked for shape, against its type's schema when one is given. */
function checkEvent(spec: WorkflowSpec, raw: unknown): EventObject | Promise<EventObject> {
  const type = (raw as { type?: unknown } | null)?.type;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw) || typeof type !== "string" || type === "") {
    throw invalidEvent('An event is an object with a non-empty string "type".');
  }
  if (type.startsWith("xstate.")) throw invalidEvent(`"${type}" is one of XState's own events; callers cannot send it.`);
  const schema = spec.events && Object.hasOwn(spec.events, type) ? spec.events[type] : undefined;
  if (!schema) return raw as EventObject;
  return validate(schema, raw).then((checked) => {
    if (!checked.ok) throw invalidEvent(`The "${type}" event is invalid.`, { issues: checked.issues });
    return checked.value as EventObject;
  });
}

/**
 * Define a workflow actor: an actor whose behaviour is your own XState v5 machine, run
 * durably. Every event is one stored step; delayed transitions and delayed sends live on
 * the object's alarm; promise actors run in the object and their outcome is stored before
 * the machine moves on; child machines are stored with their parent. Clients call
 * `handle.send(event)` and `handle.snapshot()`, and connections hear every stored change
 * as the `"snapshot"` event.
 *
 * @example
 * ```ts
 * import { setup as machineSetup } from "xstate";
 * import { workflow, setup } from "actorstate";
 *
 * const toggle = machineSetup({}).createMachine({
 *   initial: "off",
 *   states: { off: { on: { FLIP: "on" } }, on: { on: { FLIP: "off" }, after: { 60_000: "off" } } },
 * });
 * export const light = workflow({ machine: toggle });
 * export const registry = setup({ actors: { light } });
 * // client: await client.light.getOrCreate("hall").send({ type: "FLIP" }) → { value: "on", ... }
 * ```
 */
export function workflow<TMachine extends AnyStateMachine, I = InputFrom<TMachine>>(config: WorkflowConfig<TMachine, I>): WorkflowDefinition<TMachine, I> {
  const version = config.version ?? 1;
  if (!Number.isSafeInteger(version) || version < 0) throw new Error(`A workflow's version is a non-negative integer, not ${version}.`);
  if (typeof config.machine?.transition !== "function" || typeof config.machine.getInitialSnapshot !== "function") {
    throw new Error("workflow({ machine }) needs an XState v5 machine (createMachine or setup(...).createMachine).");
  }
  for (const [src, policy] of Object.entries(config.interrupted ?? {})) {
    if (policy !== "rerun" && policy !== "error") throw new Error(`interrupted.${src} must be "rerun" or "error", not ${JSON.stringify(policy)}.`);
  }
  const spec: WorkflowSpec = {
    machine: config.machine,
    events: config.events as Record<string, StandardSchemaV1> | undefined,
    version,
    migrate: config.migrate,
    interrupted: config.interrupted,
  };
  const actions: WorkflowActions<TMachine> = {
    send: (c, event) => {
      const runtime = runtimeOf(c);
      runtime.assertOpen();
      const checked = checkEvent(spec, event);
      if (checked instanceof Promise) return checked.then((valid) => runtime.send(valid) as WorkflowView<TMachine>);
      return runtime.send(checked) as WorkflowView<TMachine>;
    },
    snapshot: (c) => runtimeOf(c).view() as WorkflowView<TMachine>,
  };
  const definition = actor<WorkflowState, WorkflowActions<TMachine>, keyof WorkflowActions<TMachine> & string, {}, I>({
    ...(config.input ? { input: config.input } : {}),
    createState: () => ({ version, system: null, manualClock: null }),
    onCreate: (c, input) => runtimeOf(c).start(input),
    onWake: (c) => runtimeOf(c).wake(),
    actions,
    ...(config.options ? { options: config.options } : {}),
  });
  return { ...definition, workflow: spec };
}
