import type { AnyStateMachine, EventObject } from "xstate";
import { whyRefused } from "../../machines/workflow/refusal.ts";
import { plainError, WorkflowSystem } from "../../machines/workflow/system.ts";
import type { PersistedSystem, SnapshotView, SystemStep } from "../../machines/workflow/types.ts";
import { viewOf } from "../../machines/workflow/view.ts";
import type { ActorLogger } from "../actor-types.ts";
import { assertPlainData } from "../codec.ts";
import type { Caller } from "../types/hooks.ts";
import { ActorError, describeError, quoteInput } from "../errors.ts";
import { LATEST_ALARM_TIME, syncAlarm } from "../storage/alarm.ts";
import {
  appendHistory,
  applyTimers,
  applyWork,
  clearWorkflowPending,
  deleteTimer,
  dueTimers,
  listWork,
  moveTimersToManualClock,
  nextTimer,
  removeSubtrees,
  workIsCurrent,
  deleteWork,
  type StoredWork,
} from "../storage/workflow.ts";
import type { WorkflowCaller, WorkflowScope, WorkflowSpec, WorkflowState } from "./spec.ts";

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

/** How a promise's outcome comes back. */
type Outcome = { output: unknown } | { error: unknown };

/**
 * One generation of a workflow actor in memory: its machines (a {@link WorkflowSystem})
 * restored from the actor's state, stepped by events, due timers and settled promises.
 * Every step is stored before anything else happens — the system's snapshot, its timers,
 * its work and a history entry in one transaction — then the machines' actions run, promise
 * work starts, and subscribers hear the new snapshot.
 */
export class WorkflowRuntime {
  readonly #spec: WorkflowSpec;
  readonly #host: WorkflowHost;
  /** The workflow's machine with what `provide(c)` gives it, made once per generation in memory. */
  readonly #machine: AnyStateMachine;
  #system: WorkflowSystem;
  /** Who sent the event being stepped (while its guards and actions run); `undefined` otherwise. */
  #caller: WorkflowCaller | undefined;
  /**
   * The machines' own actions of stored steps, run in order once their step is durable.
   * `#actionsOwed` counts the steps whose actions have not run yet: most steps have none,
   * and their callers need not wait.
   */
  #actionsRun: Promise<void> = Promise.resolve();
  #actionsOwed = 0;
  /** Why the stored snapshot cannot be used (a version without a migration), once known. */
  #refusal: ActorError | undefined;
  #ready = false;
  /** The test's clock, when it runs on one; `null` for the wall clock. */
  #manualClock: number | null = null;
  /** Promise work running in this runtime, by run: aborted when the machine stops wanting it. */
  readonly #running = new Map<string, { run: number; controller: AbortController }>();

  constructor(spec: WorkflowSpec, host: WorkflowHost) {
    this.#spec = spec;
    this.#host = host;
    this.#machine = spec.provide ? spec.machine.provide(spec.provide(this.#scope()) as never) : spec.machine;
    this.#system = this.#newSystem();
  }

