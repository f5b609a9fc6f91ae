import { fromPromise, type EventObject, type InspectionEvent, type SnapshotFrom } from "xstate";
import { DurableActor } from "../engine/durable-actor.ts";
import type { DurableActorPorts } from "../engine/durable-step.ts";
import { lifecycleMachine, type LifecycleMachine } from "./machine.ts";
import type {
  CreateWorkInput,
  LifecycleContext,
  LifecycleEvent,
  LifecycleState,
  LoadWorkInput,
  Refusal,
  RefusalReason,
  StoredLifecycle,
  StoredState,
  TeardownWorkInput,
} from "./types.ts";

type LifecycleSnapshot = SnapshotFrom<LifecycleMachine>;

/** One entry of the transition log. */
export interface TransitionRecord {
  /** State path before the event, e.g. `running` or `destroying.draining`. */
  from: string;
  /** State path after the event (equal to `from` for a refusal). */
  to: string;
  /** The event type that caused it. */
  event: string;
  /** The generation after the event (`null` before any actor existed here). */
  generation: number | null;
  /** `false` for a refusal or a failed piece of work. */
  ok: boolean;
  /** The refusal reason or the failed work's message. */
  error?: string;
}

/** What one step asks storage to do, all in one transaction. */
export interface LifecycleChange {
  /** The event that was stepped. */
  event: LifecycleEvent;
  /** What storage held before the step (`null`: nothing yet). */
  previous: StoredLifecycle | null;
  /** The stored lifecycle after the step, when it differs from what storage holds: write it. */
  stored: StoredLifecycle | undefined;
  /** Transition log entries: state changes, refusals worth keeping, failed work. */
  records: TransitionRecord[];
  /** Erase the actor's state, KV and schedules (a finished destroy, a failed creation). */
  wipe: boolean;
  /**
   * Whether the stored lifecycle leaves work a crash would interrupt (a creation, a destroy,
   * a destroy waiting for a wake): the alarm must then come back for it.
   */
  resume: boolean;
  /**
   * Whether storage holds this actor once the change is written. Until an actor is first
   * created nothing is stored, so a `get` of a key never created writes nothing; its log
   * entries wait for the first write.
   */
  exists: boolean;
}

/** Work the machine invoked, for its host to carry out. */
export type LifecycleWork =
  | { src: "load"; input: LoadWorkInput }
  | { src: "create" | "resurrect"; input: CreateWorkInput }
  | { src: "teardown"; input: TeardownWorkInput };

/** What a {@link Lifecycle} needs from its host. */
export interface LifecyclePort {
  /** Store a step, synchronously and atomically; throw to reject it (the machine does not move). */
  commit(change: LifecycleChange): void;
  /** Carry out invoked work; resolve when it is done, reject when it failed. */
  perform(work: LifecycleWork): Promise<unknown>;
  /** The outcome of `work` could not be stored; the lifecycle is back in `uninitialized` and must load again. */
  lost(error: unknown, work: LifecycleWork): void;
}

/** The machine's answer to one event. */
export type Verdict = { accepted: true } | { accepted: false; reason: RefusalReason };

/** `{ destroying: "draining" }` → `"destroying.draining"`. */
export function statePath(value: unknown): string {
  if (typeof value === "string") return value;
  const [key, child] = Object.entries(value as Record<string, unknown>)[0] ?? ["", ""];
  return `${key}.${statePath(child)}`;
}

/** Refusals that tell the host to load or wait, not outcomes: they are not logged. */
const retryReasons = new Set<RefusalReason>(["not_loaded", "not_ready"]);

/**
 * What storage holds of a snapshot: `undefined` for `uninitialized` (nothing known yet);
 * `loading` is stored as the `running` actor it wakes.
 */
export function storedLifecycle(snapshot: LifecycleSnapshot): StoredLifecycle | undefined {
  const top = statePath(snapshot.value).split(".")[0] as LifecycleState;
  if (top === "uninitialized") return undefined;
  const { generation, request, pendingDestroy, attempts } = snapshot.context;
  const state: StoredState = top === "loading" ? "running" : top;
  return { state, generation, request, pendingDestroy, attempts };
}

/** What an empty storage means: no actor was ever created here. */
const nothingStored: StoredLifecycle = { state: "absent", generation: null, request: null, pendingDestroy: false, attempts: 0 };

function sameStored(a: StoredLifecycle, b: StoredLifecycle): boolean {
  // Requests are replaced whole, never edited, so their ids tell them apart.
  return (
    a.state === b.state &&
    a.generation === b.generation &&
    a.request?.id === b.request?.id &&
    a.pendingDestroy === b.pendingDestroy &&
    a.attempts === b.attempts
  );
}

