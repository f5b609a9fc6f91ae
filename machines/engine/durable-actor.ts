import { createActor, createMachine, type AnyActor, type AnyActorRef, type AnyStateMachine, type EventObject, type InspectionEvent } from "xstate";
import {
  childPath,
  isMachineLogic,
  markContextRefs,
  reviveContextRefs,
  setAsideContextRefs,
  isPromiseLogic,
  isStopped,
  logicOf,
  parentPath,
  pathOf,
  plainError,
  refAt,
  reviveRefs,
  runsUnstorableWork,
  storeRefs,
  type ActorPath,
} from "./actor-refs.ts";
import { TimerClock, type PendingTimeout } from "./timer-clock.ts";

/** A delayed event waiting on the actor's clock, as stored: `dueAt` is on that clock. */
export interface StoredTimer {
  /** Its durable id (unique within the actor's life). */
  id: number;
  /** The actor that scheduled it: a `cancel()` there reaches it. */
  source: ActorPath;
  /** The actor the event goes to. */
  target: ActorPath;
  sendId: string;
  dueAt: number;
  /** The event, actor refs in it stored as paths. */
  event: EventObject;
}

/** Promise work under way: the promise actor `invokeId`, child of the actor at `path`. */
export interface StoredWork {
  /** Its durable id: the same for every run of this invocation, new for the next one. */
  run: number;
  path: ActorPath;
  invokeId: string;
  /** The promise logic's name in the machine's `actors`, or XState's name for inline logic. */
  src: string;
  input: unknown;
  startedAt: number;
}

/** What one step of a durable actor asks its host to store, in one transaction. */
export interface DurableStep {
  /** What caused it: an event sent, a timer, a promise's outcome, the start. */
  cause: EventObject;
  /** XState's persisted snapshot of the root machine, children nested in it. */
  root: unknown;
  status: "active" | "done" | "error";
  /** Delayed events set and cleared (fired, cancelled, their target gone). */
  timers: { set: StoredTimer[]; cleared: number[] };
  /** Promise work started and ended. */
  work: { started: StoredWork[]; ended: number[] };
  /** What the root machine emitted (`emit(...)`), in order. */
  emitted: EventObject[];
  /** The next durable id to hand out: store it with the step. */
  nextId: number;
}

/** What a durable actor keeps beside its tables: its persisted root and its id counter. */
export interface DurableState {
  root: unknown;
  nextId: number;
}

/** What a {@link DurableActor} needs from its host. */
export interface DurableActorPorts {
  /** Now on the actor's clock: the wall clock, or a test's. */
  now(): number;
  /**
   * Something changed outside a call of the host's (a promise settled): take a step soon.
   * Called once XState has finished delivering what followed from it.
   */
  changed(): void;
  /** XState's `log()` actions. */
  log?(...args: unknown[]): void;
  /** What a promise actor of `src` that a restart interrupted becomes: run again, or an error for its parent. */
  interrupted?(src: string): "rerun" | "error";
  /** Prefix of the idempotency keys of promise work (the actor's id). */
  keyPrefix: string;
  /** XState's own inspection events of the system, for tools (the Stately bridge): never for decisions. */
  inspect?(event: InspectionEvent): void;
  /**
   * The name under which `logic` is one of the machine's actors, when the host knows it
   * better than the machine does (it wrapped or provided them); by default the machine's
   * own `implementations.actors` are searched.
   */
  actorName?(logic: unknown): string | undefined;
}

/** What a refused child is stored as: a name no machine has, so a restore leaves it out. */
const REFUSED_SRC = "actorstate.refused";

/** The most events one call may deliver: machines that send each other events for ever must not hang their object. */
export const MAX_EVENTS_PER_STEP = 10_000;

/** A step that delivered more than {@link MAX_EVENTS_PER_STEP} events: it is abandoned. */
export class RunawayStepError extends Error {
  override readonly name = "RunawayStepError";
  constructor() {
    super(`The workflow took more than ${MAX_EVENTS_PER_STEP} steps for one event; its machines keep sending each other events.`);
  }
}

/** A stored snapshot that does not fit the machine (a state it lacks). */
export class RestoreError extends Error {
  override readonly name = "RestoreError";
}

