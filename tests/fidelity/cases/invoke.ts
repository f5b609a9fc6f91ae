// Cases ported from XState's own tests (packages/core/test/): see tests/fidelity/case.ts.
// Invoked and spawned machines and promises, the system's registry (systemId), input, and
// what a restored actor keeps (rehydration): a durable run restores after every step, so the
// rehydration tests are ordinary runs here. Callback and observable children of the tests
// are child machines here (workflow actors run machines and promises only): what a callback
// recorded in an outside array, its child machine tells its parent (sendParent), which
// counts it in context. Promises settle at once; logic a test spawns inline for no reason of
// its own is named in setup (inline spawned logic cannot be restored: the cases that keep it
// say so).
import { assign, createMachine, emit, fromPromise, raise, sendParent, sendTo, setup, spawnChild, stopChild, type AnyActorRef, type AnyEventObject, type EventObject } from "xstate";
import type { FidelityCase } from "../case.ts";

/** Tells its parent it started: a callback's "invoked" counter, as a machine. */
const announcer = createMachine({ id: "announcer", entry: sendParent({ type: "CHILD_STARTED" }) });

/** Answers each PING with a PONG to its parent. */
const echo = createMachine({ id: "echo", on: { PING: { actions: sendParent({ type: "PONG" }) } } });

/** An event with a payload, as a step sends it. */
const withPayload = (type: string, payload: Record<string, unknown>): EventObject => ({ type, ...payload });

// invoke.test.ts ----------------------------------------------------------------------------

const forwardingChild = createMachine({
  id: "child",
  initial: "init",
  states: { init: { on: { FORWARD_DEC: { actions: [sendParent({ type: "DEC" }), sendParent({ type: "DEC" }), sendParent({ type: "DEC" })] } } } },
});

const fetchChild = setup({
  types: { context: {} as { userId: string | undefined; user?: { name: string } }, input: {} as { userId: string } },
}).createMachine({
  id: "fetch",
  context: ({ input }) => ({ userId: input.userId }),
  initial: "pending",
  states: {
    pending: {
      entry: raise({ type: "RESOLVE", user: { name: "David" } }),
      on: { RESOLVE: { target: "success", guard: ({ context }) => context.userId !== undefined } },
    },
    success: { type: "final", entry: assign({ user: ({ event }) => (event as unknown as { user: { name: string } }).user }) },
    failure: { entry: sendParent({ type: "REJECT" }) },
  },
  output: ({ context }) => ({ user: context.user }),
});

const childSendingNext = createMachine({
  id: "child",
  initial: "one",
  states: { one: { on: { NEXT: "two" } }, two: { entry: sendParent({ type: "NEXT" }) } },
});

const overridableParent = setup({ actors: { child: createMachine({ id: "child", initial: "init", states: { init: {} } }) } }).createMachine({
  id: "parent",
  context: { count: 0 },
  initial: "start",
  states: { start: { invoke: { src: "child", id: "someService" }, on: { STOP: "stop" } }, stop: { type: "final" } },
});

/** The promise machine of the "with promises" tests: resolves with its id, or fails on purpose. */
const invokePromiseMachine = setup({
  types: { context: {} as { id: number; succeed: boolean }, input: {} as { id?: number; succeed?: boolean } | undefined },
  actors: {
    settle: fromPromise(async ({ input }: { input: { id: number; succeed: boolean } }) => {
      if (input.succeed) return input.id;
      throw new Error(`failed on purpose for: ${input.id}`);
    }),
  },
}).createMachine({
  id: "invokePromise",
  initial: "pending",
  context: ({ input }) => ({ id: 42, succeed: true, ...input }),
  states: {
    pending: {
      invoke: {
        src: "settle",
        input: ({ context }) => context,
        onDone: { target: "success", guard: ({ context, event }) => event.output === context.id },
        onError: "failure",
      },
    },
    success: { type: "final" },
    failure: { type: "final" },
  },
});

/** Tells its parent TICK every 100 ms. */
const ticker = createMachine({ initial: "ticking", states: { ticking: { after: { 100: { target: "ticking", reenter: true, actions: sendParent({ type: "TICK" }) } } } } });

const pongMachine = createMachine({ id: "pong", initial: "active", states: { active: { on: { PING: { actions: sendParent({ type: "PONG" }) } } } } });

