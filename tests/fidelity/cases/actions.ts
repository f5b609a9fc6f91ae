// Cases ported from XState's own tests (packages/core/test/): see tests/fidelity/case.ts.
// actions, assign, emit, guards, transient (eventless), event descriptors, stateIn and internal
// transitions. What those tests record in an outside array or a spy is emitted here
// (`emit`), so the harness sees it, in order, after the step that caused it; what they read
// from the snapshot is compared as it is.
import {
  and,
  assertEvent,
  assign,
  cancel,
  createMachine,
  emit,
  enqueueActions,
  forwardTo,
  not,
  or,
  raise,
  sendParent,
  sendTo,
  setup,
  spawnChild,
  stateIn,
  stopChild,
  type AnyActorRef,
  type EventObject,
} from "xstate";
import type { FidelityCase, Step } from "../case.ts";

type Config = Record<string, any>;

/** A step sending `event`, which may carry fields of its own. */
const send = (event: { type: string; [field: string]: unknown }): Step => ({ send: event });
const list = (actions: unknown): unknown[] => (actions === undefined ? [] : Array.isArray(actions) ? actions : [actions]);

/**
 * XState's `trackEntries` (test/utils.ts) as emitted events: every state node emits
 * `{ type: "enter" | "exit", state: <path> }` first thing when it is entered or exited
 * (the root is `__root__`).
 */
function tracked(config: Config, path = ""): Config {
  const state = path || "__root__";
  const states = config.states
    ? Object.fromEntries(Object.entries(config.states as Record<string, Config>).map(([key, child]) => [key, tracked(child, path ? `${path}.${key}` : key)]))
    : undefined;
  return {
    ...config,
    entry: [emit({ type: "enter", state }), ...list(config.entry)],
    exit: [emit({ type: "exit", state }), ...list(config.exit)],
    ...(states ? { states } : {}),
  };
}

/** A machine whose every state reports its entries and exits (see `tracked`). */
const trackedMachine = (config: Config) => createMachine(tracked(config) as any);

/** Says `{ type: "did", what }`: the emitted stand-in for a spy or an `actual.push(what)`. */
const did = (what: string) => emit({ type: "did", what });

/** A child that answers each PING with a PONG naming itself. */
const answering = (name: string) => createMachine({ on: { PING: { actions: sendParent({ type: "PONG", from: name }) } } });

/** A parent's context that lists who answered. */
const pongs: any = { PONG: { actions: assign({ pongs: ({ context, event }: any) => [...context.pongs, event.from] }) } };

// ─── assign.test.ts ─────────────────────────────────────────────────────────────────────

/** The counter of assign.test.ts, its starting context given as input. */
const counterMachine = () =>
  setup({
    types: { context: {} as { count: number; foo: string; maybe?: string }, input: {} as { count?: number; foo?: string } | undefined },
  }).createMachine({
    initial: "counting",
    context: ({ input }) => ({ count: 0, foo: "bar", ...input }),
    states: {
      counting: {
        on: {
          INC: [{ target: "counting", actions: assign(({ context }) => ({ count: context.count + 1 })) }],
          DEC: [{ target: "counting", actions: [assign({ count: ({ context }) => context.count - 1 })] }],
          WIN_PROP: [{ target: "counting", actions: [assign({ count: () => 100, foo: () => "win" })] }],
          WIN_STATIC: [{ target: "counting", actions: [assign({ count: 100, foo: "win" })] }],
          WIN_MIX: [{ target: "counting", actions: [assign({ count: () => 100, foo: "win" })] }],
          WIN: [{ target: "counting", actions: [assign(() => ({ count: 100, foo: "win" }))] }],
          SET_MAYBE: [{ actions: [assign({ maybe: "defined" })] }],
        },
      },
    },
  });

const assignCases: FidelityCase[] = [
  {
    from: "assign.test.ts › applies the assignment to the external state (property assignment, then a function assignment)",
    machine: counterMachine(),
    steps: [send({ type: "DEC" }), send({ type: "DEC" }), send({ type: "INC" }), send({ type: "INC" }), send({ type: "INC" })],
  },
  {
    from: "assign.test.ts › applies the assignment to multiple properties (property, static, static + prop, whole; a DEC between each)",
    machine: counterMachine(),
    steps: [
      send({ type: "WIN_PROP" }),
      send({ type: "DEC" }),
      send({ type: "WIN_STATIC" }),
      send({ type: "DEC" }),
      send({ type: "WIN_MIX" }),
      send({ type: "DEC" }),
      send({ type: "WIN" }),
    ],
  },
  {
    from: "assign.test.ts › applies the assignment to the explicit external state (the starting context given as input)",
    machine: counterMachine(),
    input: { count: 50, foo: "bar" },
    steps: [send({ type: "DEC" }), send({ type: "DEC" }), send({ type: "INC" }), send({ type: "INC" }), send({ type: "INC" })],
  },
  {
    from: "assign.test.ts › should maintain state after unhandled event, then sets undefined properties",
    machine: counterMachine(),
    steps: [send({ type: "FAKE_EVENT" }), send({ type: "SET_MAYBE" }), send({ type: "FAKE_EVENT" })],
  },
  {
    from: "assign.test.ts › can assign from event",
    machine: setup({ types: { context: {} as { count: number }, events: {} as { type: "INC"; value: number } } }).createMachine({
      initial: "active",
      context: { count: 0 },
      states: { active: { on: { INC: { actions: assign({ count: ({ event }) => event.value }) } } } },
    }),
    steps: [send({ type: "INC", value: 30 }), send({ type: "INC", value: 7 })],
  },
  {
    from: "assign.test.ts › assign meta › should provide the parametrized action to the assigner (and to the partial assigner)",
    machine: setup({
      types: { context: {} as { count: number; other: number } },
      actions: {
        inc: assign(({ context }, params: { by: number }) => ({ count: context.count + params.by })),
        incOther: assign({ other: ({ context }, params: { by: number }) => context.other + params.by }),
      },
    }).createMachine({
      context: { count: 1, other: 1 },
      entry: [{ type: "inc", params: { by: 10 } }, { type: "incOther", params: { by: 5 } }],
      on: { EVENT: { actions: [{ type: "inc", params: { by: 100 } }, { type: "incOther", params: { by: 50 } }] } },
    }),
    steps: [send({ type: "EVENT" })],
  },
];

// ─── emit.test.ts ───────────────────────────────────────────────────────────────────────

const emitCases: FidelityCase[] = [
  {
    from: "emit.test.ts › emits events that can be listened to on actorRef.on(…)",
    machine: setup({ types: { emitted: {} as { type: "emitted"; foo: string } } }).createMachine({
      on: { someEvent: { actions: emit({ type: "emitted", foo: "bar" }) } },
    }),
    steps: [send({ type: "someEvent" }), send({ type: "other" }), send({ type: "someEvent" })],
  },
  {
    from: "emit.test.ts › enqueue.emit(…) emits events that can be listened to on actorRef.on(…)",
    machine: setup({ types: { emitted: {} as { type: "emitted"; foo: string } | { type: "unknown" } } }).createMachine({
      on: {
        someEvent: {
          actions: enqueueActions(({ enqueue }) => {
            enqueue.emit({ type: "emitted", foo: "bar" });
            enqueue.emit({ type: "unknown" });
          }),
        },
      },
    }),
    steps: [send({ type: "someEvent" })],
  },
  {
    from: "emit.test.ts › dynamically emits events that can be listened to on actorRef.on(…) (the count then changes)",
    machine: setup({ types: { context: {} as { count: number } } }).createMachine({
      context: { count: 10 },
      on: {
        someEvent: { actions: emit(({ context }) => ({ type: "emitted", count: context.count })) },
        inc: { actions: assign({ count: ({ context }) => context.count + 1 }) },
      },
    }),
    steps: [send({ type: "someEvent" }), send({ type: "inc" }), send({ type: "someEvent" })],
  },
  {
    from: "emit.test.ts › listener should be able to read the updated snapshot of the emitting actor",
    machine: createMachine({
      initial: "a",
      states: { a: { on: { ev: { actions: emit({ type: "someEvent" }), target: "b" } } }, b: {} },
    }),
    steps: [send({ type: "ev" })],
  },
  {
    from: "emit.test.ts › wildcard listeners should be able to receive all emitted events (emitted by entry, exit, transition and a final state)",
    machine: createMachine({
      initial: "a",
      entry: emit({ type: "rootEntered" }),
      exit: emit({ type: "rootExited" }),
      states: {
        a: { exit: emit({ type: "anotherEmitted" }), on: { event: { target: "done", actions: emit({ type: "emitted" }) } } },
        done: { type: "final", entry: emit({ type: "finalEntered" }) },
      },
    }),
    steps: [send({ type: "event" })],
  },
];

// ─── guards.test.ts ─────────────────────────────────────────────────────────────────────

type LightEvent = { type: "TIMER" } | { type: "EMERGENCY"; isEmergency?: boolean } | { type: "TIMER_COND_OBJ" } | { type: "BAD_COND" };

/** The light machine of guards.test.ts; `elapsed` comes from input. */
const lightMachine = () =>
  createMachine(
    {
      types: {} as { input: { elapsed?: number } | undefined; context: { elapsed: number }; events: LightEvent },
      context: ({ input }) => ({ elapsed: input?.elapsed ?? 0 }),
      initial: "green",
      states: {
        green: {
          on: {
            TIMER: [
              { target: "green", guard: ({ context: { elapsed } }) => elapsed < 100 },
              { target: "yellow", guard: ({ context: { elapsed } }) => elapsed >= 100 && elapsed < 200 },
            ],
            EMERGENCY: { target: "red", guard: ({ event }) => !!event.isEmergency },
          },
        },
        yellow: {
          on: {
            TIMER: { target: "red", guard: "minTimeElapsed" },
            TIMER_COND_OBJ: { target: "red", guard: { type: "minTimeElapsed" } },
          },
        },
        red: { on: { BAD_COND: { target: "red", guard: "doesNotExist" } } },
      },
    },
    { guards: { minTimeElapsed: ({ context: { elapsed } }: { context: { elapsed: number } }) => elapsed >= 100 && elapsed < 200 } as any },
  );

/** Guards whose result says whether they were given these params, so a target shows it. */
const paramsGuards = setup({
  guards: {
    paramsUndefined: (_, params: unknown) => params === undefined,
    secretIs42: (_, params: { secret: number }) => params?.secret === 42,
    stuffIs100: (_, params: { stuff: number }) => params?.stuff === 100,
  },
});

