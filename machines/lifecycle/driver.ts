import { createActor, fromPromise, type ActorSystem, type InspectionEvent, type Snapshot } from "xstate";
import { lifecycleMachine, type CreateWorkInput, type TeardownWorkInput } from "./machine.ts";
import type {
  CreatedRecord,
  LifecycleContext,
  LifecycleEvent,
  LifecycleState,
  LoadedRecord,
  RefusalReason,
} from "./types.ts";

/** The work a host supplies: everything that touches storage or user code. */
export interface LifecycleWork {
  /** Read the durable record (and run `onWake` for a live actor). Shared by concurrent loads. */
  load(): Promise<LoadedRecord>;
  /** Bring generation 0 to life. Re-run after a snapshot restore, so it must be idempotent. */
  create(input: CreateWorkInput): Promise<CreatedRecord>;
  /** Bring `input.generation` to life after a destroy. Idempotent, like `create`. */
  resurrect(input: CreateWorkInput): Promise<CreatedRecord>;
  /** Run `onDestroy`, then wipe and write the tombstone. Idempotent: an interrupted destroy runs it again. */
  teardown(input: TeardownWorkInput): Promise<void>;
}

/** One entry of the transition log, as the sink receives it. */
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

/** The machine's answer to one event. */
export type Verdict = { accepted: true } | { accepted: false; reason: RefusalReason };

/** Options for {@link startLifecycle}. */
export interface LifecycleOptions {
  work: LifecycleWork;
  /** Receives every state change, refusal and work failure, in order. */
  onTransition?: (record: TransitionRecord) => void;
  /** A snapshot from {@link LifecycleDriver.persistedSnapshot} to resume from. */
  snapshot?: Snapshot<unknown>;
  /** Receives XState's raw inspection events (for the Stately inspector bridge, or tests). */
  inspect?: (event: InspectionEvent) => void;
}

/** A running lifecycle machine with synchronous verdicts. */
export interface LifecycleDriver {
  /**
   * Hand the machine one event and return its verdict. Must not be called from inside
   * `onTransition` or work callbacks' synchronous part: XState would queue the event and
   * the verdict could not be known, so that throws.
   */
  send(event: LifecycleEvent): Verdict;
  /** The full state path, e.g. `destroying.draining`. */
  readonly state: string;
  /** The top-level state, as `inspect()` reports it. */
  readonly lifecycle: LifecycleState;
  readonly context: Readonly<LifecycleContext>;
  /**
   * Resolves once the machine is at rest (no load, create, resurrect or destroy under way).
   * Rejects with the work's error if the work that was under way failed.
   */
  settled(): Promise<void>;
  /** A JSON-safe snapshot that {@link startLifecycle} can resume from. */
  persistedSnapshot(): Snapshot<unknown>;
  stop(): void;
}

const restingStates = new Set(["uninitialized", "absent", "running", "destroyed", "destroying.stalled"]);

