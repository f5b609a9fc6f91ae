import {
  createActor,
  type AnyActorLogic,
  type AnyActorRef,
  type AnyActorScope,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type EventObject,
} from "xstate";
import type { ExecutableAction } from "../engine/effects.ts";
import type { ActorPath, PersistedSystem, SystemStep } from "./types.ts";

/** One machine of the system: the workflow's own, or a child machine it invoked or spawned. */
interface MachineNode {
  path: ActorPath;
  logic: AnyStateMachine;
  /** The never-started actor ref that stands for this machine (`self`, the parent of its children). */
  self: AnyActorRef;
  scope: AnyActorScope;
  snapshot: AnyMachineSnapshot;
}

/** A child as XState's `createActor` made it: its logic, source and options are what the system needs. */
type ChildRef = AnyActorRef & { logic: unknown; src: unknown; options?: { input?: unknown } };

/** An event on its way to one machine of the system. */
interface Delivery {
  target: ActorPath;
  event: EventObject;
}

/**
 * The most steps one call may take: a machine and its child sending each other events for
 * ever would otherwise never return.
 */
export const MAX_STEPS_PER_CALL = 10_000;

/** The path of child `id` of the actor at `parent`. */
export function childPath(parent: ActorPath, id: string): ActorPath {
  return parent === "" ? id : `${parent}/${id}`;
}

function parentPath(path: ActorPath): ActorPath {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

function isMachineLogic(logic: unknown): logic is AnyStateMachine {
  return typeof logic === "object" && logic !== null && "root" in logic && typeof (logic as AnyStateMachine).getStateNodeById === "function";
}

/**
 * Whether `logic` is XState's promise logic (`fromPromise`): its pure transition settles on
 * XState's own resolve event, which no other logic does.
 */
export function isPromiseLogic(logic: unknown): logic is AnyActorLogic & { config: (args: Record<string, unknown>) => PromiseLike<unknown> } {
  const candidate = logic as { config?: unknown; transition?: (state: unknown, event: EventObject, scope: unknown) => { status?: string } } | undefined;
  if (typeof candidate?.config !== "function" || typeof candidate.transition !== "function") return false;
  try {
    const settled = candidate.transition({ status: "active", output: undefined, error: undefined, input: undefined }, { type: "xstate.promise.resolve", data: undefined } as EventObject, {});
    return settled?.status === "done";
  } catch {
    return false;
  }
}

/** An error as plain data: what a snapshot can store and a caller can see. */
export function plainError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  if (typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string") {
    const { name, message } = error as { name?: unknown; message: string };
    return { name: typeof name === "string" ? name : "Error", message };
  }
  return { name: "Error", message: String(error) };
}

function emptyStep(): SystemStep {
  return { timers: [], work: [], removed: [], actions: [], emitted: [], transitions: [] };
}

/**
 * A workflow's machine and the child machines it invokes or spawns, stepped with XState's
 * pure transitions: nothing runs and nothing is scheduled inside XState. Each call returns
 * what the host must store and carry out — delayed events as timers, promise actors as work,
 * the machines' own actions to run once the step is stored — and the host feeds back what
 * happens (a due timer, a settled promise) as further deliveries.
 *
 * Events between machines of the system (`sendTo` a child, `sendParent`, a child's
 * completion) are delivered within the same call, in order, so one call is one atomic step
 * of the whole system.
 *
 * @example
 * ```ts
 * const system = new WorkflowSystem(approvalMachine);
 * const started = system.start({ owner: "ada" });
 * store(system.persist(), started); // one transaction
 * started.actions.forEach((run) => run());
 * const next = system.send({ type: "SUBMIT", amount: 10 });
 * ```
 */
export class WorkflowSystem {
  readonly machine: AnyStateMachine;
  readonly #root: MachineNode;
  readonly #nodes = new Map<ActorPath, MachineNode>();
  readonly #paths = new Map<AnyActorRef, ActorPath>();
  readonly #log: (...args: unknown[]) => void;
  /** Where the current step's executable actions are collected. */
  #collected: ExecutableAction[] = [];

  /** `options.log` hears XState's `log()` actions. */
  constructor(machine: AnyStateMachine, options: { log?: (...args: unknown[]) => void } = {}) {
    this.machine = machine;
    this.#log = options.log ?? (() => {});
    this.#root = this.#node("", machine, createActor(machine));
  }

  /** Whether the system has a snapshot yet: started, or restored. */
  get started(): boolean {
    return this.#root.snapshot !== undefined;
  }

  /** The workflow's own machine's snapshot. */
  get snapshot(): AnyMachineSnapshot {
    return this.#root.snapshot;
  }

  /** Start the system: the machine's initial state with `input`, and everything entering it asks for. */
  start(input: unknown): SystemStep {
    const out = emptyStep();
    const queue: Delivery[] = [];
    this.#initialize(this.#root, input, out, queue);
    this.#drain(queue, out);
    return out;
  }