const guardCases: FidelityCase[] = [
  {
    from: "guards.test.ts › should transition only if condition is met; should (not) transition if condition based on event is (not) met (elapsed 50)",
    machine: lightMachine(),
    input: { elapsed: 50 },
    steps: [send({ type: "TIMER" }), send({ type: "EMERGENCY" }), send({ type: "EMERGENCY", isEmergency: true })],
  },
  {
    from: "guards.test.ts › should work with defined string transitions, then should throw if string transition is not defined (elapsed 120)",
    machine: lightMachine(),
    input: { elapsed: 120 },
    steps: [send({ type: "TIMER" }), send({ type: "TIMER" }), send({ type: "BAD_COND" })],
  },
  {
    from: "guards.test.ts › should work with guard objects (elapsed 150)",
    machine: lightMachine(),
    input: { elapsed: 150 },
    steps: [send({ type: "TIMER" }), send({ type: "TIMER_COND_OBJ" })],
  },
  {
    from: "guards.test.ts › should not transition if no condition is met (entries tracked)",
    machine: trackedMachine({
      initial: "a",
      states: {
        a: {
          on: {
            TIMER: [
              { target: "b", guard: ({ event }: any) => event.elapsed > 200 },
              { target: "c", guard: ({ event }: any) => event.elapsed > 100 },
            ],
          },
        },
        b: {},
        c: {},
      },
    }),
    steps: [send({ type: "TIMER", elapsed: 10 }), send({ type: "TIMER", elapsed: 150 })],
  },
  {
    from: "guards.test.ts › should throw for guards with missing predicates",
    machine: createMachine({
      id: "invalid-predicate",
      initial: "active",
      states: { active: { on: { EVENT: { target: "inactive", guard: "missing-predicate" } } }, inactive: {} },
    }),
    steps: [send({ type: "EVENT" })],
  },
  {
    from: "guards.test.ts › should guard against transition (parallel, guards and an eventless guard that fail)",
    machine: createMachine({
      type: "parallel",
      states: {
        A: { initial: "A2", states: { A0: {}, A2: {} } },
        B: {
          initial: "B0",
          states: {
            B0: { always: [{ target: "B4", guard: () => false }], on: { T1: [{ target: "B1", guard: () => false }] } },
            B1: {},
            B4: {},
          },
        },
      },
    }),
    steps: [send({ type: "T1" })],
  },
  {
    from: "guards.test.ts › should allow a matching transition (stateIn the other region)",
    machine: createMachine({
      type: "parallel",
      states: {
        A: { initial: "A2", states: { A0: {}, A2: {} } },
        B: {
          initial: "B0",
          states: {
            B0: { always: [{ target: "B4", guard: () => false }], on: { T2: [{ target: "B2", guard: stateIn("A.A2") }] } },
            B1: {},
            B2: {},
            B4: {},
          },
        },
      },
    }),
    steps: [send({ type: "T2" })],
  },
  {
    from: "guards.test.ts › should check guards with interim states",
    machine: createMachine({
      type: "parallel",
      states: {
        A: { initial: "A2", states: { A2: { on: { A: "A3" } }, A3: { always: "A4" }, A4: { always: "A5" }, A5: {} } },
        B: { initial: "B0", states: { B0: { always: [{ target: "B4", guard: stateIn("A.A4") }] }, B4: {} } },
      },
    }),
    steps: [send({ type: "A" })],
  },
  {
    from: "guards.test.ts › custom guards › should evaluate custom guards (fails with 3, passes with 4)",
    machine: setup({
      types: { context: {} as { count: number }, events: {} as { type: "EVENT"; value: number } },
      guards: {
        custom: ({ context, event }, params: { prop: "count"; op: "greaterThan"; compare: number }) =>
          params.op === "greaterThan" ? context[params.prop] + event.value > params.compare : false,
      },
    }).createMachine({
      initial: "inactive",
      context: { count: 0 },
      states: {
        inactive: { on: { EVENT: { target: "active", guard: { type: "custom", params: { prop: "count", op: "greaterThan", compare: 3 } } } } },
        active: {},
      },
    }),
    steps: [send({ type: "EVENT", value: 3 }), send({ type: "EVENT", value: 4 })],
  },
  {
    from: "guards.test.ts › custom guards › should provide the undefined params if a guard was configured using a string (the guard's answer shows it)",
    machine: paramsGuards.createMachine({ initial: "a", states: { a: { on: { FOO: { target: "b", guard: "paramsUndefined" } } }, b: {} } }),
    steps: [send({ type: "FOO" })],
  },
  {
    from: "guards.test.ts › custom guards › should provide the guard with resolved params when they are dynamic; using context value; using event value",
    machine: setup({
      types: { context: {} as { secret: number } },
      guards: {
        stuffIs100: (_, params: { stuff: number }) => params.stuff === 100,
        secretIs42: (_, params: { secret: number }) => params.secret === 42,
      },
    }).createMachine({
      context: { secret: 42 },
      initial: "a",
      states: {
        a: { on: { FOO: { target: "b", guard: { type: "stuffIs100", params: () => ({ stuff: 100 }) } } } },
        b: { on: { FOO: { target: "c", guard: { type: "secretIs42", params: ({ context }) => ({ secret: context.secret }) } } } },
        c: { on: { FOO: { target: "d", guard: { type: "secretIs42", params: ({ event }) => ({ secret: (event as any).secret }) } } } },
        d: {},
      },
    }),
    steps: [send({ type: "FOO" }), send({ type: "FOO" }), send({ type: "FOO", secret: 77 }), send({ type: "FOO", secret: 42 })],
  },
  {
    from: "guards.test.ts › custom guards › a guard referenced by a referenced not/and gets its own params, undefined when named by string",
    machine: createMachine(
      {
        initial: "a",
        states: {
          a: { on: { FOO: { target: "b", guard: { type: "notOwn42", params: "foo" } } } },
          b: { on: { FOO: { target: "c", guard: { type: "andUndefined", params: "foo" } } } },
          c: { on: { FOO: { target: "d", guard: { type: "notInlineUndefined", params: "foo" } } } },
          d: {},
        },
      },
      {
        guards: {
          isNot42: (_: unknown, params: unknown) => params !== 42,
          paramsUndefined: (_: unknown, params: unknown) => params === undefined,
          notOwn42: not({ type: "isNot42", params: 42 }),
          andUndefined: and(["paramsUndefined", (_: unknown, params: unknown) => params === undefined]),
          notInlineUndefined: not((_: unknown, params: unknown) => params !== undefined),
        } as any,
      },
    ),
    steps: [send({ type: "FOO" }), send({ type: "FOO" }), send({ type: "FOO" })],
  },
  {
    from: "guards.test.ts › referencing guards › a composite guard referencing other guards recursively; referenced guards resolved recursively (ref1 → ref2 → ref3)",
    machine: createMachine(
      {
        initial: "a",
        states: {
          a: { on: { EVENT: { target: "b", guard: "referenced" } } },
          b: { on: { EVENT: { target: "c", guard: "ref1" } } },
          c: { on: { EVENT: { target: "d", guard: "inlineOnly" } } },
          d: {},
        },
      },
      {
        guards: {
          truthy: () => true,
          falsy: () => false,
          referenced: or([() => false, not("truthy"), and([not("falsy"), "truthy"])]),
          ref1: "ref2",
          ref2: "ref3",
          ref3: () => true,
          inlineOnly: not(() => false),
        } as any,
      },
    ),
    steps: [send({ type: "EVENT" }), send({ type: "EVENT" }), send({ type: "EVENT" })],
  },
  {
    from: "guards.test.ts › should allow for a fallback target to be a simple string",
    machine: createMachine({ initial: "a", states: { a: { on: { EVENT: [{ target: "b", guard: () => false }, "c"] } }, b: {}, c: {} } }),
    steps: [send({ type: "EVENT" })],
  },
  {
    from: "guards.test.ts › not()/and()/or() guard › should guard with inline functions, strings, objects and nested built-in guards",
    machine: setup({
      guards: { truthy: () => true, falsy: () => false, greaterThan10: (_, params: { value: number }) => params.value > 10 },
    }).createMachine({
      initial: "s0",
      states: {
        s0: { on: { EVENT: { target: "s1", guard: not(() => false) } } },
        s1: { on: { EVENT: { target: "s2", guard: not("falsy") } } },
        s2: { on: { EVENT: { target: "s3", guard: not({ type: "greaterThan10", params: { value: 5 } }) } } },
        s3: { on: { EVENT: { target: "s4", guard: not(and([not("truthy"), "truthy"])) } } },
        s4: { on: { EVENT: { target: "s5", guard: and([() => true, () => 1 + 1 === 2]) } } },
        s5: { on: { EVENT: { target: "s6", guard: and([{ type: "greaterThan10", params: { value: 11 } }, { type: "greaterThan10", params: { value: 50 } }]) } } },
        s6: { on: { EVENT: { target: "s7", guard: and([() => true, not("falsy"), and([not("falsy"), "truthy"])]) } } },
        s7: { on: { EVENT: { target: "s8", guard: or(["falsy", "truthy"]) } } },
        s8: { on: { EVENT: { target: "s9", guard: or([{ type: "greaterThan10", params: { value: 4 } }, { type: "greaterThan10", params: { value: 50 } }]) } } },
        s9: { on: { EVENT: { target: "blocked", guard: and(["truthy", "falsy"]) } } },
        blocked: {},
      },
    }),
    steps: [
      send({ type: "EVENT" }),
      send({ type: "EVENT" }),
      send({ type: "EVENT" }),
      send({ type: "EVENT" }),
      send({ type: "EVENT" }),
      send({ type: "EVENT" }),
      send({ type: "EVENT" }),
      send({ type: "EVENT" }),
      send({ type: "EVENT" }),
      send({ type: "EVENT" }),
    ],
  },
  {
    from: "guards.test.ts › not()/and()/or() guard › should evaluate dynamic params of the referenced guard (the guard's answer shows them)",
    machine: createMachine(
      {
        initial: "a",
        states: {
          a: { on: { EV: { target: "b", guard: and([{ type: "secretIs42", params: ({ event }: any) => ({ secret: event.secret }) }, () => true]) } } },
          b: { on: { EV: { target: "c", guard: or([{ type: "secretIs42", params: ({ event }: any) => ({ secret: event.secret }) }, () => false]) } } },
          c: { on: { EV: { target: "d", guard: not({ type: "secretIs42", params: ({ event }: any) => ({ secret: event.secret }) }) } } },
          d: {},
        },
      },
      { guards: { secretIs42: (_: unknown, params: { secret: number }) => params.secret === 42 } as any },
    ),
    steps: [
      send({ type: "EV", secret: 1 }),
      send({ type: "EV", secret: 42 }),
      send({ type: "EV", secret: 42 }),
      send({ type: "EV", secret: 42 }),
      send({ type: "EV", secret: 1 }),
    ],
  },
];

// ─── transient.test.ts ──────────────────────────────────────────────────────────────────

