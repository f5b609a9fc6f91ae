import type { InspectionEvent, SnapshotFrom } from "xstate";
import { createEngine } from "../engine/engine.ts";
import type { Effect } from "../engine/effects.ts";
import { DurableRunner, type CommittedStep } from "../engine/runner.ts";
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

function refusalOf(effects: readonly Effect[]): RefusalReason | undefined {
  for (const effect of effects) if (effect.type === "emit" && effect.event.type === "refused") return (effect.event as unknown as Refusal).reason;
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The log entries of one step. */
function recordsOf(step: CommittedStep<LifecycleMachine>, refusal: RefusalReason | undefined): TransitionRecord[] {
  const from = statePath(step.previous.value);
  const to = statePath(step.snapshot.value);
  const failed = step.event.type.startsWith("xstate.error.actor.") ? (step.event as { error: unknown }).error : undefined;
  const loggedRefusal = refusal && !retryReasons.has(refusal) ? refusal : undefined;
  if (from === to && !loggedRefusal && failed === undefined) return [];
  const error = loggedRefusal ?? (failed !== undefined ? messageOf(failed) : undefined);
  return [{ from, to, event: step.event.type, generation: step.snapshot.context.generation, ok: error === undefined, ...(error !== undefined ? { error } : {}) }];
}

/**
 * States in which the machine waits for nothing of its own: no work under way, and no
 * in-flight actions to drain before a destroy can go on.
 */
const restingStates = new Set(["uninitialized", "absent", "running", "destroyed", "destroying.stalled"]);

/** States whose generation may still write to storage: it is live, or being woken, created or destroyed. */
const writableStates = new Set(["loading", "creating", "resurrecting", "running", "destroying.draining", "destroying.finalizing"]);

// The lifecycle machine is stepped the same way in every object: one engine serves them all.
const engine = createEngine(lifecycleMachine);

/**
 * The lifecycle machine, run durably for one actor: every event is a pure step that the
 * host stores (state, log, wipe) before the step's work is started; work outcomes come back
 * as further steps. Verdicts are synchronous.
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
  readonly #runner: DurableRunner<LifecycleMachine>;
  readonly #port: LifecyclePort;
  /** What storage holds, as far as this lifecycle knows: learnt at LOAD, kept by each commit. */
  #stored: StoredLifecycle | null = null;
  /** Callers waiting for the machine to come to rest. */
  #waiters: Array<() => void> = [];

  constructor(port: LifecyclePort, options: { inspect?: (event: InspectionEvent) => void } = {}) {
    this.#port = port;
    this.#runner = new DurableRunner(
      engine,
      {
        commit: (step) => this.#commit(step),
        perform: (invocation) => port.perform({ src: invocation.src, input: invocation.input } as LifecycleWork),
        lost: (error, invocation) => port.lost(error, { src: invocation.src, input: invocation.input } as LifecycleWork),
        stepped: () => {
          if (!this.#resting()) return;
          const waiters = this.#waiters;
          this.#waiters = [];
          for (const resolve of waiters) resolve();
        },
      },
      options,
    );
  }

  /** Hand the machine one event; its step is stored before this returns. Throws if it could not be stored. */
  send(event: LifecycleEvent): Verdict {
    const reason = refusalOf(this.#runner.send(event));
    return reason ? { accepted: false, reason } : { accepted: true };
  }

  /** The full state path, e.g. `destroying.draining`. */
  get state(): string {
    return statePath(this.#runner.snapshot.value);
  }

  /** The top-level state, as `inspect()` reports it. */
  get lifecycle(): LifecycleState {
    return this.state.split(".")[0] as LifecycleState;
  }

  /** The machine's context: generation, actions in flight, pending requests. */
  get context(): Readonly<LifecycleContext> {
    return this.#runner.snapshot.context;
  }

  /** What storage holds of the machine where it is now; `undefined` before anything was read. */
  get stored(): StoredLifecycle | undefined {
    return storedLifecycle(this.#runner.snapshot);
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

  #resting(): boolean {
    return this.#runner.snapshot.hasTag("resting");
  }

  /**
   * Whether code of `generation` may still write to storage. Once its destroy has wiped it
   * (or a newer generation exists) nothing of it may: a timed-out action finishing late
   * must not write into the tombstone or the next generation.
   */
  acceptsWritesFrom(generation: number): boolean {
    return this.context.generation === generation && this.#runner.snapshot.hasTag("writable");
  }

  /** Forget the machine's memory: back to `uninitialized`, so the next event loads from storage again. */
  reset(): void {
    this.#runner.reset();
  }

  #commit(step: CommittedStep<LifecycleMachine>): void {
    const refusal = refusalOf(step.effects);
    const next = storedLifecycle(step.snapshot);
    if (step.event.type === "LOAD" && step.previous.value === "uninitialized") this.#stored = step.event.stored;
    const stored = next && !sameStored(this.#stored ?? nothingStored, next) ? next : undefined;
    const wipe = step.effects.some((effect) => effect.type === "emit" && effect.event.type === "wipe");
    const records = recordsOf(step, refusal);
    const exists = stored !== undefined || this.#stored !== null;
    const resume = step.snapshot.hasTag("unfinished") || step.snapshot.context.pendingDestroy;
    if (stored || wipe || records.length) this.#port.commit({ event: step.event, previous: this.#stored, stored, records, wipe, resume, exists });
    if (stored) this.#stored = stored;
  }
}