/** Idempotency keys of running promise actors, by their ref: `durablePromise` reads them. */
const idempotencyKeys = new WeakMap<AnyActorRef, string>();

/**
 * The idempotency key of the promise actor `self` — the same for every run of one
 * invocation (a run cut short by a restart and run again gets the key it had), new for the
 * next invocation — or `undefined` outside a durable actor.
 */
export function idempotencyKeyOf(self: AnyActorRef): string | undefined {
  return idempotencyKeys.get(self);
}

/** XState's system as its actors reach it: every event between actors is relayed here. */
type RelayingSystem = { _relay(source: AnyActorRef | undefined, target: AnyActorRef, event: EventObject): void };

type Scheduler = { schedule(source: AnyActorRef, target: AnyActorRef, event: EventObject, delay: number, id?: string): void };

/** Runtime fields of XState's actors this host reads or sets. */
interface RuntimeActor {
  _snapshot: unknown;
  start(): unknown;
  src: unknown;
}

/**
 * Persisted snapshots carry errors as thrown and inputs as given; stored, errors are
 * `{ name, message }` and refs are paths. Every actor of the tree is visited (a child that
 * failed keeps its error too). Works on a copy: a promise's persisted snapshot is its live one.
 */
function plainErrors(persisted: unknown): unknown {
  const node = { ...(persisted as Record<string, unknown>) } as { error?: unknown; input?: unknown; children?: Record<string, { snapshot?: unknown }> };
  if (node.error !== undefined) node.error = plainError(node.error);
  // A promise child's input may hold refs (`input: ({ self }) => …`): stored as paths.
  if (node.input !== undefined) node.input = storeRefs(node.input);
  if (node.children) {
    node.children = Object.fromEntries(Object.entries(node.children).map(([id, child]) => [id, child?.snapshot ? { ...child, snapshot: plainErrors(child.snapshot) } : child]));
  }
  return node;
}

/** Where a stored work's promise actor sits in a persisted tree. */
function persistedChild(root: unknown, path: ActorPath, id: string): { snapshot: Record<string, unknown> } | undefined {
  let node = root as { children?: Record<string, { snapshot: unknown }> } | undefined;
  for (const segment of path === "" ? [] : path.split("/")) node = node?.children?.[segment]?.snapshot as typeof node;
  return node?.children?.[id] as { snapshot: Record<string, unknown> } | undefined;
}

/**
 * A machine run durably by XState itself: a real XState actor system — its machines,
 * children, system ids, refs, mailboxes and errors exactly as XState runs them in memory —
 * whose time is a {@link TimerClock} the host moves, and whose every step (an event, a due
 * timer, a settled promise) the host takes as a {@link DurableStep} to store in one
 * transaction: the persisted snapshot, the delayed events as data, the promise work under
 * way, what was emitted. Restored from that data after a restart, it goes on as XState
 * would have: promise work runs again, timers fire at their time.
 *
 * The machine's own actions run as XState runs them, inside the step, before it is
 * stored: whatever they send out of the object is held by the platform until the step is
 * durable, but effects in memory happen again if a crash loses the step.
 *
 * @example
 * ```ts
 * const durable = DurableActor.start(machine, ports, input);
 * store(durable.takeStep({ type: "xstate.init" }));
 * const step = durable.send({ type: "SUBMIT" }); // undefined: not taken
 * if (step) store(step);
 * ```
 */
export class DurableActor {
  readonly machine: AnyStateMachine;
  readonly #ports: DurableActorPorts;
  readonly #clock: TimerClock;
  readonly #actor: AnyActor;
  /** Pending timers, by the clock's id for them. */
  readonly #timers = new Map<number, StoredTimer & { targetRef: AnyActorRef }>();
  /** The ids of the timers the last stored step left pending. */
  readonly #storedTimers = new Set<number>();
  /** Promise actors seen, with their work. */
  readonly #work = new Map<AnyActorRef, StoredWork>();
  /** The runs the last stored step left under way. */
  readonly #storedWork = new Set<number>();
  #emitted: EventObject[] = [];
  #nextId: number;
  /** While a `schedule` call is under way: what it schedules, for the clock to pair with its timeout. */
  #scheduling: { source: AnyActorRef; target: AnyActorRef; event: EventObject; id: string } | undefined;
  /** While restoring: the durable ids of stored timers and work, to keep them. */
  #restoring: { timerId?: number; runs: Map<string, number> } | undefined;
  /** Whether one of the host's calls is under way (else a change came from a settled promise). */
  #inCall = false;
  #dirty = false;
  #events = 0;
  #runaway = false;
  /** The first event of a change that came on its own. */
  #cause: EventObject | undefined;

