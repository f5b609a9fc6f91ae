import { and, assign, emit, fromPromise, setup } from "xstate";
import type {
  CreatedRecord,
  CreateRequest,
  LifecycleContext,
  LifecycleEvent,
  LoadedRecord,
  Refusal,
  RefusalReason,
} from "./types.ts";

/** Input handed to the `create` and `resurrect` work: the generation to bring to life. */
export interface CreateWorkInput {
  generation: number;
  /** The create request that started the work; its `input` goes to `createState`/`onCreate`. */
  request: CreateRequest;
}

/** Input handed to the `teardown` work: the generation being destroyed. */
export interface TeardownWorkInput {
  generation: number;
}

function unimplemented(work: string): never {
  throw new Error(
    `The lifecycle machine's "${work}" work has no implementation: provide one with lifecycleMachine.provide({ actors: { ${work}: ... } }).`,
  );
}

/** The named `refuse` action with its reason: plain data, so the machine stays serialisable and inspectable. */
function refuse(reason: RefusalReason) {
  return { type: "refuse", params: { reason } } as const;
}

/** The request behind a create or resurrect: a queued one if the destroy kept one, else this event. */
function createRequestOf(context: LifecycleContext, event: LifecycleEvent): CreateRequest {
  if (context.queuedCreate) return context.queuedCreate;
  return event.type === "CREATE" ? { mode: event.mode, input: event.input } : { mode: "getOrCreate" };
}

function eventGeneration(event: LifecycleEvent): number | undefined {
  return "generation" in event ? event.generation : undefined;
}

/**
 * The lifecycle of one actor inside its Durable Object: the single place where lifecycle
 * questions are decided. The host sends every entry point (create, action, connect, alarm,
 * destroy, inspect) here first and carries out what the machine decides; the work that
 * touches storage or user code (`load`, `create`, `resurrect`, `teardown`) is supplied by
 * the host through `provide()`.
 *
 * Every event gets an answer: it is either taken (a transition, possibly targetless) or
 * refused with a named {@link Refusal} emitted as `refused`, including events a state never
 * expects (each state has a `*` refusal). There are no delayed transitions: time inside a
 * Durable Object comes from alarms, and XState timers neither survive a snapshot restore
 * nor let the object hibernate.
 *
 * @example
 * ```ts
 * import { createActor } from "xstate";
 * import { lifecycleMachine } from "actorstate/machines";
 *
 * const lifecycle = createActor(
 *   lifecycleMachine.provide({ actors: { load, create, resurrect, teardown } }),
 * ).start();
 * lifecycle.on("refused", ({ reason }) => console.log("refused:", reason));
 * lifecycle.send({ type: "LOAD" });
 * ```
 */