/** transient.test.ts: a parent invoking a timer machine whose initial eventless transition depends on its input. */
const invokesTimer = () =>
  setup({
    types: { context: {} as { customDuration: number }, input: {} as { duration: number } },
    actors: {
      timer: setup({ types: { context: {} as { duration: number }, input: {} as { duration: number } } }).createMachine({
        initial: "initial",
        context: ({ input }) => ({ duration: input.duration }),
        states: {
          initial: { always: [{ target: "finished", guard: ({ context }) => context.duration < 1000 }, { target: "active" }] },
          active: { on: { FINISH: "finished" } },
          finished: { type: "final" },
        },
      }),
    },
  }).createMachine({
    initial: "active",
    context: ({ input }) => ({ customDuration: input.duration }),
    states: {
      active: {
        invoke: { id: "timer", src: "timer", input: ({ context }) => ({ duration: context.customDuration }), onDone: "finished" },
        on: { FINISH: { actions: sendTo("timer", { type: "FINISH" }) } },
      },
      finished: {},
    },
  });

const transientCases: FidelityCase[] = [
  {
    from: "transient.test.ts › should choose the first candidate target that matches the guard",
    machine: setup({ types: { context: {} as { data: boolean } } }).createMachine({
      context: { data: false },
      initial: "G",
      states: {
        G: { on: { UPDATE_BUTTON_CLICKED: "E" } },
        E: { always: [{ target: "D", guard: ({ context: { data } }) => !data }, { target: "F", guard: () => true }] },
        D: {},
        F: {},
      },
    }),
    steps: [send({ type: "UPDATE_BUTTON_CLICKED" })],
  },
  {
    from: "transient.test.ts › should choose the final candidate without a guard if none others match",
    machine: setup({ types: { context: {} as { data: boolean } } }).createMachine({
      context: { data: true },
      initial: "G",
      states: {
        G: { on: { UPDATE_BUTTON_CLICKED: "E" } },
        E: { always: [{ target: "D", guard: ({ context: { data } }) => !data }, { target: "F" }] },
        D: {},
        F: {},
      },
    }),
    steps: [send({ type: "UPDATE_BUTTON_CLICKED" })],
  },
  {
    from: "transient.test.ts › should carry actions from previous transitions within same step",
    machine: createMachine({
      initial: "A",
      states: {
        A: { exit: did("exit_A"), on: { TIMER: { target: "T", actions: did("timer") } } },
        T: { always: [{ target: "B" }] },
        B: { entry: did("enter_B") },
      },
    }),
    steps: [send({ type: "TIMER" })],
  },
  {
    from: "transient.test.ts › should execute all internal events one after the other",
    machine: createMachine({
      type: "parallel",
      states: {
        A: { initial: "A1", states: { A1: { on: { E: "A2" } }, A2: { entry: raise({ type: "INT1" }) } } },
        B: { initial: "B1", states: { B1: { on: { E: "B2" } }, B2: { entry: raise({ type: "INT2" }) } } },
        C: {
          initial: "C1",
          states: { C1: { on: { INT1: "C2", INT2: "C3" } }, C2: { on: { INT2: "C4" } }, C3: { on: { INT1: "C4" } }, C4: {} },
        },
      },
    }),
    steps: [send({ type: "E" })],
  },
  {
    from: "transient.test.ts › should execute all eventless transitions in the same microstep",
    machine: createMachine({
      type: "parallel",
      states: {
        A: {
          initial: "A1",
          states: { A1: { on: { E: "A2" } }, A2: { always: "A3" }, A3: { always: { target: "A4", guard: stateIn({ B: "B3" }) } }, A4: {} },
        },
        B: {
          initial: "B1",
          states: {
            B1: { on: { E: "B2" } },
            B2: { always: { target: "B3", guard: stateIn({ A: "A2" }) } },
            B3: { always: { target: "B4", guard: stateIn({ A: "A3" }) } },
            B4: {},
          },
        },
      },
    }),
    steps: [send({ type: "E" })],
  },
  {
    from: "transient.test.ts › should check for automatic transitions even after microsteps are done",
    machine: createMachine({
      type: "parallel",
      states: {
        A: { initial: "A1", states: { A1: { on: { A: "A2" } }, A2: {} } },
        B: { initial: "B1", states: { B1: { always: { target: "B2", guard: stateIn({ A: "A2" }) } }, B2: {} } },
        C: { initial: "C1", states: { C1: { always: { target: "C2", guard: stateIn({ A: "A2" }) } }, C2: {} } },
      },
    }),
    steps: [send({ type: "A" })],
  },
  {
    from: "transient.test.ts › should determine the resolved state from an initial transient state (greeting machine: CHANGE, RECHECK)",
    machine: setup({ types: { context: {} as { hour: number } } }).createMachine({
      id: "greeting",
      initial: "pending",
      context: { hour: 10 },
      states: {
        pending: {
          always: [
            { target: "morning", guard: ({ context }) => context.hour < 12 },
            { target: "afternoon", guard: ({ context }) => context.hour < 18 },
            { target: "evening" },
          ],
        },
        morning: {},
        afternoon: {},
        evening: {},
      },
      on: { CHANGE: { actions: assign({ hour: 20 }) }, RECHECK: "#greeting" },
    }),
    steps: [send({ type: "CHANGE" }), send({ type: "RECHECK" })],
  },
  {
    from: "transient.test.ts › should select eventless transition before processing raised events",
    machine: createMachine({
      initial: "a",
      states: {
        a: { on: { FOO: "b" } },
        b: { entry: raise({ type: "BAR" }), always: "c", on: { BAR: "d" } },
        c: { on: { BAR: "e" } },
        d: {},
        e: {},
      },
    }),
    steps: [send({ type: "FOO" })],
  },
  {
    from: "transient.test.ts › should not select wildcard for eventless transition",
    machine: createMachine({
      initial: "a",
      states: { a: { on: { FOO: "b" } }, b: { always: "pass", on: { "*": "fail" } }, fail: {}, pass: {} },
    }),
    steps: [send({ type: "FOO" })],
  },
  {
    from: "transient.test.ts › should work with transient transition on root",
    machine: setup({ types: { context: {} as { count: number } } }).createMachine({
      id: "machine",
      initial: "first",
      context: { count: 0 },
      states: { first: { on: { ADD: { actions: assign({ count: ({ context }) => context.count + 1 }) } } }, success: { type: "final" } },
      always: [{ target: ".success", guard: ({ context }) => context.count > 0 }],
    }),
    steps: [send({ type: "ADD" })],
  },
  {
    from: "transient.test.ts › shouldn't crash when invoking a machine with initial transient transition depending on custom data (duration 3000 as input; the child is finished by an event; onDone added)",
    machine: invokesTimer(),
    input: { duration: 3000 },
    steps: [send({ type: "FINISH" })],
  },
  {
    from: "transient.test.ts › shouldn't crash when invoking a machine with initial transient transition depending on custom data (duration 500 as input: the child is done at once; onDone added)",
    machine: invokesTimer(),
    input: { duration: 500 },
    steps: [send({ type: "FINISH" })],
  },
  {
    from: "transient.test.ts › should select subsequent transient transitions even in absence of other transitions",
    machine: createMachine({
      initial: "a",
      states: {
        a: { always: { target: "b", guard: ({ event }) => event.type === "WHATEVER" } },
        b: { always: { target: "c", guard: () => true } },
        c: {},
      },
    }),
    steps: [send({ type: "WHATEVER" })],
  },
  {
    from: "transient.test.ts › events that trigger eventless transitions should be preserved in guards",
    machine: createMachine({
      initial: "a",
      states: {
        a: { on: { EVENT: "b" } },
        b: { always: "c" },
        c: { always: { guard: ({ event }) => event.type === "EVENT", target: "d" } },
        d: { type: "final" },
      },
    }),
    steps: [send({ type: "EVENT" })],
  },
  {
    from: "transient.test.ts › events that trigger eventless transitions should be preserved in actions",
    machine: createMachine({
      initial: "a",
      states: {
        a: { on: { EVENT: "b" } },
        b: {
          always: { target: "c", actions: emit(({ event }) => ({ type: "saw", in: "always", event })) },
          exit: emit(({ event }) => ({ type: "saw", in: "exit", event })),
        },
        c: { entry: emit(({ event }) => ({ type: "saw", in: "entry", event })) },
      },
    }),
    steps: [send({ type: "EVENT", value: 42 })],
  },
  {
    from: "transient.test.ts › should avoid infinite loops with eventless transitions (the loop starts on an event)",
    machine: createMachine({
      initial: "idle",
      options: { maxIterations: 100 },
      states: { idle: { on: { GO: "a" } }, a: { always: { target: "b" } }, b: { always: { target: "c" } }, c: { always: { target: "a" } } },
    } as any),
    steps: [send({ type: "GO" })],
  },
  {
    from: "transient.test.ts › should avoid infinite loops with raised events (the loop starts on an event)",
    machine: createMachine({
      initial: "idle",
      options: { maxIterations: 100 },
      states: {
        idle: { on: { GO: "a" } },
        a: { always: { target: "b" } },
        b: { entry: raise({ type: "EVENT" }), on: { EVENT: { target: "c" } } },
        c: { always: { target: "a" } },
      },
    } as any),
    steps: [send({ type: "GO" })],
  },
  {
    from: "transient.test.ts › shouldn't end up in an infinite loop when selecting the fallback target / a guarded target",
    machine: createMachine({
      initial: "idle",
      states: {
        idle: { on: { event: "active", other: "other" } },
        active: { initial: "a", states: { a: {}, b: {} }, always: [{ guard: () => false, target: ".a" }, { target: ".b" }], on: { back: "idle" } },
        other: { initial: "a", states: { a: {}, b: {} }, always: [{ guard: () => true, target: ".a" }, { target: ".b" }] },
      },
    }),
    steps: [send({ type: "event" }), send({ type: "back" }), send({ type: "other" })],
  },
  {
    from: "transient.test.ts › shouldn't end up in an infinite loop when executing a fire-and-forget action that doesn't change state",
    machine: createMachine({
      initial: "idle",
      states: {
        idle: { on: { event: "active" } },
        active: { initial: "a", states: { a: {} }, always: [{ actions: did("always"), target: ".a" }] },
      },
    }),
    steps: [send({ type: "event" })],
  },
  {
    from: "transient.test.ts › should loop (but not infinitely) for assign actions",
    machine: setup({ types: { context: {} as { count: number } } }).createMachine({
      context: { count: 0 },
      initial: "counting",
      states: { counting: { always: { guard: ({ context }) => context.count < 5, actions: assign({ count: ({ context }) => context.count + 1 }) } } },
    }),
    steps: [],
  },
  {
    from: "transient.test.ts › should execute an always transition after a raised transition even if that raised transition doesn't change the state",
    machine: setup({ types: { context: {} as { counter: number } } }).createMachine({
      context: { counter: 0 },
      always: { actions: emit(({ context }) => ({ type: "always", counter: context.counter })) },
      on: { EV: { actions: raise({ type: "RAISED" }) }, RAISED: { actions: assign({ counter: ({ context }) => context.counter + 1 }) } },
    }),
    steps: [send({ type: "EV" })],
  },
];

// ─── eventDescriptors.test.ts ───────────────────────────────────────────────────────────

