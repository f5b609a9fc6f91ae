// Actors built for the chaos run: each one makes a durability promise observable from
// outside, through the public protocol only.
import { actor, setup } from "actorstate";
import { errand, errandLedger, timeline } from "./workflows.ts";

/** The entry key of sequence number `seq`: zero-padded, so KV order is append order. */
function entryKey(seq: number): string {
  return `entry:${String(seq).padStart(10, "0")}`;
}

/**
 * How long creating and destroying take in the chaos actors: long enough that a kill
 * timed right after a create or destroy lands in the middle of it.
 */
const HOOK_MS = 150;
const pause = () => new Promise((resolve) => setTimeout(resolve, HOOK_MS));

/**
 * An append-only log. `append` writes the value under the next sequence number in KV and
 * advances the counter in state, in one action: if an acknowledged value goes missing, or
 * one appears twice, or the counter and the entries disagree, a write was lost or split.
 * Its onCreate takes a while and marks its end in state, so a generation that runs
 * without having finished its creation shows.
 */
export const appendLog = actor({
  // `created` is set where onCreate ends: a running generation without it was never fully created.
  state: { next: 0, created: false },
  actions: {
    append: (c, value: string) => {
      const seq = c.state.next;
      c.kv.put(entryKey(seq), value);
      c.state.next = seq + 1;
      return { value, seq, generation: c.generation };
    },
    entries: (c) => ({
      generation: c.generation,
      created: c.state.created,
      next: c.state.next,
      entries: c.kv.list({ prefix: "entry:" }).map(([key, value]) => [Number(String(key).slice("entry:".length)), value] as [number, string]),
    }),
  },
  onCreate: async (c) => {
    await pause();
    c.state.created = true;
  },
  onDestroy: pause,
});

/** Remembers every scheduled run it is told about; never destroyed, so it outlives the actors it watches. */
export const witness = actor({
  state: {},
  actions: {
    record: (c, label: string, generation: number) => {
      const runs = (c.kv.get(label) as Array<{ generation: number; at: number }> | undefined) ?? [];
      runs.push({ generation, at: Date.now() });
      c.kv.put(label, runs);
    },
    runs: (c) => Object.fromEntries(c.kv.list().map(([label, runs]) => [String(label), runs])),
  },
});

const witnesses = setup({ actors: { witness } });

/**
 * Schedules that record that they ran: in state (the list of runs), in KV (a count per
 * label) and, before either, at the witness, which survives destroys. A schedule of a
 * destroyed generation that runs anyway shows up at the witness after the destroy.
 */
export const chore = actor({
  state: { planned: {} as Record<string, number>, ran: [] as string[] },
  actions: {
    plan: (c, label: string, delayMs: number) => {
      c.schedule.after(delayMs, "run", label);
      c.state.planned[label] = Date.now() + delayMs;
      return { label, generation: c.generation };
    },
    run: async (c, label: string) => {
      // Best effort: a failed scheduled action is not retried, and the run itself must count.
      await c.client<typeof witnesses>().witness.getOrCreate(["witness", ...c.key]).record(label, c.generation).catch(() => undefined);
      c.state.ran.push(label);
      c.kv.put(`ran:${label}`, ((c.kv.get(`ran:${label}`) as number | undefined) ?? 0) + 1);
    },
    report: (c) => ({
      generation: c.generation,
      planned: c.state.planned,
      ran: c.state.ran,
      runCounts: Object.fromEntries(c.kv.list({ prefix: "ran:" }).map(([key, count]) => [String(key).slice("ran:".length), count as number])),
      pending: c.schedule.list().length,
    }),
  },
  onDestroy: pause,
});

/** The soak's counter: the same one action the raw contender implements. */
export const tally = actor({
  state: { count: 0 },
  actions: {
    increment: (c, by: number) => (c.state.count += by),
    get: (c) => c.state.count,
  },
});

/** With the workflow workload's actors (workflows.ts). */
export const registry = setup({ actors: { appendLog, chore, witness, tally, timeline, errand, errandLedger } });
