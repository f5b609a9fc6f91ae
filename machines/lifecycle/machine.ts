import { and, assign, emit, fromPromise, setup } from "xstate";
import type {
  CreateWorkInput,
  LifecycleContext,
  LifecycleEvent,
  LoadWorkInput,
  Refusal,
  RefusalReason,
  StoredLifecycle,
  TeardownWorkInput,
  Wipe,
} from "./types.ts";

/**
 * The work the machine invokes is carried out by its host: `Lifecycle` provides the real
 * implementations, started once the step that invoked them is stored. These stand-ins only
 * give the work its name and types.
 */
function hostWork<Input>(name: string) {
  return fromPromise<unknown, Input>(async () => {
    throw new Error(`The lifecycle's "${name}" work is carried out by its host; run the machine with Lifecycle.`);
  });
}

/** The named `refuse` action with its reason: plain data, so the machine stays serialisable and inspectable. */
function refuse(reason: RefusalReason) {
  return { type: "refuse", params: { reason } } as const;
}

function eventGeneration(event: LifecycleEvent): number | undefined {
  return "generation" in event ? event.generation : undefined;
}

function storedIn(event: LifecycleEvent, state: StoredLifecycle["state"]): boolean {
  return event.type === "LOAD" && event.stored?.state === state;
}

/**
 * The lifecycle of one actor inside its Durable Object: the single place where lifecycle
 * questions are decided. The host sends every entry point (create, action, connect, alarm,
 * destroy, inspect) here first and carries out what the machine decides.
 *
 * The machine is durable by construction. Its host runs it on the engine (`DurableActor`,
 * via `Lifecycle`), stores the state and the stored part of the context with the step that
 * changed them, and only then carries out the step's work (`load`, `create`, `resurrect`,
 * `teardown`); the emitted `wipe` (erase the actor's data) goes in the same transaction as
 * the step. Waking up is `LOAD` with what storage holds: the machine goes back to the stored
 * state and, where work was under way, starts it again.
 *
 * States carry tags the host reads instead of lists of its own: `resting` (nothing of the
 * machine's own under way: no work, nothing to drain), `writable` (code of the current
 * generation may write to storage), `unfinished` (work a crash would interrupt: the alarm
 * must come back for it), `admitting` (calls of the current generation are admitted as they
 * come: the machine need not step for them).
 *
 * Every event gets an answer: it is either taken (a transition, possibly targetless) or
 * refused with a named {@link Refusal}, including events a state never expects (each state
 * has a `*` refusal). There are no delayed transitions: time inside a Durable Object comes
 * from alarms.
 *
 * @example
 * ```ts
 * import { Lifecycle, lifecycleMachine } from "actorstate/machines";
 *
 * const lifecycle = new Lifecycle({ commit: store, perform: carryOut, lost: log });
 * lifecycle.send({ type: "LOAD", stored: null });
 * lifecycle.state; // "absent"
 * ```
 */