const eventDescriptorCases: FidelityCase[] = [
  {
    from: "eventDescriptors.test.ts › should fallback to using wildcard transition definition (if specified)",
    machine: createMachine({ initial: "A", states: { A: { on: { FOO: "B", "*": "C" } }, B: {}, C: {} } }),
    steps: [send({ type: "BAR" })],
  },
  {
    from: "eventDescriptors.test.ts › should prioritize explicit descriptor even if wildcard comes first",
    machine: createMachine({ initial: "A", states: { A: { on: { "*": "fail", NEXT: "pass" } }, fail: {}, pass: {} } }),
    steps: [send({ type: "NEXT" })],
  },
  {
    from: "eventDescriptors.test.ts › should prioritize explicit descriptor even if a partial one comes first",
    machine: createMachine({ initial: "A", states: { A: { on: { "foo.*": "fail", "foo.bar": "pass" } }, fail: {}, pass: {} } }),
    steps: [send({ type: "foo.bar" })],
  },
  {
    from: "eventDescriptors.test.ts › should prioritize a longer descriptor even if the shorter one comes first",
    machine: createMachine({ initial: "A", states: { A: { on: { "foo.*": "fail", "foo.bar.*": "pass" } }, fail: {}, pass: {} } }),
    steps: [send({ type: "foo.bar.baz" })],
  },
  {
    from: "eventDescriptors.test.ts › should use a shorter descriptor if the longer one doesn't match",
    machine: createMachine({ initial: "A", states: { A: { on: { "foo.bar.*": { target: "fail", guard: () => false }, "foo.*": "pass" } }, fail: {}, pass: {} } }),
    steps: [send({ type: "foo.bar.baz" })],
  },
  {
    from: "eventDescriptors.test.ts › should fall back to wildcard descriptor when exact descriptor guard fails",
    machine: createMachine({ initial: "A", states: { A: { on: { "foo.bar": { guard: () => false, target: "fail" }, "foo.*": "pass" } }, fail: {}, pass: {} } }),
    steps: [send({ type: "foo.bar" })],
  },
  {
    from: "eventDescriptors.test.ts › should NOT support non-tokenized wildcards",
    machine: createMachine({ initial: "start", states: { start: { on: { "event*": "success" } }, success: { type: "final" } } }),
    steps: [send({ type: "event" }), send({ type: "eventually" })],
  },
  {
    from: "eventDescriptors.test.ts › should support prefix matching with wildcards (+0; a non-matching event first)",
    machine: createMachine({ initial: "start", states: { start: { on: { "event.*": "success" } }, success: { type: "final" } } }),
    steps: [send({ type: "eventually" }), send({ type: "event" })],
  },
  {
    from: "eventDescriptors.test.ts › should support prefix matching with wildcards (+1; non-matching events first)",
    machine: createMachine({ initial: "start", states: { start: { on: { "event.*": "success" } }, success: { type: "final" } } }),
    steps: [send({ type: "eventually" }), send({ type: "eventually.event" }), send({ type: "event.whatever" })],
  },
  {
    from: "eventDescriptors.test.ts › should support prefix matching with wildcards (+n, multi-prefix)",
    machine: createMachine({ initial: "start", states: { start: { on: { "event.foo.bar.*": "success" } }, success: { type: "final" } } }),
    steps: [send({ type: "event.foo.first" }), send({ type: "event.foo.bar.first.second" })],
  },
  {
    from: "eventDescriptors.test.ts › should not match infix wildcards",
    machine: createMachine({ initial: "start", states: { start: { on: { "event.*.bar.*": "success", "*.event.*": "success" } }, success: { type: "final" } } }),
    steps: [send({ type: "event.foo.bar.first.second" }), send({ type: "whatever.event" })],
  },
  {
    from: "eventDescriptors.test.ts › should not match wildcards as part of tokens",
    machine: createMachine({ initial: "start", states: { start: { on: { "event*.bar.*": "success", "*event.*": "success" } }, success: { type: "final" } } }),
    steps: [send({ type: "eventually.bar.baz" }), send({ type: "prevent.whatever" })],
  },
  {
    from: "eventDescriptors.test.ts › should allow assertEvent to use partial descriptors",
    machine: setup({
      types: { events: {} as { type: "FEEDBACK.MESSAGE"; message: string } | { type: "FEEDBACK.RATE"; rate: number } | { type: "OTHER" } },
      actions: {
        handleEvent: emit(({ event }) => {
          assertEvent(event, "FEEDBACK.*");
          return { type: "handled", event };
        }),
      },
    }).createMachine({
      initial: "listening",
      states: { listening: { on: { "FEEDBACK.*": { actions: "handleEvent" } } } },
    }),
    steps: [send({ type: "FEEDBACK.MESSAGE", message: "hello" }), send({ type: "OTHER" }), send({ type: "FEEDBACK.RATE", rate: 5 })],
  },
];

// ─── stateIn.test.ts ────────────────────────────────────────────────────────────────────

/** The `b` region of stateIn.test.ts, starting in `initial` with foo and bar as given. */
const bRegion = (initial: string, foo: string, bar: string, b1: Config = {}) => ({
  initial,
  states: {
    b1,
    b2: {
      id: "b_b2",
      type: "parallel" as const,
      states: {
        foo: { initial: foo, states: { foo1: {}, foo2: {} } },
        bar: { initial: bar, states: { bar1: { id: "bar1" }, bar2: {} } },
      },
    },
  },
});

const stateInCases: FidelityCase[] = [
  {
    from: "stateIn.test.ts › should transition if string state path matches current state value",
    machine: createMachine({
      type: "parallel",
      states: {
        a: { initial: "a1", states: { a1: { on: { EVENT2: { target: "a2", guard: stateIn({ b: "b2" }) } } }, a2: { id: "a_a2" } } },
        b: bRegion("b2", "foo2", "bar1", { on: { EVENT: { target: "b2", guard: stateIn("#a_a2") } } }),
      },
    }),
    steps: [send({ type: "EVENT2" })],
  },
  {
    from: "stateIn.test.ts › should transition if state node ID matches current state value",
    machine: createMachine({
      type: "parallel",
      states: {
        a: { initial: "a1", states: { a1: { on: { EVENT3: { target: "a2", guard: stateIn("#b_b2") } } }, a2: { id: "a_a2" } } },
        b: bRegion("b2", "foo2", "bar1"),
      },
    }),
    steps: [send({ type: "EVENT3" })],
  },
  {
    from: "stateIn.test.ts › should not transition if string state path does not match current state value",
    machine: createMachine({
      type: "parallel",
      states: {
        a: { initial: "a1", states: { a1: { on: { EVENT1: { target: "a2", guard: stateIn("b.b2") } } }, a2: { id: "a_a2" } } },
        b: bRegion("b1", "foo1", "bar1"),
      },
    }),
    steps: [send({ type: "EVENT1" })],
  },
  {
    from: "stateIn.test.ts › matching should be relative to grandparent (match)",
    machine: createMachine({
      type: "parallel",
      states: {
        a: { initial: "a1", states: { a1: {}, a2: { id: "a_a2" } } },
        b: {
          initial: "b2",
          states: {
            b1: {},
            b2: {
              id: "b_b2",
              type: "parallel",
              states: {
                foo: { initial: "foo1", states: { foo1: { on: { EVENT_DEEP: { target: "foo2", guard: stateIn("#bar1") } } }, foo2: {} } },
                bar: { initial: "bar1", states: { bar1: { id: "bar1" }, bar2: {} } },
              },
            },
          },
        },
      },
    }),
    steps: [send({ type: "EVENT_DEEP" })],
  },
  {
    from: "stateIn.test.ts › matching should be relative to grandparent (no match)",
    machine: createMachine({
      type: "parallel",
      states: {
        a: { initial: "a1", states: { a1: {}, a2: { id: "a_a2" } } },
        b: {
          initial: "b2",
          states: {
            b1: {},
            b2: {
              id: "b_b2",
              type: "parallel",
              states: {
                foo: { initial: "foo1", states: { foo1: { on: { EVENT_DEEP: { target: "foo2", guard: stateIn("#bar1") } } }, foo2: {} } },
                bar: { initial: "bar2", states: { bar1: { id: "bar1" }, bar2: {} } },
              },
            },
          },
        },
      },
    }),
    steps: [send({ type: "EVENT_DEEP" })],
  },
  {
    from: "stateIn.test.ts › should work to forbid events",
    machine: createMachine({
      initial: "green",
      states: {
        green: { on: { TIMER: "yellow" } },
        yellow: { on: { TIMER: "red" } },
        red: {
          initial: "walk",
          states: { walk: { on: { TIMER: "wait" } }, wait: { on: { TIMER: "stop" } }, stop: {} },
          on: { TIMER: [{ target: "green", guard: stateIn({ red: "stop" }) }] },
        },
      },
    }),
    steps: [send({ type: "TIMER" }), send({ type: "TIMER" }), send({ type: "TIMER" }), send({ type: "TIMER" }), send({ type: "TIMER" })],
  },
  {
    from: "stateIn.test.ts › should be possible to use a referenced `stateIn` guard",
    machine: createMachine(
      {
        type: "parallel",
        states: { selected: {}, location: { initial: "home", states: { home: { on: { NEXT: { target: "success", guard: "hasSelection" } } }, success: {} } } },
      },
      { guards: { hasSelection: stateIn("selected") } as any },
    ),
    steps: [send({ type: "NEXT" })],
  },
  {
    from: "stateIn.test.ts › should be possible to check an ID with a path",
    machine: createMachine({
      type: "parallel",
      states: {
        A: { initial: "A1", states: { A1: { on: { MY_EVENT: { guard: stateIn("#b.B1"), actions: did("MY_EVENT") } } } } },
        B: { id: "b", initial: "B1", states: { B1: {} } },
      },
    }),
    steps: [send({ type: "MY_EVENT" })],
  },
];

// ─── internalTransitions.test.ts ────────────────────────────────────────────────────────

