import type { InspectionEvent } from "xstate";
import { Lifecycle, type LifecycleChange, type LifecycleWork, type TransitionRecord } from "./lifecycle.ts";
import { stateOfWork, type WorkName } from "./policy.ts";
import type { StoredLifecycle } from "./types.ts";

export type { WorkName } from "./policy.ts";

interface PendingWork {
  work: LifecycleWork;
  resolve(output: unknown): void;
  reject(error: unknown): void;
}


/** Stored states in which the generation has come to life. */
const liveStates = new Set(["running", "destroying", "destroyed"]);

/**
 * A host for the lifecycle machine whose "storage" is memory, and whose work a test
 * finishes by hand. It stores exactly what a real host stores (the stored lifecycle, the
 * log, wipes), can be crashed and restarted from that storage as a woken object is, and
 * checks the invariants a real host relies on: at most one piece of work at a time, work
 * finished only in the state that started it, generations that never go back, and a wipe
 * only where the actor's data really ends.
 *
 * @example
 * ```ts
 * const host = new MemoryHost();
 * host.lifecycle.send({ type: "LOAD", stored: host.stored });
 * host.lifecycle.send({ type: "CREATE", request: { id: "r1", mode: "getOrCreate" } });
 * await host.finish("create");
 * host.lifecycle.state; // "running"
 * ```
 */
export class MemoryHost {
  /** Every log entry stored, in order: the transition log. */
  readonly log: TransitionRecord[] = [];
  /** Entries not yet stored because nothing of the actor is (a key never created). */
  private unstoredLog: TransitionRecord[] = [];
  /** Every change the lifecycle committed, in order. */
  readonly changes: LifecycleChange[] = [];
  /** Broken invariants, collected instead of thrown so a test can report them all. */
  readonly violations: string[] = [];
  /** What storage holds of the lifecycle; `null` when nothing was ever stored. */
  stored: StoredLifecycle | null = null;
  /** How many times the actor's data was erased. */
  wipes = 0;
  /** When set, the next commit throws this (a failed storage write). */
  failNextCommit: Error | undefined;
  lifecycle: Lifecycle;
  private pending: PendingWork | undefined;
  private highestLive = -1;
  private readonly inspect: ((event: InspectionEvent) => void) | undefined;
  private starts: Array<() => void> = [];
  private outcomeWaiters: Array<() => void> = [];

  constructor(options: { inspect?: (event: InspectionEvent) => void } = {}) {
    this.inspect = options.inspect;
    this.lifecycle = this.start();
  }

  /** A crash: memory is gone, work under way is abandoned, storage stays. */
  crash(): void {
    this.pending = undefined;
    this.unstoredLog = [];
    this.lifecycle = this.start();
  }

  /** Send `LOAD` with what storage holds, as a host does on `not_loaded`. */
  load(requestId?: string) {
    return this.lifecycle.send({ type: "LOAD", stored: this.stored, ...(requestId ? { requestId } : {}) });
  }

  /** The work currently under way, if any. */
  get pendingWork(): LifecycleWork | undefined {
    return this.pending?.work;
  }

  /** The work under way once it has started: work starts a microtask after the step that invoked it. */
  async startedWork(): Promise<LifecycleWork | undefined> {
    if (!this.pending) await new Promise<void>((resolve) => this.starts.push(resolve));
    return this.pendingWork;
  }

  /** Finish the pending work and wait until the machine has handled its outcome. */
  finish(name: WorkName, output?: unknown): Promise<void> {
    return this.settleWork(name, (work) => work.resolve(output));
  }

  /** Fail the pending work and wait until the machine has handled the failure. */
  fail(name: WorkName, error: unknown = new Error(`${name} failed`)): Promise<void> {
    return this.settleWork(name, (work) => work.reject(error));
  }

  private start(): Lifecycle {
    return new Lifecycle(
      {
        commit: (change) => this.commit(change),
        perform: (work) => this.defer(work),
        lost: (error, work) => this.violations.push(`an outcome of ${work.src} was lost: ${String(error)}`),
      },
      this.inspect ? { inspect: this.inspect } : {},
    );
  }

  private commit(change: LifecycleChange): void {
    if (/^xstate\.(done|error)\.actor\./.test(change.event.type)) for (const handled of this.outcomeWaiters.splice(0)) handled();
    if (this.failNextCommit) {
      const error = this.failNextCommit;
      this.failNextCommit = undefined;
      throw error;
    }
    this.changes.push(change);
    if (change.wipe) this.wipes++;
    if (change.stored) {
      // A generation that came to life is never gone back on; a failed creation's may be.
      const generation = change.stored.generation ?? -1;
      if (generation < this.highestLive) this.violations.push(`stored generation ${generation} after ${this.highestLive} was live`);
      if (liveStates.has(change.stored.state)) this.highestLive = Math.max(this.highestLive, generation);
      this.stored = change.stored;
    }
    if (!change.exists) {
      this.unstoredLog.push(...change.records);
      return;
    }
    this.log.push(...this.unstoredLog.splice(0), ...change.records);
  }

  private defer(work: LifecycleWork): Promise<unknown> {
    if (this.pending) this.violations.push(`${work.src} started while ${this.pending.work.src} was still under way`);
    const promise = new Promise((resolve, reject) => {
      this.pending = { work, resolve, reject };
    });
    for (const started of this.starts.splice(0)) started();
    return promise;
  }

  private async settleWork(name: WorkName, settle: (work: PendingWork) => void): Promise<void> {
    await this.startedWork();
    const work = this.pending;
    if (!work || work.work.src !== name) {
      throw new Error(`No ${name} work is under way (pending: ${work?.work.src ?? "none"}).`);
    }
    if (this.lifecycle.state !== stateOfWork[name]) {
      this.violations.push(`${name} finished in ${this.lifecycle.state}`);
    }
    this.pending = undefined;
    // Every outcome moves the machine to another state, so it is committed: wait for that.
    const handled = new Promise<void>((resolve) => this.outcomeWaiters.push(resolve));
    settle(work);
    await handled;
  }
}