  private constructor(
    machine: AnyStateMachine,
    ports: DurableActorPorts,
    nextId: number,
    create: (options: Record<string, unknown>) => AnyActor,
    restoring?: { runs: Map<string, number> },
  ) {
    this.machine = machine;
    this.#ports = ports;
    this.#nextId = nextId;
    this.#clock = new TimerClock(() => ports.now());
    this.#clock.onSet = (timeout) => this.#paired(timeout);
    this.#clock.onClear = (id) => this.#timers.delete(id);
    this.#restoring = restoring;
    this.#actor = this.#during(() =>
      create({
        clock: this.#clock,
        logger: (...args: unknown[]) => ports.log?.(...args),
        inspect: (event: InspectionEvent) => this.#inspected(event),
      }),
    );
    this.#actor.subscribe({ error: () => {} });
    this.#actor.on("*", (event: EventObject) => void this.#emitted.push(event));
    const scheduler = this.#actor.system.scheduler as Scheduler;
    const schedule = scheduler.schedule.bind(scheduler);
    scheduler.schedule = (source, target, event, delay, id = crypto.randomUUID()) => {
      this.#scheduling = { source, target, event, id };
      try {
        schedule(source, target, event, delay, id);
      } finally {
        this.#scheduling = undefined;
      }
    };
  }

  /**
   * A new actor of `machine` with `input`, started: take its first step with
   * {@link takeStep}. Throws {@link RunawayStepError} for a start that never settles.
   */
  static start(machine: AnyStateMachine, ports: DurableActorPorts, input: unknown): DurableActor {
    const durable = new DurableActor(machine, ports, 1, (options) => createActor(machine, { ...options, input }));
    durable.#stopOnFailure(() => durable.#during(() => durable.#actor.start()));
    return durable;
  }

  /**
   * Bring back a stored actor: its snapshot, the timers and the work it left. Work a restart
   * interrupted runs again, or reaches its parent as an error where the policy says so.
   * Throws {@link RestoreError} when the snapshot does not fit the machine.
   */
  static restore(machine: AnyStateMachine, ports: DurableActorPorts, state: DurableState, timers: readonly StoredTimer[], work: readonly StoredWork[]): DurableActor {
    const root = structuredClone(state.root) as { status?: string };
    setAsideContextRefs(root);
    const interrupted: StoredWork[] = [];
    for (const item of work) {
      if ((ports.interrupted?.(item.src) ?? "rerun") !== "error") continue;
      const child = persistedChild(root, item.path, item.invokeId);
      if (!child) continue;
      // Not started again: its parent hears that it was interrupted instead.
      child.snapshot.status = "error";
      interrupted.push(item);
    }
    const runs = new Map(work.map((item) => [childPath(item.path, item.invokeId), item.run]));
    const highest = Math.max(state.nextId, ...timers.map((t) => t.id + 1), ...work.map((w) => w.run + 1));
    const durable = new DurableActor(machine, ports, highest, (options) => createActor(machine, { ...options, snapshot: root as never }), { runs });
    const restored = durable.#actor.getSnapshot() as { status: string; error?: unknown };
    if (restored.status === "error" && root.status !== "error") {
      throw new RestoreError(`The stored snapshot does not fit the machine: ${plainError(restored.error).message}`);
    }
    reviveContextRefs(durable.#actor, (id, parent) => {
      const gone = createActor(createMachine({}), { id });
      gone.start();
      gone.stop();
      (gone as unknown as { _parent: unknown })._parent = parent;
      return gone;
    });
    for (const item of work) durable.#storedWork.add(item.run);
    durable.#stopOnFailure(() => durable.#resume(timers, interrupted, runs));
    return durable;
  }

  /** Start a restored actor: children go on, refs in promise inputs come back, timers are set again, interrupted work fails where it must. */
  #resume(timers: readonly StoredTimer[], interrupted: readonly StoredWork[], runs: Map<string, number>): void {
    const durable = this;
    const restored = durable.#actor.getSnapshot();
    durable.#reviveWorkInputs();
    durable.#during(() => {
      // Children starting again tell their parent their snapshot (syncSnapshot, onSnapshot)
      // as if it were new: in memory they never restarted, so the parent hears nothing.
      const system = durable.#actor.system as unknown as RelayingSystem;
      const relay = system._relay.bind(system);
      system._relay = (source, target, event) => {
        if (!event.type.startsWith("xstate.snapshot.")) relay(source, target, event);
      };
      try {
        durable.#actor.start();
      } finally {
        system._relay = relay;
      }
      // In the order they were set: of two pending events with one id, a cancel reaches the later one, as in XState.
      try {
        for (const timer of [...timers].sort((a, b) => a.id - b.id)) {
          const source = refAt(durable.#actor, timer.source);
          const target = refAt(durable.#actor, timer.target);
          if (!source || !target) continue;
          durable.#restoring = { timerId: timer.id, runs };
          const delay = Math.max(0, timer.dueAt - durable.#ports.now());
          (durable.#actor.system.scheduler as Scheduler).schedule(source, target, reviveRefs(timer.event, durable.#actor) as EventObject, delay, timer.sendId);
          durable.#storedTimers.add(timer.id);
        }
      } finally {
        durable.#restoring = undefined;
      }
      for (const item of interrupted) {
        const parent = refAt(durable.#actor, item.path);
        const error = { type: `xstate.error.actor.${item.invokeId}`, error: { name: "Interrupted", message: `The actor restarted while "${item.invokeId}" was running.` }, actorId: item.invokeId };
        parent?.send(error as EventObject);
        // What the restore itself changed is a step of its own, for the host to take.
        durable.#dirty = true;
        durable.#cause ??= error;
      }
    });
    // Work that ran again may have told the machine something at once: a step of its own too.
    if (durable.#actor.getSnapshot() !== restored || durable.#emitted.length) {
      durable.#dirty = true;
      durable.#cause ??= { type: "xstate.restore" };
    }
  }

  /** Run `resume`; if it throws, stop the actor first, so nothing of it goes on running. */
  #stopOnFailure(resume: () => void): void {
    try {
      resume();
    } catch (error) {
      this.stop();
      throw error;
    }
  }

  /** Promise children restored but not started yet get their input's actor refs back before they run again. */
  #reviveWorkInputs(): void {
    const visit = (ref: AnyActorRef): void => {
      for (const child of Object.values((ref.getSnapshot() as { children?: Record<string, AnyActorRef> }).children ?? {})) {
        const snapshot = child.getSnapshot() as { input?: unknown };
        if (isPromiseLogic(logicOf(child).logic) && snapshot.input !== undefined) snapshot.input = reviveRefs(snapshot.input, this.#actor);
        visit(child);
      }
    };
    visit(this.#actor);
  }

  /** The root machine's snapshot. */
  get snapshot(): ReturnType<AnyActor["getSnapshot"]> {
    return this.#actor.getSnapshot();
  }

  /** Whether a change came on its own (a promise settled) and waits to be taken. */
  get dirty(): boolean {
    return this.#dirty;
  }

  /**
   * Deliver `event` to the root machine. Returns the step to store, or `undefined` when
   * the machine took no step (XState would have dropped the event).
   */
  send(event: EventObject): DurableStep | undefined {
    const before = this.#actor.getSnapshot();
    this.#during(() => this.#actor.send(event));
    if (this.#actor.getSnapshot() === before && !this.#changedSinceStored()) return undefined;
    return this.takeStep(event);
  }

  /** The earliest pending timer, if any. */
  nextTimer(): { due: number } | undefined {
    const next = this.#clock.next();
    return next ? { due: next.due } : undefined;
  }

  /** Fire the earliest pending timer if it is due by `now`; returns its step, or `undefined` when none is due. */
  fireDue(now: number): DurableStep | undefined {
    const next = this.#clock.next();
    if (!next || next.due > now) return undefined;
    const timer = this.#timers.get(next.id);
    this.#timers.delete(next.id);
    this.#during(() => this.#clock.fire(next));
    return this.takeStep(timer ? (reviveRefs(timer.event, this.#actor) as EventObject) : { type: "xstate.timer" });
  }

  /** The step that brings storage to where the actor is now (after a change that came on its own, `cause` is its first event). */
  takeStep(cause?: EventObject): DurableStep {
    const actor = this.#actor;
    let root: unknown;
    const step: DurableStep = {
      cause: cause ?? this.#cause ?? { type: "xstate.change" },
      // Made on first use, once: a host that keeps its own record of the machine (the
      // lifecycle) never pays for it.
      get root() {
        return (root ??= plainErrors(markContextRefs(actor, actor.getPersistedSnapshot())));
      },
      status: (actor.getSnapshot() as { status: DurableStep["status"] }).status,
      timers: this.#timerChanges(),
      work: this.#workChanges(),
      emitted: this.#emitted,
      nextId: this.#nextId,
    };
    this.#emitted = [];
    this.#dirty = false;
    this.#cause = undefined;
    return step;
  }

  /** The step was stored: what it left pending is now what storage holds. */
  stored(step: DurableStep): void {
    for (const timer of step.timers.set) this.#storedTimers.add(timer.id);
    for (const id of step.timers.cleared) this.#storedTimers.delete(id);
    for (const work of step.work.started) this.#storedWork.add(work.run);
    for (const run of step.work.ended) this.#storedWork.delete(run);
  }

  /**
   * End the root machine in `error` with `error`, as a step that throws does: for a step
   * its host cannot carry out. Everything stops; returns the step that stores it.
   */
  fail(error: { name: string; message: string }, cause: EventObject): DurableStep {
    const runtime = this.#actor as unknown as RuntimeActor;
    runtime._snapshot = { ...(this.#actor.getSnapshot() as object), status: "error", error };
    this.#emitted = [];
    const step = this.takeStep(cause);
    // Taken now: stopping the actor would leave its snapshot "stopped".
    void step.root;
    this.stop();
    return step;
  }

  /** Stop everything: promise work is aborted, nothing fires. */
  stop(): void {
    this.#clock.clear();
    this.#actor.stop();
  }

  /** Run a call of the host's into the actor, counting what it delivers; a runaway throws. */
  #during<T>(call: () => T): T {
    const outer = this.#inCall;
    if (!outer) {
      this.#inCall = true;
      this.#events = 0;
      this.#runaway = false;
    }
    try {
      const result = call();
      if (this.#runaway) throw new RunawayStepError();
      return result;
    } finally {
      if (!outer) this.#inCall = false;
    }
  }

  #inspected(event: InspectionEvent): void {
    if (this.#ports.inspect) {
      try {
        this.#ports.inspect(event);
      } catch {
        // A tool that throws must not change what the machine does.
      }
    }
    if (event.type === "@xstate.actor") return this.#created(event.actorRef as AnyActorRef);
    if (event.type !== "@xstate.event") return;
    if (this.#runaway) throw new RunawayStepError();
    // A change that comes on its own starts its own count.
    if (!this.#inCall && !this.#dirty) this.#events = 0;
    if (++this.#events > MAX_EVENTS_PER_STEP) {
      this.#runaway = true;
      throw new RunawayStepError();
    }
    if (this.#inCall) return;
    // A change that came on its own: a promise settled, and XState went on from there.
    if (this.#cause === undefined && isMachineLogic(logicOf(event.actorRef as AnyActorRef).logic) && !event.event.type.startsWith("xstate.promise.")) {
      this.#cause = event.event;
    }
    if (!this.#dirty) {
      this.#dirty = true;
      // Once XState has gone as far as this change takes it: it is still delivering now.
      queueMicrotask(() => this.#ports.changed());
    }
  }

  /** A new actor in the system (XState's `@xstate.actor`): its work, or its refusal. */
  #created(ref: AnyActorRef): void {
    const { logic, src, input } = logicOf(ref);
    if (ref === this.#actor || !(ref as unknown as { _parent?: unknown })._parent) return;
    if (runsUnstorableWork(logic)) return this.#refuse(ref, "callback and observable actors cannot survive a restart");
    if (typeof src !== "string") {
      const name = this.#ports.actorName?.(logic) ?? Object.entries(this.machine.implementations.actors).find(([, named]) => named === logic)?.[0];
      if (name === undefined) return this.#refuse(ref, "logic spawned inline must be named in setup({ actors }) to survive a restart");
      // Named after all: XState persists it under that name.
      (ref as unknown as RuntimeActor).src = name;
    }
    if (!isPromiseLogic(logic)) return;
    const path = pathOf(ref);
    const run = this.#restoring?.runs.get(path) ?? this.#nextId++;
    const work: StoredWork = { run, path: parentPath(path), invokeId: ref.id, src: String((ref as unknown as RuntimeActor).src), input: storeRefs(input), startedAt: this.#ports.now() };
    this.#work.set(ref, work);
    idempotencyKeys.set(ref, `${this.#ports.keyPrefix}/${path}/${run}`);
  }

  /**
   * Refuse a child the actor cannot keep: it never starts, and its parent gets
   * `xstate.error.actor.<id>` saying why, as when any child fails.
   */
  #refuse(ref: AnyActorRef, why: string): void {
    const runtime = ref as unknown as RuntimeActor;
    // Stored under a name no machine has: XState persists it, and leaves it out when restoring.
    runtime.src = REFUSED_SRC;
    const start = runtime.start.bind(ref);
    runtime.start = () => {
      const error = new Error(`Workflow actors run child machines and promise actors; "${ref.id}" is not one they can keep: ${why}.`);
      runtime._snapshot = { status: "error", output: undefined, error: plainError(error) };
      return start();
    };
  }

  /** XState's scheduler set a timeout: pair it with what it schedules. */
  #paired(timeout: PendingTimeout): void {
    const scheduling = this.#scheduling;
    // Every timeout XState sets comes through its scheduler: one that does not could not be stored.
    if (!scheduling) throw new Error("XState set a timeout outside its scheduler; this version of XState is not one the engine knows.");
    const id = this.#restoring?.timerId ?? this.#nextId++;
    this.#timers.set(timeout.id, {
      id,
      source: pathOf(scheduling.source),
      target: pathOf(scheduling.target),
      sendId: scheduling.id,
      dueAt: timeout.due,
      event: storeRefs(scheduling.event) as EventObject,
      targetRef: scheduling.target,
    });
  }

  #timerChanges(): DurableStep["timers"] {
    const pending = new Set<number>();
    const set: StoredTimer[] = [];
    for (const [clockId, timer] of this.#timers) {
      // An event for an actor that stopped reaches nobody: XState drops it when it fires.
      if (isStopped(timer.targetRef)) {
        this.#timers.delete(clockId);
        this.#clock.clearTimeout(clockId);
        continue;
      }
      pending.add(timer.id);
      if (!this.#storedTimers.has(timer.id)) {
        const { targetRef: _ref, ...stored } = timer;
        set.push(stored);
      }
    }
    return { set, cleared: [...this.#storedTimers].filter((id) => !pending.has(id)) };
  }

  #workChanges(): DurableStep["work"] {
    const started: StoredWork[] = [];
    const live = new Set<number>();
    for (const [ref, work] of this.#work) {
      const running = !isStopped(ref) && (ref.getSnapshot() as { status?: string }).status === "active";
      if (!running) {
        this.#work.delete(ref);
        continue;
      }
      live.add(work.run);
      if (!this.#storedWork.has(work.run)) started.push(work);
    }
    return { started, ended: [...this.#storedWork].filter((run) => !live.has(run)) };
  }

  /** Whether anything but the snapshot differs from what the last step stored: timers, or emitted events. */
  #changedSinceStored(): boolean {
    if (this.#emitted.length) return true;
    const pending = new Set<number>();
    for (const timer of this.#timers.values()) {
      if (!this.#storedTimers.has(timer.id)) return true;
      pending.add(timer.id);
    }
    return [...this.#storedTimers].some((id) => !pending.has(id));
  }
}
