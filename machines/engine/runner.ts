import type { AnyStateMachine, EventFrom, EventObject, InspectionEvent, SnapshotFrom } from "xstate";
import type { Effect } from "./effects.ts";
import type { MachineEngine } from "./engine.ts";

/** One step, as the runner hands it to its host to store. */
export interface CommittedStep<TMachine extends AnyStateMachine> {
  /** The event stepped. */
  event: EventFrom<TMachine>;
  /** Where the machine was. */
  previous: SnapshotFrom<TMachine>;
  /** Where it is now, once the step is stored. */
  snapshot: SnapshotFrom<TMachine>;
  /** What the step asks for: invoked work is started once the step is stored. */
  effects: Effect[];
}

/** A piece of work the machine invoked. */
export interface Invocation {
  /** The invoke's id: its outcome comes back as `xstate.done.actor.<id>` / `xstate.error.actor.<id>`. */
  id: string;
  /** The name of the actor logic to run. */
  src: string;
  /** The invoke's input, as the machine computed it. */
  input: unknown;
}

/** What a {@link DurableRunner} needs from its host. */
export interface RunnerPort<TMachine extends AnyStateMachine> {
  /**
   * Store what must survive this step — synchronously, in one transaction. Throwing rejects
   * the step: the runner stays where it was, so memory never runs ahead of storage.
   */
  commit(step: CommittedStep<TMachine>): void;
  /** Carry out invoked work; its outcome is fed back to the machine as an event. */
  perform(invocation: Invocation): Promise<unknown>;
  /**
   * The outcome of `invocation` could not be stored: the runner went back to its initial
   * snapshot and dropped the work under way, so the next event starts from storage again.
   */
  lost(error: unknown, invocation: Invocation): void;
  /** A step was stored and the runner is now at its snapshot, its work started. */
  stepped?(): void;
}

/**
 * Runs a machine durably: each event is one pure step whose result the host stores before
 * anything else happens; then the step's invoked work is started, and its outcome comes
 * back as `xstate.done.actor.<id>` / `xstate.error.actor.<id>` — another stored step.
 *
 * Nothing here keeps state beside the snapshot but the work under way: which run of each
 * invocation is current (a stopped one's outcome is dropped).
 *
 * @example
 * ```ts
 * const runner = new DurableRunner(createEngine(machine), {
 *   commit: (step) => storage.transactionSync(() => save(step)),
 *   perform: (work) => works[work.src](work.input),
 *   lost: (error) => log.error("an outcome was not stored", { error }),
 * });
 * runner.send({ type: "START" });
 * ```
 */
export class DurableRunner<TMachine extends AnyStateMachine> {
  readonly #engine: MachineEngine<TMachine>;
  readonly #port: RunnerPort<TMachine>;
  readonly #inspect: ((event: InspectionEvent) => void) | undefined;
  #snapshot: SnapshotFrom<TMachine>;
  /** Invocation id → the token of its current run. */
  readonly #work = new Map<string, number>();
  #runs = 0;
  #stepping = false;

  /** `options.inspect` hears inspection events for tools (the Stately bridge): never for decisions. */
  constructor(engine: MachineEngine<TMachine>, port: RunnerPort<TMachine>, options: { inspect?: (event: InspectionEvent) => void } = {}) {
    this.#engine = engine;
    this.#port = port;
    this.#inspect = options.inspect;
    this.#snapshot = this.#initialSnapshot();
    this.#inspect?.({ type: "@xstate.actor", actorRef: engine.self, rootId: engine.self.sessionId });
  }

  /** Where the machine is. */
  get snapshot(): SnapshotFrom<TMachine> {
    return this.#snapshot;
  }

  /**
   * Step the machine with `event`, store the step, then start the work it invoked. Returns
   * the step's effects. Throws if the step could not be stored (the runner has not moved),
   * or if called while a step is being stored.
   */
  send(event: EventFrom<TMachine>): Effect[] {
    if (this.#stepping) throw new Error(`${(event as EventObject).type} was sent while a step was being stored; send from outside commit().`);
    const previous = this.#snapshot;
    const { snapshot, effects } = this.#engine.step(previous, event, this.#inspect);
    this.#stepping = true;
    try {
      this.#port.commit({ event, previous, snapshot, effects });
    } finally {
      this.#stepping = false;
    }
    this.#snapshot = snapshot;
    for (const effect of effects) {
      if (effect.type === "invoke") this.#start(effect);
      else if (effect.type === "stop") this.#work.delete(effect.id);
    }
    this.#port.stepped?.();
    if (this.#inspect) {
      // For tools: a tool that throws must not leave the machine without its work.
      try {
        const actorRef = this.#engine.self;
        this.#inspect({ type: "@xstate.event", actorRef, event, sourceRef: undefined, rootId: actorRef.sessionId });
        this.#inspect({ type: "@xstate.snapshot", actorRef, event, snapshot, rootId: actorRef.sessionId });
      } catch {
        // Nothing to do: the step is stored and its work started.
      }
    }
    return effects;
  }

  /** Forget everything in memory: back to the initial snapshot, work under way abandoned. */
  reset(): void {
    this.#snapshot = this.#initialSnapshot();
    this.#work.clear();
    this.#port.stepped?.();
  }

  #initialSnapshot(): SnapshotFrom<TMachine> {
    const { snapshot, effects } = this.#engine.initial();
    // The initial snapshot stands for "nothing stored yet", so entering it may not ask for work.
    if (effects.length) throw new Error(`A durable machine must start at rest; "${this.#engine.machine.id}" starts with effects.`);
    return snapshot;
  }

  #start(invocation: Extract<Effect, { type: "invoke" }>): void {
    const run = ++this.#runs;
    this.#work.set(invocation.id, run);
    // A microtask later: the host's work never runs inside a step, so it may send events.
    Promise.resolve()
      .then(() => this.#port.perform(invocation))
      .then(
        (output) => this.#finish(invocation, run, { type: `xstate.done.actor.${invocation.id}`, output }),
        (error: unknown) => this.#finish(invocation, run, { type: `xstate.error.actor.${invocation.id}`, error }),
      );
  }

  #finish(invocation: Invocation, run: number, outcome: { type: string; output?: unknown; error?: unknown }): void {
    // A stopped run, or one from before a reset: nobody wants its outcome.
    if (this.#work.get(invocation.id) !== run) return;
    this.#work.delete(invocation.id);
    try {
      this.send(outcome as EventFrom<TMachine>);
    } catch (error) {
      this.reset();
      this.#port.lost(error, invocation);
    }
  }
}
