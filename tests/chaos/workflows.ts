// Workflow actors built for the chaos run: each makes one promise of workflow actors
// observable from outside — through the public protocol, a ledger actor, and the chaos
// Worker's read of what an object has stored (`/chaos/peek`, which never wakes the actor).
//
// The machines read `Date.now()` in their assigns. A workflow's machine should not (see
// docs/workflows.md, Limits): here it only records when a step was taken — the runtime
// takes each step once and stores it — so the checks can tell a timer that fired early.
import { actor, durablePromise, setup, workflow } from "actorstate";
import { assign, raise, setup as machineSetup, spawnChild } from "xstate";
import * as z from "zod/mini";

/** One run of a job's promise, as the errand ledger keeps it. */
export interface JobRun {
  phase: "start" | "end";
  /** The run's idempotency key: the same for every run of one invocation. */
  key: string;
  /** The generation whose machine ran it. */
  generation: number;
  /** When (epoch ms, in the workflow's object) the run reached this phase. */
  at: number;
  /** Which workerd process ran it: a run again in the same one was not caused by a restart. */
  process: string;
}

/** One run of a `notify` promise: a DOOMED timer fired in `generation` at `at`. */
export interface NotifyRun {
  key: string;
  generation: number;
  at: number;
}

let processId: string | undefined;
/** A random id of this workerd process, made on first use (not at module scope, where Workers forbid randomness). */
const thisProcess = () => (processId ??= crypto.randomUUID());

/** Append `item` to the list KV holds under `key`. */
function push<T>(kv: { get(key: string): unknown; put(key: string, value: unknown): void }, key: string, item: T): void {
  kv.put(key, [...((kv.get(key) as T[] | undefined) ?? []), item]);
}

/**
 * What an errand's promises did, per errand key: every start and end of every job run, and
 * every DOOMED timer that fired. A plain actor, never destroyed, in another object: it
 * outlives the errand's generations and is read without waking the errand.
 */
export const errandLedger = actor({
  state: {},
  actions: {
    ran: (c, job: string, run: JobRun) => push(c.kv, `job:${job}`, run),
    notified: (c, label: string, run: NotifyRun) => push(c.kv, `doom:${label}`, run),
    report: (c) => ({
      jobs: Object.fromEntries(c.kv.list({ prefix: "job:" }).map(([key, runs]) => [String(key).slice("job:".length), runs as JobRun[]])),
      notified: Object.fromEntries(c.kv.list({ prefix: "doom:" }).map(([key, runs]) => [String(key).slice("doom:".length), runs as NotifyRun[]])),
    }),
  },
});

const ledgers = setup({ actors: { errandLedger } });

/** Stand-in for `stamp`, which `provide(c)` makes an assign of the generation. */
const unstamped = () => {};

export interface TimelineContext {
  /** The generation that started this machine (stamped on entry). */
  generation: number;
  /** The ids of the ADD events taken, in order. */
  added: string[];
  /** Label → when the ARM was taken and its delay. */
  armed: Record<string, { at: number; delayMs: number }>;
  /** Every MARK taken: the label and when. */
  fired: Array<[label: string, at: number]>;
}

/**
 * Events kept exactly once and timers fired once, after their time. `ADD` appends its id;
 * `ARM` records itself and raises `MARK` after its delay, which records when it fired.
 */
export const timelineMachine = machineSetup({
  types: {
    context: {} as TimelineContext,
    events: {} as { type: "ADD"; id: string } | { type: "ARM"; label: string; delayMs: number } | { type: "MARK"; label: string },
  },
  actions: { stamp: unstamped },
}).createMachine({
  id: "timeline",
  context: { generation: -1, added: [], armed: {}, fired: [] },
  entry: "stamp",
  on: {
    ADD: { actions: assign({ added: ({ context, event }) => [...context.added, event.id] }) },
    ARM: {
      actions: [
        assign({ armed: ({ context, event }) => ({ ...context.armed, [event.label]: { at: Date.now(), delayMs: event.delayMs } }) }),
        raise(({ event }) => ({ type: "MARK" as const, label: event.label }), { delay: ({ event }) => event.delayMs }),
      ],
    },
    MARK: { actions: assign({ fired: ({ context, event }) => [...context.fired, [event.label, Date.now()] as [string, number]] }) },
  },
});

export const timeline = workflow({
  machine: timelineMachine,
  events: {
    ADD: z.object({ type: z.literal("ADD"), id: z.string() }),
    ARM: z.object({ type: z.literal("ARM"), label: z.string(), delayMs: z.number() }),
  },
  provide: (c) => ({ actions: { stamp: assign({ generation: () => c.generation }) } }),
});

export interface ErrandJob {
  ms: number;
  /** When the START was taken. */
  at: number;
  /** The idempotency key of the run whose output the machine took. */
  key?: string;
  /** When the machine took the job's outcome. */
  doneAt?: number;
  failed?: string;
}

