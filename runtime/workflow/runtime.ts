import type { AnyStateMachine, EventObject } from "xstate";
import { DurableActor } from "../../machines/engine/durable-actor.ts";
import { RestoreError, type DurableActorPorts, type DurableStep } from "../../machines/engine/durable-step.ts";
import { plainError, storeRefs } from "../../machines/engine/actor-refs.ts";
import { runnableMachine } from "./runnable-machine.ts";
import { whyRefused } from "../../machines/workflow/refusal.ts";
import type { SnapshotView } from "../../machines/workflow/types.ts";
import { viewOf } from "../../machines/workflow/view.ts";
import type { ActorLogger } from "../types/actor.ts";
import type { Caller } from "../types/hooks.ts";
import { ActorError, describeError, quoteInput } from "../errors.ts";
import { LATEST_ALARM_TIME, syncAlarm } from "../storage/alarm.ts";
import { appendHistory, applyTimerChanges, applyWorkChanges, clearWorkflowPending, historyEvent, listTimers, listWork, moveTimersToManualClock } from "../storage/workflow.ts";
import type { WorkflowCaller, WorkflowScope, WorkflowSpec, WorkflowState } from "../types/workflow.ts";

/** How many timers one call fires at most: a machine re-arming a zero delay for ever must not hang its actor. */
export const MAX_TIMERS_PER_CALL = 10_000;

/** What a workflow's runtime needs from the generation it belongs to. */
export interface WorkflowHost {
  storage: DurableObjectStorage;
  generation: number;
  actorId: string;
  log: ActorLogger;
  /** What `provide(c)` sees of the actor, but the caller, which the runtime knows. */
  scope: Omit<WorkflowScope, "caller">;
  /** The stored workflow: the actor's state. */
  read(): WorkflowState;
  /** Replace the actor's state and save it; call inside the step's transaction. */
  write(state: WorkflowState): void;
  /** The step's transaction failed: put the actor's state back to what storage holds. */
  revert(): void;
  /** Throws when this generation may no longer write (destroyed, or replaced in memory). */
  assertWritable(): void;
  /** Run `work` soon as in-flight work of this generation, on its runtime then in memory; rejects if the generation is gone. */
  later(work: (runtime: WorkflowRuntime) => unknown): Promise<void>;
  broadcast(event: string, args: unknown[]): void;
  /** Whether a machine started here runs on a clock only the test moves (`startWorkflow`). */
  manualClock(): boolean;
  /** The machine's status changed in the step being stored; call inside its transaction. */
  statusChanged(): void;
}

/**
 * One generation of a workflow actor in memory: its machine run by XState itself on the
 * engine's {@link DurableActor}, restored from the actor's state, stepped by events, due
 * timers and settled promises. Every step is stored in one transaction — the snapshot (as
 * the actor's state), its timers, its promise work and a history entry — and only then do
 * subscribers hear of it.
 */
export class WorkflowRuntime {
  readonly #spec: WorkflowSpec;
  readonly #host: WorkflowHost;
  /** The workflow's machine with what `provide(c)` gives it, made once per generation in memory. */
  readonly #machine: AnyStateMachine;
  #durable: DurableActor | undefined;
  /** Who sent the event being stepped (while its guards and actions run); `undefined` otherwise. */
  #caller: WorkflowCaller | undefined;
  /** Why the stored snapshot cannot be used (a version without a migration), once known. */
  #refusal: ActorError | undefined;
  /** The test's clock, when it runs on one; `null` for the wall clock. */
  #manualClock: number | null = null;
  /** The root's persisted snapshot as memory has it: what was last stored, or restored (and migrated). */
  #root: unknown;
  /** The machine's named actor logic, as written and as run, by object: spawning a named one "by that same object" keeps its name. */
  readonly #actorNames = new Map<unknown, string>();

  constructor(spec: WorkflowSpec, host: WorkflowHost) {
    this.#spec = spec;
    this.#host = host;
    this.#machine = runnableMachine(spec, this.#scope(), this.#actorNames);
  }

