// What a durable actor has pending — delayed events and promise work — beside what the last
// stored step left in storage, so each step carries only the difference.
import type { AnyActorRef } from "xstate";
import { isStopped } from "./actor-refs.ts";
import type { DurableStep, StoredTimer, StoredWork } from "./durable-step.ts";
import type { TimerClock } from "./timer-clock.ts";

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

/** The pending timers and promise work of one durable actor, and which of them storage holds. */
export class PendingLedger {
  /** Pending timers, by the clock's id for them. */
  readonly timers = new Map<number, StoredTimer & { targetRef: AnyActorRef }>();
  /** Promise actors seen, with their work. */
  readonly work = new Map<AnyActorRef, StoredWork>();
  /** The ids of the timers the last stored step left pending. */
  readonly #storedTimers = new Set<number>();
  /** The runs the last stored step left under way. */
  readonly #storedWork = new Set<number>();

  /** A promise actor started its work, under the idempotency key its runs share. */
  started(ref: AnyActorRef, work: StoredWork, idempotencyKey: string): void {
    this.work.set(ref, work);
    idempotencyKeys.set(ref, idempotencyKey);
  }

  /** Storage already holds this timer or run (a restore found it there). */
  holds(item: { timer: number } | { run: number }): void {
    if ("timer" in item) this.#storedTimers.add(item.timer);
    else this.#storedWork.add(item.run);
  }

  /** The step was stored: what it left pending is now what storage holds. */
  stored(step: DurableStep): void {
    for (const timer of step.timers.set) this.#storedTimers.add(timer.id);
    for (const id of step.timers.cleared) this.#storedTimers.delete(id);
    for (const work of step.work.started) this.#storedWork.add(work.run);
    for (const run of step.work.ended) this.#storedWork.delete(run);
  }

  /** Timers set and cleared since the last stored step; a timer whose target stopped is dropped from `clock`. */
  timerChanges(clock: TimerClock): DurableStep["timers"] {
    const pending = new Set<number>();
    const set: StoredTimer[] = [];
    for (const [clockId, timer] of this.timers) {
      // An event for an actor that stopped reaches nobody: XState drops it when it fires.
      if (isStopped(timer.targetRef)) {
        this.timers.delete(clockId);
        clock.clearTimeout(clockId);
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

  /** Promise work started and ended since the last stored step. */
  workChanges(): DurableStep["work"] {
    const started: StoredWork[] = [];
    const live = new Set<number>();
    for (const [ref, work] of this.work) {
      const running = !isStopped(ref) && (ref.getSnapshot() as { status?: string }).status === "active";
      if (!running) {
        this.work.delete(ref);
        continue;
      }
      live.add(work.run);
      if (!this.#storedWork.has(work.run)) started.push(work);
    }
    return { started, ended: [...this.#storedWork].filter((run) => !live.has(run)) };
  }

  /** Whether the timers differ from what the last step stored. */
  timersChanged(): boolean {
    const pending = new Set<number>();
    for (const timer of this.timers.values()) {
      if (!this.#storedTimers.has(timer.id)) return true;
      pending.add(timer.id);
    }
    return [...this.#storedTimers].some((id) => !pending.has(id));
  }
}