  /**
   * Bring back a stored system, into a new `WorkflowSystem`. Throws when the stored snapshot names a state the machine
   * lacks (a machine changed without a migration).
   */
  restore(persisted: PersistedSystem): void {
    this.#root.snapshot = this.machine.restoreSnapshot(persisted.root as never, this.#root.scope) as AnyMachineSnapshot;
    this.#adoptChildren(this.#root);
  }

  /** Whether the workflow's machine, as it is now, has a transition for `event`. */
  can(event: EventObject): boolean {
    return this.#root.snapshot.status === "active" && this.#root.snapshot.can(event);
  }

  /** Step the system with `event` sent to the machine at `target` (the workflow's own machine by default). */
  deliver(event: EventObject, target: ActorPath = ""): SystemStep {
    const out = emptyStep();
    this.#drain([{ target, event }], out);
    return out;
  }

  /**
   * End the workflow's machine in `error` with `error`, as a step that throws does: for a
   * step its host cannot carry out. Returns the (empty) step: nothing it asked for happens.
   */
  fail(error: { name: string; message: string }): SystemStep {
    this.#root.snapshot = { ...this.#root.snapshot, status: "error", error } as AnyMachineSnapshot;
    return emptyStep();
  }

  /**
   * The promise actor `id` of the machine at `path`, if that machine still has it as a
   * child: its logic (to run) and its ref (the `self` its promise creator receives).
   */
  work(path: ActorPath, id: string): ChildRef | undefined {
    const ref = this.#nodes.get(path)?.snapshot.children[id] as ChildRef | undefined;
    return ref && isPromiseLogic(ref.logic) ? ref : undefined;
  }

  /** The whole system as plain data, each child machine's current snapshot in its parent's. */
  persist(): PersistedSystem {
    return { root: this.#persistNode(this.#root) };
  }

  #persistNode(node: MachineNode): unknown {
    const persisted = node.logic.getPersistedSnapshot(node.snapshot) as { error?: unknown; children?: Record<string, { snapshot: unknown }> };
    if (persisted.error !== undefined) persisted.error = plainError(persisted.error);
    for (const [id, entry] of Object.entries(persisted.children ?? {})) {
      const child = this.#nodes.get(childPath(node.path, id));
      if (child) entry.snapshot = this.#persistNode(child);
    }
    return persisted;
  }

