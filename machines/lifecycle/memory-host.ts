import { startLifecycle, type LifecycleDriver, type LifecycleWork, type TransitionRecord } from "./driver.ts";
import type { CreateWorkInput, TeardownWorkInput } from "./machine.ts";
import type { CreatedRecord, LoadedRecord } from "./types.ts";
import type { InspectionEvent, Snapshot } from "xstate";

/** The four kinds of work the machine invokes, named as its invoke ids. */
export type WorkName = "load" | "create" | "resurrect" | "teardown";

interface PendingWork {
  name: WorkName;
  input: unknown;
  resolve(output: unknown): void;
  reject(error: unknown): void;
}

/** The state each kind of work runs in; finishing work anywhere else is a machine bug. */
const stateOfWork: Record<WorkName, string> = {
  load: "loading",
  create: "creating",
  resurrect: "resurrecting",
  teardown: "destroying.finalizing",
};

/**
 * A host for the lifecycle machine that keeps nothing but memory, and lets a test decide
 * when each piece of work finishes and how. It checks the invariants a real host relies on:
 * at most one piece of work at a time, work finished only in the state that started it,
 * and generations handed to create/resurrect that only grow.
 *
 * @example
 * ```ts
 * const host = new MemoryHost();
 * host.driver.send({ type: "LOAD" });
 * await host.finish("load", { status: "absent" });
 * host.driver.state; // "absent"
 * ```
 */
export class MemoryHost implements LifecycleWork {
  /** Every transition the driver reported, in order: the transition log. */
  readonly log: TransitionRecord[] = [];
  /** Broken invariants, collected instead of thrown so a test can report them all. */
  readonly violations: string[] = [];
  driver: LifecycleDriver;
  private pending: PendingWork | undefined;
  private highestGeneration = -1;
  private inspect: ((event: InspectionEvent) => void) | undefined;
  private waiters: Array<{ event: string; resolve: () => void }> = [];
  private starts: Array<() => void> = [];

  constructor(options: { inspect?: (event: InspectionEvent) => void; snapshot?: Snapshot<unknown> } = {}) {
    this.inspect = options.inspect;
    this.driver = this.start(options.snapshot);
  }

  /** Stop the machine and start it again from its persisted snapshot, as a woken object would. */
  restart(): void {
    const snapshot = this.driver.persistedSnapshot();
    // The stopped machine's work is abandoned; the restored one invokes it again.
    this.pending = undefined;
    this.driver.stop();
    this.driver = this.start(snapshot);
  }

  /**
   * A second host that starts from this one's persisted snapshot and history, leaving this
   * one untouched: lets a test explore several continuations of the same prefix.
   */
  fork(): MemoryHost {
    const copy = new MemoryHost({ snapshot: this.driver.persistedSnapshot(), ...(this.inspect ? { inspect: this.inspect } : {}) });
    copy.log.unshift(...this.log);
    copy.violations.unshift(...this.violations);
    copy.highestGeneration = this.highestGeneration;
    return copy;
  }

  /** The work currently under way, if any. */
  get pendingWork(): { name: WorkName; input: unknown } | undefined {
    return this.pending && { name: this.pending.name, input: this.pending.input };
  }

  /**
   * The work under way once it has started: the machine starts work a microtask after the
   * transition that invokes it, so a test that just sent an event waits here for it.
   */
  async startedWork(): Promise<{ name: WorkName; input: unknown } | undefined> {
    if (!this.pending) await new Promise<void>((resolve) => this.starts.push(resolve)).then(() => undefined, () => undefined);
    return this.pendingWork;
  }

  /** Finish the pending work with `output` and wait until the machine has handled it. */
  finish(name: "load", output: LoadedRecord): Promise<void>;
  finish(name: "create" | "resurrect", output: CreatedRecord): Promise<void>;
  finish(name: "teardown"): Promise<void>;
  finish(name: WorkName, output?: unknown): Promise<void> {
    return this.settleWork(name, `xstate.done.actor.${name}`, (work) => work.resolve(output));
  }

  /** Fail the pending work and wait until the machine has handled the failure. */
  fail(name: WorkName, error: unknown = new Error(`${name} failed`)): Promise<void> {
    return this.settleWork(name, `xstate.error.actor.${name}`, (work) => work.reject(error));
  }

  load(): Promise<LoadedRecord> {
    return this.defer("load", undefined);
  }

  create(input: CreateWorkInput): Promise<CreatedRecord> {
    this.checkGeneration("create", input.generation);
    return this.defer("create", input);
  }

  resurrect(input: CreateWorkInput): Promise<CreatedRecord> {
    this.checkGeneration("resurrect", input.generation);
    return this.defer("resurrect", input);
  }

  teardown(input: TeardownWorkInput): Promise<void> {
    return this.defer("teardown", input);
  }

  private start(snapshot?: Snapshot<unknown>): LifecycleDriver {
    return startLifecycle({
      work: this,
      ...(snapshot ? { snapshot } : {}),
      ...(this.inspect ? { inspect: this.inspect } : {}),
      onTransition: (record) => {
        this.log.push(record);
        const ready = this.waiters.filter((waiter) => waiter.event === record.event);
        this.waiters = this.waiters.filter((waiter) => waiter.event !== record.event);
        for (const waiter of ready) waiter.resolve();
      },
    });
  }

  private defer<T>(name: WorkName, input: unknown): Promise<T> {
    if (this.pending) this.violations.push(`${name} started while ${this.pending.name} was still under way`);
    const work = new Promise<T>((resolve, reject) => {
      this.pending = { name, input, resolve: resolve as (output: unknown) => void, reject };
    });
    for (const started of this.starts.splice(0)) started();
    return work;
  }

  private checkGeneration(name: WorkName, generation: number): void {
    // A restored machine re-invokes the same generation; anything lower goes backwards.
    if (generation < this.highestGeneration) {
      this.violations.push(`${name} asked for generation ${generation} after ${this.highestGeneration}`);
    }
    this.highestGeneration = Math.max(this.highestGeneration, generation);
  }

  private async settleWork(name: WorkName, resultEvent: string, settle: (work: PendingWork) => void): Promise<void> {
    await this.startedWork();
    const work = this.pending;
    if (!work || work.name !== name) {
      throw new Error(`No ${name} work is under way (pending: ${work?.name ?? "none"}).`);
    }
    if (this.driver.state !== stateOfWork[name]) {
      this.violations.push(`${name} finished in ${this.driver.state}`);
    }
    this.pending = undefined;
    // Every result event changes the state, so the sink hears of it; wait for that.
    const handled = new Promise<void>((resolve) => this.waiters.push({ event: resultEvent, resolve }));
    settle(work);
    await handled;
  }
}