const internalTransitionCases: FidelityCase[] = [
  {
    from: "internalTransitions.test.ts › parent state should enter child state without re-entering self",
    machine: trackedMachine({ initial: "foo", states: { foo: { initial: "a", states: { a: {}, b: {} }, on: { CLICK: ".b" } } } }),
    steps: [send({ type: "CLICK" })],
  },
  {
    from: "internalTransitions.test.ts › parent state should re-enter self upon transitioning to child state if transition is reentering",
    machine: trackedMachine({ initial: "foo", states: { foo: { initial: "left", states: { left: {}, right: {} }, on: { NEXT: { target: ".right", reenter: true } } } } }),
    steps: [send({ type: "NEXT" })],
  },
  {
    from: "internalTransitions.test.ts › parent state should only exit/reenter if there is an explicit self-transition",
    machine: trackedMachine({
      initial: "foo",
      states: { foo: { initial: "a", states: { a: { on: { NEXT: "b" } }, b: {} }, on: { RESET: { target: "foo", reenter: true } } } },
    }),
    steps: [send({ type: "NEXT" }), send({ type: "RESET" })],
  },
  {
    from: "internalTransitions.test.ts › parent state should only exit/reenter if there is an explicit self-transition (to child)",
    machine: trackedMachine({ initial: "foo", states: { foo: { initial: "a", states: { a: {}, b: {} }, on: { RESET_TO_B: { target: "foo.b", reenter: true } } } } }),
    steps: [send({ type: "RESET_TO_B" })],
  },
  {
    from: "internalTransitions.test.ts › should listen to events declared at top state",
    machine: createMachine({ initial: "foo", on: { CLICKED: ".bar" }, states: { foo: {}, bar: {} } }),
    steps: [send({ type: "CLICKED" })],
  },
  {
    from: "internalTransitions.test.ts › should work (on parent) with targetless transitions (in conditional array, in object); should maintain the child state",
    machine: trackedMachine({
      initial: "foo",
      on: { PARENT_ARRAY: [{ actions: [did("parent array")] }], PARENT_OBJECT: { actions: [did("parent object")] } },
      states: { foo: { on: { TARGETLESS_ARRAY: [{ actions: [did("array")] }], TARGETLESS_OBJECT: { actions: [did("object")] } } } },
    }),
    steps: [send({ type: "TARGETLESS_ARRAY" }), send({ type: "TARGETLESS_OBJECT" }), send({ type: "PARENT_ARRAY" }), send({ type: "PARENT_OBJECT" })],
  },
  {
    from: "internalTransitions.test.ts › should reenter (and exit) proper descendants of a source state of an internal transition",
    machine: setup({ types: { context: {} as { entries: { a1: number; a11: number; a111: number }; exits: { a1: number; a11: number; a111: number } } } }).createMachine({
      context: { entries: { a1: 0, a11: 0, a111: 0 }, exits: { a1: 0, a11: 0, a111: 0 } },
      initial: "a1",
      states: {
        a1: {
          initial: "a11",
          entry: assign({ entries: ({ context }) => ({ ...context.entries, a1: context.entries.a1 + 1 }) }),
          exit: assign({ exits: ({ context }) => ({ ...context.exits, a1: context.exits.a1 + 1 }) }),
          states: {
            a11: {
              initial: "a111",
              entry: assign({ entries: ({ context }) => ({ ...context.entries, a11: context.entries.a11 + 1 }) }),
              exit: assign({ exits: ({ context }) => ({ ...context.exits, a11: context.exits.a11 + 1 }) }),
              states: {
                a111: {
                  entry: assign({ entries: ({ context }) => ({ ...context.entries, a111: context.entries.a111 + 1 }) }),
                  exit: assign({ exits: ({ context }) => ({ ...context.exits, a111: context.exits.a111 + 1 }) }),
                },
              },
            },
          },
          on: { REENTER: ".a11.a111" },
        },
      },
    }),
    steps: [send({ type: "REENTER" }), send({ type: "REENTER" })],
  },
];

// ─── actions.test.ts ────────────────────────────────────────────────────────────────────

const entryExitCases: FidelityCase[] = [
  {
    from: "actions.test.ts › should return the entry actions of an initial state (deep), then of a deep transition",
    machine: trackedMachine({
      initial: "a",
      states: { a: { initial: "a1", states: { a1: { on: { NEXT: "a2" } }, a2: {} }, on: { CHANGE: "b" } }, b: { initial: "b1", states: { b1: {} } } },
    }),
    steps: [send({ type: "NEXT" }), send({ type: "CHANGE" })],
  },
  {
    from: "actions.test.ts › should return the entry actions of an initial state (parallel)",
    machine: trackedMachine({ type: "parallel", states: { a: { initial: "a1", states: { a1: {} } }, b: { initial: "b1", states: { b1: {} } } } }),
    steps: [],
  },
  {
    from: "actions.test.ts › should return the entry and exit actions of a nested transition; should not have actions for unhandled events (deep)",
    machine: trackedMachine({ initial: "green", states: { green: { initial: "walk", states: { walk: { on: { PED_COUNTDOWN: "wait" } }, wait: {}, stop: {} } } } }),
    steps: [send({ type: "FAKE" }), send({ type: "PED_COUNTDOWN" }), send({ type: "FAKE" })],
  },
  {
    from: "actions.test.ts › should exit and enter the state for reentering self-transitions (deep)",
    machine: trackedMachine({
      initial: "green",
      states: { green: { on: { RESTART: { target: "green", reenter: true } }, initial: "walk", states: { walk: {}, wait: {}, stop: {} } } },
    }),
    steps: [send({ type: "RESTART" }), send({ type: "RESTART" })],
  },
  {
    from: "actions.test.ts › should return actions for parallel machines (exits in reverse document order)",
    machine: createMachine({
      type: "parallel",
      states: {
        a: {
          initial: "a1",
          entry: did("enter_a"),
          exit: did("exit_a"),
          states: {
            a1: { on: { CHANGE: { target: "a2", actions: [did("do_a2"), did("another_do_a2")] } }, entry: did("enter_a1"), exit: did("exit_a1") },
            a2: { entry: did("enter_a2"), exit: did("exit_a2") },
          },
        },
        b: {
          initial: "b1",
          entry: did("enter_b"),
          exit: did("exit_b"),
          states: {
            b1: { on: { CHANGE: { target: "b2", actions: did("do_b2") } }, entry: did("enter_b1"), exit: did("exit_b1") },
            b2: { entry: did("enter_b2"), exit: did("exit_b2") },
          },
        },
      },
    }),
    steps: [send({ type: "CHANGE" })],
  },
  {
    from: "actions.test.ts › should exit children of parallel state nodes",
    machine: trackedMachine({
      initial: "B",
      states: {
        A: { on: { "to-B": "B" } },
        B: { type: "parallel", on: { "to-A": "A" }, states: { C: { initial: "C1", states: { C1: {} } }, D: { initial: "D1", states: { D1: {} } } } },
      },
    }),
    steps: [send({ type: "to-A" }), send({ type: "to-B" })],
  },
  {
    from: "actions.test.ts › should reenter targeted ancestor (as it's a descendant of the transition domain)",
    machine: trackedMachine({ initial: "loaded", states: { loaded: { id: "loaded", initial: "idle", states: { idle: { on: { UPDATE: "#loaded" } } } } } }),
    steps: [send({ type: "UPDATE" })],
  },
  {
    from: "actions.test.ts › shouldn't use a referenced custom action over a builtin one when there is a naming conflict",
    machine: createMachine(
      { context: { assigned: false }, on: { EV: { actions: assign({ assigned: true }) } } },
      { actions: { "xstate.assign": emit({ type: "wrong action" }) } as any },
    ),
    steps: [send({ type: "EV" })],
  },
  {
    from: "actions.test.ts › root entry/exit actions should be called on root reentering transitions",
    machine: trackedMachine({ id: "root", on: { EVENT: { target: "#two", reenter: true } }, initial: "one", states: { one: {}, two: { id: "two" } } }),
    steps: [send({ type: "EVENT" }), send({ type: "EVENT" })],
  },
  {
    from: "actions.test.ts › should ignore same-parent state actions (sparse) › with an absolute transition",
    machine: trackedMachine({ id: "root", initial: "ping", states: { ping: { initial: "foo", states: { foo: { on: { ABSOLUTE_TACK: "#root.ping.bar" } }, bar: {} } }, pong: {} } }),
    steps: [send({ type: "ABSOLUTE_TACK" })],
  },
  {
    from: "actions.test.ts › should exit current node and enter target node when target is not a descendent or ancestor of current",
    machine: trackedMachine({
      initial: "A",
      states: { A: { initial: "A1", states: { A1: { on: { NEXT: "#sibling_descendant" } }, A2: { initial: "A2_child", states: { A2_child: { id: "sibling_descendant" } } } } } },
    }),
    steps: [send({ type: "NEXT" })],
  },
  {
    from: "actions.test.ts › should exit current node and reenter target node when target is ancestor of current",
    machine: trackedMachine({
      initial: "A",
      states: {
        A: {
          id: "ancestor",
          initial: "A1",
          states: { A1: { on: { NEXT: "A2" } }, A2: { initial: "A2_child", states: { A2_child: { on: { NEXT: "#ancestor" } } } } },
        },
      },
    }),
    steps: [send({ type: "NEXT" }), send({ type: "NEXT" })],
  },
  {
    from: "actions.test.ts › should enter all descendents when target is a descendent of the source when using an reentering transition",
    machine: trackedMachine({
      initial: "A",
      states: { A: { initial: "A1", on: { NEXT: { reenter: true, target: ".A2" } }, states: { A1: {}, A2: { initial: "A2a", states: { A2a: {} } } } } },
    }),
    steps: [send({ type: "NEXT" })],
  },
  {
    from: "actions.test.ts › should exit deep descendant during a default self-transition, then during a reentering one",
    machine: trackedMachine({
      initial: "a",
      states: { a: { on: { EV: "a", REENTER: { target: "a", reenter: true } }, initial: "a1", states: { a1: { initial: "a11", states: { a11: {} } } } } },
    }),
    steps: [send({ type: "EV" }), send({ type: "REENTER" })],
  },
  {
    from: "actions.test.ts › should not reenter leaf state during its default self-transition, but should during its reentering one",
    machine: trackedMachine({ initial: "a", states: { a: { initial: "a1", states: { a1: { on: { EV: "a1", REENTER: { target: "a1", reenter: true } } } } } } }),
    steps: [send({ type: "EV" }), send({ type: "REENTER" })],
  },
  {
    from: "actions.test.ts › should not enter exited state when targeting its ancestor and when its former descendant gets selected through initial state",
    machine: trackedMachine({ initial: "a", states: { a: { id: "parent", initial: "a1", states: { a1: { on: { EV: "a2" } }, a2: { on: { EV: "#parent" } } } } } }),
    steps: [send({ type: "EV" }), send({ type: "EV" })],
  },
  {
    from: "actions.test.ts › should not enter exited state when targeting its ancestor and when its latter descendant gets selected through initial state",
    machine: trackedMachine({ initial: "a", states: { a: { id: "parent", initial: "a2", states: { a1: { on: { EV: "#parent" } }, a2: { on: { EV: "a1" } } } } } }),
    steps: [send({ type: "EV" }), send({ type: "EV" })],
  },
  {
    from: "actions.test.ts › parallel states › should return entry action defined on parallel state",
    machine: trackedMachine({
      initial: "start",
      states: { start: { on: { ENTER_PARALLEL: "p1" } }, p1: { type: "parallel", states: { nested: { initial: "inner", states: { inner: {} } } } } },
    }),
    steps: [send({ type: "ENTER_PARALLEL" })],
  },
  {
    from: "actions.test.ts › parallel states › should reenter parallel region when a parallel state gets reentered while targeting another region",
    machine: trackedMachine({
      initial: "ready",
      states: {
        ready: {
          type: "parallel",
          on: { FOO: { target: "#cameraOff", reenter: true } },
          states: { devicesInfo: {}, camera: { initial: "on", states: { on: {}, off: { id: "cameraOff" } } } },
        },
      },
    }),
    steps: [send({ type: "FOO" }), send({ type: "FOO" })],
  },
  {
    from: "actions.test.ts › targetless transitions › shouldn't exit a state on a parent's targetless transition",
    machine: trackedMachine({ initial: "one", on: { WHATEVER: { actions: did("whatever") } }, states: { one: {} } }),
    steps: [send({ type: "WHATEVER" })],
  },
  {
    from: "actions.test.ts › targetless transitions › shouldn't exit (and reenter) state on targetless delayed transition",
    machine: trackedMachine({ initial: "one", states: { one: { after: { 10: { actions: did("after 10") } } } } }),
    steps: [{ advance: 5 }, { advance: 45 }],
  },
  {
    from: "actions.test.ts › when reaching a final state › exit actions should be called when invoked machine reaches its final state (the child's exits send to its parent)",
    machine: setup({
      types: { context: {} as { exits: string[] } },
      actors: {
        child: createMachine({
          exit: sendParent({ type: "CHILD_EXIT", state: "(machine)" }),
          initial: "a",
          states: { a: { type: "final", exit: sendParent({ type: "CHILD_EXIT", state: "a" }) } },
        }),
      },
    }).createMachine({
      context: { exits: [] },
      initial: "active",
      states: { active: { invoke: { src: "child", onDone: "finished" } }, finished: {} },
      on: { CHILD_EXIT: { actions: assign({ exits: ({ context, event }) => [...context.exits, (event as any).state] }) } },
    }),
    steps: [],
  },
  {
    from: "actions.test.ts › when stopped › an exit action executed when an interpreter reaches its final state should be called with the last received event",
    machine: createMachine({
      initial: "a",
      states: { a: { on: { NEXT: "b" } }, b: { type: "final" } },
      exit: emit(({ event }) => ({ type: "rootExit", event })),
      output: ({ event }) => ({ lastEvent: event }),
    }),
    steps: [send({ type: "NEXT", extra: 1 })],
  },
];