const invokeTests: FidelityCase[] = [
  {
    from: "invoke.test.ts › child can immediately respond to the parent with multiple events",
    machine: setup({ types: { context: {} as { count: number } }, actors: { child: forwardingChild } }).createMachine({
      id: "parent",
      context: { count: 0 },
      initial: "start",
      states: {
        start: {
          invoke: { src: "child", id: "someService" },
          always: { target: "stop", guard: ({ context }) => context.count === -3 },
          on: {
            DEC: { actions: assign({ count: ({ context }) => context.count - 1 }) },
            FORWARD_DEC: { actions: sendTo("someService", { type: "FORWARD_DEC" }) },
          },
        },
        stop: { type: "final" },
      },
    }),
    steps: [{ send: { type: "FORWARD_DEC" } }],
  },
  {
    from: "invoke.test.ts › should start services (explicit machine, invoke = config) (the output's user kept in context)",
    machine: createMachine({
      types: {} as { context: { selectedUserId: string; user?: { name: string } } },
      id: "fetcher",
      initial: "idle",
      context: { selectedUserId: "42", user: undefined },
      states: {
        idle: { on: { GO_TO_WAITING: "waiting" } },
        waiting: {
          invoke: {
            src: fetchChild,
            input: ({ context }) => ({ userId: context.selectedUserId }),
            onDone: {
              target: "received",
              guard: ({ event }: { event: AnyEventObject }) => (event.output as { user: { name: string } }).user.name === "David",
              actions: assign({ user: ({ event }) => (event.output as { user: { name: string } }).user }),
            },
          },
        },
        received: { type: "final" },
      },
    }),
    steps: [{ send: { type: "GO_TO_WAITING" } }],
  },
  {
    from: "invoke.test.ts › should start services (explicit machine, invoke = machine)",
    machine: createMachine({
      initial: "idle",
      states: {
        idle: { on: { GO_TO_WAITING: "waiting" } },
        waiting: {
          invoke: {
            src: createMachine({ initial: "pending", states: { pending: { entry: raise({ type: "RESOLVE" }), on: { RESOLVE: "success" } }, success: { type: "final" } } }),
            onDone: "received",
          },
        },
        received: { type: "final" },
      },
    }),
    steps: [{ send: { type: "GO_TO_WAITING" } }],
  },
  {
    from: "invoke.test.ts › should start services (machine as invoke config)",
    machine: createMachine({
      id: "machine-invoke",
      initial: "pending",
      states: {
        pending: {
          invoke: { src: createMachine({ id: "child", initial: "sending", states: { sending: { entry: sendParent({ type: "SUCCESS", data: 42 }) } } }) },
          on: { SUCCESS: { target: "success", guard: ({ event }) => event.data === 42 } },
        },
        success: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › should start deeply nested service (machine as invoke config)",
    machine: createMachine({
      id: "parent",
      initial: "a",
      states: {
        a: {
          initial: "b",
          states: { b: { invoke: { src: createMachine({ id: "child", initial: "sending", states: { sending: { entry: sendParent({ type: "SUCCESS", data: 42 }) } } }) } } },
        },
        success: { id: "success", type: "final" },
      },
      on: { SUCCESS: { target: ".success", guard: ({ event }) => event.data === 42 } },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › should use the service overwritten by .provide(...)",
    machine: overridableParent.provide({
      actors: { child: createMachine({ id: "child", initial: "init", states: { init: { entry: sendParent({ type: "STOP" }) } } }) },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › parent to child › should communicate with the child machine (invoke on machine)",
    machine: createMachine({
      id: "parent",
      initial: "one",
      invoke: { id: "foo-child", src: childSendingNext },
      states: { one: { entry: sendTo("foo-child", { type: "NEXT" }), on: { NEXT: "two" } }, two: { type: "final" } },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › parent to child › should communicate with the child machine (invoke on state)",
    machine: createMachine({
      id: "parent",
      initial: "one",
      states: {
        one: { invoke: { id: "foo-child", src: childSendingNext }, entry: sendTo("foo-child", { type: "NEXT" }), on: { NEXT: "two" } },
        two: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › parent to child › should transition correctly if child invocation causes it to directly go to final state (then NEXT)",
    machine: createMachine({
      id: "parent",
      initial: "one",
      states: {
        one: {
          invoke: { id: "foo-child", src: createMachine({ id: "child", initial: "one", states: { one: { on: { NEXT: "two" } }, two: { type: "final" } } }), onDone: "two" },
          entry: sendTo("foo-child", { type: "NEXT" }),
        },
        two: { on: { NEXT: "three" } },
        three: { type: "final" },
      },
    }),
    steps: [{ send: { type: "NEXT" } }],
  },
  {
    from: "invoke.test.ts › parent to child › should work with invocations defined in orthogonal state nodes",
    machine: createMachine({
      id: "ping",
      type: "parallel",
      states: {
        one: {
          initial: "active",
          states: {
            active: {
              invoke: {
                id: "pong",
                src: createMachine({ id: "pong", initial: "active", states: { active: { type: "final" } }, output: { secret: "pingpong" } }),
                onDone: { target: "success", guard: ({ event }: { event: AnyEventObject }) => (event.output as { secret: string }).secret === "pingpong" },
              },
            },
            success: { type: "final" },
          },
        },
      },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › parent to child › should not reinvoke root-level invocations on root non-reentering transitions (a child machine announcing its start for the callback)",
    machine: setup({ types: { context: {} as { starts: number; entries: number; updates: number } }, actors: { announcer } }).createMachine({
      context: { starts: 0, entries: 0, updates: 0 },
      invoke: { src: "announcer" },
      entry: assign({ entries: ({ context }) => context.entries + 1 }),
      on: { CHILD_STARTED: { actions: assign({ starts: ({ context }) => context.starts + 1 }) }, UPDATE: { actions: assign({ updates: ({ context }) => context.updates + 1 }) } },
    }),
    steps: [{ send: { type: "UPDATE" } }, { send: { type: "UPDATE" } }],
  },
  {
    from: "invoke.test.ts › with promises › should be invoked with a promise factory and resolve through onDone",
    machine: createMachine({
      initial: "pending",
      states: { pending: { invoke: { src: fromPromise(async () => undefined), onDone: "success" } }, success: { type: "final" } },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › with promises › should be invoked with a promise factory and reject with ErrorExecution",
    machine: invokePromiseMachine,
    input: { id: 31, succeed: false },
    steps: [],
  },
  {
    from: "invoke.test.ts › with promises › should be invoked with a promise factory and reject with ErrorExecution (given an input that succeeds instead: it resolves with its id)",
    machine: invokePromiseMachine,
    input: { id: 7 },
    steps: [],
  },
  {
    from: "invoke.test.ts › with promises › should be invoked with a promise factory and surface any unhandled errors",
    machine: createMachine({
      id: "invokePromise",
      initial: "pending",
      states: {
        pending: {
          invoke: {
            src: fromPromise(async () => {
              throw new Error("test");
            }),
            onDone: "success",
          },
        },
        success: { type: "final" },
      },
    }),
    steps: [{ send: { type: "ANYTHING" } }],
  },
  {
    from: "invoke.test.ts › with promises › should be invoked with a promise factory and resolve through onDone for compound state nodes",
    machine: createMachine({
      id: "promise",
      initial: "parent",
      states: {
        parent: {
          initial: "pending",
          states: { pending: { invoke: { src: fromPromise(async () => undefined), onDone: "success" } }, success: { type: "final" } },
          onDone: "success",
        },
        success: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › with promises › should be invoked with a promise service and resolve through onDone for compound state nodes",
    machine: setup({ actors: { somePromise: fromPromise(async () => undefined) } }).createMachine({
      id: "promise",
      initial: "parent",
      states: {
        parent: {
          initial: "pending",
          states: { pending: { invoke: { src: "somePromise", onDone: "success" } }, success: { type: "final" } },
          onDone: "success",
        },
        success: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › with promises › should assign the resolved data when invoked with a promise factory",
    machine: createMachine({
      id: "promise",
      context: { count: 0 },
      initial: "pending",
      states: {
        pending: {
          invoke: { src: fromPromise(async () => ({ count: 1 })), onDone: { target: "success", actions: assign({ count: ({ event }) => event.output.count }) } },
        },
        success: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › with promises › should assign the resolved data when invoked with a promise service",
    machine: setup({ types: { context: {} as { count: number } }, actors: { somePromise: fromPromise(async () => ({ count: 1 })) } }).createMachine({
      id: "promise",
      context: { count: 0 },
      initial: "pending",
      states: {
        pending: { invoke: { src: "somePromise", onDone: { target: "success", actions: assign({ count: ({ event }) => event.output.count }) } } },
        success: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › with promises › should provide the resolved data when invoked with a promise factory (the action emits it)",
    machine: createMachine({
      id: "promise",
      context: { count: 0 },
      initial: "pending",
      states: {
        pending: {
          invoke: {
            src: fromPromise(async () => ({ count: 1 })),
            onDone: { target: "success", actions: emit(({ event }) => ({ type: "resolved", count: ((event as AnyEventObject).output as { count: number }).count })) },
          },
        },
        success: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › with promises › should provide the resolved data when invoked with a promise service (the action emits it)",
    machine: setup({ actors: { somePromise: fromPromise(async () => ({ count: 1 })) } }).createMachine({
      id: "promise",
      initial: "pending",
      states: {
        pending: { invoke: { src: "somePromise", onDone: { target: "success", actions: emit(({ event }) => ({ type: "resolved", count: event.output.count })) } } },
        success: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › with promises › should be able to specify a Promise as a service (input from the event)",
    machine: setup({
      types: { context: {} as { foo: boolean } },
      actors: {
        somePromise: fromPromise(async ({ input }: { input: { foo: boolean; event: { payload?: boolean } } }) => {
          if (!(input.foo && input.event.payload)) throw new Error("no payload");
        }),
      },
    }).createMachine({
      id: "promise",
      initial: "pending",
      context: { foo: true },
      states: {
        pending: { on: { BEGIN: "first" } },
        first: { invoke: { src: "somePromise", input: ({ context, event }) => ({ foo: context.foo, event: event as { payload?: boolean } }), onDone: "last" } },
        last: { type: "final" },
      },
    }),
    steps: [{ send: withPayload("BEGIN", { payload: true }) }],
  },
  {
    from: "invoke.test.ts › with promises › should be able to specify a Promise as a service (BEGIN without the payload: the promise rejects with nothing, unhandled)",
    machine: setup({
      types: { context: {} as { foo: boolean } },
      actors: {
        somePromise: fromPromise(({ input }: { input: { foo: boolean; event: { payload?: boolean } } }) => (input.foo && input.event.payload ? Promise.resolve() : Promise.reject())),
      },
    }).createMachine({
      id: "promise",
      initial: "pending",
      context: { foo: true },
      states: {
        pending: { on: { BEGIN: "first" } },
        first: { invoke: { src: "somePromise", input: ({ context, event }) => ({ foo: context.foo, event: event as { payload?: boolean } }), onDone: "last" } },
        last: { type: "final" },
      },
    }),
    steps: [{ send: withPayload("BEGIN", { payload: false }) }],
  },
  {
    from: "invoke.test.ts › with promises › should be able to reuse the same promise logic multiple times and create unique promise for each created actor (results from input, not Math.random)",
    machine: setup({
      types: { context: {} as { result1: number | null; result2: number | null } },
      actors: { getNumber: fromPromise(async ({ input }: { input: number }) => ({ result: input * 10 })) },
    }).createMachine({
      context: { result1: null, result2: null },
      initial: "pending",
      states: {
        pending: {
          type: "parallel",
          states: {
            state1: {
              initial: "active",
              states: {
                active: { invoke: { src: "getNumber", input: 1, onDone: { target: "success", actions: assign(({ event }) => ({ result1: event.output.result })) } } },
                success: { type: "final" },
              },
            },
            state2: {
              initial: "active",
              states: {
                active: { invoke: { src: "getNumber", input: 2, onDone: { target: "success", actions: assign(({ event }) => ({ result2: event.output.result })) } } },
                success: { type: "final" },
              },
            },
          },
          onDone: "done",
        },
        done: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › with promises › should not emit onSnapshot if stopped (a child machine whose timer would change its snapshot after the state is left)",
    machine: setup({
      types: { context: {} as { seen: string[] } },
      actors: { slow: createMachine({ initial: "waiting", states: { waiting: { after: { 5: "settled" } }, settled: {} } }) },
    }).createMachine({
      context: { seen: [] },
      initial: "active",
      states: {
        active: { invoke: { src: "slow", onSnapshot: {} }, on: { deactivate: "inactive" } },
        inactive: { on: { "*": { actions: assign({ seen: ({ context, event }) => [...context.seen, event.type] }) } } },
      },
    }),
    steps: [{ send: { type: "deactivate" } }, { advance: 10 }, { send: { type: "PING" } }],
  },
  {
    from: "invoke.test.ts › with machines › should create invocations from machines in nested states",
    machine: createMachine({
      id: "ping",
      initial: "innerMachine",
      states: {
        innerMachine: {
          initial: "active",
          states: {
            active: { invoke: { id: "pong", src: pongMachine }, entry: sendTo("pong", { type: "PING" }), on: { PONG: "innerSuccess" } },
            innerSuccess: { type: "final" },
          },
          onDone: "success",
        },
        success: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › with machines › should emit onSnapshot (the child's values kept in context)",
    machine: setup({
      types: { context: {} as { seen: unknown[] } },
      actors: { childMachine: createMachine({ initial: "a", states: { a: { after: { 10: "b" } }, b: {} } }) },
    }).createMachine({
      context: { seen: [] },
      invoke: { src: "childMachine", onSnapshot: { actions: assign({ seen: ({ context, event }) => [...context.seen, event.snapshot.value] }) } },
    }),
    steps: [{ advance: 10 }],
  },
  {
    from: "invoke.test.ts › multiple simultaneous services › should start all services at once (child machines sending from their entry for the callbacks)",
    machine: createMachine({
      types: {} as { context: { one?: string; two?: string } },
      id: "machine",
      initial: "one",
      context: {},
      on: { ONE: { actions: assign({ one: "one" }) }, TWO: { actions: assign({ two: "two" }), target: ".three" } },
      states: {
        one: {
          initial: "two",
          states: {
            two: {
              invoke: [
                { id: "child", src: createMachine({ entry: sendParent({ type: "ONE" }) }) },
                { id: "child2", src: createMachine({ entry: sendParent({ type: "TWO" }) }) },
              ],
            },
          },
        },
        three: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › multiple simultaneous services › should run services in parallel (child machines sending from their entry for the callbacks)",
    machine: createMachine({
      types: {} as { context: { one?: string; two?: string } },
      id: "machine",
      initial: "one",
      context: {},
      on: { ONE: { actions: assign({ one: "one" }) }, TWO: { actions: assign({ two: "two" }) } },
      after: { 10: ".three" },
      states: {
        one: {
          initial: "two",
          states: {
            two: {
              type: "parallel",
              states: {
                a: { invoke: { id: "child", src: createMachine({ entry: sendParent({ type: "ONE" }) }) } },
                b: { invoke: { id: "child2", src: createMachine({ entry: sendParent({ type: "TWO" }) }) } },
              },
            },
          },
        },
        three: { type: "final" },
      },
    }),
    steps: [{ advance: 5 }, { advance: 5 }],
  },
  {
    from: "invoke.test.ts › multiple simultaneous services › should not invoke an actor if it gets stopped immediately by transitioning away in immediate microstep (a child machine announcing its start)",
    machine: setup({ types: { context: {} as { starts: number } }, actors: { announcer } }).createMachine({
      id: "transient",
      context: { starts: 0 },
      initial: "active",
      states: { active: { invoke: { id: "doNotInvoke", src: "announcer" }, always: "inactive" }, inactive: {} },
      on: { CHILD_STARTED: { actions: assign({ starts: ({ context }) => context.starts + 1 }) } },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › multiple simultaneous services › should not invoke an actor if it gets stopped immediately by transitioning away in subsequent microstep (a child machine announcing its start)",
    machine: setup({ types: { context: {} as { starts: number } }, actors: { announcer } }).createMachine({
      context: { starts: 0 },
      initial: "withNonLeafInvoke",
      states: {
        withNonLeafInvoke: {
          invoke: { id: "doNotInvoke", src: "announcer" },
          initial: "first",
          states: { first: { always: "second" }, second: { always: "#inactive" } },
        },
        inactive: { id: "inactive" },
      },
      on: { CHILD_STARTED: { actions: assign({ starts: ({ context }) => context.starts + 1 }) } },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › multiple simultaneous services › should invoke a service if other service gets stopped in subsequent microstep (#1180) (a child machine for the callback)",
    machine: createMachine({
      initial: "running",
      states: {
        running: {
          type: "parallel",
          states: {
            one: {
              initial: "active",
              on: { STOP_ONE: ".idle" },
              states: { idle: {}, active: { invoke: { id: "active", src: createMachine({}) }, on: { NEXT: { actions: raise({ type: "STOP_ONE" }) } } } },
            },
            two: {
              initial: "idle",
              on: { NEXT: ".active" },
              states: { idle: {}, active: { invoke: { id: "post", src: fromPromise(async () => 42), onDone: "#done" } } },
            },
          },
        },
        done: { id: "done", type: "final" },
      },
    }),
    steps: [{ send: { type: "NEXT" } }],
  },
  {
    from: "invoke.test.ts › multiple simultaneous services › should invoke an actor when reentering invoking state within a single macrostep (a child machine announcing its start)",
    machine: setup({ types: { context: {} as { counter: number; starts: number } }, actors: { announcer } }).createMachine({
      initial: "active",
      context: { counter: 0, starts: 0 },
      states: {
        active: { invoke: { src: "announcer" }, always: [{ guard: ({ context }) => context.counter === 0, target: "inactive" }] },
        inactive: { entry: assign({ counter: ({ context }) => context.counter + 1 }), always: "active" },
      },
      on: { CHILD_STARTED: { actions: assign({ starts: ({ context }) => context.starts + 1 }) } },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › invoke `src` can be used with invoke `input` (the output kept in context)",
    machine: setup({
      types: { context: {} as { endpoint: string } },
      actors: { search: fromPromise(async ({ input }: { input: { endpoint: string } }) => input.endpoint) },
    }).createMachine({
      context: { endpoint: "" },
      initial: "searching",
      states: {
        searching: { invoke: { src: "search", input: { endpoint: "example.com" }, onDone: { target: "success", actions: assign({ endpoint: ({ event }) => event.output }) } } },
        success: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › invoke `src` can be used with dynamic invoke `input` (the output kept in context)",
    machine: setup({
      types: { context: {} as { url: string; endpoint: string } },
      actors: { search: fromPromise(async ({ input }: { input: { endpoint: string } }) => input.endpoint) },
    }).createMachine({
      context: { url: "example.com", endpoint: "" },
      initial: "searching",
      states: {
        searching: {
          invoke: { src: "search", input: ({ context }) => ({ endpoint: context.url }), onDone: { target: "success", actions: assign({ endpoint: ({ event }) => event.output }) } },
        },
        success: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › invoke generated ID should be predictable based on the state node where it is defined (the done event's type kept in context)",
    machine: setup({ types: { context: {} as { doneType: string } }, actors: { someSrc: fromPromise(async () => undefined) } }).createMachine({
      context: { doneType: "" },
      initial: "a",
      states: {
        a: {
          invoke: {
            src: "someSrc",
            onDone: { guard: ({ event }) => event.type === "xstate.done.actor.0.(machine).a", target: "b", actions: assign({ doneType: ({ event }) => event.type }) },
          },
        },
        b: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › invoke config defined as src with string reference should register unique and predictable child in state (reached by its generated id)",
    machine: setup({ types: { context: {} as { pongs: number } }, actors: { someSrc: echo } }).createMachine({
      id: "machine",
      context: { pongs: 0 },
      initial: "a",
      states: { a: { invoke: { src: "someSrc" } } },
      on: { PING: { actions: sendTo("0.machine.a", { type: "PING" }) }, PONG: { actions: assign({ pongs: ({ context }) => context.pongs + 1 }) } },
    }),
    steps: [{ send: { type: "PING" } }],
  },
  {
    from: "invoke.test.ts › invoke config defined as src containing a machine directly should register unique and predictable child in state (reached by its generated id)",
    machine: createMachine({
      types: {} as { context: { pongs: number } },
      id: "machine",
      context: { pongs: 0 },
      initial: "a",
      states: { a: { invoke: { src: createMachine({ id: "someId", on: { PING: { actions: sendParent({ type: "PONG" }) } } }) } } },
      on: { PING: { actions: sendTo("0.machine.a", { type: "PING" }) }, PONG: { actions: assign({ pongs: ({ context }) => context.pongs + 1 }) } },
    }),
    steps: [{ send: { type: "PING" } }],
  },
  {
    from: "invoke.test.ts › xstate.done.actor events should only select onDone transition on the invoking state when invokee is referenced using a string (both promises settle; each region records what it got)",
    machine: setup({
      types: { context: {} as { handled: string[] } },
      actors: { fetchSmth: fromPromise(async ({ input }: { input: string }) => input) },
    }).createMachine({
      context: { handled: [] },
      type: "parallel",
      states: {
        first: {
          initial: "fetch",
          states: { fetch: { invoke: { src: "fetchSmth", input: "one", onDone: { actions: assign({ handled: ({ context, event }) => [...context.handled, `first got ${event.output}`] }) } } } },
        },
        second: {
          initial: "fetch",
          states: { fetch: { invoke: { src: "fetchSmth", input: "two", onDone: { actions: assign({ handled: ({ context, event }) => [...context.handled, `second got ${event.output}`] }) } } } },
        },
      },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › xstate.done.actor events should have unique names when invokee is a machine with an id property (the events kept in context)",
    machine: setup({
      types: { context: {} as { events: { type: string; actorId: unknown }[] } },
      actors: {
        childMachine: createMachine({
          id: "child",
          initial: "a",
          states: { a: { invoke: { src: fromPromise(async () => 42), onDone: "b" } }, b: { type: "final" } },
        }),
      },
    }).createMachine({
      context: { events: [] },
      type: "parallel",
      states: {
        first: { initial: "fetch", states: { fetch: { invoke: { src: "childMachine" } } } },
        second: { initial: "fetch", states: { fetch: { invoke: { src: "childMachine" } } } },
      },
      on: { "*": { actions: assign({ events: ({ context, event }) => [...context.events, { type: event.type, actorId: event.actorId }] }) } },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › should get reinstantiated after reentering the invoking state in a microstep (a child machine announcing its start)",
    machine: setup({ types: { context: {} as { starts: number } }, actors: { announcer } }).createMachine({
      context: { starts: 0 },
      initial: "a",
      states: { a: { invoke: { src: "announcer" }, on: { GO_AWAY_AND_REENTER: "b" } }, b: { always: "a" } },
      on: { CHILD_STARTED: { actions: assign({ starts: ({ context }) => context.starts + 1 }) } },
    }),
    steps: [{ send: { type: "GO_AWAY_AND_REENTER" } }],
  },
  {
    from: "invoke.test.ts › invocations should be stopped when the machine reaches done state (the invoking state left for a non-final one, where a stopped child's repeating timer would show)",
    machine: setup({ types: { context: {} as { ticks: number } }, actors: { ticker } }).createMachine({
      context: { ticks: 0 },
      initial: "a",
      states: { a: { invoke: { src: "ticker" }, on: { FINISH: "b" } }, b: {} },
      on: { TICK: { actions: assign({ ticks: ({ context }) => context.ticks + 1 }) } },
    }),
    steps: [{ advance: 100 }, { advance: 50 }, { send: { type: "FINISH" } }, { advance: 200 }],
  },
  {
    from: "invoke.test.ts › deep invocations should be stopped when the machine reaches done state (the invoking state left for a non-final one; the grandchild's repeating timer would show)",
    machine: setup({
      types: { context: {} as { ticks: number } },
      actors: { child: setup({ actors: { ticker } }).createMachine({ invoke: { src: "ticker" }, on: { TICK: { actions: sendParent({ type: "TICK" }) } } }) },
    }).createMachine({
      context: { ticks: 0 },
      initial: "a",
      states: { a: { invoke: { src: "child" }, on: { FINISH: "b" } }, b: {} },
      on: { TICK: { actions: assign({ ticks: ({ context }) => context.ticks + 1 }) } },
    }),
    steps: [{ advance: 100 }, { advance: 150 }, { send: { type: "FINISH" } }, { advance: 200 }],
  },
  {
    from: "invoke.test.ts › root invocations should restart on root reentering transitions (each run counted by onDone)",
    machine: createMachine({
      types: {} as { context: { count: number } },
      id: "root",
      context: { count: 0 },
      invoke: { src: fromPromise(async () => 42), onDone: { actions: assign({ count: ({ context }) => context.count + 1 }) } },
      on: { EVENT: { target: "#two", reenter: true } },
      initial: "one",
      states: { one: {}, two: { id: "two" } },
    }),
    steps: [{ send: { type: "EVENT" } }],
  },
  {
    from: "invoke.test.ts › should be able to restart an invoke when reentering the invoking state (a child machine: starts counted, the new child answers)",
    machine: setup({ types: { context: {} as { starts: number; pongs: number } }, actors: { child: createMachine({ entry: sendParent({ type: "CHILD_STARTED" }), on: { PING: { actions: sendParent({ type: "PONG" }) } } }) } }).createMachine({
      context: { starts: 0, pongs: 0 },
      initial: "inactive",
      states: {
        inactive: { on: { ACTIVATE: "active" } },
        active: { invoke: { id: "kid", src: "child" }, on: { REENTER: { target: "active", reenter: true }, PING: { actions: sendTo("kid", { type: "PING" }) } } },
      },
      on: { CHILD_STARTED: { actions: assign({ starts: ({ context }) => context.starts + 1 }) }, PONG: { actions: assign({ pongs: ({ context }) => context.pongs + 1 }) } },
    }),
    steps: [{ send: { type: "ACTIVATE" } }, { send: { type: "REENTER" } }, { send: { type: "PING" } }],
  },
  {
    from: "invoke.test.ts › should be able to receive a delayed event sent by the entry action of the invoking state",
    machine: createMachine({
      initial: "a",
      states: {
        a: { on: { NEXT: "b" } },
        b: {
          invoke: { id: "foo", src: createMachine({ on: { PING: { actions: sendTo(({ event }) => (event as unknown as { origin: AnyActorRef }).origin, { type: "PONG" }) } } }) },
          entry: sendTo("foo", ({ self }) => ({ type: "PING", origin: self }), { delay: 1 }),
          on: { PONG: "c" },
        },
        c: { type: "final" },
      },
    }),
    steps: [{ send: { type: "NEXT" } }, { advance: 1 }],
  },
  {
    from: "invoke.test.ts › invoke input › should provide input to an actor creator (the input the promise got is its output, kept in context)",
    machine: setup({
      types: { context: {} as { count: number; got: unknown } },
      actors: { stringService: fromPromise(async ({ input }: { input: { staticVal: string; newCount: number } }) => input) },
    }).createMachine({
      initial: "pending",
      context: { count: 42, got: null },
      states: {
        pending: {
          invoke: {
            src: "stringService",
            input: ({ context }) => ({ staticVal: "hello", newCount: context.count * 2 }),
            onDone: { target: "success", actions: assign({ got: ({ event }) => event.output }) },
          },
        },
        success: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "invoke.test.ts › invoke input › should provide self to input mapper (a child machine that says HELLO to the responder it was given, at its start and again later)",
    machine: setup({
      types: { context: {} as { hellos: number } },
      actors: {
        responderChild: setup({ types: { input: {} as { responder: AnyActorRef }, context: {} as { responder: AnyActorRef } } }).createMachine({
          context: ({ input }) => ({ responder: input.responder }),
          entry: sendTo(({ context }) => context.responder, { type: "HELLO" }),
          on: { AGAIN: { actions: sendTo(({ context }) => context.responder, { type: "HELLO" }) } },
        }),
      },
    }).createMachine({
      context: { hellos: 0 },
      invoke: { id: "responder", src: "responderChild", input: ({ self }) => ({ responder: self }) },
      on: { HELLO: { actions: assign({ hellos: ({ context }) => context.hellos + 1 }) }, AGAIN: { actions: sendTo("responder", { type: "AGAIN" }) } },
    }),
    steps: [{ send: { type: "AGAIN" } }],
  },
];

// spawn.test.ts, spawnChild.test.ts -------------------------------------------------------------

/** Tells its parent the value of its input when pinged. */
const valueChild = setup({ types: { input: {} as { value: number }, context: {} as { value: number } } }).createMachine({
  context: ({ input }) => ({ value: input.value }),
  on: { PING: { actions: sendParent(({ context }) => ({ type: "VALUE", value: context.value })) } },
});

const spawnTests: FidelityCase[] = [
  {
    from: "spawn.test.ts › input is required when defined in actor (the spawned child, reached by systemId, answers with its input)",
    machine: setup({ types: { context: {} as { ref: AnyActorRef; values: number[] } }, actors: { valueChild } }).createMachine({
      context: ({ spawn }) => ({ ref: spawn("valueChild", { input: { value: 42 }, systemId: "test" }), values: [] }),
      on: {
        PING: { actions: sendTo(({ system }) => system.get("test"), { type: "PING" }) },
        VALUE: { actions: assign({ values: ({ context, event }) => [...context.values, event.value as number] }) },
      },
    }),
    steps: [{ send: { type: "PING" } }],
  },
  {
    from: "spawnChild.test.ts › can spawn (its output kept in context)",
    machine: createMachine({
      types: {} as { context: { output: unknown } },
      context: { output: null },
      entry: spawnChild(fromPromise(async () => 42), { id: "child" }),
      on: { "xstate.done.actor.child": { actions: assign({ output: ({ event }) => event.output }) } },
    }),
    steps: [],
    differs: "documented refusal: logic spawned inline must be named in setup({ actors }) to survive a restart",
  },
  {
    from: "spawnChild.test.ts › can spawn from named actor (its output kept in context)",
    machine: setup({
      types: { context: {} as { output: unknown } },
      actors: { fetchNum: fromPromise(async ({ input }: { input: number }) => input * 2) },
    }).createMachine({
      context: { output: null },
      entry: spawnChild("fetchNum", { id: "child", input: 21 }),
      on: { "xstate.done.actor.child": { actions: assign({ output: ({ event }) => event.output }) } },
    }),
    steps: [],
  },
  {
    from: "spawnChild.test.ts › should handle a dynamic id (the child, named in setup, answers FOO)",
    machine: setup({
      types: { context: {} as { childId: string; foos: number } },
      actors: { child: createMachine({ on: { FOO: { actions: sendParent({ type: "GOT_FOO" }) } } }) },
    }).createMachine({
      context: { childId: "myChild", foos: 0 },
      entry: [spawnChild("child", { id: ({ context }) => context.childId }), sendTo("myChild", { type: "FOO" })],
      on: { GOT_FOO: { actions: assign({ foos: ({ context }) => context.foos + 1 }) }, AGAIN: { actions: sendTo("myChild", { type: "FOO" }) } },
    }),
    steps: [{ send: { type: "AGAIN" } }],
  },
];

// system.test.ts ----------------------------------------------------------------------------

/** Tells its parent each HELLO it receives: the tests' receiving callback, as a machine. */
const receiver = createMachine({ id: "receiver", on: { HELLO: { actions: sendParent({ type: "RECEIVED_HELLO" }) } } });

/** Greets the actor registered as "receiver" when it starts. */
const greeter = createMachine({
  id: "childmachine",
  entry: sendTo(({ system }) => system.get("receiver"), { type: "HELLO" }),
});

const systemTests: FidelityCase[] = [
  {
    from: "system.test.ts › should register an invoked actor (a receiving machine for the callback)",
    machine: setup({ types: { context: {} as { hellos: number } }, actors: { receiver, greeter } }).createMachine({
      id: "parent",
      context: { hellos: 0 },
      initial: "a",
      states: { a: { invoke: [{ src: "receiver", systemId: "receiver" }, { src: "greeter" }] } },
      on: { RECEIVED_HELLO: { actions: assign({ hellos: ({ context }) => context.hellos + 1 }) } },
    }),
    steps: [],
  },
  {
    from: "system.test.ts › should register a spawned actor (a receiving machine for the callback)",
    machine: setup({ types: { context: {} as { ref: AnyActorRef; machineRef?: AnyActorRef; hellos: number } }, actors: { receiver, greeter } }).createMachine({
      id: "parent",
      context: ({ spawn }) => ({ ref: spawn("receiver", { systemId: "receiver" }), hellos: 0 }),
      on: {
        toggle: { actions: assign({ machineRef: ({ spawn }) => spawn("greeter") }) },
        RECEIVED_HELLO: { actions: assign({ hellos: ({ context }) => context.hellos + 1 }) },
      },
    }),
    steps: [{ send: { type: "toggle" } }],
  },
  {
    from: "system.test.ts › should remove invoked actor from receptionist if stopped (CHECK records whether it is registered)",
    machine: createMachine({
      types: {} as { context: { registered: boolean[] } },
      context: { registered: [] },
      initial: "active",
      states: { active: { invoke: { src: createMachine({}), systemId: "test" }, on: { toggle: "inactive" } }, inactive: {} },
      on: { CHECK: { actions: assign({ registered: ({ context, system }) => [...context.registered, system.get("test") !== undefined] }) } },
    }),
    steps: [{ send: { type: "CHECK" } }, { send: { type: "toggle" } }, { send: { type: "CHECK" } }],
  },
  {
    from: "system.test.ts › should remove spawned actor from receptionist if stopped (the child named in setup; CHECK records whether it is registered)",
    machine: setup({ types: { context: {} as { ref: AnyActorRef; registered: boolean[] } }, actors: { childMachine: createMachine({}) } }).createMachine({
      context: ({ spawn }) => ({ ref: spawn("childMachine", { systemId: "test" }), registered: [] }),
      on: {
        toggle: { actions: stopChild(({ context }) => context.ref) },
        CHECK: { actions: assign({ registered: ({ context, system }) => [...context.registered, system.get("test") !== undefined] }) },
      },
    }),
    steps: [{ send: { type: "CHECK" } }, { send: { type: "toggle" } }, { send: { type: "CHECK" } }],
  },
  {
    from: "system.test.ts › should throw an error if an actor with the system ID already exists (two invokes of one systemId; the root has none)",
    machine: createMachine({
      initial: "inactive",
      states: {
        inactive: { on: { toggle: "active" } },
        active: {
          invoke: [
            { src: createMachine({}), systemId: "test" },
            { src: createMachine({}), systemId: "test" },
          ],
        },
      },
    }),
    steps: [{ send: { type: "toggle" } }],
  },
  {
    from: "system.test.ts › should cleanup stopped actors (the promise named in setup, spawned again under the systemId of the stopped one)",
    machine: setup({ types: { context: {} as { ref: AnyActorRef; dones: number } }, actors: { settle: fromPromise(async () => undefined) } }).createMachine({
      context: ({ spawn }) => ({ ref: spawn("settle", { systemId: "test" }), dones: 0 }),
      on: {
        stop: { actions: stopChild(({ context }) => context.ref) },
        start: { actions: spawnChild("settle", { id: "again", systemId: "test" }) },
        "xstate.done.actor.again": { actions: assign({ dones: ({ context }) => context.dones + 1 }) },
      },
    }),
    steps: [{ send: { type: "stop" } }, { send: { type: "start" } }],
  },
  {
    from: "system.test.ts › should be accessible in inline custom actions (emitted: at the root's entry, resolved before its invoke starts, and at the initial state's)",
    machine: createMachine({
      invoke: { src: createMachine({}), systemId: "test" },
      entry: emit(({ system }) => ({ type: "found", where: "root", found: system.get("test") !== undefined })),
      initial: "a",
      states: { a: { entry: emit(({ system }) => ({ type: "found", where: "a", found: system.get("test") !== undefined })) } },
      on: { LOOK: { actions: emit(({ system }) => ({ type: "found", where: "LOOK", found: system.get("test") !== undefined })) } },
    }),
    steps: [{ send: { type: "LOOK" } }],
  },
  {
    from: "system.test.ts › should be accessible in assign actions (what it found kept in context)",
    machine: createMachine({
      types: {} as { context: { found: boolean | null } },
      context: { found: null },
      invoke: { src: createMachine({}), systemId: "test" },
      initial: "a",
      states: { a: { entry: assign({ found: ({ system }) => system.get("test") !== undefined }) } },
    }),
    steps: [],
  },
  {
    from: "system.test.ts › should be accessible in sendTo actions (the child answers)",
    machine: setup({ types: { context: {} as { pongs: number } }, actors: { echo } }).createMachine({
      context: { pongs: 0 },
      invoke: { src: "echo", systemId: "test" },
      initial: "a",
      states: { a: { entry: sendTo(({ system }) => system.get("test"), { type: "PING" }), on: { AGAIN: { actions: sendTo(({ system }) => system.get("test"), { type: "PING" }) } } } },
      on: { PONG: { actions: assign({ pongs: ({ context }) => context.pongs + 1 }) } },
    }),
    steps: [{ send: { type: "AGAIN" } }],
  },
  {
    from: "system.test.ts › should be accessible in promise logic (what it found is the promise's output)",
    machine: createMachine({
      types: {} as { context: { found: unknown } },
      context: { found: null },
      invoke: [
        { src: createMachine({}), systemId: "test" },
        { src: fromPromise(async ({ system }) => system.get("test") !== undefined), onDone: { actions: assign({ found: ({ event }) => event.output }) } },
      ],
    }),
    steps: [],
  },
  {
    from: "system.test.ts › should gracefully handle re-registration of a `systemId` during a reentering transition (a listening machine, told its start number)",
    machine: setup({
      types: { context: {} as { started: number; heard: unknown[] } },
      actors: {
        listener: setup({ types: { input: {} as { localId: number }, context: {} as { localId: number } } }).createMachine({
          context: ({ input }) => ({ localId: input.localId }),
          on: { "*": { actions: sendParent(({ context, event }) => ({ type: "HEARD", localId: context.localId, heard: event.type })) } },
        }),
      },
    }).createMachine({
      context: { started: 0, heard: [] },
      initial: "listening",
      states: {
        listening: {
          entry: assign({ started: ({ context }) => context.started + 1 }),
          invoke: { systemId: "listener", src: "listener", input: ({ context }) => ({ localId: context.started - 1 }) },
        },
      },
      on: {
        RESTART: { target: ".listening" },
        TELL: { actions: sendTo(({ system }) => system.get("listener"), { type: "a" }) },
        HEARD: { actions: assign({ heard: ({ context, event }) => [...context.heard, [event.localId, event.heard]] }) },
      },
    }),
    steps: [{ send: { type: "RESTART" } }, { send: { type: "TELL" } }],
  },
  {
    from: "system.test.ts › should give a list of runnings actors (the spawned child named in setup; CHECK records the systemIds of system.getAll())",
    machine: setup({ types: { context: {} as { running: string[][] } }, actors: { childMachine: createMachine({}) } }).createMachine({
      id: "root",
      context: { running: [] },
      initial: "happy path",
      states: {
        "happy path": {
          entry: [spawnChild("childMachine", { systemId: "child1" })],
          invoke: [{ src: createMachine({ id: "machine" }), systemId: "child2" }],
          on: { stopChild1: "sad path" },
        },
        "sad path": { entry: stopChild(({ system }) => system.get("child1")) },
      },
      on: { CHECK: { actions: assign({ running: ({ context, system }) => [...context.running, Object.keys(system.getAll()).sort()] }) } },
    }),
    steps: [{ send: { type: "CHECK" } }, { send: { type: "stopChild1" } }, { send: { type: "CHECK" } }],
  },
  {
    from: "system.test.ts › should unregister nested child systemIds when stopping a parent actor (restarted in one step; the new grandchild answers)",
    machine: setup({
      types: { context: {} as { pongs: number } },
      actors: {
        child: setup({ actors: { subchild: echo } }).createMachine({
          id: "childSystem",
          invoke: { src: "subchild", systemId: "subchild" },
          on: { PONG: { actions: sendParent({ type: "PONG" }) } },
        }),
      },
    }).createMachine({
      context: { pongs: 0 },
      entry: spawnChild("child", { id: "childId" }),
      on: {
        restart: { actions: [stopChild("childId"), spawnChild("child", { id: "childId" })] },
        PING: { actions: sendTo(({ system }) => system.get("subchild"), { type: "PING" }) },
        PONG: { actions: assign({ pongs: ({ context }) => context.pongs + 1 }) },
      },
    }),
    steps: [{ send: { type: "PING" } }, { send: { type: "restart" } }, { send: { type: "PING" } }],
  },
];

// rehydration.test.ts: a durable run is restored before every step -------------------------

const rehydrationTests: FidelityCase[] = [
  {
    from: "rehydration.test.ts › should not replay actions when starting from a persisted state (the entry action emits)",
    machine: createMachine({ entry: emit({ type: "entered" }), on: { PING: { actions: emit({ type: "pinged" }) } } }),
    steps: [{ send: { type: "PING" } }, { send: { type: "PING" } }],
  },
  {
    from: "rehydration.test.ts › should be able to stop a rehydrated child (a child machine for the promise, which would settle at once)",
    machine: createMachine({
      initial: "a",
      states: { a: { invoke: { id: "kid", src: echo }, on: { NEXT: "c" } }, b: {}, c: {} },
    }),
    steps: [{ send: { type: "NEXT" } }],
  },
  {
    from: "rehydration.test.ts › a rehydrated active child should be registered in the system (it answers by systemId)",
    machine: setup({ types: { context: {} as { pongs: number } }, actors: { foo: echo } }).createMachine({
      context: ({ spawn }) => {
        spawn("foo", { systemId: "mySystemId" });
        return { pongs: 0 };
      },
      on: { PING: { actions: sendTo(({ system }) => system.get("mySystemId"), { type: "PING" }) }, PONG: { actions: assign({ pongs: ({ context }) => context.pongs + 1 }) } },
    }),
    steps: [{ send: { type: "PING" } }, { send: { type: "PING" } }],
  },
  {
    from: "rehydration.test.ts › a rehydrated done child should not be registered in the system (CHECK records whether it is)",
    machine: setup({ types: { context: {} as { registered: boolean[] } }, actors: { foo: createMachine({ type: "final" }) } }).createMachine({
      context: ({ spawn }) => {
        spawn("foo", { systemId: "mySystemId" });
        return { registered: [] };
      },
      on: { CHECK: { actions: assign({ registered: ({ context, system }) => [...context.registered, system.get("mySystemId") !== undefined] }) } },
    }),
    steps: [{ send: { type: "CHECK" } }, { send: { type: "CHECK" } }],
  },
  {
    from: "rehydration.test.ts › a rehydrated done child should not re-notify the parent about its completion (every event recorded)",
    machine: setup({ types: { context: {} as { events: string[] } }, actors: { foo: createMachine({ type: "final" }) } }).createMachine({
      context: ({ spawn }) => {
        spawn("foo", { id: "foo", systemId: "mySystemId" });
        return { events: [] };
      },
      on: { "*": { actions: assign({ events: ({ context, event }) => [...context.events, event.type] }) } },
    }),
    steps: [{ send: { type: "PING" } }, { send: { type: "PING" } }],
  },
  {
    from: "rehydration.test.ts › should be possible to persist a rehydrated actor that got its children rehydrated (the promise's outcome counted)",
    machine: setup({ types: { context: {} as { dones: number } }, actors: { foo: fromPromise(async () => 42) } }).createMachine({
      context: { dones: 0 },
      invoke: { src: "foo", onDone: { actions: assign({ dones: ({ context }) => context.dones + 1 }) } },
      on: { PING: {} },
    }),
    steps: [{ send: { type: "PING" } }, { send: { type: "PING" } }],
  },
  {
    from: "rehydration.test.ts › should complete on a rehydrated final state",
    machine: createMachine({ initial: "foo", states: { foo: { on: { NEXT: "bar" } }, bar: { type: "final" } }, output: { finished: true } }),
    steps: [{ send: { type: "NEXT" } }, { send: { type: "NEXT" } }],
  },
  {
    from: "rehydration.test.ts › should error on a rehydrated error state",
    machine: setup({ actors: { failure: fromPromise(() => Promise.reject(new Error("failure"))) } }).createMachine({
      invoke: { src: "failure" },
      on: { PING: {} },
    }),
    steps: [{ send: { type: "PING" } }],
  },
  {
    from: "rehydration.test.ts › shouldn't re-notify the parent about the error when rehydrating (onError counted)",
    machine: setup({ types: { context: {} as { errors: number } }, actors: { failure: fromPromise(() => Promise.reject(new Error("failure"))) } }).createMachine({
      context: { errors: 0 },
      invoke: { src: "failure", onError: { actions: assign({ errors: ({ context }) => context.errors + 1 }) } },
      on: { PING: {} },
    }),
    steps: [{ send: { type: "PING" } }, { send: { type: "PING" } }],
  },
  {
    from: "rehydration.test.ts › should be able to rehydrate an actor deep in the tree (the grandchild's count reported up)",
    machine: setup({
      types: { context: {} as { counts: number[] } },
      actors: {
        child: setup({
          actors: {
            grandchild: createMachine({
              context: { count: 0 },
              on: { INC: { actions: [assign({ count: ({ context }) => context.count + 1 }), sendParent(({ context }) => ({ type: "COUNT", count: context.count }))] } },
            }),
          },
        }).createMachine({
          invoke: { src: "grandchild", id: "grandchild" },
          on: { INC: { actions: sendTo("grandchild", { type: "INC" }) }, COUNT: { actions: sendParent(({ event }) => event) } },
        }),
      },
    }).createMachine({
      context: { counts: [] },
      invoke: { src: "child", id: "child" },
      on: { INC: { actions: sendTo("child", { type: "INC" }) }, COUNT: { actions: assign({ counts: ({ context, event }) => [...context.counts, event.count as number] }) } },
    }),
    steps: [{ send: { type: "INC" } }, { send: { type: "INC" } }],
  },
];

// actor.test.ts: machines and promises spawned and invoked by machines ----------------------

const todoMachine = createMachine({
  id: "todo",
  initial: "incomplete",
  states: { incomplete: { on: { SET_COMPLETE: "complete" } }, complete: { entry: sendParent({ type: "TODO_COMPLETED" }) } },
});

const serverMachine = createMachine({
  id: "server",
  initial: "waitPing",
  states: {
    waitPing: { on: { PING: "sendPong" } },
    sendPong: { entry: [sendParent({ type: "PONG" }), raise({ type: "SUCCESS" })], on: { SUCCESS: "waitPing" } },
  },
});

/** A child that reports each start to its parent, numbered by its input. */
const numberedChild = setup({ types: { input: {} as { n: number }, context: {} as { n: number } } }).createMachine({
  context: ({ input }) => ({ n: input.n }),
  entry: sendParent(({ context }) => ({ type: "CHILD_STARTED", n: context.n })),
  on: { PING: { actions: sendParent(({ context }) => ({ type: "PONG", n: context.n })) } },
});

/** The "restart a spawned actor within a single macrostep" machines: the callbacks are numbered child machines. */
const restartInOneStep = (firstId: string, secondId: string, stop: "ref" | "name" | "resolved name") =>
  setup({ types: { context: {} as { actorRef: AnyActorRef; log: string[] } }, actors: { numberedChild } }).createMachine({
    initial: "active",
    context: ({ spawn }) => ({ actorRef: spawn("numberedChild", { id: firstId, input: { n: 1 } }), log: [] }),
    states: {
      active: {
        on: {
          update: {
            actions: [
              stop === "ref" ? stopChild(({ context }) => context.actorRef) : stop === "name" ? stopChild(firstId) : stopChild(() => firstId),
              assign({ actorRef: ({ spawn }) => spawn("numberedChild", { id: secondId, input: { n: 2 } }) }),
            ],
          },
          PING: { actions: sendTo(({ context }) => context.actorRef, { type: "PING" }) },
        },
      },
    },
    on: {
      CHILD_STARTED: { actions: assign({ log: ({ context, event }) => [...context.log, `start ${event.n}`] }) },
      PONG: { actions: assign({ log: ({ context, event }) => [...context.log, `pong ${event.n}`] }) },
    },
  });

const actorTests: FidelityCase[] = [
  {
    from: "actor.test.ts › spawning machines › should spawn machines",
    machine: createMachine({
      types: {} as { context: { todoRefs: Record<string, AnyActorRef> } },
      id: "todos",
      context: { todoRefs: {} },
      initial: "active",
      states: { active: { on: { TODO_COMPLETED: "success" } }, success: { type: "final" } },
      on: {
        ADD: { actions: assign({ todoRefs: ({ context, event, spawn }) => ({ ...context.todoRefs, [(event as AnyEventObject).id]: spawn(todoMachine) }) }) },
        SET_COMPLETE: { actions: sendTo(({ context, event }) => context.todoRefs[(event as AnyEventObject).id]!, { type: "SET_COMPLETE" }) },
      },
    }),
    steps: [{ send: withPayload("ADD", { id: 42 }) }, { send: withPayload("SET_COMPLETE", { id: 42 }) }],
    differs: "documented refusal: logic spawned inline must be named in setup({ actors }) to survive a restart",
  },
  {
    from: "actor.test.ts › spawning machines › should spawn machines (the todo machine named in setup; its ref, kept in context, used after a restart)",
    machine: setup({ types: { context: {} as { todoRefs: Record<string, AnyActorRef> } }, actors: { todoMachine } }).createMachine({
      id: "todos",
      context: { todoRefs: {} },
      initial: "active",
      states: { active: { on: { TODO_COMPLETED: "success" } }, success: { type: "final" } },
      on: {
        ADD: { actions: assign({ todoRefs: ({ context, event, spawn }) => ({ ...context.todoRefs, [event.id]: spawn("todoMachine") }) }) },
        SET_COMPLETE: { actions: sendTo(({ context, event }) => context.todoRefs[event.id]!, { type: "SET_COMPLETE" }) },
      },
    }),
    steps: [{ send: withPayload("ADD", { id: 42 }) }, { send: withPayload("SET_COMPLETE", { id: 42 }) }],
  },
  {
    from: "actor.test.ts › spawning machines › should spawn referenced machines",
    machine: setup({ types: { context: {} as { ref: AnyActorRef | null } }, actors: { child: createMachine({ entry: sendParent({ type: "DONE" }) }) } }).createMachine({
      context: { ref: null },
      initial: "waiting",
      states: { waiting: { entry: assign({ ref: ({ spawn }) => spawn("child") }), on: { DONE: "success" } }, success: { type: "final" } },
    }),
    steps: [],
  },
  {
    from: "actor.test.ts › spawning machines › should allow bidirectional communication between parent/child actors (the server named in setup)",
    machine: setup({ types: { context: {} as { server?: AnyActorRef } }, actors: { serverMachine } }).createMachine({
      id: "client",
      initial: "init",
      context: { server: undefined },
      states: {
        init: { entry: [assign({ server: ({ spawn }) => spawn("serverMachine") }), raise({ type: "SUCCESS" })], on: { SUCCESS: "sendPing" } },
        sendPing: { entry: [sendTo(({ context }) => context.server!, { type: "PING" }), raise({ type: "SUCCESS" })], on: { SUCCESS: "waitPong" } },
        waitPong: { on: { PONG: "complete" } },
        complete: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "actor.test.ts › spawning promises › should be able to spawn a promise",
    machine: createMachine({
      types: {} as { context: { promiseRef?: AnyActorRef } },
      id: "promise",
      initial: "idle",
      context: { promiseRef: undefined },
      states: {
        idle: {
          entry: assign({ promiseRef: ({ spawn }) => spawn(fromPromise(async () => "response"), { id: "my-promise" }) }),
          on: { "xstate.done.actor.my-promise": { target: "success", guard: ({ event }) => event.output === "response" } },
        },
        success: { type: "final" },
      },
    }),
    steps: [],
    differs: "documented refusal: logic spawned inline must be named in setup({ actors }) to survive a restart",
  },
  {
    from: "actor.test.ts › spawning promises › should be able to spawn a referenced promise",
    machine: setup({ types: { context: {} as { promiseRef?: AnyActorRef } }, actors: { somePromise: fromPromise(async () => "response") } }).createMachine({
      id: "promise",
      initial: "idle",
      context: { promiseRef: undefined },
      states: {
        idle: {
          entry: assign({ promiseRef: ({ spawn }) => spawn("somePromise", { id: "my-promise" }) }),
          on: { "xstate.done.actor.my-promise": { target: "success", guard: ({ event }) => event.output === "response" } },
        },
        success: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "actor.test.ts › actors › should only spawn actors defined on initial state once (the promise named in setup, its item as input; the refs kept in context)",
    machine: setup({
      types: { context: {} as { items: number[]; refs: AnyActorRef[] } },
      actors: { item: fromPromise(async ({ input }: { input: number }) => input) },
    }).createMachine({
      id: "start",
      initial: "start",
      context: { items: [0, 1, 2, 3], refs: [] },
      states: { start: { entry: assign({ refs: ({ context, spawn }) => context.items.map((item) => spawn("item", { input: item })) }) } },
    }),
    steps: [{ send: { type: "PING" } }],
  },
  {
    from: "actor.test.ts › actors › should spawn an actor in an initial state of a child that gets invoked in the initial state of a parent when the parent gets started (the promise named in setup; the child reports the answer)",
    machine: setup({
      types: { context: {} as { answers: unknown[] } },
      actors: {
        child: setup({ types: { context: {} as { promise?: AnyActorRef } }, actors: { answer: fromPromise(async () => "answer") } }).createMachine({
          initial: "bar",
          context: {},
          states: { bar: { entry: assign({ promise: ({ spawn }) => spawn("answer", { id: "answer" }) }) } },
          on: { "xstate.done.actor.answer": { actions: sendParent(({ event }) => ({ type: "ANSWER", output: event.output })) } },
        }),
      },
    }).createMachine({
      context: { answers: [] },
      initial: "foo",
      states: { foo: { invoke: { src: "child", onDone: "end" } }, end: { type: "final" } },
      on: { ANSWER: { actions: assign({ answers: ({ context, event }) => [...context.answers, event.output] }) } },
    }),
    steps: [],
  },
  {
    from: "actor.test.ts › actors › should only spawn an initial actor once when it synchronously responds with an event (the child named in setup)",
    machine: setup({
      types: { context: {} as { ref?: AnyActorRef } },
      actors: { anotherMachine: createMachine({ initial: "hello", states: { hello: { entry: sendParent({ type: "ping" }) } } }) },
    }).createMachine({
      initial: "testing",
      context: ({ spawn }) => ({ ref: spawn("anotherMachine") }),
      states: { testing: { on: { ping: { target: "done" } } }, done: {} },
    }),
    steps: [],
  },
  {
    from: "actor.test.ts › actors › with actor logic › should work with a promise logic (fulfill) (settling at once; named in setup)",
    machine: setup({ types: { context: {} as { count: AnyActorRef | undefined } }, actors: { answer: fromPromise(async () => 42) } }).createMachine({
      context: { count: undefined },
      entry: assign({ count: ({ spawn }) => spawn("answer", { id: "test" }) }),
      initial: "pending",
      states: { pending: { on: { "xstate.done.actor.test": { target: "success", guard: ({ event }) => event.output === 42 } } }, success: { type: "final" } },
    }),
    steps: [],
  },
  {
    from: "actor.test.ts › actors › with actor logic › should work with a promise logic (reject) (rejecting at once with a string; named in setup)",
    machine: setup({ types: { context: {} as { count: AnyActorRef } }, actors: { failing: fromPromise(() => Promise.reject("An error occurred")) } }).createMachine({
      context: ({ spawn }) => ({ count: spawn("failing", { id: "test" }) }),
      initial: "pending",
      states: { pending: { on: { "xstate.error.actor.test": { target: "success", guard: ({ event }) => event.error === "An error occurred" } } }, success: { type: "final" } },
    }),
    steps: [],
  },
  {
    from: "actor.test.ts › actors › with actor logic › should work with a promise logic (reject) (rejecting at once with an Error, named in setup; its message kept in context)",
    machine: setup({
      types: { context: {} as { count: AnyActorRef; message: string } },
      actors: { failing: fromPromise(() => Promise.reject(new Error("An error occurred"))) },
    }).createMachine({
      context: ({ spawn }) => ({ count: spawn("failing", { id: "test" }), message: "" }),
      initial: "pending",
      states: {
        pending: { on: { "xstate.error.actor.test": { target: "success", actions: assign({ message: ({ event }) => (event.error as Error).message }) } } },
        success: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "actor.test.ts › actors › should be able to spawn machines in (lazy) initial context (the child named in setup)",
    machine: setup({ types: { context: {} as { ref: AnyActorRef } }, actors: { childMachine: createMachine({ entry: sendParent({ type: "TEST" }) }) } }).createMachine({
      context: ({ spawn }) => ({ ref: spawn("childMachine") }),
      initial: "waiting",
      states: { waiting: { on: { TEST: "success" } }, success: { type: "final" } },
    }),
    steps: [],
  },
  {
    from: "actor.test.ts › actors › should not crash on child machine sync completion during self-initialization (the child named in setup)",
    machine: setup({
      types: { context: {} as { child: AnyActorRef | null } },
      actors: { childMachine: createMachine({ initial: "idle", states: { idle: { always: [{ target: "stopped" }] }, stopped: { type: "final" } } }) },
      actions: { setup: assign({ child: ({ spawn }) => spawn("childMachine") }) },
    }).createMachine({ context: { child: null }, entry: "setup", on: { PING: {} } }),
    steps: [{ send: { type: "PING" } }],
  },
  {
    from: "actor.test.ts › actors › should not crash on child promise-like sync completion during self-initialization (named in setup)",
    machine: setup({
      types: { context: {} as { child: AnyActorRef | null } },
      actors: { promiseLike: fromPromise(() => ({ then: (fn: (value: null) => void) => fn(null) }) as unknown as Promise<null>) },
    }).createMachine({
      context: { child: null },
      entry: assign({ child: ({ spawn }) => spawn("promiseLike") }),
      on: { PING: {} },
    }),
    steps: [{ send: { type: "PING" } }],
  },
  {
    from: "actor.test.ts › actors › should be able to restart a spawned actor within a single macrostep (numbered child machines for the callbacks)",
    machine: restartInOneStep("callback-1", "callback-2", "ref"),
    steps: [{ send: { type: "update" } }, { send: { type: "PING" } }],
  },
  {
    from: "actor.test.ts › actors › should be able to restart a named spawned actor within a single macrostep when stopping by a ref (numbered child machines)",
    machine: restartInOneStep("my_name", "my_name", "ref"),
    steps: [{ send: { type: "update" } }, { send: { type: "PING" } }],
  },
  {
    from: "actor.test.ts › actors › should be able to restart a named spawned actor within a single macrostep when stopping by static name (numbered child machines)",
    machine: restartInOneStep("my_name", "my_name", "name"),
    steps: [{ send: { type: "update" } }, { send: { type: "PING" } }],
  },
  {
    from: "actor.test.ts › actors › should be able to restart a named spawned actor within a single macrostep when stopping by resolved name (numbered child machines)",
    machine: restartInOneStep("my_name", "my_name", "resolved name"),
    steps: [{ send: { type: "update" } }, { send: { type: "PING" } }],
  },
  {
    from: "actor.test.ts › actors › should be possible to pass `self` as input to a child machine from within the context factory (GREETs counted; the child greets again later)",
    machine: setup({
      types: { context: {} as { childRef: AnyActorRef; greets: number } },
      actors: {
        child: setup({ types: { context: {} as { parent: AnyActorRef }, input: {} as { parent: AnyActorRef } } }).createMachine({
          context: ({ input }) => ({ parent: input.parent }),
          entry: sendTo(({ context }) => context.parent, { type: "GREET" }),
          on: { AGAIN: { actions: sendTo(({ context }) => context.parent, { type: "GREET" }) } },
        }),
      },
    }).createMachine({
      context: ({ spawn, self }) => ({ childRef: spawn("child", { input: { parent: self } }), greets: 0 }),
      on: { GREET: { actions: assign({ greets: ({ context }) => context.greets + 1 }) }, AGAIN: { actions: sendTo(({ context }) => context.childRef, { type: "AGAIN" }) } },
    }),
    steps: [{ send: { type: "AGAIN" } }],
  },
  {
    from: "actor.test.ts › actors › catches errors from spawned promise actors (the promise named in setup)",
    machine: setup({
      actors: {
        failing: fromPromise(async () => {
          throw new Error("uh oh");
        }),
      },
    }).createMachine({
      on: {
        event: {
          actions: assign(({ spawn }) => {
            spawn("failing");
            return {};
          }),
        },
      },
    }),
    steps: [{ send: { type: "event" } }],
  },
  {
    from: "actor.test.ts › actors › same-position invokes should not leak between machines (the output kept in context)",
    machine: createMachine({
      types: {} as { context: { output: unknown } },
      context: { output: null },
      invoke: { src: fromPromise(async () => "foo"), onDone: { actions: assign({ output: ({ event }) => event.output }) } },
    }),
    steps: [],
  },
];

// input.test.ts -------------------------------------------------------------------------------

/** Tells its parent the greeting of its context and of its initial event's input. */
const greetingChild = setup({ types: { input: {} as { greeting: string }, context: {} as { greeting: string } } }).createMachine({
  context: ({ input }) => input,
  entry: sendParent(({ context, event }) => ({ type: "GREETING", fromContext: context.greeting, fromEvent: (event as unknown as { input: { greeting: string } }).input.greeting })),
});

/** Tells its parent the input it was created with. */
const inputReporter = createMachine({
  types: {} as { input: number; context: { input: number } },
  context: ({ input }) => ({ input }),
  entry: sendParent(({ context }) => ({ type: "INPUT", input: context.input })),
});

const inputTests: FidelityCase[] = [
  {
    from: "input.test.ts › should create a machine with input (the entry action emits the count)",
    machine: setup({ types: { context: {} as { count: number }, input: {} as { startCount: number } } }).createMachine({
      context: ({ input }) => ({ count: input.startCount }),
      entry: emit(({ context }) => ({ type: "count", count: context.count })),
    }),
    input: { startCount: 42 },
    steps: [],
  },
  {
    from: "input.test.ts › initial event should have input property (kept in context)",
    machine: createMachine({
      types: {} as { context: { greeting: string } },
      context: { greeting: "" },
      entry: assign({ greeting: ({ event }) => (event as unknown as { input: { greeting: string } }).input.greeting }),
    }),
    input: { greeting: "hello" },
    steps: [],
  },
  {
    from: "input.test.ts › should error if input is expected but not provided",
    machine: setup({ types: { input: {} as { greeting: string }, context: {} as { message: string } } }).createMachine({
      context: ({ input }) => ({ message: `Hello, ${input.greeting}` }),
    }),
    steps: [],
  },
  {
    from: "input.test.ts › should provide input data to invoked machines (the child reports its greeting)",
    machine: setup({ types: { context: {} as { greetings: unknown[] } }, actors: { greetingChild } }).createMachine({
      context: { greetings: [] },
      invoke: { src: "greetingChild", input: { greeting: "hello" } },
      on: { GREETING: { actions: assign({ greetings: ({ context, event }) => [...context.greetings, { fromContext: event.fromContext, fromEvent: event.fromEvent }] }) } },
    }),
    steps: [],
  },
  {
    from: "input.test.ts › should provide input data to spawned machines (the child reports its greeting)",
    machine: setup({ types: { context: {} as { greetings: unknown[]; ref?: AnyActorRef } }, actors: { greetingChild } }).createMachine({
      context: { greetings: [] },
      entry: assign(({ spawn }) => ({ ref: spawn("greetingChild", { input: { greeting: "hello" } }) })),
      on: { GREETING: { actions: assign({ greetings: ({ context, event }) => [...context.greetings, { fromContext: event.fromContext, fromEvent: event.fromEvent }] }) } },
    }),
    steps: [],
  },
  {
    from: "input.test.ts › should provide a static inline input to the referenced actor (the child reports it)",
    machine: setup({ types: { context: {} as { inputs: unknown[] } }, actors: { child: inputReporter } }).createMachine({
      context: { inputs: [] },
      invoke: { src: "child", input: 42 },
      on: { INPUT: { actions: assign({ inputs: ({ context, event }) => [...context.inputs, event.input] }) } },
    }),
    steps: [],
  },
  {
    from: "input.test.ts › should provide a dynamic inline input to the referenced actor (the child reports it)",
    machine: setup({ types: { context: {} as { count: number; inputs: unknown[] }, input: {} as number }, actors: { child: inputReporter } }).createMachine({
      context: ({ input }) => ({ count: input, inputs: [] }),
      invoke: { src: "child", input: ({ context }) => context.count + 100 },
      on: { INPUT: { actions: assign({ inputs: ({ context, event }) => [...context.inputs, event.input] }) } },
    }),
    input: 42,
    steps: [],
  },
  {
    from: "input.test.ts › should call the input factory with self when spawning (the child says HELLO to the self it was given, at its start and again later)",
    machine: setup({
      types: { context: {} as { hellos: number } },
      actors: {
        child: setup({ types: { input: {} as { parent: AnyActorRef }, context: {} as { parent: AnyActorRef } } }).createMachine({
          context: ({ input }) => ({ parent: input.parent }),
          entry: sendTo(({ context }) => context.parent, { type: "HELLO" }),
          on: { AGAIN: { actions: sendTo(({ context }) => context.parent, { type: "HELLO" }) } },
        }),
      },
    }).createMachine({
      context: { hellos: 0 },
      entry: spawnChild("child", { id: "child", input: ({ self }) => ({ parent: self }) }),
      on: { HELLO: { actions: assign({ hellos: ({ context }) => context.hellos + 1 }) }, AGAIN: { actions: sendTo("child", { type: "AGAIN" }) } },
    }),
    steps: [{ send: { type: "AGAIN" } }],
  },
];

export const invokeCases: FidelityCase[] = [...invokeTests, ...spawnTests, ...systemTests, ...rehydrationTests, ...actorTests, ...inputTests];