  /** Start the machine with the actor's input (the actor's `onCreate`). */
  start(input: unknown): void {
    if (this.#host.manualClock()) this.#manualClock = Date.now();
    this.#durable?.stop();
    this.#refusal = undefined;
    const durable = (this.#durable = this.#durableActor((ports) => DurableActor.start(this.#machine, ports, input)));
    this.#commit(durable.takeStep({ type: "xstate.init" }));
  }

  /** Bring the stored machine back (the actor's `onWake`): interrupted promise work runs again, or fails by its policy. */
  wake(): void {
    if (this.#durable || this.#refusal) return;
    this.#restore();
    // Work a restart interrupted may have failed to its parent: that is a step to store.
    const restored = this.#durable as DurableActor | undefined;
    if (restored?.dirty) this.commitChanges();
  }

  /**
   * Throw unless the machine can take events: a stored snapshot it cannot use, or a machine
   * that finished. Due timers fire first, so a caller sees time as it is.
   */
  assertOpen(): void {
    const durable = this.#catchUp();
    const { status } = durable.snapshot;
    if (status !== "active") {
      throw new ActorError("machine/finished", `The workflow's machine has finished (status "${status}"); it takes no more events.`);
    }
  }

  /**
   * Deliver `event` to the machine and store the step; resolves with the new snapshot view.
   * `caller` (a call from outside) is `c.caller` for the machine's guards and actions while
   * this event is stepped — its auth only, never its params.
   */
  send(event: EventObject, caller?: Caller): SnapshotView {
    this.assertOpen();
    const durable = this.#ready();
    this.#caller = caller ? { auth: caller.auth } : undefined;
    try {
      const handled = this.#handles(durable, event);
      // XState takes an unhandled event too (an eventless transition may follow it): only a
      // step that changes nothing is refused.
      const refusal = handled ? undefined : this.#notAccepted(event);
      const step = this.#attempt(() => durable.send(event));
      if (!step) {
        if (refusal) throw refusal;
        return this.#view();
      }
      return this.#commit(step, { fromCaller: true });
    } finally {
      this.#caller = undefined;
    }
  }

  /** The current snapshot view, once due timers have fired. */
  view(): SnapshotView {
    this.#catchUp();
    return this.#view();
  }

  /** Fire the timers due now (the alarm); the alarm is re-armed for the rest. */
  fireDue(): void {
    this.#catchUp();
    this.#syncAlarm();
  }

  /** This generation leaves memory: the machine stops and its promise work is aborted. */
  stop(): void {
    this.#durable?.stop();
    this.#durable = undefined;
  }

  /** Store what changed on its own since the last step (a promise settled and the machine went on). */
  commitChanges(): void {
    const durable = this.#ready();
    if (durable.dirty) this.#commit(durable.takeStep());
  }

  /**
   * Move this actor's clock `ms` forward and fire every timer due by then, in order, each
   * at its own time (a timer it sets fires too if due in the window). For tests: from then
   * on the actor's clock is the test's, and real time no longer moves it.
   */
  advanceTime(ms: number): SnapshotView {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advanceTime needs a non-negative number of milliseconds, not ${ms}.`);
    const durable = this.#catchUp();
    if (this.#manualClock === null) {
      this.#host.assertWritable();
      const startsAt = Date.now();
      this.#host.storage.transactionSync(() => {
        moveTimersToManualClock(this.#host.storage);
        this.#host.write({ ...this.#host.read(), manualClock: startsAt });
      });
      this.#manualClock = startsAt;
      this.#syncAlarm();
    }
    const until = this.#manualClock + ms;
    for (let fired = 0; durable === this.#durable && durable.snapshot.status === "active"; fired++) {
      const next = durable.nextTimer();
      if (!next || next.due > until) break;
      if (fired >= MAX_TIMERS_PER_CALL) throw new Error(`More than ${MAX_TIMERS_PER_CALL} timers fired in one advanceTime(); the machine keeps re-arming them.`);
      this.#manualClock = Math.max(this.#manualClock, next.due);
      const step = this.#attempt(() => durable.fireDue(next.due));
      if (step) this.#commit(step);
    }
    this.#host.assertWritable();
    this.#host.storage.transactionSync(() => this.#host.write({ ...this.#host.read(), manualClock: until }));
    this.#manualClock = until;
    return this.#view();
  }

  /** Whether the machine has a transition for `event`; a guard that throws is XState's to handle (the machine ends in error). */
  #handles(durable: DurableActor, event: EventObject): boolean {
    try {
      return durable.snapshot.can(event);
    } catch {
      return true;
    }
  }

  /** `machine/event_not_accepted`, saying whether the state has no transition for the event or its guards refused it. */
  #notAccepted(event: EventObject): ActorError {
    const snapshot = this.#ready().snapshot;
    const state = JSON.stringify(snapshot.value);
    const refusal = whyRefused(snapshot, event);
    const message =
      refusal.reason === "not_handled"
        ? `The machine has no transition for ${quoteInput(event.type)} in state ${state}.`
        : `The machine's ${refusal.guards.length === 1 ? "guard" : "guards"} ${refusal.guards.join(", ")} refused ${quoteInput(event.type)} in state ${state}.`;
    return new ActorError("machine/event_not_accepted", message, { metadata: { state: snapshot.value, ...refusal } });
  }

  /** `c` for the workflow's `provide`: the actor's scope, and the caller of the step under way. */
  #scope(): WorkflowScope {
    const runtime = this;
    return Object.freeze({
      ...this.#host.scope,
      get caller() {
        return runtime.#caller;
      },
    });
  }

  #now(): number {
    return this.#manualClock ?? Date.now();
  }

  /** A durable actor of this runtime: its clock, its log, its policies, and how it tells of changes. */
  #durableActor(make: (ports: DurableActorPorts) => DurableActor): DurableActor {
    let durable: DurableActor | undefined;
    const ports: DurableActorPorts = {
      now: () => this.#now(),
      keyPrefix: this.#host.actorId,
      log: (...args: unknown[]) => this.#host.log.info("workflow log", { args: args.map(String) }),
      interrupted: (src: string) => this.#spec.interrupted?.[src] ?? "rerun",
      actorName: (logic: unknown) => this.#actorNames.get(logic),
      // A promise settled: store what followed, as in-flight work of this generation.
      changed: () =>
        void this.#host.later((runtime) => {
          if (runtime === this && durable === this.#durable) runtime.commitChanges();
        }).catch((error: unknown) => this.#host.log.warn("a change of the workflow was not stored", { error: describeError(error) })),
    };
    durable = make(ports);
    return durable;
  }