/** Tells `context.root` (the top machine's ref, handed down as input) that STOPPED arrived. */
const grandchild = setup({ types: { context: {} as { root: AnyActorRef }, input: {} as { root: AnyActorRef } } }).createMachine({
  context: ({ input }) => ({ root: input.root }),
  on: { STOPPED: { actions: sendTo(({ context }) => context.root, { type: "GRANDCHILD_GOT_STOPPED" }) } },
});

const stoppedCases: FidelityCase[] = [
  {
    from: "actions.test.ts › when stopped › exit actions should not be called when stopping a machine (the child is stopped by its parent leaving the invoking state; its exits send to the parent)",
    machine: setup({
      types: { context: {} as { exits: number } },
      actors: { child: createMachine({ exit: sendParent({ type: "CHILD_EXIT" }), initial: "a", states: { a: { exit: sendParent({ type: "CHILD_EXIT" }) } } }) },
    }).createMachine({
      context: { exits: 0 },
      initial: "a",
      states: { a: { invoke: { src: "child" }, on: { NEXT: "b" } }, b: {} },
      on: { CHILD_EXIT: { actions: assign({ exits: ({ context }) => context.exits + 1 }) } },
    }),
    steps: [send({ type: "NEXT" })],
  },
  {
    from: "actions.test.ts › when stopped › sent events from exit handlers of a stopped child should not be received by its children (the grandchild reports to the top machine through a ref given as input)",
    machine: setup({
      types: { context: {} as { got: number } },
      actors: {
        child: setup({ types: { input: {} as { root: AnyActorRef }, context: {} as { root: AnyActorRef } }, actors: { grandchild } }).createMachine({
          context: ({ input }) => ({ root: input.root }),
          invoke: { id: "myChild", src: "grandchild", input: ({ context }) => ({ root: context.root }) },
          exit: sendTo("myChild", { type: "STOPPED" }),
        }),
      },
    }).createMachine({
      context: { got: 0 },
      initial: "a",
      states: { a: { invoke: { src: "child", input: ({ self }) => ({ root: self }) }, on: { NEXT: "b" } }, b: {} },
      on: { GRANDCHILD_GOT_STOPPED: { actions: assign({ got: ({ context }) => context.got + 1 }) } },
    }),
    steps: [send({ type: "NEXT" })],
  },
  {
    from: "actions.test.ts › when stopped › sent events from exit handlers of a done child should be received by its children (the grandchild reports to the top machine through a ref given as input)",
    machine: setup({
      types: { context: {} as { got: number; childDone: boolean } },
      actors: {
        child: setup({ types: { input: {} as { root: AnyActorRef }, context: {} as { root: AnyActorRef } }, actors: { grandchild } }).createMachine({
          context: ({ input }) => ({ root: input.root }),
          initial: "a",
          invoke: { id: "myChild", src: "grandchild", input: ({ context }) => ({ root: context.root }) },
          states: { a: { on: { FINISH: "b" } }, b: { type: "final" } },
          exit: sendTo("myChild", { type: "STOPPED" }),
        }),
      },
    }).createMachine({
      context: { got: 0, childDone: false },
      invoke: { id: "myChild", src: "child", input: ({ self }) => ({ root: self }), onDone: { actions: assign({ childDone: true }) } },
      on: {
        NEXT: { actions: sendTo("myChild", { type: "FINISH" }) },
        GRANDCHILD_GOT_STOPPED: { actions: assign({ got: ({ context }) => context.got + 1 }) },
      },
    }),
    steps: [send({ type: "NEXT" })],
  },
];

const initialActionCases: FidelityCase[] = [
  {
    from: "actions.test.ts › initial actions › should support initial actions; should execute actions of all initial transitions resolving to the initial state value",
    machine: createMachine({
      initial: { target: "a", actions: did("initialA") },
      states: { a: { entry: did("entryA"), initial: { target: "a1", actions: did("inner") }, states: { a1: { entry: did("entryA1") } } } },
    }),
    steps: [],
  },
  {
    from: "actions.test.ts › initial actions › should support initial actions from transition; only once when taking an explicit transition",
    machine: createMachine({
      initial: "a",
      states: {
        a: { on: { NEXT: "b" } },
        b: {
          entry: did("entryB"),
          initial: { target: "foo", actions: did("initial in b") },
          states: { foo: { entry: did("entryFoo"), initial: { target: "bar", actions: did("initial in foo") }, states: { bar: {} } } },
        },
      },
    }),
    steps: [send({ type: "NEXT" })],
  },
  {
    from: "actions.test.ts › initial actions › should execute actions of the initial transition when taking a root reentering self-transition",
    machine: createMachine({
      id: "root",
      initial: { target: "a", actions: did("root initial") },
      states: { a: { on: { NEXT: "b" } }, b: {} },
      on: { REENTER: { target: "#root", reenter: true } },
    }),
    steps: [send({ type: "NEXT" }), send({ type: "REENTER" })],
  },
  {
    from: "actions.test.ts › actions on invalid transition › should not recall previous actions",
    machine: createMachine({ initial: "idle", states: { idle: { on: { STOP: { target: "stop", actions: [did("stop")] } } }, stop: {} } }),
    steps: [send({ type: "STOP" }), send({ type: "INVALID" })],
  },
];

const actionsConfigCases: FidelityCase[] = [
  {
    from: "actions.test.ts › actions config › should reference actions defined in actions parameter of machine options (entry actions and initial state; an undefined one is skipped)",
    machine: createMachine({
      entry: ["definedAction", { type: "definedAction" }, "undefinedAction"],
      initial: "a",
      states: { a: { on: { EVENT: "b" } }, b: { entry: ["definedAction", { type: "definedAction" }, "undefinedAction"] } },
      on: { E: ".a" },
    }).provide({ actions: { definedAction: emit(({ event }) => ({ type: "definedAction", on: event.type })) } as any }),
    steps: [send({ type: "EVENT" }), send({ type: "E" })],
  },
  {
    from: "actions.test.ts › actions config › should be able to reference action implementations from action objects",
    machine: createMachine(
      {
        types: {} as { context: { count: number } },
        initial: "a",
        context: { count: 0 },
        states: {
          a: {
            entry: ["definedAction", { type: "definedAction" }, "undefinedAction"],
            on: { EVENT: { target: "b", actions: [{ type: "definedAction" }, { type: "updateContext" }] } },
          },
          b: {},
        },
      },
      { actions: { definedAction: did("definedAction"), updateContext: assign({ count: 10 }) } as any },
    ),
    steps: [send({ type: "EVENT" })],
  },
  {
    from: "actions.test.ts › action meta › should provide the original params; undefined params when configured as string; resolved dynamic params (static, from context, from event)",
    machine: setup({
      types: { context: {} as { secret: number } },
      actions: { entryAction: emit((_, params: unknown) => ({ type: "params", params: params === undefined ? "undefined" : params })) },
    }).createMachine({
      context: { secret: 42 },
      initial: "foo",
      states: {
        foo: {
          entry: [{ type: "entryAction", params: { value: "something" } }, "entryAction", { type: "entryAction", params: () => ({ stuff: 100 }) }],
          on: {
            FOO: {
              actions: [
                { type: "entryAction", params: ({ context }: { context: { secret: number } }) => ({ secret: context.secret }) },
                { type: "entryAction", params: ({ event }: { event: any }) => ({ secret: event.secret }) },
              ],
            },
          },
        },
      },
    }),
    steps: [send({ type: "FOO", secret: 77 })],
  },
  {
    from: "actions.test.ts › actions › should call inline/referenced builtin actions with undefined params, and a referenced one with the provided params",
    machine: setup({
      types: { context: {} as { seen: unknown[] } },
      actions: { myAction: assign(({ context }, params: unknown) => ({ seen: [...context.seen, params === undefined ? "undefined" : params] })) },
    }).createMachine({
      context: { seen: [] },
      entry: [assign(({ context }, params: unknown) => ({ seen: [...context.seen, params === undefined ? "inline undefined" : params] })), "myAction", { type: "myAction", params: { foo: "bar" } }],
      on: { FOO: { actions: assign(({ context }, params: unknown) => ({ seen: [...context.seen, params === undefined ? "transition undefined" : params] })) } },
    }),
    steps: [send({ type: "FOO" })],
  },
];

/** Lists what a custom action reported by sending `{ type: "CALLED", what }` to its own actor. */
const called = { CALLED: { actions: assign({ called: ({ context, event }: any) => [...context.called, event.what] }) } } as any;