/** `{ destroying: "draining" }` → `"destroying.draining"`. */
export function statePath(value: unknown): string {
  if (typeof value === "string") return value;
  const [key, child] = Object.entries(value as Record<string, unknown>)[0] ?? ["", ""];
  return `${key}.${statePath(child)}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// Providing implementations rebuilds the machine's whole state-node tree (~0.3 ms), so it
// is done once; each invocation finds its own host's work through the actor system.
const workOfSystem = new WeakMap<ActorSystem<any>, LifecycleWork>();

function workOf(system: ActorSystem<any>): LifecycleWork {
  const work = workOfSystem.get(system);
  if (!work) throw new Error("Lifecycle work was invoked for an actor that startLifecycle did not start.");
  return work;
}

// XState calls these while it is handling an event; the work starts a microtask later, so
// the host's work (and user hooks inside it) may send events without re-entering the machine.
const later = Promise.resolve();

const hostedMachine = lifecycleMachine.provide({
  actors: {
    load: fromPromise<LoadedRecord>(({ system }) => later.then(() => workOf(system).load())),
    create: fromPromise<CreatedRecord, CreateWorkInput>(({ input, system }) => later.then(() => workOf(system).create(input))),
    resurrect: fromPromise<CreatedRecord, CreateWorkInput>(({ input, system }) =>
      later.then(() => workOf(system).resurrect(input)),
    ),
    teardown: fromPromise<void, TeardownWorkInput>(({ input, system }) => later.then(() => workOf(system).teardown(input))),
  },
});

/**
 * Start the lifecycle machine with the host's work and a transition sink.
 *
 * @example
 * ```ts
 * const lifecycle = startLifecycle({ work, onTransition: (t) => log.append(t) });
 * const verdict = lifecycle.send({ type: "ACTION_START", generation: 3 });
 * if (!verdict.accepted) throw errorForRefusal(verdict.reason);
 * ```
 */
export function startLifecycle(options: LifecycleOptions): LifecycleDriver {
  const refusals = new WeakMap<object, RefusalReason>();
  const processed = new WeakSet<object>();
  let previous: string | undefined;
  let waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  // The failure of the work under way, kept until the machine comes to rest so that
  // every waiter of that work hears about it.
  let failure: { error: unknown } | undefined;

  const actor = createActor(hostedMachine, {
    ...(options.snapshot ? { snapshot: options.snapshot } : {}),
    // Fires during createActor() too, before `actor` is assigned: use only the event.
    inspect: (inspection) => {
      options.inspect?.(inspection);
      if (inspection.type !== "@xstate.snapshot" || inspection.actorRef.sessionId !== inspection.rootId) return;
      const event = inspection.event as LifecycleEvent | { type: "xstate.init" };
      const snapshot = inspection.snapshot as ReturnType<typeof actor.getSnapshot>;
      const to = statePath(snapshot.value);
      const from = previous ?? to;
      previous = to;
      processed.add(event);
      const refusal = refusals.get(event);
      const workError = event.type.startsWith("xstate.error.actor.") ? (event as { error: unknown }).error : undefined;
      if (workError !== undefined) failure = { error: workError };
      if (event.type !== "xstate.init" && (from !== to || refusal || workError !== undefined)) {
        options.onTransition?.({
          from,
          to,
          event: event.type,
          generation: snapshot.context.generation,
          ok: !refusal && workError === undefined,
          ...(refusal ? { error: refusal } : workError !== undefined ? { error: messageOf(workError) } : {}),
        });
      }
      if (restingStates.has(to)) settle();
    },
  });
  actor.on("refused", (refusal) => refusals.set(refusal.event, refusal.reason));
  // Before start(): starting (or restoring into) a state with work invokes it at once.
  workOfSystem.set(actor.system, options.work);

  function settle(): void {
    const done = waiters;
    const outcome = failure;
    waiters = [];
    failure = undefined;
    for (const waiter of done) {
      if (outcome) waiter.reject(outcome.error);
      else waiter.resolve();
    }
  }

  actor.start();

  const driver: LifecycleDriver = {
    send(event) {
      // The same event object may be sent again (after a load, say): forget its last verdict.
      refusals.delete(event);
      processed.delete(event);
      actor.send(event);
      if (!processed.has(event)) {
        throw new Error(
          `Lifecycle event ${event.type} was sent while the machine was handling another event; send from outside its callbacks.`,
        );
      }
      const reason = refusals.get(event);
      return reason ? { accepted: false, reason } : { accepted: true };
    },
    get state() {
      return statePath(actor.getSnapshot().value);
    },
    get lifecycle() {
      return driver.state.split(".")[0] as LifecycleState;
    },
    get context() {
      return actor.getSnapshot().context;
    },
    settled() {
      if (restingStates.has(driver.state)) return Promise.resolve();
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    persistedSnapshot() {
      return actor.getPersistedSnapshot();
    },
    stop() {
      actor.stop();
    },
  };
  return driver;
}
