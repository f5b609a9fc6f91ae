import { createActor, createMachine, type AnyActor, type AnyActorRef, type AnyStateMachine, type EventObject, type InspectionEvent } from "xstate";
import {
  childPath,
  isMachineLogic,
  markContextRefs,
  reviveContextRefs,
  setAsideContextRefs,
  isPromiseLogic,
  logicOf,
  parentPath,
  pathOf,
  persistedChild,
  plainError,
  plainErrors,
  refAt,
  reviveRefs,
  reviveWorkInputs,
  runsUnstorableWork,
  storeRefs,
} from "./actor-refs.ts";
import { MAX_EVENTS_PER_STEP, RestoreError, RunawayStepError, type DurableActorPorts, type DurableState, type DurableStep, type StoredTimer, type StoredWork } from "./durable-step.ts";
import { PendingLedger } from "./pending-ledger.ts";
import type { RelayingSystem, RuntimeActor, Scheduler } from "./xstate-internals.ts";
import { TimerClock, type PendingTimeout } from "./timer-clock.ts";

/** What a refused child is stored as: a name no machine has, so a restore leaves it out. */
const REFUSED_SRC = "actorstate.refused";


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
  /** Pending timers and promise work, and which of them storage holds. */
  readonly #pending = new PendingLedger();
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
    this.#clock.onClear = (id) => this.#pending.timers.delete(id);
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
    for (const item of work) durable.#pending.holds({ run: item.run });
    durable.#stopOnFailure(() => durable.#resume(timers, interrupted, runs));
    return durable;
  }

  /** Start a restored actor: children go on, refs in promise inputs come back, timers are set again, interrupted work fails where it must. */
  #resume(timers: readonly StoredTimer[], interrupted: readonly StoredWork[], runs: Map<string, number>): void {
    const durable = this;
    const restored = durable.#actor.getSnapshot();
    reviveWorkInputs(durable.#actor);
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
          durable.#pending.holds({ timer: timer.id });
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
    // Nothing but the snapshot could differ from the last stored step: timers, or emitted events.
    if (this.#actor.getSnapshot() === before && !this.#emitted.length && !this.#pending.timersChanged()) return undefined;
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
    const timer = this.#pending.timers.get(next.id);
    this.#pending.timers.delete(next.id);
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
      timers: this.#pending.timerChanges(this.#clock),
      work: this.#pending.workChanges(),
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
    this.#pending.stored(step);
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
    this.#pending.started(ref, work, `${this.#ports.keyPrefix}/${path}/${run}`);
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
    this.#pending.timers.set(timeout.id, {
      id,
      source: pathOf(scheduling.source),
      target: pathOf(scheduling.target),
      sendId: scheduling.id,
      dueAt: timeout.due,
      event: storeRefs(scheduling.event) as EventObject,
      targetRef: scheduling.target,
    });
  }
}
