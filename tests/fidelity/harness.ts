// Runs one fidelity case both ways and records what a user would see after every step.
import { createActor, type AnyActorRef, type EventObject } from "xstate";
import type { FidelityCase } from "./case.ts";

/** What is compared after every step. */
export interface Observation {
  value: unknown;
  context: unknown;
  status: string;
  output?: unknown;
  error?: { name: string; message: string };
  /** The events the machine emitted during the step, in order. */
  emitted: EventObject[];
}

/**
 * A clock that fires each timeout at its own due time, in order — as real time does —
 * including timeouts set by those that fire. (XState's SimulatedClock jumps to the end of
 * a move first, so a timer set by a firing timer would start late.)
 */
export class PreciseClock {
  #now = 0;
  #seq = 0;
  readonly #timeouts = new Map<number, { due: number; fn: () => void }>();

  now(): number {
    return this.#now;
  }

  setTimeout(fn: (...args: any[]) => void, timeout: number): number {
    const id = this.#seq++;
    this.#timeouts.set(id, { due: this.#now + Math.max(0, timeout), fn });
    return id;
  }

  clearTimeout(id: number): void {
    this.#timeouts.delete(id);
  }

  /** Move `ms` on, firing every timeout due by then at its own time. */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      let next: [number, { due: number; fn: () => void }] | undefined;
      for (const entry of this.#timeouts) if (!next || entry[1].due < next[1].due) next = entry;
      if (!next || next[1].due > until) break;
      this.#timeouts.delete(next[0]);
      this.#now = Math.max(this.#now, next[1].due);
      next[1].fn();
    }
    this.#now = until;
  }
}

function isActorRef(value: unknown): value is AnyActorRef {
  return typeof value === "object" && value !== null && typeof (value as AnyActorRef).send === "function" && typeof (value as AnyActorRef).sessionId === "string";
}

/**
 * Values as a user compares them: actor refs (live, or as XState persists them) stand for
 * their id, and what JSON cannot carry (undefined fields) is dropped.
 */
export function normalize(value: unknown): unknown {
  if (isActorRef(value)) return { $ref: normalize(value.id) };
  // An actor given no id is named after its session (`x:12`): a count of every actor the
  // isolate ever made, which no two runs share — XState's own included.
  if (typeof value === "string" && /^x:\d+$/.test(value)) return "x:*";
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (record.xstate$$type === 1 && typeof record.id === "string") return { $ref: normalize(record.id) };
    return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

/** An error as both sides can show it. */
export function plainError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  const shape = error as { name?: unknown; message?: unknown } | null;
  if (typeof shape === "object" && shape !== null && typeof shape.message === "string") return { name: typeof shape.name === "string" ? shape.name : "Error", message: shape.message };
  return { name: "Error", message: String(error) };
}

/** Let promise actors that settle at once settle: no time passes. */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

/** The view of a snapshot, as `handle.snapshot()` shows it. */
export function observe(snapshot: { value: unknown; context: unknown; status: string; output?: unknown; error?: unknown }, emitted: EventObject[]): Observation {
  return normalize({
    value: snapshot.value,
    context: snapshot.context,
    status: snapshot.status,
    ...(snapshot.status === "done" ? { output: snapshot.output } : {}),
    ...(snapshot.status === "error" ? { error: plainError(snapshot.error) } : {}),
    emitted,
  }) as Observation;
}

/** Run `fidelityCase` with XState itself, in memory, on a precise simulated clock. */
export async function runInMemory(fidelityCase: FidelityCase): Promise<Observation[]> {
  const clock = new PreciseClock();
  const actor = createActor(fidelityCase.machine, { clock, ...(fidelityCase.input === undefined ? {} : { input: fidelityCase.input }) });
  let emitted: EventObject[] = [];
  actor.on("*", (event: EventObject) => void emitted.push(event));
  // An actor that errors reports it to its observers; without one, XState rethrows it later.
  actor.subscribe({ error: () => {} });
  const take = () => {
    const observation = observe(actor.getSnapshot(), emitted);
    emitted = [];
    return observation;
  };
  actor.start();
  await flushMicrotasks();
  clock.advance(0);
  await flushMicrotasks();
  const observations = [take()];
  for (const step of fidelityCase.steps) {
    if ("send" in step) actor.send(step.send);
    else clock.advance(step.advance);
    await flushMicrotasks();
    // What is due now fires before anyone looks, as a zero-delay timeout does in real time.
    clock.advance(0);
    await flushMicrotasks();
    observations.push(take());
  }
  actor.stop();
  return observations;
}