  /** The durable actor, restored from storage first if needed; throws the stored snapshot's refusal. */
  #ready(): DurableActor {
    if (!this.#durable && !this.#refusal) this.#restore();
    if (this.#refusal) throw this.#refusal;
    return this.#durable!;
  }

  /** Back to what storage holds: the stored snapshot, migrated when an older version wrote it. */
  #restore(): void {
    this.#durable?.stop();
    this.#durable = undefined;
    this.#refusal = undefined;
    const stored = this.#host.read();
    this.#manualClock = stored.manualClock;
    const { version, migrate } = this.#spec;
    // Not started yet (a start whose step could not be stored): the next call fails as storage says.
    if (!stored.system) {
      this.#refusal = new ActorError("machine/version_mismatch", "The workflow's machine never started: its first step could not be stored.");
      return;
    }
    let root = stored.system.root;
    if (stored.version !== version) {
      if (!migrate) {
        this.#refusal = new ActorError(
          "machine/version_mismatch",
          `The stored snapshot was written by version ${stored.version} of this workflow and this is version ${version}; give the workflow a migrate() for it.`,
          { metadata: { storedVersion: stored.version, version } },
        );
        return;
      }
      try {
        root = migrate(structuredClone(root), stored.version);
      } catch (error) {
        this.#host.log.error("the workflow's migrate() threw", { error: describeError(error) });
        this.#refusal = new ActorError("machine/version_mismatch", `migrate() could not bring version ${stored.version}'s snapshot to version ${version}.`, {
          metadata: { storedVersion: stored.version, version },
        });
        return;
      }
    }
    const { storage, generation } = this.#host;
    try {
      this.#durable = this.#durableActor((ports) =>
        DurableActor.restore(this.#machine, ports, { root, nextId: stored.nextId ?? 1 }, listTimers(storage, generation), listWork(storage, generation)),
      );
      this.#root = root;
    } catch (error) {
      if (!(error instanceof RestoreError)) throw error;
      this.#host.log.error("the stored workflow snapshot does not fit the machine", { error: describeError(error) });
      this.#refusal = new ActorError("machine/version_mismatch", `The stored snapshot names states this machine (version ${version}) lacks; bump its version and give a migrate().`, {
        metadata: { storedVersion: stored.version, version },
      });
    }
  }

  /** Store what changed on its own, then fire the timers due by now, one stored step each. */
  #catchUp(): DurableActor {
    const durable = this.#ready();
    if (durable.dirty) this.#commit(durable.takeStep());
    for (let fired = 0; durable === this.#durable && durable.snapshot.status === "active"; fired++) {
      if (fired >= MAX_TIMERS_PER_CALL) throw new Error(`More than ${MAX_TIMERS_PER_CALL} timers fell due at once; the machine keeps re-arming them.`);
      const step = this.#attempt(() => durable.fireDue(this.#now()));
      if (!step) break;
      this.#commit(step);
    }
    return this.#ready();
  }

  /** Run a step on the durable actor; one that throws (runs away, say) leaves memory as storage has it. */
  #attempt(step: () => DurableStep | undefined): DurableStep | undefined {
    try {
      return step();
    } catch (error) {
      this.#restore();
      throw error;
    }
  }

  #view(): SnapshotView {
    return viewOf({ root: this.#root }, this.#spec.version);
  }

  /**
   * Store one step — the snapshot (as the actor's state), timer and work changes and the
   * history entry — in one transaction; only then do subscribers hear of it. If the
   * transaction fails, memory goes back to what is stored.
   *
   * A delayed event the alarm cannot hold (past the platform's last alarm time, or not a
   * number of milliseconds at all) is refused with `machine/invalid_delay` when a caller's
   * event asked for it — nothing is stored — and otherwise (a timer, a promise's outcome,
   * the start) ends the machine in `error`, as a step that throws does: a step nobody can
   * refuse must not be retried for ever. So does any other step nobody can refuse that
   * cannot be stored (an emitted event that is not plain data, say).
   */
  #commit(taken: DurableStep, options: { fromCaller?: boolean; failing?: boolean } = {}): SnapshotView {
    const { storage, generation } = this.#host;
    const durable = this.#durable!;
    let step = taken;
    let view: SnapshotView;
    try {
      this.#host.assertWritable();
      const unschedulable = step.timers.set.find((timer) => !(timer.dueAt <= LATEST_ALARM_TIME));
      if (unschedulable) {
        const error = new ActorError(
          "machine/invalid_delay",
          `The machine scheduled ${quoteInput(unschedulable.event.type)} ${unschedulable.dueAt - this.#now()} ms from now, past the last time the platform's alarm can hold (the year 2189).`,
          { metadata: { event: unschedulable.event.type, delayMs: String(unschedulable.dueAt - this.#now()) } },
        );
        if (options.fromCaller) throw error;
        step = durable.fail(plainError(error), step.cause);
      }
      const statusBefore = this.#root === undefined ? undefined : viewOf({ root: this.#root }, this.#spec.version).status;
      view = viewOf({ root: step.root }, this.#spec.version);
      const now = this.#now();
      storage.transactionSync(() => {
        this.#host.write({ version: this.#spec.version, system: { root: step.root }, manualClock: this.#manualClock, nextId: step.nextId });
        if (view.status === "active") {
          applyTimerChanges(storage, generation, this.#manualClock !== null, step.timers);
          applyWorkChanges(storage, generation, step.work);
        } else {
          clearWorkflowPending(storage);
        }
        appendHistory(storage, generation, now, { event: historyEvent(step.cause), view, emitted: storeRefs(step.emitted) as EventObject[] });
        if (view.status !== statusBefore) this.#host.statusChanged();
      });
    } catch (error) {
      this.#host.revert();
      this.#restore();
      const restored = this.#durable as DurableActor | undefined;
      if (options.fromCaller || options.failing || !restored || step.cause.type === "xstate.init") throw error;
      this.#host.log.error("a step of the workflow could not be stored; its machine ends in error", { error: describeError(error) });
      return this.#commit(restored.fail(plainError(error), step.cause), { failing: true });
    }
    durable.stored(step);
    this.#root = step.root;
    if (step.timers.set.length || step.timers.cleared.length || step.work.started.length || step.work.ended.length || view.status !== "active") {
      this.#syncAlarm();
    }
    for (const event of step.emitted) this.#broadcast(event.type, event);
    this.#broadcast("snapshot", view);
    return view;
  }

  #broadcast(event: string, payload: unknown): void {
    try {
      this.#host.broadcast(event, [payload]);
    } catch (error) {
      this.#host.log.error(`the workflow's "${event}" event could not be sent`, { error: describeError(error) });
    }
  }

  #syncAlarm(): void {
    syncAlarm(this.#host.storage).catch((error: unknown) => this.#host.log.error("could not set the alarm", { error: describeError(error) }));
  }
}