  /** Start the machine with the actor's input (the actor's `onCreate`). */
  start(input: unknown): Promise<void> | void {
    this.#ready = true;
    if (this.#host.manualClock()) this.#manualClock = Date.now();
    this.#commit({ type: "xstate.init" }, () => this.#system.start(input));
    return this.#afterActions(undefined);
  }

  /**
   * Bring the stored machine back (the actor's `onWake`), and settle the promise work a
   * restart interrupted: run again (the default; same idempotency key) or, where the
   * workflow says so, delivered to the machine as an error.
   */
  wake(): Promise<void> | void {
    if (this.#ready) return;
    this.#restore();
    if (this.#refusal) return;
    const { storage, generation } = this.#host;
    for (const work of listWork(storage, generation)) {
      if ((this.#spec.interrupted?.[work.src] ?? "rerun") === "rerun") {
        this.#run(work);
      } else {
        const error = { name: "Interrupted", message: `The actor restarted while "${work.invokeId}" was running.` };
        this.#settleNow(work, { error });
      }
    }
    return this.#afterActions(undefined);
  }

  /**
   * Throw unless the machine can take events: a stored snapshot it cannot use, or a machine
   * that finished. Due timers fire first, so a caller sees time as it is.
   */
  assertOpen(): void {
    this.#catchUp();
    const { status } = this.#system.snapshot;
    if (status !== "active") {
      throw new ActorError("machine/finished", `The workflow's machine has finished (status "${status}"); it takes no more events.`);
    }
  }

  /**
   * Deliver `event` to the machine and store the step; resolves with the new snapshot view.
   * `caller` (a call from outside) is `c.caller` for the machine's guards and actions while
   * this event is stepped — its auth only, never its params.
   */
  send(event: EventObject, caller?: Caller): SnapshotView | Promise<SnapshotView> {
    this.assertOpen();
    this.#caller = caller ? { auth: caller.auth } : undefined;
    try {
      if (!this.#system.can(event)) throw this.#notAccepted(event);
      return this.#afterActions(this.#commit(event, () => this.#system.deliver(event), undefined, { fromCaller: true }));
    } finally {
      this.#caller = undefined;
    }
  }

  /** `machine/event_not_accepted`, saying whether the state has no transition for the event or its guards refused it. */
  #notAccepted(event: EventObject): ActorError {
    const { value } = this.#system.snapshot;
    const state = JSON.stringify(value);
    const refusal = whyRefused(this.#system.snapshot, event);
    const message =
      refusal.reason === "not_handled"
        ? `The machine has no transition for ${quoteInput(event.type)} in state ${state}.`
        : `The machine's ${refusal.guards.length === 1 ? "guard" : "guards"} ${refusal.guards.join(", ")} refused ${quoteInput(event.type)} in state ${state}.`;
    return new ActorError("machine/event_not_accepted", message, { metadata: { state: value, ...refusal } });
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

  /** The current snapshot view, once due timers have fired. */
  view(): SnapshotView | Promise<SnapshotView> {
    this.#catchUp();
    return this.#afterActions(this.#view());
  }

  /** The current snapshot view, once due timers have fired, without waiting for their actions. */
  currentView(): SnapshotView {
    this.#catchUp();
    return this.#view();
  }

  /** Fire the timers due now (the alarm); the alarm is re-armed for the rest. */
  fireDue(): Promise<void> | void {
    this.#catchUp();
    this.#syncAlarm();
    return this.#afterActions(undefined);
  }

  /**
   * Move this actor's clock `ms` forward and fire every timer due by then, in order, each
   * at its own time (a timer it sets fires too if due in the window). For tests: from then
   * on the actor's clock is the test's, and real time no longer moves it.
   */
  advanceTime(ms: number): SnapshotView | Promise<SnapshotView> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advanceTime needs a non-negative number of milliseconds, not ${ms}.`);
    this.#ensureReady();
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
    for (let fired = 0; ; fired++) {
      const next = nextTimer(this.#host.storage, this.#host.generation);
      if (!next || next.dueAt > until || this.#system.snapshot.status !== "active") break;
      if (fired >= MAX_TIMERS_PER_CALL) throw new Error(`More than ${MAX_TIMERS_PER_CALL} timers fired in one advanceTime(); the machine keeps re-arming them.`);
      this.#manualClock = Math.max(this.#manualClock, next.dueAt);
      this.#fire(next);
    }
    this.#host.assertWritable();
    this.#host.storage.transactionSync(() => this.#host.write({ ...this.#host.read(), manualClock: until }));
    this.#manualClock = until;
    return this.#afterActions(this.#view());
  }

  /** Feed a promise's outcome back, if its run is still the one the machine waits for. */
  settle(work: StoredWork, outcome: Outcome): Promise<void> | void {
    this.#ensureReady();
    const key = `${work.path}#${work.invokeId}`;
    if (this.#running.get(key)?.run === work.run) this.#running.delete(key);
    if (!workIsCurrent(this.#host.storage, work.run)) return;
    this.#settleNow(work, outcome);
    return this.#afterActions(undefined);
  }

  #settleNow(work: StoredWork, outcome: Outcome): void {
    const id = work.invokeId;
    const event = (
      "error" in outcome
        ? { type: `xstate.error.actor.${id}`, error: plainError(outcome.error), actorId: id }
        : { type: `xstate.done.actor.${id}`, output: outcome.output, actorId: id }
    ) as unknown as EventObject;
    this.#commit(event, () => this.#system.deliver(event, work.path), () => deleteWork(this.#host.storage, work.run));
  }

  #now(): number {
    return this.#manualClock ?? Date.now();
  }

  #newSystem(): WorkflowSystem {
    return new WorkflowSystem(this.#machine, { log: (...args) => this.#host.log.info("workflow log", { args: args.map(String) }) });
  }

  #ensureReady(): void {
    if (!this.#ready) this.#restore();
    if (this.#refusal) throw this.#refusal;
  }

  /** Back to what storage holds: the stored snapshot, migrated when an older version wrote it. */
  #restore(): void {
    const stored = this.#host.read();
    this.#ready = true;
    this.#refusal = undefined;
    this.#manualClock = stored.manualClock;
    this.#system = this.#newSystem();
    // Not started yet (a start whose step could not be stored): the fresh system stays.
    if (!stored.system) return;
    const { version, migrate } = this.#spec;
    let persisted: PersistedSystem = stored.system;
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
        persisted = { root: migrate(structuredClone(stored.system.root), stored.version) };
      } catch (error) {
        this.#host.log.error("the workflow's migrate() threw", { error: describeError(error) });
        this.#refusal = new ActorError("machine/version_mismatch", `migrate() could not bring version ${stored.version}'s snapshot to version ${version}.`, {
          metadata: { storedVersion: stored.version, version },
        });
        return;
      }
    }
    try {
      this.#system.restore(persisted);
    } catch (error) {
      this.#host.log.error("the stored workflow snapshot does not fit the machine", { error: describeError(error) });
      this.#refusal = new ActorError("machine/version_mismatch", `The stored snapshot names states this machine (version ${version}) lacks; bump its version and give a migrate().`, {
        metadata: { storedVersion: stored.version, version },
      });
    }
  }

