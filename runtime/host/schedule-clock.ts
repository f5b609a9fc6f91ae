import { readTestClock, writeTestClock } from "../storage/schedules.ts";

/** Where an object's schedules take "now" from: when `c.schedule` counts from, and what is due. */
export interface ScheduleClock {
  /** Now, in epoch milliseconds. */
  now(): number;
}

/** Real time: the object's alarm runs each schedule when it falls due. */
export const realClock: ScheduleClock = { now: () => Date.now() };

/**
 * A clock that only a test moves (`actorClock` in `actorstate/testing`): it starts at the
 * real time it was taken and never goes back. It is stored, so the object keeps it across
 * evictions, and for good: a test's object never returns to real time.
 */
export class TestClock implements ScheduleClock {
  readonly #storage: DurableObjectStorage;
  #now: number;

  private constructor(storage: DurableObjectStorage, now: number) {
    this.#storage = storage;
    this.#now = now;
  }

  /** The test clock that holds this object's schedules, if a test took one. */
  static stored(storage: DurableObjectStorage): TestClock | undefined {
    const now = readTestClock(storage);
    return now === undefined ? undefined : new TestClock(storage, now);
  }

  /** Take the object's schedules off real time, from the real time now. */
  static take(storage: DurableObjectStorage): TestClock {
    const now = Date.now();
    writeTestClock(storage, now);
    return new TestClock(storage, now);
  }

  now(): number {
    return this.#now;
  }

  /** Move the clock to `at`; a time already passed leaves it where it is. */
  moveTo(at: number): void {
    if (at <= this.#now) return;
    writeTestClock(this.#storage, at);
    this.#now = at;
  }
}

/**
 * The Durable Object method `actorstate/testing` calls, inside the object, to put an actor's
 * schedules on a {@link TestClock} and move it. A symbol: Durable Object RPC cannot reach it.
 */
export const SCHEDULE_TESTING = Symbol.for("actorstate.scheduleTesting");