const customActionCases: FidelityCase[] = [
  {
    from: "actions.test.ts › actions config › should work with anonymous functions (each sends to its own actor, which records it)",
    machine: setup({ types: { context: {} as { called: string[] } } }).createMachine({
      id: "anon",
      context: { called: [] },
      initial: "active",
      states: {
        active: {
          entry: ({ self }) => self.send({ type: "CALLED", what: "entry" }),
          exit: ({ self }) => self.send({ type: "CALLED", what: "exit" }),
          on: { EVENT: { target: "inactive", actions: [({ self }) => self.send({ type: "CALLED", what: "action" })] } },
        },
        inactive: {},
      },
      on: called,
    }),
    steps: [send({ type: "EVENT" })],
  },
  {
    from: "actions.test.ts › shouldn't use a referenced custom action over an inline one when there is a naming conflict (the inline one sends to its own actor)",
    machine: createMachine(
      {
        context: { called: [] as string[] },
        on: {
          // A named function, as in the original: its name must not pick the provided action.
          EV: { actions: function myFn({ self }: { self: AnyActorRef }) { self.send({ type: "CALLED", what: "inline" }); } },
          ...called,
        },
      },
      { actions: { myFn: emit({ type: "wrong action" }) } as any },
    ),
    steps: [send({ type: "EV" })],
  },
];

const forwardAndSendCases: FidelityCase[] = [
  {
    from: "actions.test.ts › forwardTo() › should forward an event to a service",
    machine: setup({
      actors: {
        child: createMachine({
          types: {} as { events: { type: "EVENT"; value: number } },
          id: "child",
          initial: "active",
          states: { active: { on: { EVENT: { actions: sendParent({ type: "SUCCESS" }), guard: ({ event }) => event.value === 42 } } } },
        }),
      },
    }).createMachine({
      id: "parent",
      initial: "first",
      states: { first: { invoke: { src: "child", id: "myChild" }, on: { EVENT: { actions: forwardTo("myChild") }, SUCCESS: "last" } }, last: { type: "final" } },
    }),
    steps: [send({ type: "EVENT", value: 41 }), send({ type: "EVENT", value: 42 })],
  },
  {
    from: "actions.test.ts › forwardTo() › should forward an event to a service (dynamic: a ref spawned into context)",
    machine: setup({
      types: { context: {} as { child?: AnyActorRef } },
      actors: {
        child: createMachine({
          types: {} as { events: { type: "EVENT"; value: number } },
          on: { EVENT: { actions: sendParent({ type: "SUCCESS" }), guard: ({ event }) => event.value === 42 } },
        }),
      },
    }).createMachine({
      id: "parent",
      initial: "first",
      context: { child: undefined },
      states: {
        first: {
          entry: assign({ child: ({ spawn }) => spawn("child", { id: "x" }) }),
          on: { EVENT: { actions: forwardTo(({ context }) => context.child!) }, SUCCESS: "last" },
        },
        last: { type: "final" },
      },
    }),
    steps: [send({ type: "EVENT", value: 42 })],
  },
  {
    from: "actions.test.ts › sendTo › should be able to send an event (from expression) to an actor (a ref spawned in the initial context; the child answers)",
    machine: setup({
      types: { context: {} as { child: AnyActorRef; count: number; got: number[] } },
      actors: { child: createMachine({ on: { EVENT: { actions: sendParent(({ event }) => ({ type: "GOT", count: (event as any).count })) } } }) },
    }).createMachine({
      context: ({ spawn }) => ({ child: spawn("child", { id: "child" }), count: 42, got: [] }),
      entry: sendTo(({ context }) => context.child, ({ context }) => ({ type: "EVENT", count: context.count })),
      on: {
        GOT: { actions: assign({ got: ({ context, event }) => [...context.got, (event as any).count] }) },
        AGAIN: { actions: [assign({ count: ({ context }) => context.count + 1 }), sendTo(({ context }) => context.child, ({ context }) => ({ type: "EVENT", count: context.count }))] },
      },
    }),
    steps: [send({ type: "AGAIN" })],
  },
  {
    from: "actions.test.ts › sendTo › should be able to send an event to a named actor (spawned in the initial context; the child answers)",
    machine: setup({ types: { context: {} as { child: AnyActorRef; pongs: string[] } }, actors: { child: answering("child") } }).createMachine({
      context: ({ spawn }) => ({ child: spawn("child", { id: "child" }), pongs: [] }),
      entry: sendTo("child", { type: "PING" }),
      on: { ...pongs, PING: { actions: sendTo("child", { type: "PING" }) } },
    }),
    steps: [send({ type: "PING" })],
  },
  {
    from: "actions.test.ts › sendTo › should be able to read from event (machines instead of callback actors; they answer)",
    machine: setup({ types: { context: {} as { foo: AnyActorRef; bar: AnyActorRef; pongs: string[] } }, actors: { foo: answering("foo"), bar: answering("bar") } }).createMachine({
      initial: "a",
      context: ({ spawn }) => ({ foo: spawn("foo", { id: "foo" }), bar: spawn("bar", { id: "bar" }), pongs: [] }),
      states: { a: { on: { EVENT: { actions: sendTo(({ context, event }) => (context as any)[(event as any).value], { type: "PING" }) } } } },
      on: pongs,
    }),
    steps: [send({ type: "EVENT", value: "foo" }), send({ type: "EVENT", value: "bar" })],
  },
  {
    from: "actions.test.ts › sendTo › should error if given a string (a machine child; sent on an event rather than on entry)",
    machine: setup({ actors: { child: createMachine({}) } }).createMachine({
      invoke: { id: "child", src: "child" },
      on: { GO: { actions: sendTo("child", "a string" as any) } },
    }),
    steps: [send({ type: "GO" })],
  },
  {
    from: "actions.test.ts › sendTo › a self-event \"handler\" of an event sent using sendTo should be able to read updated snapshot of self",
    machine: setup({ types: { context: {} as { counter: number; seen: number } } }).createMachine({
      context: { counter: 0, seen: -1 },
      initial: "a",
      states: {
        a: { on: { NEXT: "b" } },
        b: {
          entry: [assign({ counter: 1 }), sendTo(({ self }) => self, { type: "EVENT" })],
          on: { EVENT: { actions: assign({ seen: ({ self }) => (self.getSnapshot() as { context: { counter: number } }).context.counter }), target: "c" } },
        },
        c: {},
      },
    }),
    steps: [send({ type: "NEXT" }), send({ type: "EVENT" })],
  },
  {
    from: "actions.test.ts › sendTo › should not attempt to deliver a delayed event to the spawned actor's ID that was stopped since the event was scheduled (children answer)",
    machine: setup({ types: { context: {} as { pongs: string[] } }, actors: { child1: answering("child1"), child2: answering("child2") } }).createMachine({
      context: { pongs: [] },
      initial: "a",
      states: {
        a: { on: { START: "b" } },
        b: {
          entry: [spawnChild("child1", { id: "myChild" }), sendTo("myChild", { type: "PING" }, { delay: 1 }), stopChild("myChild"), spawnChild("child2", { id: "myChild" })],
          on: { PING_NOW: { actions: sendTo("myChild", { type: "PING" }) } },
        },
      },
      on: pongs,
    }),
    steps: [send({ type: "START" }), { advance: 10 }, send({ type: "PING_NOW" })],
  },
];

const enqueueCases: FidelityCase[] = [
  {
    from: "actions.test.ts › enqueueActions › should execute a simple referenced action; multiple different ones; multiple same ones",
    machine: setup({ actions: { someAction: did("someAction"), otherAction: did("otherAction") } }).createMachine({
      entry: enqueueActions(({ enqueue }) => {
        enqueue("someAction");
        enqueue("otherAction");
        enqueue("someAction");
      }),
    }),
    steps: [],
  },
  {
    from: "actions.test.ts › enqueueActions › should execute a parameterized action",
    machine: setup({ actions: { someAction: emit((_, params: { answer: number }) => ({ type: "someAction", params })) } }).createMachine({
      entry: enqueueActions(({ enqueue }) => {
        enqueue({ type: "someAction", params: { answer: 42 } });
      }),
    }),
    steps: [],
  },
  {
    from: "actions.test.ts › enqueueActions › should execute a builtin action using its own action creator / its bound action creator",
    machine: createMachine({
      on: {
        FOO: { actions: enqueueActions(({ enqueue }) => enqueue(raise({ type: "RAISED", by: "creator" } as EventObject))) },
        BAR: { actions: enqueueActions(({ enqueue }) => enqueue.raise({ type: "RAISED", by: "bound" } as EventObject)) },
        RAISED: { actions: emit(({ event }) => ({ type: "raised", by: (event as any).by })) },
      },
    }),
    steps: [send({ type: "FOO" }), send({ type: "BAR" })],
  },
  {
    from: "actions.test.ts › enqueueActions › should execute assigns when resolving the initial snapshot",
    machine: createMachine({ context: { count: 0 }, entry: enqueueActions(({ enqueue }) => enqueue.assign({ count: 42 })) }),
    steps: [],
  },
  {
    from: "actions.test.ts › enqueueActions › should be able to check a simple referenced guard / a parameterized guard (the answers assigned)",
    machine: setup({
      types: { context: {} as { count: number; checks: boolean[] } },
      guards: { alwaysTrue: () => true, atMost: ({ context }, params: { max: number }) => context.count <= params.max },
    }).createMachine({
      context: { count: 0, checks: [] },
      entry: enqueueActions(({ check, enqueue }) => {
        enqueue.assign({ checks: [check("alwaysTrue"), check({ type: "atMost", params: { max: 100 } }), check({ type: "atMost", params: { max: -1 } })] });
      }),
      on: {
        BUMP: { actions: assign({ count: 500 }) },
        CHECK: { actions: enqueueActions(({ check, enqueue, context }) => enqueue.assign({ checks: [...context.checks, check({ type: "atMost", params: { max: 100 } })] })) },
      },
    }),
    steps: [send({ type: "CHECK" }), send({ type: "BUMP" }), send({ type: "CHECK" })],
  },
  {
    from: "actions.test.ts › enqueueActions › should be able to communicate with the parent using params (the parent's ref given as input)",
    machine: setup({
      types: { context: {} as { foos: number } },
      actors: {
        child: setup({
          types: { input: {} as { parent?: AnyActorRef }, context: {} as { parent?: AnyActorRef } },
          actions: {
            mySendParent: enqueueActions(({ context, enqueue }, event: { type: "FOO" }) => {
              if (!context.parent) return;
              enqueue.sendTo(context.parent, event);
            }),
          },
        }).createMachine({
          context: ({ input }) => ({ parent: input.parent }),
          entry: { type: "mySendParent", params: { type: "FOO" } },
          on: { AGAIN: { actions: { type: "mySendParent", params: { type: "FOO" } } } },
        }),
      },
    }).createMachine({
      context: { foos: 0 },
      on: { FOO: { actions: assign({ foos: ({ context }) => context.foos + 1 }) }, AGAIN: { actions: sendTo("child", { type: "AGAIN" }) } },
      invoke: { id: "child", src: "child", input: ({ self }) => ({ parent: self }) },
    }),
    steps: [send({ type: "AGAIN" })],
  },
  {
    from: "actions.test.ts › enqueueActions › should enqueue.sendParent",
    machine: setup({
      types: { context: {} as { got: number } },
      actors: {
        child: setup({ actions: { sendToParent: enqueueActions(({ enqueue }) => enqueue.sendParent({ type: "PARENT_EVENT" })) } }).createMachine({
          entry: "sendToParent",
          on: { AGAIN: { actions: "sendToParent" } },
        }),
      },
    }).createMachine({
      context: { got: 0 },
      on: { PARENT_EVENT: { actions: assign({ got: ({ context }) => context.got + 1 }) }, AGAIN: { actions: sendTo("child", { type: "AGAIN" }) } },
      invoke: { id: "child", src: "child" },
    }),
    steps: [send({ type: "AGAIN" })],
  },
];