  /** Fire the timers due by now, one stored step each. */
  #catchUp(): void {
    this.#ensureReady();
    const { storage, generation } = this.#host;
    for (let fired = 0; this.#system.snapshot.status === "active"; fired++) {
      const [timer] = dueTimers(storage, generation, this.#now(), 1);
      if (!timer) return;
      if (fired >= MAX_TIMERS_PER_CALL) throw new Error(`More than ${MAX_TIMERS_PER_CALL} timers fell due at once; the machine keeps re-arming them.`);
      this.#fire(timer);
    }
  }

  #fire(timer: { id: number; target: string; event: { type: string } }): void {
    this.#commit(timer.event, () => this.#system.deliver(timer.event, timer.target), () => deleteTimer(this.#host.storage, timer.id));
  }

  #view(): SnapshotView {
    return viewOf(this.#system.persist(), this.#spec.version);
  }

  /**
   * Store one step — the snapshot (as the actor's state), timer and work changes, the
   * history entry, and `consume` (the timer or work the step used up) — in one transaction.
   * Only then: promise work starts, stopped work is aborted, the machines' actions run and
   * subscribers hear the new snapshot. If the transaction fails, memory goes back to what
   * is stored.
   *
   * A delayed event the alarm cannot hold (past the platform's last alarm time, or not a
   * number of milliseconds at all) is refused with `machine/invalid_delay` when a caller's
   * event asked for it — nothing is stored — and otherwise (a timer, a promise's outcome,
   * the start) ends the machine in `error`, as a step that throws does: a step nobody can
   * refuse must not be retried for ever.
   */
  #commit(cause: EventObject, compute: () => SystemStep, consume?: () => void, options: { fromCaller?: boolean } = {}): SnapshotView {
    const { storage, generation } = this.#host;
    let started: StoredWork[] = [];
    let view: SnapshotView;
    let step: SystemStep;
    try {
      this.#host.assertWritable();
      const statusBefore = this.#system.started ? this.#system.snapshot.status : undefined;
      // Inside the try: a step that throws (too many steps) leaves memory as storage has it.
      step = compute();
      const now = this.#now();
      const unschedulable = step.timers.find((timer) => timer.type === "set" && !(now + Math.max(0, timer.delayMs) <= LATEST_ALARM_TIME));
      if (unschedulable?.type === "set") {
        const error = new ActorError(
          "machine/invalid_delay",
          `The machine scheduled ${quoteInput(unschedulable.event.type)} ${unschedulable.delayMs} ms from now, past the last time the platform's alarm can hold (the year 2189).`,
          { metadata: { event: unschedulable.event.type, delayMs: String(unschedulable.delayMs) } },
        );
        if (options.fromCaller) throw error;
        step = this.#system.fail(plainError(error));
      }
      const persisted = this.#system.persist();
      view = viewOf(persisted, this.#spec.version);
      storage.transactionSync(() => {
        consume?.();
        this.#host.write({ version: this.#spec.version, system: persisted, manualClock: this.#manualClock });
        // Removals first: a child stopped and started again in one step keeps its new timers.
        removeSubtrees(storage, step.removed);
        applyTimers(storage, generation, { now, manual: this.#manualClock !== null }, step.timers);
        started = applyWork(storage, generation, now, step.work);
        if (view.status !== "active") {
          clearWorkflowPending(storage);
          started = [];
        }
        appendHistory(storage, generation, now, { event: cause, view, emitted: step.emitted });
        if (view.status !== statusBefore) this.#host.statusChanged();
      });
    } catch (error) {
      this.#host.revert();
      this.#restore();
      throw error;
    }
    // Timers and work under way both keep the alarm: work so a crash cannot strand it.
    if (step.timers.length || step.removed.length || step.work.length || consume || view.status !== "active") {
      this.#syncAlarm();
    }
    for (const change of step.work) {
      if (change.type === "stop") this.#abort(`${change.path}#${change.id}`);
    }
    for (const key of [...this.#running.keys()]) {
      const path = key.slice(0, key.lastIndexOf("#"));
      const removed = step.removed.some((gone) => path === gone || path.startsWith(`${gone}/`));
      if (removed || view.status !== "active") this.#abort(key);
    }
    for (const work of started) this.#run(work);
    if (step.actions.length) this.#runActionsWhenDurable(step.actions);
    for (const event of step.emitted) this.#host.broadcast(event.type, [event]);
    this.#host.broadcast("snapshot", [view]);
    return view;
  }

  /**
   * Run a stored step's own actions once the step is durable (`storage.sync()`): a crash
   * before then loses the step and its actions together, so an action runs at most once
   * — never for a step that was lost and computed again. In order, after any step before.
   */
  #runActionsWhenDurable(actions: ReadonlyArray<() => void>): void {
    const caller = this.#caller;
    this.#actionsOwed++;
    this.#actionsRun = this.#actionsRun
      .then(() => this.#host.storage.sync())
      .then(
        () => {
          // The guards saw this caller; so do the actions of the same step.
          this.#caller = caller;
          try {
            for (const action of actions) {
              try {
                action();
              } catch (error) {
                this.#host.log.error("a workflow action threw (the step is stored; the action is not retried)", { error: describeError(error) });
              }
            }
          } finally {
            this.#caller = undefined;
          }
        },
        (error: unknown) => this.#host.log.error("a step could not be made durable; its actions do not run", { error: describeError(error) }),
      )
      .finally(() => this.#actionsOwed--);
  }

  /** `value` once every owed action has run; at once when none is owed. */
  #afterActions<T>(value: T): T | Promise<T> {
    return this.#actionsOwed ? this.#actionsRun.then(() => value) : value;
  }

  #syncAlarm(): void {
    syncAlarm(this.#host.storage).catch((error: unknown) => this.#host.log.error("could not set the alarm", { error: describeError(error) }));
  }

  #abort(key: string): void {
    this.#running.get(key)?.controller.abort();
    this.#running.delete(key);
  }

  /** Start one promise; its outcome comes back as in-flight work of this generation. */
  #run(work: StoredWork): void {
    const ref = this.#system.work(work.path, work.invokeId);
    if (!ref) {
      this.#host.log.warn("stored promise work has no actor in the machine; it is dropped", { path: work.path, id: work.invokeId });
      return;
    }
    const controller = new AbortController();
    this.#running.set(`${work.path}#${work.invokeId}`, { run: work.run, controller });
    const idempotencyKey = `${this.#host.actorId}/${work.path ? `${work.path}/` : ""}${work.invokeId}/${work.run}`;
    Promise.resolve()
      .then(() => (ref.logic as { config: (args: unknown) => unknown }).config({ input: work.input, self: ref, system: ref.system, signal: controller.signal, emit: () => {}, idempotencyKey }))
      .then(
        (output): Outcome => {
          // An output that cannot be stored reaches the machine as the error it is.
          try {
            assertPlainData(output, `the output of "${work.invokeId}"`);
            return { output };
          } catch (error) {
            return { error };
          }
        },
        (error: unknown): Outcome => ({ error }),
      )
      .then((outcome) => this.#host.later((runtime) => runtime.settle(work, outcome)))
      .catch((error: unknown) => {
        // The generation is gone (destroyed) or the outcome could not be stored: the row
        // stays only if the generation does, and its next wake runs the work again.
        this.#host.log.warn(`the outcome of "${work.invokeId}" was not delivered`, { error: describeError(error) });
      });
  }
}