function refusalOf(emitted: ReadonlyArray<{ type: string }>): RefusalReason | undefined {
  for (const event of emitted) if (event.type === "refused") return (event as unknown as Refusal).reason;
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The log entries of one step. */
function recordsOf(step: LifecycleStep, refusal: RefusalReason | undefined): TransitionRecord[] {
  const from = statePath(step.previous.value);
  const to = statePath(step.snapshot.value);
  const failed = step.event.type.startsWith("xstate.error.actor.") ? (step.event as { error: unknown }).error : undefined;
  const loggedRefusal = refusal && !retryReasons.has(refusal) ? refusal : undefined;
  if (from === to && !loggedRefusal && failed === undefined) return [];
  const error = loggedRefusal ?? (failed !== undefined ? messageOf(failed) : undefined);
  return [{ from, to, event: step.event.type, generation: step.snapshot.context.generation, ok: error === undefined, ...(error !== undefined ? { error } : {}) }];
}

/** The answer to an event the machine took. */
const ACCEPTED: Verdict = { accepted: true };

/** Calls that an `admitting` machine takes as they are: they would step it without changing anything it stores. */
const ADMITTED_WITHOUT_A_STEP = new Set<LifecycleEvent["type"]>(["ACTION_START", "CONNECT", "ALARM", "INSPECT", "RESOLVE"]);

/** A step of the lifecycle, as the Lifecycle stores it: the event, where the machine was and is, and what it emitted. */
interface LifecycleStep {
  event: LifecycleEvent;
  previous: LifecycleSnapshot;
  snapshot: LifecycleSnapshot;
  emitted: ReadonlyArray<{ type: string }>;
}

/**
 * The lifecycle machine, run durably for one actor on the engine's {@link DurableActor}:
 * every event is a step that the host stores (state, log, wipe) before the step's work
 * starts; work outcomes come back as further steps. Verdicts are synchronous.
 *
 * @example
 * ```ts
 * const lifecycle = new Lifecycle({ commit, perform, lost });
 * lifecycle.send({ type: "LOAD", stored: readStoredLifecycle() });
 * const verdict = lifecycle.send({ type: "ACTION_START", generation: 3 });
 * if (!verdict.accepted) throw errorForRefusal(verdict.reason);
 * ```
 */
export class Lifecycle {
  readonly #port: LifecyclePort;
  readonly #inspect: ((event: InspectionEvent) => void) | undefined;
  /** The machine with its work carried out by this lifecycle's host. */
  readonly #machine: LifecycleMachine;
  #durable!: DurableActor;
  /** Where the machine was when its last step was stored. */
  #committed!: LifecycleSnapshot;
  /** What storage holds, as far as this lifecycle knows: learnt at LOAD, kept by each commit. */
  #stored: StoredLifecycle | null = null;
  /** Callers waiting for the machine to come to rest. */
  #waiters: Array<() => void> = [];
  /** The work under way, by its invoke id: an outcome that cannot be stored is reported with it. */
  readonly #work = new Map<string, LifecycleWork>();
  /**
   * Actions admitted while the machine was `admitting` without stepping it: counted here,
   * and handed to the machine (one `ACTION_START` with their count) before any event that
   * could take it elsewhere, so a destroy still drains them.
   */
  #admitted = 0;

  constructor(port: LifecyclePort, options: { inspect?: (event: InspectionEvent) => void } = {}) {
    this.#port = port;
    this.#inspect = options.inspect;
    const work = (src: LifecycleWork["src"]) => fromPromise<unknown, never>(({ input, self }) => this.#perform(src, input, self));
    this.#machine = lifecycleMachine.provide({ actors: { load: work("load"), create: work("create"), resurrect: work("resurrect"), teardown: work("teardown") } as never });
    this.#begin();
  }

  /**
   * Hand the machine one event; its step is stored before this returns. Throws if it could
   * not be stored. Calls of the live generation while the machine is `admitting` (an
   * action starting or ending, a connection, an alarm, an inspection) change nothing it
   * stores: they are answered from its tags, with no step.
   */
  send(event: LifecycleEvent): Verdict {
    if (this.#admits(event)) {
      if (event.type === "ACTION_START") this.#admitted++;
      return ACCEPTED;
    }
    if (event.type === "ACTION_END" && this.#admitted > 0) {
      this.#admitted--;
      return ACCEPTED;
    }
    this.#handOverAdmitted();
    return this.#step(event);
  }

  /** Whether `event` is a call the machine admits as it is, without a step. */
  #admits(event: LifecycleEvent): boolean {
    if (!ADMITTED_WITHOUT_A_STEP.has(event.type) || !this.snapshotOf().hasTag("admitting")) return false;
    const generation = "generation" in event ? event.generation : undefined;
    return generation === undefined || generation === this.snapshotOf().context.generation;
  }

  /** The actions admitted without a step become the machine's own count, before an event that could move it. */
  #handOverAdmitted(): void {
    const count = this.#admitted;
    if (count === 0) return;
    this.#admitted = 0;
    this.#step({ type: "ACTION_START", count });
  }

  #step(event: LifecycleEvent): Verdict {
    this.#storeChanges();
    const previous = this.snapshotOf();
    const taken = this.#durable.send(event as EventObject);
    if (!taken) return { accepted: true };
    const step = { event, previous, snapshot: this.snapshotOf(), emitted: taken.emitted };
    try {
      this.#commit(step);
    } catch (error) {
      // Memory ran ahead of storage: start again from storage.
      this.reset();
      throw error;
    }
    this.#durable.stored(taken);
    this.#stepped();
    const reason = refusalOf(step.emitted);
    return reason ? { accepted: false, reason } : { accepted: true };
  }

  /** The full state path, e.g. `destroying.draining`. */
  get state(): string {
    return statePath(this.snapshotOf().value);
  }

  /** The top-level state, as `inspect()` reports it. */
  get lifecycle(): LifecycleState {
    return this.state.split(".")[0] as LifecycleState;
  }

  /** The machine's context: generation, actions in flight (those admitted without a step too), pending requests. */
  get context(): Readonly<LifecycleContext> {
    const { context } = this.snapshotOf();
    return this.#admitted === 0 ? context : { ...context, inFlight: context.inFlight + this.#admitted };
  }

  /** What storage holds of the machine where it is now; `undefined` before anything was read. */
  get stored(): StoredLifecycle | undefined {
    return storedLifecycle(this.snapshotOf());
  }

  /**
   * Resolves once the machine is at rest: no work (load, create, resurrect, teardown) under
   * way, and not draining in-flight actions for a destroy. Never rejects: whoever asked for
   * work hears of its failure through its own request; everyone else asks again.
   */
  settled(): Promise<void> {
    if (this.#resting()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /**
   * Whether code of `generation` may still write to storage. Once its destroy has wiped it
   * (or a newer generation exists) nothing of it may: a timed-out action finishing late
   * must not write into the tombstone or the next generation.
   */
  acceptsWritesFrom(generation: number): boolean {
    return this.context.generation === generation && this.snapshotOf().hasTag("writable");
  }

  /** Forget the machine's memory: back to `uninitialized`, so the next event loads from storage again. */
  reset(): void {
    this.#durable.stop();
    this.#admitted = 0;
    this.#begin();
    this.#stepped();
  }

  /** The machine's snapshot as memory has it. */
  private snapshotOf(): LifecycleSnapshot {
    return this.#durable.snapshot as LifecycleSnapshot;
  }

  #begin(): void {
    const ports: DurableActorPorts = {
      now: () => Date.now(),
      keyPrefix: "lifecycle",
      changed: () => {
        if (durable === this.#durable) this.#storeChanges();
      },
      ...(this.#inspect ? { inspect: this.#inspect } : {}),
    };
    const durable = DurableActor.start(this.#machine, ports, undefined);
    const first = durable.takeStep();
    // The initial snapshot stands for "nothing stored yet", so entering it may not ask for work.
    if (first.work.started.length) throw new Error(`A durable machine must start at rest; "${this.#machine.id}" starts with work.`);
    durable.stored(first);
    this.#durable = durable;
    this.#work.clear();
    this.#committed = durable.snapshot as LifecycleSnapshot;
  }

  #resting(): boolean {
    return this.snapshotOf().hasTag("resting");
  }

  #stepped(): void {
    if (!this.#resting()) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }

  /**
   * Carry out a piece of work the machine invoked, once the step that invoked it is stored:
   * a microtask later, and only if this lifecycle's memory still is that step's (a step that
   * could not be stored reset it, and its work never starts).
   */
  #perform(src: LifecycleWork["src"], input: unknown, self: { id: string }): Promise<unknown> {
    const durable = this.#durable;
    const work = { src, input } as LifecycleWork;
    this.#work.set(self.id, work);
    return Promise.resolve().then(() => {
      if (durable !== this.#durable) return new Promise<never>(() => {});
      return this.#port.perform(work);
    });
  }

  /** Store what the machine did on its own since the last step (the outcome of its work). */
  #storeChanges(): void {
    const durable = this.#durable;
    if (!durable.dirty) return;
    const taken = durable.takeStep();
    const step = { event: taken.cause as LifecycleEvent, previous: this.#committed, snapshot: this.snapshotOf(), emitted: taken.emitted };
    const id = /^xstate\.(?:done|error)\.actor\.(.+)$/.exec(taken.cause.type)?.[1];
    try {
      this.#commit(step);
    } catch (error) {
      const work = (id !== undefined ? this.#work.get(id) : undefined) ?? { src: "load", input: { generation: 0 } };
      this.reset();
      this.#port.lost(error, work as LifecycleWork);
      return;
    }
    durable.stored(taken);
    if (id !== undefined) this.#work.delete(id);
    this.#stepped();
  }

  #commit(step: LifecycleStep): void {
    const refusal = refusalOf(step.emitted);
    const next = storedLifecycle(step.snapshot);
    if (step.event.type === "LOAD" && step.previous.value === "uninitialized") this.#stored = step.event.stored;
    const stored = next && !sameStored(this.#stored ?? nothingStored, next) ? next : undefined;
    const wipe = step.emitted.some((event) => event.type === "wipe");
    const records = recordsOf(step, refusal);
    const exists = stored !== undefined || this.#stored !== null;
    const resume = step.snapshot.hasTag("unfinished") || step.snapshot.context.pendingDestroy;
    if (stored || wipe || records.length) this.#port.commit({ event: step.event, previous: this.#stored, stored, records, wipe, resume, exists });
    if (stored) this.#stored = stored;
    this.#committed = step.snapshot;
  }
}