export const lifecycleMachine = setup({
  types: {
    context: {} as LifecycleContext,
    events: {} as LifecycleEvent,
    emitted: {} as Refusal,
  },
  actors: {
    load: fromPromise<LoadedRecord>(async () => unimplemented("load")),
    create: fromPromise<CreatedRecord, CreateWorkInput>(async () => unimplemented("create")),
    resurrect: fromPromise<CreatedRecord, CreateWorkInput>(async () => unimplemented("resurrect")),
    teardown: fromPromise<void, TeardownWorkInput>(async () => unimplemented("teardown")),
  },
  guards: {
    /** Key-based callers (no generation) always match; id-based ones must name the current generation. */
    generationMatches: ({ context, event }) => {
      const generation = eventGeneration(event);
      return generation === undefined || generation === context.generation;
    },
    isCreateOnly: ({ event }) => event.type === "CREATE" && event.mode === "create",
    hasActionsInFlight: ({ context }) => context.inFlight > 0,
    noActionsInFlight: ({ context }) => context.inFlight === 0,
    destroyRequested: ({ context }) => context.pendingDestroy,
    resurrectionQueued: ({ context }) => context.queuedCreate !== null,
    recordIsLive: ({ event }) => event.type === "xstate.done.actor.load" && event.output.status === "live",
    recordIsDestroying: ({ event }) =>
      event.type === "xstate.done.actor.load" && event.output.status === "destroying",
    recordIsDestroyed: ({ event }) =>
      event.type === "xstate.done.actor.load" && event.output.status === "destroyed",
  },
  actions: {
    adoptLoadedGeneration: assign({
      generation: ({ event }) =>
        event.type === "xstate.done.actor.load" && event.output.status !== "absent" ? event.output.generation : null,
    }),
    adoptCreatedGeneration: assign({
      generation: ({ event, context }) =>
        event.type === "xstate.done.actor.create" || event.type === "xstate.done.actor.resurrect"
          ? event.output.generation
          : context.generation,
    }),
    beginFirstGeneration: assign({ generation: 0 }),
    beginNextGeneration: assign({ generation: ({ context }) => (context.generation ?? -1) + 1 }),
    abandonFirstGeneration: assign({ generation: null }),
    abandonNextGeneration: assign({ generation: ({ context }) => (context.generation ?? 0) - 1 }),
    trackActionStart: assign({ inFlight: ({ context }) => context.inFlight + 1 }),
    trackActionEnd: assign({ inFlight: ({ context }) => context.inFlight - 1 }),
    requestDestroy: assign({ pendingDestroy: true }),
    clearPendingDestroy: assign({ pendingDestroy: false }),
    queueResurrection: assign({
      queuedCreate: ({ event }) => (event.type === "CREATE" ? { mode: event.mode, input: event.input } : null),
    }),
    clearQueuedResurrection: assign({ queuedCreate: null }),
    refuse: emit(({ event }, params: { reason: RefusalReason }): Refusal => ({
      type: "refused",
      reason: params.reason,
      event,
    })),
  },
}).createMachine({
  id: "lifecycle",
  initial: "uninitialized",
  context: { generation: null, inFlight: 0, pendingDestroy: false, queuedCreate: null },
  states: {
    uninitialized: {
      description: "Nothing is in memory: the object has just started, or its last load failed.",
      on: {
        LOAD: { target: "loading" },
        "*": { actions: refuse("not_loaded") },
      },
    },
    loading: {
      description: "Reading the actor's record and state from storage and running onWake. Concurrent loads share this one.",
      invoke: {
        id: "load",
        src: "load",
        onDone: [
          { guard: "recordIsLive", target: "running", actions: "adoptLoadedGeneration" },
          { guard: "recordIsDestroying", target: "destroying", actions: "adoptLoadedGeneration" },
          { guard: "recordIsDestroyed", target: "destroyed", actions: "adoptLoadedGeneration" },
          { target: "absent", actions: "adoptLoadedGeneration" },
        ],
        onError: { target: "uninitialized" },
      },
      on: {
        LOAD: {},
        "*": { actions: refuse("not_ready") },
      },
    },
    absent: {
      description: "No actor has ever been created under this key.",
      on: {
        LOAD: {},
        CREATE: { target: "creating", actions: "beginFirstGeneration" },
        "*": { actions: refuse("not_found") },
      },
    },
    creating: {
      description: "Running createState, onCreate and onWake for generation 0 and writing it to storage.",
      invoke: {
        id: "create",
        src: "create",
        input: ({ context, event }) => ({ generation: context.generation ?? 0, request: createRequestOf(context, event) }),
        onDone: { target: "running", actions: "adoptCreatedGeneration" },
        onError: { target: "absent", actions: ["abandonFirstGeneration", "clearPendingDestroy"] },
      },
      on: {
        LOAD: {},
        CREATE: [{ guard: "isCreateOnly", actions: refuse("already_exists") }, {}],
        DESTROY: [{ guard: "generationMatches", actions: "requestDestroy" }, { actions: refuse("stale_generation") }],
        "*": { actions: refuse("not_ready") },
      },
    },
    running: {
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
      description: "Refusing new work, letting in-flight actions end, running onDestroy, then wiping storage in one transaction.",
      entry: "clearPendingDestroy",
      initial: "draining",
      states: {
        draining: {
          description: "Waiting for in-flight actions to end; each is bounded by the action timeout.",
          always: { guard: "noActionsInFlight", target: "finalizing" },
          // Draining implies work in flight: the eventless transition leaves as soon as it is zero.
          on: { ACTION_END: { actions: "trackActionEnd" } },
        },
        finalizing: {
          description: "onDestroy (bounded, errors logged), closing connections, then the wipe and tombstone.",
          invoke: {
            id: "teardown",
            src: "teardown",
            input: ({ context }) => ({ generation: context.generation ?? 0 }),
            onDone: { target: "#lifecycle.destroyed" },
            onError: { target: "stalled" },
          },
        },
        stalled: {
          description: "The wipe failed; the tombstone intent is durable, so the next DESTROY or wake retries it.",
          on: {
            DESTROY: [{ guard: "generationMatches", target: "finalizing" }, { actions: refuse("stale_generation") }],
          },
        },
      },
      on: {
        LOAD: {},
        DESTROY: [{ guard: "generationMatches" }, { actions: refuse("stale_generation") }],
        CREATE: [
          { guard: and(["resurrectionQueued", "isCreateOnly"]), actions: refuse("already_exists") },
          { guard: "resurrectionQueued" },
          { actions: "queueResurrection" },
        ],
        INSPECT: [{ guard: "generationMatches" }, { actions: refuse("stale_generation") }],
        "*": { actions: refuse("destroying") },
      },
    },
    destroyed: {
      description: "A tombstone: the generation is kept so ids stay fenced; create or getOrCreate resurrects.",
      always: { guard: "resurrectionQueued", target: "resurrecting" },
      on: {
        LOAD: {},
        CREATE: { target: "resurrecting" },
        DESTROY: [{ guard: "generationMatches" }, { actions: refuse("stale_generation") }],
        "*": { actions: refuse("not_found") },
      },
    },
    resurrecting: {
      description: "Bringing generation + 1 to life with fresh state: createState, onCreate, onWake.",
      entry: "beginNextGeneration",
      invoke: {
        id: "resurrect",
        src: "resurrect",
        input: ({ context, event }) => ({ generation: context.generation ?? 0, request: createRequestOf(context, event) }),
        onDone: { target: "running", actions: ["adoptCreatedGeneration", "clearQueuedResurrection"] },
        onError: {
          target: "destroyed",
          actions: ["abandonNextGeneration", "clearPendingDestroy", "clearQueuedResurrection"],
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

/** The lifecycle machine's type, for hosts that provide its work. */
export type LifecycleMachine = typeof lifecycleMachine;