export interface ErrandContext {
  generation: number;
  /** Job id → the job. */
  jobs: Record<string, ErrandJob>;
  /** Label → when the DOOM was taken and its delay. */
  doomed: Record<string, { at: number; delayMs: number }>;
  /** Promise actors (other than jobs) that failed: id → message. */
  failures: Record<string, string>;
}

type Start = { type: "START"; job: string; ms: number };
type Doomed = { type: "DOOMED"; label: string };
type Outcome = { actorId: string; output?: { key: string }; error?: { message?: string } };
const outcome = (event: unknown) => event as Outcome;
const isJob = ({ event }: { event: unknown }) => outcome(event).actorId.startsWith("job-");

/**
 * Promise work resumed with nobody calling, and destroyed workflows' timers that never
 * fire. `START` spawns a `job` promise that records its start at the errand ledger, works
 * for `ms`, records its end and settles with its idempotency key, which the machine takes.
 * `DOOM` raises `DOOMED` after its delay, which spawns a `notify` promise that tells the
 * ledger: the workload destroys the errand right after a DOOM, so the ledger must never
 * hear of one after the destroy was acknowledged.
 */
export const errandMachine = machineSetup({
  types: {
    context: {} as ErrandContext,
    events: {} as Start | { type: "DOOM"; label: string; delayMs: number } | Doomed,
  },
  actions: { stamp: unstamped },
  // Stand-ins: the real ones need the actor's c, and come from provide(c).
  actors: {
    job: durablePromise(async (_: { input: { job: string; ms: number }; idempotencyKey: string }) => ({ key: "" })),
    notify: durablePromise(async (_: { input: { label: string }; idempotencyKey: string }) => null),
  },
}).createMachine({
  id: "errand",
  context: { generation: -1, jobs: {}, doomed: {}, failures: {} },
  entry: "stamp",
  on: {
    START: {
      actions: [
        assign({ jobs: ({ context, event }) => ({ ...context.jobs, [event.job]: { ms: event.ms, at: Date.now() } }) }),
        spawnChild("job", { id: ({ event }) => `job-${(event as Start).job}`, input: ({ event }) => ({ job: (event as Start).job, ms: (event as Start).ms }) }),
      ],
    },
    DOOM: {
      actions: [
        assign({ doomed: ({ context, event }) => ({ ...context.doomed, [event.label]: { at: Date.now(), delayMs: event.delayMs } }) }),
        raise(({ event }) => ({ type: "DOOMED" as const, label: event.label }), { delay: ({ event }) => event.delayMs }),
      ],
    },
    DOOMED: { actions: spawnChild("notify", { id: ({ event }) => `notify-${(event as Doomed).label}`, input: ({ event }) => ({ label: (event as Doomed).label }) }) },
    // Outcomes of spawned promises: XState's types name only the events declared above.
    ...({
      "xstate.done.actor.*": {
        guard: isJob,
        actions: assign({
          jobs: ({ context, event }) => {
            const { actorId, output } = outcome(event);
            const job = actorId.slice("job-".length);
            return { ...context.jobs, [job]: { ...(context.jobs[job] as ErrandJob), key: output?.key ?? "", doneAt: Date.now() } };
          },
        }),
      },
      "xstate.error.actor.*": [
        {
          guard: isJob,
          actions: assign({
            jobs: ({ context, event }) => {
              const { actorId, error } = outcome(event);
              const job = actorId.slice("job-".length);
              return { ...context.jobs, [job]: { ...(context.jobs[job] as ErrandJob), failed: String(error?.message), doneAt: Date.now() } };
            },
          }),
        },
        { actions: assign({ failures: ({ context, event }) => ({ ...context.failures, [outcome(event).actorId]: String(outcome(event).error?.message) }) }) },
      ],
    } as {}),
  },
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const errand = workflow({
  machine: errandMachine,
  events: {
    START: z.object({ type: z.literal("START"), job: z.string(), ms: z.number() }),
    DOOM: z.object({ type: z.literal("DOOM"), label: z.string(), delayMs: z.number() }),
  },
  provide: (c) => {
    const ledger = () => c.client<typeof ledgers>().errandLedger.getOrCreate(["ledger", ...c.key]);
    return {
      actions: { stamp: assign({ generation: () => c.generation }) },
      actors: {
        job: durablePromise(async ({ input, idempotencyKey }: { input: { job: string; ms: number }; idempotencyKey: string }) => {
          const run = { key: idempotencyKey, generation: c.generation, process: thisProcess() };
          await ledger().ran(input.job, { ...run, phase: "start", at: Date.now() });
          await pause(input.ms);
          await ledger().ran(input.job, { ...run, phase: "end", at: Date.now() });
          return { key: idempotencyKey };
        }),
        notify: durablePromise(async ({ input, idempotencyKey }: { input: { label: string }; idempotencyKey: string }) => {
          await ledger().notified(input.label, { key: idempotencyKey, generation: c.generation, at: Date.now() });
          return null;
        }),
      },
    };
  },
});
