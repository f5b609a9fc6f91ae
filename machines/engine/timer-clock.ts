/** One timeout XState asked for: due on the actor's clock, fired only when its host says so. */
export interface PendingTimeout {
  /** The clock's own id, as XState's scheduler holds it. */
  id: number;
  due: number;
  fn: () => void;
}

/**
 * The clock XState's scheduler is given (its `Clock`: `setTimeout`/`clearTimeout`). Nothing
 * runs on its own: a timeout only records when it is due, and fires when the host asks —
 * on the object's alarm, on a test's `advanceTime`, or when a call finds it overdue. Time
 * itself comes from `now`, the host's clock port (the wall clock, or a test's).
 */
export class TimerClock {
  readonly #now: () => number;
  readonly #pending = new Map<number, PendingTimeout>();
  #seq = 0;
  /** Hears each new timeout, as XState's scheduler sets it. */
  onSet: ((timeout: PendingTimeout) => void) | undefined;
  /** Hears each timeout cleared before it fired. */
  onClear: ((id: number) => void) | undefined;

  constructor(now: () => number) {
    this.#now = now;
  }

  now(): number {
    return this.#now();
  }

  setTimeout(fn: (...args: unknown[]) => void, delay: number): number {
    const timeout: PendingTimeout = { id: this.#seq++, due: this.#now() + Math.max(0, delay), fn: () => fn() };
    this.#pending.set(timeout.id, timeout);
    this.onSet?.(timeout);
    return timeout.id;
  }

  clearTimeout(id: number): void {
    if (this.#pending.delete(id)) this.onClear?.(id);
  }

  /** The earliest pending timeout (the first set, among those due together). */
  next(): PendingTimeout | undefined {
    let next: PendingTimeout | undefined;
    for (const timeout of this.#pending.values()) if (!next || timeout.due < next.due) next = timeout;
    return next;
  }

  /** Fire one timeout: it leaves the clock first, as a real one does. */
  fire(timeout: PendingTimeout): void {
    if (!this.#pending.delete(timeout.id)) return;
    timeout.fn();
  }

  /** Forget every timeout (the actor stopped). */
  clear(): void {
    this.#pending.clear();
  }
}