  #node(path: ActorPath, logic: AnyStateMachine, self: AnyActorRef): MachineNode {
    const scope = {
      self,
      id: self.id,
      sessionId: self.sessionId,
      system: self.system,
      logger: (...args: unknown[]) => this.#log(...args),
      defer: () => {},
      stopChild: () => {},
      emit: () => {},
      actionExecutor: (action: ExecutableAction) => this.#collected.push(action),
    } as unknown as AnyActorScope;
    const node: MachineNode = { path, logic, self, scope, snapshot: undefined as unknown as AnyMachineSnapshot };
    this.#nodes.set(path, node);
    this.#paths.set(self, path);
    return node;
  }

  #adoptChildren(node: MachineNode): void {
    for (const [id, ref] of Object.entries(node.snapshot.children) as Array<[string, ChildRef]>) {
      const path = childPath(node.path, id);
      this.#paths.set(ref, path);
      if (!isMachineLogic(ref.logic)) continue;
      const child = this.#node(path, ref.logic, ref);
      child.snapshot = ref.getSnapshot() as AnyMachineSnapshot;
      this.#adoptChildren(child);
    }
  }

  /** Run `compute` collecting the executable actions it asks for; a throw ends the machine in `error`. */
  #collect(node: MachineNode, compute: () => AnyMachineSnapshot): { snapshot: AnyMachineSnapshot; actions: ExecutableAction[] } {
    const actions: ExecutableAction[] = [];
    const outer = this.#collected;
    this.#collected = actions;
    try {
      return { snapshot: compute(), actions };
    } catch (error) {
      // As an XState actor does: a machine whose step throws ends in `error`, its actions unrun.
      return { snapshot: { ...node.snapshot, status: "error", error } as AnyMachineSnapshot, actions: [] };
    } finally {
      this.#collected = outer;
    }
  }

  #initialize(node: MachineNode, input: unknown, out: SystemStep, queue: Delivery[]): void {
    const { snapshot, actions } = this.#collect(node, () => node.logic.getInitialSnapshot(node.scope, input) as AnyMachineSnapshot);
    node.snapshot = snapshot;
    out.transitions.push({ path: node.path, event: { type: "xstate.init" }, from: undefined, to: snapshot.value });
    this.#reconcileChildren(node, {}, out, queue);
    this.#interpret(node, actions, out, queue);
    this.#settle(node, queue);
  }

  #drain(queue: Delivery[], out: SystemStep): void {
    for (let steps = 0; queue.length; steps++) {
      if (steps >= MAX_STEPS_PER_CALL) throw new Error(`The workflow took more than ${MAX_STEPS_PER_CALL} steps for one event; its machines keep sending each other events.`);
      const { target, event } = queue.shift()!;
      const node = this.#nodes.get(target);
      // A machine that finished or was stopped takes no more events.
      if (!node || node.snapshot.status !== "active") continue;
      const before = node.snapshot;
      const { snapshot, actions } = this.#collect(node, () => node.logic.transition(before, event, node.scope) as AnyMachineSnapshot);
      node.snapshot = snapshot;
      if (snapshot !== before) out.transitions.push({ path: node.path, event, from: before.value, to: snapshot.value });
      this.#reconcileChildren(node, before.children as Record<string, AnyActorRef>, out, queue);
      this.#interpret(node, actions, out, queue);
      this.#settle(node, queue);
    }
  }

  /**
   * Children that appeared in the step are started (a machine from its initial state, a
   * promise as work); children that went are stopped with everything below them. Comparing
   * the children before and after covers every way XState adds one: `invoke`, `spawnChild`
   * and `spawn` inside `assign`.
   */
  #reconcileChildren(node: MachineNode, before: Record<string, AnyActorRef>, out: SystemStep, queue: Delivery[]): void {
    const after = node.snapshot.children as Record<string, ChildRef>;
    for (const [id, ref] of Object.entries(before)) {
      if (after[id] === ref) continue;
      const path = childPath(node.path, id);
      if (this.#nodes.get(path)?.self === ref) this.#remove(path, out);
      else out.work.push({ type: "stop", path: node.path, id });
    }
    for (const [id, ref] of Object.entries(after)) {
      if (before[id] === ref) continue;
      const path = childPath(node.path, id);
      this.#paths.set(ref, path);
      const { options } = ref;
      if (isMachineLogic(ref.logic)) {
        this.#initialize(this.#node(path, ref.logic, ref), options?.input, out, queue);
      } else if (isPromiseLogic(ref.logic)) {
        out.work.push({ type: "start", path: node.path, id, src: typeof ref.src === "string" ? ref.src : id, input: options?.input });
      } else {
        const error = new Error(`Workflow actors run child machines and promise actors; "${id}" is neither (callback and observable actors cannot survive a restart).`);
        queue.push({ target: node.path, event: { type: `xstate.error.actor.${id}`, error: plainError(error), actorId: id } as EventObject });
      }
    }
  }

  #remove(path: ActorPath, out: SystemStep): void {
    const inside = (key: ActorPath) => key === path || key.startsWith(`${path}/`);
    for (const key of [...this.#nodes.keys()]) if (inside(key)) this.#nodes.delete(key);
    // A ref of a stopped child (kept in context, say) must not reach a new child at its path.
    for (const [ref, key] of [...this.#paths]) if (inside(key)) this.#paths.delete(ref);
    out.removed.push(path);
  }

  /** Turn the step's executable actions into timers, deliveries, emitted events and deferred side effects. */
  #interpret(node: MachineNode, actions: ExecutableAction[], out: SystemStep, queue: Delivery[]): void {
    for (const action of actions as Array<ExecutableAction & { exec?: (...args: unknown[]) => void; info?: unknown }>) {
      const params = action.params as Record<string, unknown> | undefined;
      switch (action.type) {
        case "xstate.raise":
          // An undelayed raise was already taken inside the step.
          if (typeof params?.delay === "number") {
            out.timers.push({ type: "set", source: node.path, sendId: params.id as string | undefined, target: node.path, delayMs: params.delay, event: params.event as EventObject });
          }
          break;
        case "xstate.sendTo": {
          const target = this.#paths.get(params?.to as AnyActorRef);
          // A promise actor takes no events, and a ref from outside the system cannot be reached.
          if (target === undefined || !this.#nodes.has(target)) {
            this.#log(`workflow: an event "${(params?.event as EventObject | undefined)?.type}" to an actor outside the workflow's machines was dropped`);
            break;
          }
          const event = params?.event as EventObject;
          if (typeof params?.delay === "number") {
            out.timers.push({ type: "set", source: node.path, sendId: params.id as string | undefined, target, delayMs: params.delay, event });
          } else {
            queue.push({ target, event });
          }
          break;
        }
        case "xstate.cancel":
          out.timers.push({ type: "cancel", source: node.path, sendId: String(params?.sendId) });
          break;
        case "xstate.emit":
          if (node.path === "") out.emitted.push(params?.event as EventObject);
          break;
        case "xstate.spawnChild":
        case "xstate.stopChild":
          // Children are started and stopped by comparing them before and after the step.
          break;
        default:
          if (typeof action.exec === "function") {
            const { exec, info } = action;
            out.actions.push(() => exec(info, action.params));
          }
      }
    }
  }

  /** A child machine that finished tells its parent, as XState's actors do. */
  #settle(node: MachineNode, queue: Delivery[]): void {
    if (node.path === "") return;
    const { status, output, error } = node.snapshot as AnyMachineSnapshot & { error?: unknown };
    const id = node.self.id;
    if (status === "done") queue.push({ target: parentPath(node.path), event: { type: `xstate.done.actor.${id}`, output, actorId: id } as EventObject });
    else if (status === "error") queue.push({ target: parentPath(node.path), event: { type: `xstate.error.actor.${id}`, error: plainError(error), actorId: id } as EventObject });
  }
}