const raiseAndCancelCases: FidelityCase[] = [
  {
    from: "actions.test.ts › raise › should be able to send a delayed event to itself",
    machine: createMachine({
      initial: "a",
      states: { a: { entry: raise({ type: "EVENT" }, { delay: 1 }), on: { TO_B: "b" } }, b: { on: { EVENT: "c" } }, c: { type: "final" } },
    }),
    steps: [send({ type: "TO_B" }), { advance: 1 }],
  },
  {
    from: "actions.test.ts › raise › should be able to send a delayed event to itself with delay = 0",
    machine: createMachine({ initial: "a", states: { a: { entry: raise({ type: "EVENT" }, { delay: 0 }), on: { EVENT: "b" } }, b: {} } }),
    steps: [{ advance: 0 }],
  },
  {
    from: "actions.test.ts › raise › should be able to raise an event and respond to it in the same state",
    machine: createMachine({ initial: "a", states: { a: { entry: raise({ type: "TO_B" }), on: { TO_B: "b" } }, b: { type: "final" } } }),
    steps: [],
  },
  {
    from: "actions.test.ts › raise › should be able to raise a delayed event and respond to it in the same state",
    machine: createMachine({ initial: "a", states: { a: { entry: raise({ type: "TO_B" }, { delay: 100 }), on: { TO_B: "b" } }, b: { type: "final" } } }),
    steps: [{ advance: 50 }, { advance: 49 }, { advance: 1 }],
  },
  {
    from: "actions.test.ts › raise › should accept event expression; should be possible to access context in the event expression",
    machine: setup({ types: { context: {} as { eventType: string } } }).createMachine({
      initial: "a",
      context: { eventType: "RAISED" },
      states: {
        a: { on: { NEXT: { actions: raise(() => ({ type: "TO_B" })) }, TO_B: "b" } },
        b: { on: { NEXT: { actions: raise(({ context }) => ({ type: context.eventType })) }, RAISED: "c" } },
        c: {},
      },
    }),
    steps: [send({ type: "NEXT" }), send({ type: "NEXT" })],
  },
  {
    from: "actions.test.ts › raise › should error if given a string (raised on an event rather than on entry)",
    machine: createMachine({ on: { GO: { actions: raise("a string" as any) } } }),
    steps: [send({ type: "GO" })],
  },
  {
    from: "actions.test.ts › cancel › should be possible to cancel a raised delayed event",
    machine: createMachine({
      initial: "a",
      states: { a: { on: { NEXT: { actions: raise({ type: "RAISED" }, { delay: 1, id: "myId" }) }, RAISED: "b", CANCEL: { actions: cancel("myId") } } }, b: {} },
    }),
    steps: [send({ type: "NEXT" }), send({ type: "CANCEL" }), { advance: 10 }, send({ type: "NEXT" }), { advance: 1 }],
  },
  {
    from: "actions.test.ts › cancel › should cancel only the delayed event in the machine that scheduled it when canceling the event with the same ID in the machine that sent it first",
    machine: setup({
      types: { context: {} as { fired: string[] } },
      actors: {
        foo: createMachine({
          id: "foo",
          entry: raise({ type: "event" }, { id: "sameId", delay: 100 }),
          on: { event: { actions: sendParent({ type: "FIRED", by: "foo" } as EventObject) }, cancel: { actions: cancel("sameId") } },
        }),
        bar: createMachine({ id: "bar", entry: raise({ type: "event" }, { id: "sameId", delay: 100 }), on: { event: { actions: sendParent({ type: "FIRED", by: "bar" } as EventObject) } } }),
      },
    }).createMachine({
      context: { fired: [] },
      invoke: [
        { id: "foo", src: "foo" },
        { id: "bar", src: "bar" },
      ],
      on: { cancelFoo: { actions: sendTo("foo", { type: "cancel" }) }, FIRED: { actions: assign({ fired: ({ context, event }) => [...context.fired, (event as any).by] }) } },
    }),
    steps: [{ advance: 50 }, send({ type: "cancelFoo" }), { advance: 55 }],
  },
  {
    from: "actions.test.ts › cancel › should cancel only the delayed event in the machine that scheduled it when canceling the event with the same ID in the machine that sent it second",
    machine: setup({
      types: { context: {} as { fired: string[] } },
      actors: {
        foo: createMachine({ id: "foo", entry: raise({ type: "event" }, { id: "sameId", delay: 100 }), on: { event: { actions: sendParent({ type: "FIRED", by: "foo" } as EventObject) } } }),
        bar: createMachine({
          id: "bar",
          entry: raise({ type: "event" }, { id: "sameId", delay: 100 }),
          on: { event: { actions: sendParent({ type: "FIRED", by: "bar" } as EventObject) }, cancel: { actions: cancel("sameId") } },
        }),
      },
    }).createMachine({
      context: { fired: [] },
      invoke: [
        { id: "foo", src: "foo" },
        { id: "bar", src: "bar" },
      ],
      on: { cancelBar: { actions: sendTo("bar", { type: "cancel" }) }, FIRED: { actions: assign({ fired: ({ context, event }) => [...context.fired, (event as any).by] }) } },
    }),
    steps: [{ advance: 50 }, send({ type: "cancelBar" }), { advance: 55 }],
  },
  {
    from: "actions.test.ts › cancel › should not try to clear an undefined timeout when canceling an unscheduled timer (nothing changes)",
    machine: createMachine({ context: { n: 0 }, on: { FOO: { actions: [cancel("foo"), assign({ n: ({ context }) => context.n + 1 })] } } }),
    steps: [send({ type: "FOO" })],
  },
  {
    from: "actions.test.ts › cancel › should be able to cancel a just scheduled delayed event to a just invoked child (the child answers)",
    machine: setup({ types: { context: {} as { pongs: string[] } }, actors: { child: answering("child") } }).createMachine({
      context: { pongs: [] },
      initial: "a",
      states: {
        a: { on: { START: "b" } },
        b: { entry: [sendTo("myChild", { type: "PING" }, { id: "myEvent", delay: 0 }), cancel("myEvent")], invoke: { src: "child", id: "myChild" } },
      },
      on: pongs,
    }),
    steps: [send({ type: "START" }), { advance: 10 }],
  },
  {
    from: "actions.test.ts › cancel › should not be able to cancel a just scheduled non-delayed event to a just invoked child (the child answers)",
    machine: setup({ types: { context: {} as { pongs: string[] } }, actors: { child: answering("child") } }).createMachine({
      context: { pongs: [] },
      initial: "a",
      states: {
        a: { on: { START: "b" } },
        b: { entry: [sendTo("myChild", { type: "PING" }, { id: "myEvent" }), cancel("myEvent")], invoke: { src: "child", id: "myChild" } },
      },
      on: pongs,
    }),
    steps: [send({ type: "START" })],
  },
];

/** Emits the count as it is at that point of the actions. */
const capture = emit(({ context }: { context: { count: number } }) => ({ type: "captured", count: context.count }));

const orderCases: FidelityCase[] = [
  {
    from: "actions.test.ts › assign action order › should preserve action order",
    machine: setup({ types: { context: {} as { count: number } } }).createMachine({
      context: { count: 0 },
      entry: [capture, assign({ count: ({ context }) => context.count + 1 }), capture, assign({ count: ({ context }) => context.count + 1 }), capture],
    }),
    steps: [],
  },
  {
    from: "actions.test.ts › assign action order › should deeply preserve action order",
    machine: setup({ types: { context: {} as { count: number } }, actions: { capture } }).createMachine({
      context: { count: 0 },
      entry: [
        capture,
        enqueueActions(({ enqueue }) => {
          enqueue(assign({ count: ({ context }) => context.count + 1 }));
          enqueue({ type: "capture" });
          enqueue(assign({ count: ({ context }) => context.count + 1 }));
        }),
        capture,
      ],
    }),
    steps: [],
  },
  {
    from: "actions.test.ts › assign action order › should capture correct context values on subsequent transitions",
    machine: setup({ types: { context: {} as { count: number } } }).createMachine({
      context: { count: 0 },
      on: { EV: { actions: [assign({ count: ({ context }) => context.count + 1 }), capture] } },
    }),
    steps: [send({ type: "EV" }), send({ type: "EV" })],
  },
  {
    from: "actions.test.ts › actions › should call transition actions in document order for same-level parallel regions / states at different levels",
    machine: createMachine({
      type: "parallel",
      states: {
        a: { on: { FOO: { actions: did("a") } } },
        b: { on: { FOO: { actions: did("b") } } },
        c: { initial: "c1", states: { c1: { on: { FOO: { actions: did("c1") } } } } },
        d: { on: { FOO: { actions: did("d") } } },
      },
    }),
    steps: [send({ type: "FOO" })],
  },
  {
    from: "actions.test.ts › actions › should call an inline and a referenced action responding to an initial raise with the raised event",
    machine: setup({ actions: { foo: emit(({ event }) => ({ type: "referenced saw", event })) } }).createMachine({
      entry: raise({ type: "HELLO" }),
      on: { HELLO: { actions: [emit(({ event }) => ({ type: "inline saw", event })), "foo"] } },
    }),
    steps: [],
  },
  {
    from: "actions.test.ts › actions › should call an inline and a referenced action responding to an initial raise with updated (non-initial) context",
    machine: setup({
      types: { context: {} as { count: number } },
      actions: { foo: emit(({ context }) => ({ type: "referenced saw", context })) },
    }).createMachine({
      context: { count: 0 },
      entry: [assign({ count: 42 }), raise({ type: "HELLO" })],
      on: { HELLO: { actions: [emit(({ context }) => ({ type: "inline saw", context })), "foo"] } },
    }),
    steps: [],
  },
];

export const actionsCases: FidelityCase[] = [
  ...entryExitCases,
  ...stoppedCases,
  ...initialActionCases,
  ...actionsConfigCases,
  ...customActionCases,
  ...forwardAndSendCases,
  ...enqueueCases,
  ...raiseAndCancelCases,
  ...orderCases,
  ...assignCases,
  ...emitCases,
  ...guardCases,
  ...transientCases,
  ...eventDescriptorCases,
  ...stateInCases,
  ...internalTransitionCases,
];