export const lifecycleMachine = setup({
  types: {
    context: {} as LifecycleContext,
    events: {} as LifecycleEvent,
    emitted: {} as Refusal | Wipe,
    tags: {} as "resting" | "writable" | "unfinished" | "admitting",
  },
  actors: {
    load: hostWork<LoadWorkInput>("load"),
    create: hostWork<CreateWorkInput>("create"),
    resurrect: hostWork<CreateWorkInput>("resurrect"),
    teardown: hostWork<TeardownWorkInput>("teardown"),
  },
  guards: {
    /** Key-based callers (no generation) always match; id-based ones must name the current generation. */
    generationMatches: ({ context, event }) => {
      const generation = eventGeneration(event);
      return generation === undefined || generation === context.generation;
    },
    isCreateOnly: ({ event }) => event.type === "CREATE" && event.request.mode === "create",
    hasActionsInFlight: ({ context }) => context.inFlight > 0,
    noActionsInFlight: ({ context }) => context.inFlight === 0,
    destroyRequested: ({ context }) => context.pendingDestroy,
    requestQueued: ({ context }) => context.request !== null,
    storedRunning: ({ event }) => storedIn(event, "running"),
    storedCreating: ({ event }) => storedIn(event, "creating"),
    storedResurrecting: ({ event }) => storedIn(event, "resurrecting"),
    storedDestroying: ({ event }) => storedIn(event, "destroying"),
    storedDestroyed: ({ event }) => storedIn(event, "destroyed"),
  },
  actions: {
    adoptStored: assign(({ event }) => {
      const stored = event.type === "LOAD" ? event.stored : null;
      return {
        generation: stored?.generation ?? null,
        inFlight: 0,
        request: stored?.request ?? null,
        pendingDestroy: stored?.pendingDestroy ?? false,
        attempts: stored?.attempts ?? 0,
      };
    }),
    beginFirstGeneration: assign({ generation: 0 }),
    beginNextGeneration: assign({ generation: ({ context }) => (context.generation ?? -1) + 1 }),
    abandonFirstGeneration: assign({ generation: null }),
    abandonNextGeneration: assign({ generation: ({ context }) => (context.generation ?? 0) - 1 }),
    takeRequest: assign({ request: ({ event }) => (event.type === "CREATE" ? event.request : null) }),
    clearRequest: assign({ request: null }),
    trackActionStart: assign({ inFlight: ({ context, event }) => context.inFlight + (event.type === "ACTION_START" ? (event.count ?? 1) : 1) }),
    trackActionEnd: assign({ inFlight: ({ context }) => context.inFlight - 1 }),
    requestDestroy: assign({ pendingDestroy: true }),
    clearPendingDestroy: assign({ pendingDestroy: false }),
    countFailedTeardown: assign({ attempts: ({ context }) => context.attempts + 1 }),
    clearAttempts: assign({ attempts: 0 }),
    refuse: emit((_, params: { reason: RefusalReason }): Refusal => ({ type: "refused", reason: params.reason })),
    wipe: emit((): Wipe => ({ type: "wipe" })),
  },
}).createMachine({
  id: "lifecycle",
  initial: "uninitialized",
  context: { generation: null, inFlight: 0, request: null, pendingDestroy: false, attempts: 0 },
  states: {
    uninitialized: {
      tags: ["resting"],
      description: "Nothing is in memory: the object has just started, or its last load failed. LOAD brings what storage holds.",
      on: {
        LOAD: [
          { guard: "storedRunning", target: "loading", actions: "adoptStored" },
          { guard: "storedCreating", target: "creating", actions: "adoptStored" },
          { guard: "storedResurrecting", target: "resurrecting", actions: "adoptStored" },
          { guard: "storedDestroying", target: "destroying", actions: "adoptStored" },
          { guard: "storedDestroyed", target: "destroyed", actions: "adoptStored" },
          { target: "absent", actions: "adoptStored" },
        ],
        "*": { actions: refuse("not_loaded") },
      },
    },
    loading: {
      tags: ["writable"],
      description: "Waking a live actor: its state comes into memory and onWake runs. Concurrent loads share this one.",
      invoke: {
        id: "load",
        src: "load",
        input: ({ context, event }) => ({
          generation: context.generation ?? 0,
          requestId: event.type === "LOAD" ? event.requestId : undefined,
        }),
        onDone: { target: "running" },
        // A destroy asked for while waking wins over a failed wake: an actor that cannot
        // wake can still be destroyed.
        onError: [{ guard: "destroyRequested", target: "destroying" }, { target: "uninitialized" }],
      },
      on: {
        LOAD: {},
        DESTROY: [{ guard: "generationMatches", actions: "requestDestroy" }, { actions: refuse("stale_generation") }],
        "*": { actions: refuse("not_ready") },
      },
    },
    absent: {
      tags: ["resting"],
      description: "No actor exists under this key: never created, or its first creation failed.",
      on: {
        LOAD: {},
        CREATE: { target: "creating", actions: ["beginFirstGeneration", "takeRequest"] },
        "*": { actions: refuse("not_found") },
      },
    },
    creating: {
      tags: ["writable", "unfinished"],
      description: "Running createState, onCreate and onWake for generation 0. Stored, so a crash resumes it from the start.",
      // A creation starts from nothing: what an interrupted attempt wrote goes with this step.
      entry: "wipe",
      invoke: {
        id: "create",
        src: "create",
        input: ({ context }) => ({ generation: context.generation ?? 0, request: context.request! }),
        onDone: { target: "running", actions: "clearRequest" },
        onError: { target: "absent", actions: ["wipe", "abandonFirstGeneration", "clearRequest", "clearPendingDestroy"] },
      },
      on: {
        LOAD: {},
        CREATE: [{ guard: "isCreateOnly", actions: refuse("already_exists") }, {}],
        DESTROY: [{ guard: "generationMatches", actions: "requestDestroy" }, { actions: refuse("stale_generation") }],
        "*": { actions: refuse("not_ready") },
      },
    },
    running: {
      tags: ["resting", "writable", "admitting"],
      description: "Live: actions, connections and alarms run; the generation fences every caller holding an id.",
      always: { guard: "destroyRequested", target: "destroying" },
      on: {
        LOAD: {},
        CREATE: [{ guard: "isCreateOnly", actions: refuse("already_exists") }, {}],
        ACTION_START: [
          { guard: "generationMatches", actions: "trackActionStart" },
          { actions: refuse("stale_generation") },
        ],
        ACTION_END: [{ guard: "hasActionsInFlight", actions: "trackActionEnd" }, { actions: refuse("no_action_in_flight") }],
        CONNECT: [{ guard: "generationMatches" }, { actions: refuse("stale_generation") }],
        ALARM: [{ guard: "generationMatches" }, { actions: refuse("stale_generation") }],
        INSPECT: [{ guard: "generationMatches" }, { actions: refuse("stale_generation") }],
        RESOLVE: [{ guard: "generationMatches" }, { actions: refuse("stale_generation") }],
        DESTROY: [{ guard: "generationMatches", target: "destroying" }, { actions: refuse("stale_generation") }],
        "*": { actions: refuse("unexpected") },
      },
    },
    destroying: {
      tags: ["unfinished"],
      description: "Refusing new work, letting in-flight actions end, running onDestroy, then wiping storage with the tombstone.",
      entry: "clearPendingDestroy",
      initial: "draining",
      states: {
        draining: {
          tags: ["writable"],
          description: "Waiting for in-flight actions and connection hooks to end; each is bounded by the action timeout.",
          always: { guard: "noActionsInFlight", target: "finalizing" },
          // Draining implies work in flight: the eventless transition leaves as soon as it is zero.
          on: { ACTION_END: { actions: "trackActionEnd" } },
        },
        finalizing: {
          tags: ["writable"],
          description: "onDestroy (bounded, errors logged) and closing connections; when done, the wipe and the tombstone are one transaction.",
          invoke: {
            id: "teardown",
            src: "teardown",
            input: ({ context }) => ({ generation: context.generation ?? 0 }),
            onDone: { target: "#lifecycle.destroyed", actions: ["wipe", "clearAttempts"] },
            onError: { target: "stalled", actions: "countFailedTeardown" },
          },
        },
        stalled: {
          tags: ["resting"],
          description: "The teardown failed; the destroy is stored, so the alarm (backing off), a wake or another DESTROY retries it.",
          on: {
            DESTROY: [{ guard: "generationMatches", target: "finalizing" }, { actions: refuse("stale_generation") }],
            ALARM: { target: "finalizing" },
          },
        },
      },
      on: {
        LOAD: {},
        DESTROY: [{ guard: "generationMatches" }, { actions: refuse("stale_generation") }],
        CREATE: [
          { guard: and(["requestQueued", "isCreateOnly"]), actions: refuse("already_exists") },
          { guard: "requestQueued" },
          { actions: "takeRequest" },
        ],
        INSPECT: [{ guard: "generationMatches" }, { actions: refuse("stale_generation") }],
        "*": { actions: refuse("destroying") },
      },
    },
    destroyed: {
      tags: ["resting"],
      description: "A tombstone: the generation is kept so ids stay fenced; create or getOrCreate resurrects.",
      always: { guard: "requestQueued", target: "resurrecting", actions: "beginNextGeneration" },
      on: {
        LOAD: {},
        CREATE: { target: "resurrecting", actions: ["beginNextGeneration", "takeRequest"] },
        DESTROY: [{ guard: "generationMatches" }, { actions: refuse("stale_generation") }],
        "*": { actions: refuse("not_found") },
      },
    },
    resurrecting: {
      tags: ["writable", "unfinished"],
      description: "Bringing generation + 1 to life with fresh state: createState, onCreate, onWake. Stored, so a crash resumes it.",
      entry: "wipe",
      invoke: {
        id: "resurrect",
        src: "resurrect",
        input: ({ context }) => ({ generation: context.generation ?? 0, request: context.request! }),
        onDone: { target: "running", actions: "clearRequest" },
        onError: {
          target: "destroyed",
          actions: ["wipe", "abandonNextGeneration", "clearRequest", "clearPendingDestroy"],
        },
      },
      on: {
        LOAD: {},
        CREATE: [{ guard: "isCreateOnly", actions: refuse("already_exists") }, {}],
        DESTROY: [{ guard: "generationMatches", actions: "requestDestroy" }, { actions: refuse("stale_generation") }],
        "*": { actions: refuse("not_ready") },
      },
    },
  },
});

/** The lifecycle machine's type, for hosts. */
export type LifecycleMachine = typeof lifecycleMachine;
