// Cases ported from XState's own tests (packages/core/test/): see tests/fidelity/case.ts.
// Timers (after, delayed raise, cancel), errors, execution order, final states, history and
// parallel states, from after, errors, predictableExec, interpreter, final, history, parallel,
// deterministic, order and microstep.test.ts. Side effects those tests record with spies or
// in an outside array are emitted here (`emit`), so their order is compared too.
import { assertEvent, assign, cancel, createMachine, emit, fromPromise, log, raise, sendParent, sendTo, setup, stopChild, type AnyActorRef, type EventObject } from "xstate";
import type { FidelityCase } from "../case.ts";

/** Entry and exit actions that say so, as XState's `trackEntries` test helper records them. */
function track(state: string) {
  return { entry: emit({ type: "enter", state }), exit: emit({ type: "exit", state }) };
}

/** An event with a payload, as a step sends it. */
const event = (sent: { type: string; [key: string]: unknown }): EventObject => sent;

/** Answers each PING with a PONG to its parent. */
const ponger = createMachine({ on: { PING: { actions: sendParent({ type: "PONG" }) } } });

/** Tells its parent about every event it gets. */
const echo = createMachine({ on: { "*": { actions: sendParent(({ event }) => ({ type: "ECHO", of: event.type })) } } });

/** Does nothing. */
const idler = createMachine({ initial: "idle", states: { idle: {} } });

// after.test.ts
const afterLight = createMachine({
  id: "light",
  initial: "green",
  context: { canTurnGreen: true },
  states: {
    green: { after: { 1000: "yellow" } },
    yellow: { after: { 1000: [{ target: "red" }] } },
    red: { after: { 1000: "green" } },
  },
});

// interpreter.test.ts
const raisingLight = createMachine({
  id: "light",
  initial: "green",
  states: {
    green: {
      entry: raise({ type: "TIMER" }, { id: "TIMER1", delay: 10 }),
      on: { TIMER: "yellow", KEEP_GOING: { actions: cancel("TIMER1") } },
    },
    yellow: { entry: raise({ type: "TIMER" }, { delay: 10 }), on: { TIMER: "red" } },
    red: { after: { 10: "green" } },
  },
});

const intervalMachine = createMachine({
  id: "interval",
  types: {} as { context: { count: number } },
  context: { count: 0 },
  initial: "active",
  states: {
    active: {
      after: { 10: { target: "active", reenter: true, actions: assign({ count: ({ context }) => context.count + 1 }) } },
      always: { target: "finished", guard: ({ context }) => context.count >= 5 },
    },
    finished: { type: "final" },
  },
});

type DelayExprEvent = { type: "ACTIVATE"; wait: number } | { type: "FINISH" };

// final.test.ts
const alphaBeta = createMachine({
  initial: "first",
  states: {
    first: {
      type: "parallel",
      states: {
        alpha: {
          type: "parallel",
          states: {
            one: { initial: "start", states: { start: { on: { finish_one_alpha: "finish" } }, finish: { type: "final" } } },
            two: { initial: "start", states: { start: { on: { finish_two_alpha: "finish" } }, finish: { type: "final" } } },
          },
        },
        beta: { initial: "three", states: { three: { on: { finish_beta: "finish" } }, finish: { type: "final" } } },
      },
      onDone: "done",
    },
    done: { type: "final" },
  },
});

/** A child that is canceled into a final state; `announce` says how it tells its parent. */
const cancelable = (announce: "entry" | "exit" | "both") =>
  createMachine({
    initial: "start",
    ...(announce === "exit" ? { exit: sendParent({ type: "CHILD_CANCELED" }) } : {}),
    ...(announce === "both" ? { exit: sendParent({ type: "CHILD_EXITED" }) } : {}),
    states: {
      start: { on: { CANCEL: "canceled" } },
      canceled: { type: "final", ...(announce === "exit" ? {} : { entry: sendParent({ type: "CHILD_CANCELED" }) }) },
    },
  });

/** The parent of a cancelable child, which forwards CANCEL to it and counts its exits. */
const cancelingParent = (announce: "entry" | "exit" | "both") =>
  setup({ types: { context: {} as { exits: number } }, actors: { child: cancelable(announce) } }).createMachine({
    context: { exits: 0 },
    initial: "start",
    states: {
      start: { invoke: { id: "child", src: "child", onDone: "completed" }, on: { CHILD_CANCELED: "canceled", CANCEL: { actions: sendTo("child", { type: "CANCEL" }) } } },
      canceled: {},
      completed: {},
    },
    on: { CHILD_EXITED: { actions: assign({ exits: ({ context }) => context.exits + 1 }) } },
  });

// history.test.ts
const powerHistory = createMachine({
  initial: "on",
  states: {
    on: {
      initial: "first",
      states: { first: { on: { SWITCH: "second" } }, second: {}, hist: { type: "history", history: "shallow" } },
      on: { POWER: "off" },
    },
    off: { on: { POWER: "on.hist" } },
  },
});

/** The nested on/off machine of the deep history tests; `history` is the history's depth. */
const deepPower = (history: "shallow" | "deep", deepest: boolean) =>
  createMachine({
    initial: "on",
    states: {
      off: { on: { POWER: "on.history" } },
      on: {
        initial: "first",
        states: {
          first: { on: { SWITCH: "second" } },
          second: {
            initial: "A",
            states: {
              A: { on: { INNER: "B" } },
              B: { initial: "P", states: { P: deepest ? { on: { INNER: "Q" } } : {}, Q: {} } },
            },
          },
          history: { history },
        },
        on: { POWER: "off" },
      },
    },
  });

/** The parallel machine of the parallel history tests, with the transitions `off` takes. */
const parallelHistory = createMachine({
  initial: "off",
  states: {
    off: {
      on: {
        SWITCH: "on",
        POWER: "on.hist",
        DEEP_POWER: "on.deepHistory",
        PARALLEL_HISTORY: [{ target: ["on.A.hist", "on.K.hist"] }],
        PARALLEL_SOME_HISTORY: [{ target: ["on.A.C", "on.K.hist"] }],
        PARALLEL_DEEP_HISTORY: [{ target: ["on.A.deepHistory", "on.K.deepHistory"] }],
      },
    },
    on: {
      type: "parallel",
      states: {
        A: {
          initial: "B",
          states: {
            B: { on: { INNER_A: "C" } },
            C: { initial: "D", states: { D: { on: { INNER_A: "E" } }, E: {} } },
            hist: { history: true },
            deepHistory: { history: "deep" },
          },
        },
        K: {
          initial: "L",
          states: {
            L: { on: { INNER_K: "M" } },
            M: { initial: "N", states: { N: { on: { INNER_K: "O" } }, O: {} } },
            hist: { history: true },
            deepHistory: { history: "deep" },
          },
        },
        hist: { history: true },
        shallowHistory: { history: "shallow" },
        deepHistory: { history: "deep" },
      },
      on: { POWER: "off" },
    },
  },
});

/** The closed/open machine of the history tests that track entries. */
const closedOpen = createMachine({
  initial: "closed",
  ...track("__root__"),
  states: {
    closed: { id: "closed", ...track("closed"), on: { "BUTTON.CLICK": "open.hist" } },
    open: {
      ...track("open"),
      on: { "BUTTON.CLICK": "closed" },
      initial: "first",
      states: {
        hist: { type: "history" },
        first: { ...track("open.first"), on: { NEXT: "second" } },
        second: { ...track("open.second"), on: { CLOSE: "#closed" } },
      },
    },
  },
});

// parallel.test.ts
const wordMachine = createMachine({
  id: "word",
  type: "parallel",
  states: {
    bold: { initial: "off", states: { on: { on: { TOGGLE_BOLD: "off" } }, off: { on: { TOGGLE_BOLD: "on" } } } },
    underline: { initial: "off", states: { on: { on: { TOGGLE_UNDERLINE: "off" } }, off: { on: { TOGGLE_UNDERLINE: "on" } } } },
    italics: { initial: "off", states: { on: { on: { TOGGLE_ITALICS: "off" } }, off: { on: { TOGGLE_ITALICS: "on" } } } },
    list: {
      initial: "none",
      states: {
        none: { on: { BULLETS: "bullets", NUMBERS: "numbers" } },
        bullets: { on: { NONE: "none", NUMBERS: "numbers" } },
        numbers: { on: { BULLETS: "bullets", NONE: "none" } },
      },
    },
  },
  on: { RESET: "#word" },
});

/** A selection region of the composer machine: what is selected, redrawn on every change. */
const selectionStatus = {
  initial: "SelectedNone",
  on: {
    singleClickActivity: [{ target: ".SelectedActivity", actions: ["selectActivity"] }],
    singleClickLink: [{ target: ".SelectedLink", actions: ["selectLink"] }],
  },
  states: {
    SelectedNone: { entry: ["redraw"] },
    SelectedActivity: { entry: ["redraw"], on: { singleClickCanvas: [{ target: "SelectedNone", actions: ["selectNone"] }] } },
    SelectedLink: { entry: ["redraw"], on: { singleClickCanvas: [{ target: "SelectedNone", actions: ["selectNone"] }] } },
  },
} as const;

const composerMachine = setup({
  actions: {
    selectNone: emit({ type: "selectNone" }),
    selectActivity: emit({ type: "selectActivity" }),
    selectLink: emit({ type: "selectLink" }),
    redraw: emit({ type: "redraw" }),
    emptyClipboard: emit({ type: "emptyClipboard" }),
  },
}).createMachine({
  initial: "ReadOnly",
  states: {
    ReadOnly: {
      id: "ReadOnly",
      initial: "StructureEdit",
      entry: ["selectNone"],
      states: {
        StructureEdit: {
          id: "StructureEditRO",
          type: "parallel",
          on: { switchToProjectManagement: [{ target: "ProjectManagement" }] },
          states: {
            SelectionStatus: selectionStatus,
            ClipboardStatus: {
              initial: "Empty",
              states: {
                Empty: { entry: ["emptyClipboard"], on: { cutInClipboardSuccess: [{ target: "FilledByCut" }], copyInClipboardSuccess: [{ target: "FilledByCopy" }] } },
                FilledByCopy: {
                  on: {
                    cutInClipboardSuccess: [{ target: "FilledByCut" }],
                    copyInClipboardSuccess: [{ target: "FilledByCopy" }],
                    pasteFromClipboardSuccess: [{ target: "FilledByCopy" }],
                  },
                },
                FilledByCut: {
                  on: {
                    cutInClipboardSuccess: [{ target: "FilledByCut" }],
                    copyInClipboardSuccess: [{ target: "FilledByCopy" }],
                    pasteFromClipboardSuccess: [{ target: "Empty" }],
                  },
                },
              },
            },
          },
        },
        ProjectManagement: {
          id: "ProjectManagementRO",
          type: "parallel",
          on: { switchToStructureEdit: [{ target: "StructureEdit" }] },
          states: { SelectionStatus: selectionStatus },
        },
      },
    },
  },
});

const nestedParallel = createMachine({
  type: "parallel",
  states: {
    OUTER1: {
      initial: "STATE_OFF",
      states: {
        STATE_OFF: { on: { EVENT_COMPLEX: "STATE_ON", EVENT_SIMPLE: "STATE_ON" } },
        STATE_ON: {
          type: "parallel",
          states: {
            STATE_NTJ0: {
              initial: "STATE_IDLE_0",
              states: { STATE_IDLE_0: { on: { EVENT_STATE_NTJ0_WORK: "STATE_WORKING_0" } }, STATE_WORKING_0: { on: { EVENT_STATE_NTJ0_IDLE: "STATE_IDLE_0" } } },
            },
            STATE_NTJ1: {
              initial: "STATE_IDLE_1",
              states: { STATE_IDLE_1: { on: { EVENT_STATE_NTJ1_WORK: "STATE_WORKING_1" } }, STATE_WORKING_1: { on: { EVENT_STATE_NTJ1_IDLE: "STATE_IDLE_1" } } },
            },
          },
        },
      },
    },
    OUTER2: {
      initial: "STATE_OFF",
      states: {
        STATE_OFF: { on: { EVENT_COMPLEX: "STATE_ON_COMPLEX", EVENT_SIMPLE: "STATE_ON_SIMPLE" } },
        STATE_ON_SIMPLE: {},
        STATE_ON_COMPLEX: {
          type: "parallel",
          states: {
            STATE_INNER1: { initial: "STATE_OFF", states: { STATE_OFF: {}, STATE_ON: {} } },
            STATE_INNER2: { initial: "STATE_OFF", states: { STATE_OFF: {}, STATE_ON: {} } },
          },
        },
      },
    },
  },
});

// deterministic.test.ts
const deterministicLight = createMachine({
  initial: "green",
  states: {
    green: { on: { TIMER: "yellow", POWER_OUTAGE: "red" } },
    yellow: { on: { TIMER: "red", POWER_OUTAGE: "red" } },
    red: {
      on: { TIMER: "green", POWER_OUTAGE: "red" },
      initial: "walk",
      states: {
        walk: { on: { PED_COUNTDOWN: "wait", TIMER: undefined } },
        wait: { on: { PED_COUNTDOWN: "stop", TIMER: undefined } },
        stop: {},
      },
    },
  },
});

export const delaysCases: FidelityCase[] = [
  // ── after.test.ts ──────────────────────────────────────────────────────────────────────
  {
    from: "after.test.ts › should transition after delay (and on round the light, one timer at a time)",
    machine: afterLight,
    steps: [{ advance: 500 }, { advance: 510 }, { advance: 1000 }, { advance: 990 }, { advance: 1500 }],
  },
  {
    from: "after.test.ts › should transition after delay (adapted: one long advance across three chained timers)",
    machine: afterLight,
    steps: [{ advance: 3500 }, { advance: 500 }],
  },
  {
    from: "after.test.ts › should not try to clear an undefined timeout when exiting source state of a delayed transition (the clock spy dropped)",
    machine: createMachine({ initial: "green", states: { green: { after: { 1: "yellow" } }, yellow: {} } }),
    steps: [{ advance: 1 }],
  },
  {
    from: "after.test.ts › should be able to transition with delay from nested initial state",
    machine: createMachine({
      initial: "nested",
      states: { nested: { initial: "wait", states: { wait: { after: { 10: "#end" } } } }, end: { id: "end", type: "final" } },
    }),
    steps: [{ advance: 9 }, { advance: 1 }],
  },
  {
    from: "after.test.ts › parent state should enter child state without re-entering self (relative target) (entries emitted)",
    machine: createMachine({
      initial: "one",
      states: {
        one: {
          initial: "two",
          entry: emit({ type: "entered", state: "one" }),
          states: {
            two: { entry: emit({ type: "entered", state: "two" }) },
            three: { entry: emit({ type: "entered", state: "three" }), always: "#end" },
          },
          after: { 10: ".three" },
        },
        end: { id: "end", type: "final" },
      },
    }),
    steps: [{ advance: 10 }],
  },
  {
    from: "after.test.ts › should defer a single send event for a delayed conditional transition (#886) (the spy emits; a later event shows it listens)",
    machine: createMachine({
      initial: "X",
      states: {
        X: { after: { 1: [{ target: "Y", guard: () => true }, { target: "Z" }] } },
        Y: { on: { "*": { actions: emit(({ event }) => ({ type: "heard", of: event.type })) } } },
        Z: {},
      },
    }),
    steps: [{ advance: 10 }, { send: { type: "LATER" } }],
  },
  {
    from: "after.test.ts › should execute an after transition after starting from a persisted state",
    machine: createMachine({ initial: "A", states: { A: { on: { NEXT: "B" } }, B: { after: { 1: "C" } }, C: { type: "final" } } }),
    steps: [{ send: { type: "NEXT" } }, { advance: 1 }],
  },
  {
    from: "after.test.ts › delay expressions › should evaluate the expression (function) to determine the delay",
    machine: setup({ types: { context: {} as { delay: number } }, delays: { myDelay: ({ context }) => context.delay } }).createMachine({
      initial: "inactive",
      context: { delay: 500 },
      states: { inactive: { after: { myDelay: "active" } }, active: {} },
    }),
    steps: [{ advance: 300 }, { advance: 199 }, { advance: 1 }],
  },
  {
    from: "after.test.ts › delay expressions › should evaluate the expression (string) to determine the delay (and once more, shorter)",
    machine: setup({ types: { events: {} as { type: "ACTIVATE"; delay: number } }, delays: { someDelay: ({ event }) => event.delay } }).createMachine({
      initial: "inactive",
      states: { inactive: { on: { ACTIVATE: "active" } }, active: { after: { someDelay: "inactive" } } },
    }),
    steps: [{ send: event({ type: "ACTIVATE", delay: 500 }) }, { advance: 300 }, { advance: 200 }, { send: event({ type: "ACTIVATE", delay: 100 }) }, { advance: 100 }],
  },

  // ── interpreter.test.ts ────────────────────────────────────────────────────────────────
  {
    from: "interpreter.test.ts › can cancel a delayed event",
    machine: raisingLight,
    steps: [{ advance: 5 }, { send: { type: "KEEP_GOING" } }, { advance: 10 }, { advance: 100 }],
  },
  {
    from: "interpreter.test.ts › can cancel a delayed event (adapted: left alone, the light goes round on delayed raises and an after)",
    machine: raisingLight,
    steps: [{ advance: 10 }, { advance: 10 }, { advance: 10 }, { advance: 25 }],
  },
  {
    from: "interpreter.test.ts › send with delay › can send an event after a delay",
    machine: createMachine({ initial: "foo", states: { foo: { entry: raise({ type: "TIMER" }, { delay: 10 }), on: { TIMER: "bar" } }, bar: {} } }),
    steps: [{ advance: 5 }, { advance: 10 }],
  },
  {
    from: "interpreter.test.ts › send with delay › can send an event after a delay (expression)",
    machine: createMachine({
      types: {} as { context: { initialDelay: number }; events: DelayExprEvent },
      id: "delayExpr",
      context: { initialDelay: 100 },
      initial: "idle",
      states: {
        idle: { on: { ACTIVATE: "pending" } },
        pending: {
          entry: raise({ type: "FINISH" }, { delay: ({ context, event }) => context.initialDelay + ("wait" in event ? event.wait : 0) }),
          on: { FINISH: "finished" },
        },
        finished: { type: "final" },
      },
    }),
    steps: [{ send: event({ type: "ACTIVATE", wait: 50 }) }, { advance: 101 }, { advance: 50 }],
  },
  {
    from: "interpreter.test.ts › send with delay › can send an event after a delay (expression using _event)",
    machine: setup({ types: { context: {} as { initialDelay: number }, events: {} as DelayExprEvent } }).createMachine({
      id: "delayExpr",
      context: { initialDelay: 100 },
      initial: "idle",
      states: {
        idle: { on: { ACTIVATE: "pending" } },
        pending: {
          entry: raise(
            { type: "FINISH" },
            {
              delay: ({ context, event }) => {
                assertEvent(event, "ACTIVATE");
                return context.initialDelay + event.wait;
              },
            },
          ),
          on: { FINISH: "finished" },
        },
        finished: { type: "final" },
      },
    }),
    steps: [{ send: event({ type: "ACTIVATE", wait: 50 }) }, { advance: 149 }, { advance: 1 }],
  },
  {
    from: "interpreter.test.ts › send with delay › can send an event after a delay (delayed transitions)",
    machine: setup({
      types: { context: {} as { delay: number }, events: {} as { type: "FIRE_DELAY"; value: number } },
      delays: {
        someDelay: ({ context }) => context.delay + 50,
        delayA: ({ context }) => context.delay,
        delayD: ({ context, event }) => context.delay + event.value,
      },
    }).createMachine({
      id: "letter",
      context: { delay: 100 },
      initial: "a",
      states: {
        a: { after: { delayA: "b" } },
        b: { after: { someDelay: "c" } },
        c: { entry: raise({ type: "FIRE_DELAY", value: 200 }, { delay: 20 }), on: { FIRE_DELAY: "d" } },
        d: { after: { delayD: "e" } },
        e: { after: { someDelay: "f" } },
        f: { type: "final" },
      },
    }),
    steps: [{ advance: 100 }, { advance: 150 }, { advance: 20 }, { advance: 300 }, { advance: 150 }],
  },
  {
    from: "interpreter.test.ts › can cancel a delayed event using expression to resolve send id",
    machine: createMachine({
      initial: "first",
      states: {
        first: {
          entry: [raise({ type: "FOO" }, { id: "foo", delay: 100 }), raise({ type: "BAR" }, { delay: 200 }), cancel(() => "foo")],
          on: { FOO: "fail", BAR: "pass" },
        },
        fail: { type: "final" },
        pass: { type: "final" },
      },
    }),
    steps: [{ advance: 100 }, { advance: 100 }],
  },
  {
    from: "interpreter.test.ts › .send() › should receive and process all events sent simultaneously (sent one after the other)",
    machine: createMachine({
      id: "toggle",
      initial: "inactive",
      states: {
        fail: {},
        inactive: { on: { INACTIVATE: "fail", ACTIVATE: "active" } },
        active: { on: { INACTIVATE: "success" } },
        success: { type: "final" },
      },
    }),
    steps: [{ send: { type: "ACTIVATE" } }, { send: { type: "INACTIVATE" } }],
  },
  {
    from: "interpreter.test.ts › .send() › can send events with an object with payload (a wrong payload first)",
    machine: createMachine({
      id: "send",
      initial: "inactive",
      states: {
        inactive: { on: { EVENT: { target: "active", guard: ({ event }) => event.id === 42 }, ACTIVATE: "active" } },
        active: { type: "final" },
      },
    }),
    steps: [{ send: event({ type: "EVENT", id: 41 }) }, { send: event({ type: "EVENT", id: 42 }) }],
  },
  {
    from: "interpreter.test.ts › should be able to log (log action) (what is logged is emitted too)",
    machine: createMachine({
      types: {} as { context: { count: number } },
      id: "log",
      initial: "x",
      context: { count: 0 },
      states: {
        x: {
          on: {
            LOG: {
              actions: [
                assign({ count: ({ context }) => context.count + 1 }),
                log(({ context }) => context),
                emit(({ context }) => ({ type: "logged", count: context.count })),
              ],
            },
          },
        },
      },
    }),
    steps: [{ send: { type: "LOG" } }, { send: { type: "LOG" } }],
  },
  {
    from: "interpreter.test.ts › should receive correct event (log action) (what is logged is emitted too)",
    machine: createMachine({
      initial: "foo",
      states: {
        foo: {
          on: {
            EXTERNAL_EVENT: {
              actions: [raise({ type: "RAISED_EVENT" }), log(({ event }) => event.type), emit(({ event }) => ({ type: "logged", of: event.type }))],
            },
          },
        },
      },
      on: { "*": { actions: [log(({ event }) => event.type), emit(({ event }) => ({ type: "logged", of: event.type }))] } },
    }),
    steps: [{ send: { type: "EXTERNAL_EVENT" } }],
  },
  {
    from: "interpreter.test.ts › send() event expressions › should resolve send event expressions",
    machine: createMachine({
      types: {} as { context: { password: string }; events: { type: "NEXT"; password: string } },
      id: "sendexpr",
      initial: "start",
      context: { password: "foo" },
      states: {
        start: {
          entry: raise(({ context }) => ({ type: "NEXT" as const, password: context.password })),
          on: { NEXT: { target: "finish", guard: ({ event }) => event.password === "foo" } },
        },
        finish: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "interpreter.test.ts › sendParent() event expressions › should resolve sendParent event expressions",
    machine: setup({
      types: { events: {} as { type: "NEXT"; password: string } },
      actors: {
        child: createMachine({
          types: {} as { context: { password: string }; input: { password: string } },
          id: "child",
          initial: "start",
          context: ({ input }) => ({ password: input.password }),
          states: { start: { entry: sendParent(({ context }) => ({ type: "NEXT", password: context.password })) } },
        }),
      },
    }).createMachine({
      id: "parent",
      initial: "start",
      states: {
        start: { invoke: { id: "child", src: "child", input: { password: "foo" } }, on: { NEXT: { target: "finish", guard: ({ event }) => event.password === "foo" } } },
        finish: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "interpreter.test.ts › transient states › should transition in correct order when there is a condition",
    machine: setup({ guards: { alwaysFalse: () => false } }).createMachine({
      id: "transient",
      initial: "idle",
      states: {
        idle: { on: { START: "transient" } },
        transient: { always: [{ target: "end", guard: "alwaysFalse" }, { target: "next" }] },
        next: { on: { FINISH: "end" } },
        end: { type: "final" },
      },
    }),
    steps: [{ send: { type: "START" } }, { send: { type: "FINISH" } }],
  },
  {
    from: "interpreter.test.ts › observable › should be subscribable (a re-entering after counts to 5, two steps of 25 ms)",
    machine: intervalMachine,
    steps: [{ advance: 25 }, { advance: 25 }],
  },
  {
    from: "interpreter.test.ts › observable › should be subscribable (a re-entering after counts to 5, one step at a time)",
    machine: intervalMachine,
    steps: [{ advance: 10 }, { advance: 10 }, { advance: 10 }, { advance: 10 }, { advance: 10 }, { advance: 10 }],
  },
  {
    from: "interpreter.test.ts › observable › should be unsubscribable (INC until the always guard finishes it, then once more)",
    machine: createMachine({
      types: {} as { context: { count: number } },
      context: { count: 0 },
      initial: "active",
      states: {
        active: {
          always: { target: "finished", guard: ({ context }) => context.count >= 5 },
          on: { INC: { actions: assign({ count: ({ context }) => context.count + 1 }) } },
        },
        finished: { type: "final" },
      },
    }),
    steps: [{ send: { type: "INC" } }, { send: { type: "INC" } }, { send: { type: "INC" } }, { send: { type: "INC" } }, { send: { type: "INC" } }, { send: { type: "INC" } }],
  },
  {
    from: "interpreter.test.ts › children › state.children should reference invoked child actors (machine) (the parent forwards FIRE to it)",
    machine: setup({
      actors: { child: createMachine({ initial: "active", states: { active: { on: { FIRE: { actions: sendParent({ type: "FIRED" }) } } } } }) },
    }).createMachine({
      initial: "active",
      states: {
        active: { invoke: { id: "childActor", src: "child" }, on: { FIRE: { actions: sendTo("childActor", { type: "FIRE" }) }, FIRED: "success" } },
        success: { type: "final" },
      },
    }),
    steps: [{ send: { type: "FIRE" } }],
  },
  {
    from: "interpreter.test.ts › children › state.children should reference invoked child actors (promise) (it resolves at once)",
    machine: setup({ actors: { num: fromPromise(async () => 42) } }).createMachine({
      initial: "active",
      states: {
        active: { invoke: { id: "childActor", src: "num", onDone: [{ target: "success", guard: ({ event }) => event.output === 42 }, { target: "failure" }] } },
        success: { type: "final" },
        failure: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "interpreter.test.ts › children › stopped spawned actors should be cleaned up in parent (a machine child only)",
    machine: setup({ types: { context: {} as { machineRef?: AnyActorRef } }, actors: { idler } }).createMachine({
      id: "form",
      initial: "present",
      context: {},
      entry: assign({ machineRef: ({ spawn }) => spawn("idler", { id: "machineChild" }) }),
      states: {
        present: { on: { NEXT: { target: "gone", actions: stopChild(({ context }) => context.machineRef!) } } },
        gone: { type: "final" },
      },
    }),
    steps: [{ send: { type: "NEXT" } }],
  },
  {
    from: "interpreter.test.ts › should not process events sent directly to own actor ref before initial entry actions are processed (self.send; the log emitted)",
    machine: createMachine({
      entry: [emit({ type: "log", line: "initial root entry start" }), ({ self }) => self.send({ type: "EV" }), emit({ type: "log", line: "initial root entry end" })],
      on: { EV: { actions: emit({ type: "log", line: "EV transition" }) } },
      initial: "a",
      states: { a: { entry: emit({ type: "log", line: "initial nested entry" }) } },
    }),
    steps: [{ send: { type: "EV" } }],
  },

  // ── predictableExec.test.ts ────────────────────────────────────────────────────────────
  {
    from: "predictableExec.test.ts › should call initial custom actions when starting a service (the action emits)",
    machine: createMachine({ entry: emit({ type: "called" }) }),
    steps: [],
  },
  {
    from: "predictableExec.test.ts › should resolve initial assign actions before starting a service",
    machine: createMachine({ context: { called: false }, entry: [assign({ called: true })] }),
    steps: [],
  },
  {
    from: "predictableExec.test.ts › should call raised transition custom actions with raised event (the action emits)",
    machine: createMachine({
      initial: "a",
      states: {
        a: { on: { NEXT: "b" } },
        b: { on: { RAISED: { target: "c", actions: emit(({ event }) => ({ type: "saw", of: event.type })) } }, entry: raise({ type: "RAISED" }) },
        c: {},
      },
    }),
    steps: [{ send: { type: "NEXT" } }],
  },
  {
    from: "predictableExec.test.ts › should call raised transition builtin actions with raised event",
    machine: createMachine({
      context: { eventType: "" },
      initial: "a",
      states: {
        a: { on: { NEXT: "b" } },
        b: { on: { RAISED: { target: "c", actions: assign({ eventType: ({ event }) => event.type }) } }, entry: raise({ type: "RAISED" }) },
        c: {},
      },
    }),
    steps: [{ send: { type: "NEXT" } }],
  },
  {
    from: "predictableExec.test.ts › should call invoke creator with raised event (a promise that resolves at once with what its input says)",
    machine: setup({
      types: { context: {} as { got: string } },
      actors: { eventType: fromPromise(async ({ input }: { input: { event: EventObject } }) => input.event.type) },
    }).createMachine({
      context: { got: "" },
      initial: "a",
      states: {
        a: { on: { NEXT: "b" } },
        b: { on: { RAISED: "c" }, entry: raise({ type: "RAISED" }) },
        c: { invoke: { src: "eventType", input: ({ event }) => ({ event }), onDone: { actions: assign({ got: ({ event }) => event.output }) } } },
      },
    }),
    steps: [{ send: { type: "NEXT" } }],
  },
  {
    from: "predictableExec.test.ts › invoked child should be available on the new state (it answers a PING there), and not after leaving the invoking state (a sendTo it fails)",
    machine: setup({ types: { context: {} as { pongs: number } }, actors: { ponger } }).createMachine({
      context: { pongs: 0 },
      initial: "a",
      states: {
        a: { on: { NEXT: "b" } },
        b: { invoke: { id: "myChild", src: "ponger" }, on: { NEXT: "c" } },
        c: {},
      },
      on: { PING: { actions: sendTo("myChild", { type: "PING" }) }, PONG: { actions: assign({ pongs: ({ context }) => context.pongs + 1 }) } },
    }),
    steps: [{ send: { type: "NEXT" } }, { send: { type: "PING" } }, { send: { type: "NEXT" } }, { send: { type: "PING" } }],
  },
  {
    from: "predictableExec.test.ts › should correctly provide intermediate context value to a custom action executed in between assign actions (the action emits)",
    machine: createMachine({
      context: { counter: 0 },
      initial: "a",
      states: {
        a: { on: { NEXT: "b" } },
        b: { entry: [assign({ counter: 1 }), emit(({ context }) => ({ type: "called", counter: context.counter })), assign({ counter: 2 })] },
      },
    }),
    steps: [{ send: { type: "NEXT" } }],
  },
  {
    from: "predictableExec.test.ts › initial actions should receive context updated only by preceding assign actions (the actions emit)",
    machine: createMachine({
      context: { count: 0 },
      entry: [
        emit(({ context }) => ({ type: "count", count: context.count })),
        assign({ count: 1 }),
        emit(({ context }) => ({ type: "count", count: context.count })),
        assign({ count: 2 }),
        emit(({ context }) => ({ type: "count", count: context.count })),
      ],
    }),
    steps: [],
  },
  {
    from: "predictableExec.test.ts › parent should be able to read the updated state of a child when receiving an event from it (guards get no self here: an assign reads self's children for the guard)",
    machine: setup({
      types: { context: {} as { childValue: unknown } },
      actors: { child: createMachine({ initial: "a", states: { a: { after: { 1: "b" } }, b: { entry: sendParent({ type: "CHILD_UPDATED" }) } } }) },
    }).createMachine({
      context: { childValue: null },
      invoke: { id: "myChild", src: "child" },
      initial: "initial",
      states: {
        initial: { on: { CHILD_UPDATED: { target: "check", actions: assign({ childValue: ({ self }) => self.getSnapshot().children.myChild?.getSnapshot().value }) } } },
        check: { always: [{ guard: ({ context }) => context.childValue === "b", target: "success" }, { target: "fail" }] },
        success: { type: "final" },
        fail: { type: "final" },
      },
    }),
    steps: [{ advance: 1 }],
  },
  {
    from: "predictableExec.test.ts › should be possible to send immediate events to initially invoked actors",
    machine: setup({ actors: { ponger } }).createMachine({
      initial: "waiting",
      states: {
        waiting: { invoke: { id: "ponger", src: "ponger" }, entry: sendTo("ponger", { type: "PING" }), on: { PONG: "done" } },
        done: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: "predictableExec.test.ts › should create invoke based on context updated by entry actions of the same state (the promise resolves with what it saw)",
    machine: setup({
      types: { context: {} as { updated: boolean; seen: boolean | null } },
      actors: { check: fromPromise(async ({ input }: { input: { updated: boolean } }) => input.updated) },
    }).createMachine({
      context: { updated: false, seen: null },
      initial: "a",
      states: {
        a: { on: { NEXT: "b" } },
        b: {
          entry: assign({ updated: true }),
          invoke: { src: "check", input: ({ context }) => ({ updated: context.updated }), onDone: { actions: assign({ seen: ({ event }) => event.output }) } },
        },
      },
    }),
    steps: [{ send: { type: "NEXT" } }],
  },
  {
    from: "predictableExec.test.ts › should deliver events sent from the entry actions to a service invoked in the same state (the child echoes them)",
    machine: setup({ types: { context: {} as { received: string[] } }, actors: { echo } }).createMachine({
      context: { received: [] },
      initial: "a",
      states: {
        a: { on: { NEXT: "b" } },
        b: { entry: sendTo("myChild", { type: "KNOCK_KNOCK" }), invoke: { id: "myChild", src: "echo" } },
      },
      on: { ECHO: { actions: assign({ received: ({ context, event }) => [...context.received, (event as unknown as { of: string }).of] }) } },
    }),
    steps: [{ send: { type: "NEXT" } }],
  },
  {
    from: "predictableExec.test.ts › should deliver events sent from the exit actions to a service invoked in the same state (a machine child that echoes, for the callback)",
    machine: setup({ types: { context: {} as { received: string[] } }, actors: { echo } }).createMachine({
      context: { received: [] },
      initial: "active",
      states: {
        active: { invoke: { id: "my-service", src: "echo" }, exit: sendTo("my-service", { type: "MY_EVENT" }), on: { TOGGLE: "inactive" } },
        inactive: {},
      },
      on: { ECHO: { actions: assign({ received: ({ context, event }) => [...context.received, (event as unknown as { of: string }).of] }) } },
    }),
    steps: [{ send: { type: "TOGGLE" } }],
  },

  // ── errors.test.ts ─────────────────────────────────────────────────────────────────────
  {
    from: "errors.test.ts › error thrown in initial custom entry action should error the actor",
    machine: createMachine({
      entry: () => {
        throw new Error("error_thrown_in_initial_entry_action");
      },
    }),
    steps: [{ send: { type: "ANY" } }],
  },
  {
    from: "errors.test.ts › error thrown when resolving initial builtin entry action should error the actor immediately",
    machine: createMachine({
      entry: assign(() => {
        throw new Error("error_thrown_when_resolving_initial_entry_action");
      }),
    }),
    steps: [],
  },
  {
    from: "errors.test.ts › shouldn't execute deferred initial actions that come after an action that errors (the spy emits)",
    machine: createMachine({
      entry: [
        () => {
          throw new Error("error_thrown_in_initial_entry_action");
        },
        emit({ type: "spy" }),
      ],
    }),
    steps: [],
  },
  {
    from: "errors.test.ts › error thrown by a custom entry action when transitioning should error the actor (adapted: the transition is an after, taken by a timer)",
    machine: createMachine({
      initial: "a",
      states: {
        a: { after: { 10: "b" } },
        b: {
          entry: () => {
            throw new Error("error_thrown_in_a_custom_entry_action_when_transitioning");
          },
        },
      },
    }),
    steps: [{ advance: 5 }, { advance: 5 }],
  },
  {
    from: "errors.test.ts › should error when a guard throws when transitioning (adapted: the guard is a delayed transition's)",
    machine: createMachine({
      initial: "a",
      states: {
        a: {
          after: {
            10: {
              guard: () => {
                throw new Error("error_thrown_in_guard_when_transitioning");
              },
              target: "b",
            },
          },
        },
        b: {},
      },
    }),
    steps: [{ advance: 10 }],
  },
  {
    from: "errors.test.ts › unhandled rejection of a promise actor should be reported to the existing error listener of its parent",
    machine: setup({
      actors: {
        failing: fromPromise(async (): Promise<void> => {
          throw new Error("unhandled_rejection_in_promise_actor_with_parent_listener");
        }),
      },
    }).createMachine({ initial: "pending", states: { pending: { invoke: { src: "failing", onDone: "success" } }, success: { type: "final" } } }),
    steps: [],
  },
  {
    from: "errors.test.ts › unhandled rejection of a promise actor should be reported to the existing error listener of its grandparent",
    machine: setup({
      actors: {
        child: setup({
          actors: {
            failing: fromPromise(async (): Promise<void> => {
              throw new Error("unhandled_rejection_in_promise_actor_with_grandparent_listener");
            }),
          },
        }).createMachine({ initial: "pending", states: { pending: { invoke: { src: "failing", onDone: "success" } }, success: { type: "final" } } }),
      },
    }).createMachine({ initial: "pending", states: { pending: { invoke: { src: "child", onDone: "success" } }, success: { type: "final" } } }),
    steps: [],
  },
  {
    from: "errors.test.ts › handled sync errors thrown when starting an actor shouldn't crash the parent (a promise that rejects at once, for the callback; the spy emits)",
    machine: setup({
      actors: {
        failing: fromPromise(async (): Promise<void> => {
          throw new Error("handled_sync_error_in_actor_start");
        }),
      },
    }).createMachine({
      initial: "pending",
      states: {
        pending: { invoke: { src: "failing", onError: "failed" } },
        failed: { on: { do: { actions: emit({ type: "spy" }) } } },
      },
    }),
    steps: [{ send: { type: "do" } }],
  },
  {
    from: "errors.test.ts › actor continues to work normally after emit callback errors (no listener throws here: the same event twice)",
    machine: createMachine({ on: { someEvent: { actions: emit({ type: "emitted", foo: "bar" }) } } }),
    steps: [{ send: { type: "someEvent" } }, { send: { type: "someEvent" } }],
  },

  // ── final.test.ts ──────────────────────────────────────────────────────────────────────
  {
    from: "final.test.ts › status of a machine with a root state being final should be done",
    machine: createMachine({ type: "final" }),
    steps: [],
  },
  {
    from: 'final.test.ts › output of a machine with a root state being final should be called with a "xstate.done.state.ROOT_ID" event (the output is the event\'s type)',
    machine: createMachine({ type: "final", output: ({ event }) => ({ doneEvent: event.type }) }),
    input: 42,
    steps: [],
  },
  {
    from: 'final.test.ts › should emit the "xstate.done.state.*" event when all nested states are in their final states (the onDone action emits)',
    machine: createMachine({
      id: "m",
      initial: "foo",
      states: {
        foo: {
          type: "parallel",
          states: {
            first: { initial: "a", states: { a: { on: { NEXT_1: "b" } }, b: { type: "final" } } },
            second: { initial: "a", states: { a: { on: { NEXT_2: "b" } }, b: { type: "final" } } },
          },
          onDone: { target: "bar", actions: emit(({ event }) => ({ type: "done", of: event.type })) },
        },
        bar: {},
      },
    }),
    steps: [{ send: { type: "NEXT_1" } }, { send: { type: "NEXT_2" } }],
  },
  {
    from: "final.test.ts › should execute final child state actions first (the actions emit)",
    machine: createMachine({
      initial: "foo",
      states: {
        foo: {
          initial: "bar",
          onDone: { actions: emit({ type: "fooAction" }) },
          states: {
            bar: { initial: "baz", onDone: "barFinal", states: { baz: { type: "final", entry: emit({ type: "bazAction" }) } } },
            barFinal: { type: "final", entry: emit({ type: "barAction" }) },
          },
        },
      },
    }),
    steps: [],
  },
  {
    from: "final.test.ts › should call output expressions on nested final nodes",
    machine: createMachine({
      types: {} as { context: { revealedSecret?: string } },
      initial: "secret",
      context: { revealedSecret: undefined },
      states: {
        secret: {
          initial: "wait",
          states: { wait: { on: { REQUEST_SECRET: "reveal" } }, reveal: { type: "final", output: () => ({ secret: "the secret" }) } },
          onDone: { target: "success", actions: assign({ revealedSecret: ({ event }) => (event.output as { secret: string }).secret }) },
        },
        success: { type: "final" },
      },
    }),
    steps: [{ send: { type: "REQUEST_SECRET" } }],
  },
  {
    from: "final.test.ts › state output should be able to use context updated by the entry action of the reached final state (the onDone action emits the output)",
    machine: createMachine({
      context: { count: 0 },
      initial: "a",
      states: {
        a: {
          initial: "a1",
          states: { a1: { on: { NEXT: "a2" } }, a2: { type: "final", entry: assign({ count: 1 }), output: ({ context }) => context.count } },
          onDone: { actions: emit(({ event }) => ({ type: "output", output: (event as unknown as { output: unknown }).output })) },
        },
      },
    }),
    steps: [{ send: { type: "NEXT" } }],
  },
  {
    from: 'final.test.ts › should emit a done state event for a parallel state when its parallel children reach their final states',
    machine: createMachine({
      initial: "first",
      states: {
        first: {
          type: "parallel",
          states: {
            alpha: {
              type: "parallel",
              states: {
                one: { initial: "start", states: { start: { on: { finish_one_alpha: "finish" } }, finish: { type: "final" } } },
                two: { initial: "start", states: { start: { on: { finish_two_alpha: "finish" } }, finish: { type: "final" } } },
              },
            },
            beta: {
              type: "parallel",
              states: {
                third: { initial: "start", states: { start: { on: { finish_three_beta: "finish" } }, finish: { type: "final" } } },
                fourth: { initial: "start", states: { start: { on: { finish_four_beta: "finish" } }, finish: { type: "final" } } },
              },
            },
          },
          onDone: "done",
        },
        done: { type: "final" },
      },
    }),
    steps: [{ send: { type: "finish_one_alpha" } }, { send: { type: "finish_two_alpha" } }, { send: { type: "finish_three_beta" } }, { send: { type: "finish_four_beta" } }],
  },
  {
    from: "final.test.ts › should emit a done state event for a parallel state when its compound child reaches its final state when the other parallel child region is already in its final state",
    machine: alphaBeta,
    steps: [{ send: { type: "finish_one_alpha" } }, { send: { type: "finish_two_alpha" } }, { send: { type: "finish_beta" } }],
  },
  {
    from: "final.test.ts › should emit a done state event for a parallel state when its parallel child reaches its final state when the other compound child region is already in its final state",
    machine: alphaBeta,
    steps: [{ send: { type: "finish_beta" } }, { send: { type: "finish_one_alpha" } }, { send: { type: "finish_two_alpha" } }],
  },
  {
    from: "final.test.ts › should reach a final state when a parallel state reaches its final state and transitions to a top-level final state in response to that",
    machine: createMachine({
      initial: "a",
      states: {
        a: {
          type: "parallel",
          onDone: "b",
          states: {
            a1: { type: "parallel", states: { a1a: { type: "final" }, a1b: { type: "final" } } },
            a2: { initial: "a2a", states: { a2a: { type: "final" } } },
          },
        },
        b: { type: "final" },
      },
    }),
    steps: [],
  },
  {
    from: 'final.test.ts › root output should be called with a "xstate.done.state.*" event of the parallel root when a direct final child of that parallel root is reached (the output is the event\'s type)',
    machine: createMachine({ type: "parallel", states: { a: { type: "final" } }, output: ({ event }) => ({ doneEvent: event.type }) }),
    steps: [],
  },
  {
    from: 'final.test.ts › onDone of an outer parallel state should be called with its own "xstate.done.state.*" event when its direct parallel child completes (the action emits)',
    machine: createMachine({
      initial: "a",
      states: {
        a: {
          type: "parallel",
          states: { b: { type: "parallel", states: { c: { initial: "d", states: { d: { type: "final" } } } } } },
          onDone: { actions: emit(({ event }) => ({ type: "done", of: event.type })) },
        },
      },
    }),
    steps: [],
  },
  {
    from: "final.test.ts › onDone should not be called when the machine reaches its final state (the spies emit)",
    machine: createMachine({
      type: "parallel",
      states: {
        a: {
          type: "parallel",
          states: { b: { initial: "c", states: { c: { type: "final" } }, onDone: { actions: emit({ type: "spy", of: "b" }) } } },
          onDone: { actions: emit({ type: "spy", of: "a" }) },
        },
      },
      onDone: { actions: emit({ type: "spy", of: "root" }) },
    }),
    steps: [],
  },
  {
    from: "final.test.ts › machine should not complete when a parallel child of a compound state completes",
    machine: createMachine({ initial: "a", states: { a: { type: "parallel", states: { b: { initial: "c", states: { c: { type: "final" } } } } } } }),
    steps: [],
  },
  {
    from: "final.test.ts › onDone of a parallel state should only be called once when multiple parallel regions complete at once (the spy emits)",
    machine: createMachine({
      initial: "a",
      states: { a: { type: "parallel", states: { b: { type: "final" }, c: { type: "final" } }, onDone: { actions: emit({ type: "spy" }) } } },
    }),
    steps: [],
  },
  {
    from: "final.test.ts › should call exit actions in reversed document order when the machines reaches its final state (entries and exits emitted)",
    machine: createMachine({
      ...track("__root__"),
      initial: "a",
      states: { a: { ...track("a"), on: { EV: "b" } }, b: { ...track("b"), type: "final" } },
    }),
    steps: [{ send: { type: "EV" } }],
  },
  {
    from: "final.test.ts › should call exit actions of parallel states in reversed document order when the machines reaches its final state after earlier region transition (entries and exits emitted)",
    machine: createMachine({
      ...track("__root__"),
      type: "parallel",
      states: {
        a: { ...track("a"), initial: "child_a1", states: { child_a1: { ...track("a.child_a1"), on: { EV2: "child_a2" } }, child_a2: { ...track("a.child_a2"), type: "final" } } },
        b: { ...track("b"), initial: "child_b1", states: { child_b1: { ...track("b.child_b1"), on: { EV1: "child_b2" } }, child_b2: { ...track("b.child_b2"), type: "final" } } },
      },
    }),
    steps: [{ send: { type: "EV1" } }, { send: { type: "EV2" } }],
  },
  {
    from: "final.test.ts › should call exit actions of parallel states in reversed document order when the machines reaches its final state after multiple regions transition (entries and exits emitted)",
    machine: createMachine({
      ...track("__root__"),
      type: "parallel",
      states: {
        a: { ...track("a"), initial: "child_a1", states: { child_a1: { ...track("a.child_a1"), on: { EV: "child_a2" } }, child_a2: { ...track("a.child_a2"), type: "final" } } },
        b: { ...track("b"), initial: "child_b1", states: { child_b1: { ...track("b.child_b1"), on: { EV: "child_b2" } }, child_b2: { ...track("b.child_b2"), type: "final" } } },
      },
    }),
    steps: [{ send: { type: "EV" } }],
  },
  {
    from: "final.test.ts › should not complete a parallel root immediately when only some of its regions are in their final states (final state reached in a compound region)",
    machine: createMachine({
      type: "parallel",
      states: { A: { initial: "A1", states: { A1: { type: "final" } } }, B: { initial: "B1", states: { B1: { on: { NEXT: "B2" } }, B2: { type: "final" } } } },
    }),
    steps: [{ send: { type: "NEXT" } }],
  },
  {
    from: "final.test.ts › should only call exit actions once when a child machine reaches its final state and sends an event to its parent that ends up stopping that child (the child's exit tells its parent)",
    machine: cancelingParent("both"),
    steps: [{ send: { type: "CANCEL" } }],
  },
  {
    from: "final.test.ts › should deliver final outgoing events (from final entry action) to the parent before delivering the `xstate.done.actor.*` event",
    machine: cancelingParent("entry"),
    steps: [{ send: { type: "CANCEL" } }],
  },
  {
    from: "final.test.ts › should deliver final outgoing events (from root exit action) to the parent before delivering the `xstate.done.actor.*` event",
    machine: cancelingParent("exit"),
    steps: [{ send: { type: "CANCEL" } }],
  },
  {
    from: "final.test.ts › should be possible to complete with a null output (directly on root)",
    machine: createMachine({ initial: "start", states: { start: { on: { NEXT: "end" } }, end: { type: "final" } }, output: null }),
    steps: [{ send: { type: "NEXT" } }],
  },
  {
    from: "final.test.ts › should be possible to complete with a null output (resolving with final state's output)",
    machine: createMachine({ initial: "start", states: { start: { on: { NEXT: "end" } }, end: { type: "final", output: null } }, output: ({ event }) => event.output }),
    steps: [{ send: { type: "NEXT" } }],
  },

  // ── history.test.ts ────────────────────────────────────────────────────────────────────
  {
    from: "history.test.ts › should go to the most recently visited state (explicit shallow history type) (also: revive history states › should restore from stringified snapshot)",
    machine: powerHistory,
    steps: [{ send: { type: "SWITCH" } }, { send: { type: "POWER" } }, { send: { type: "POWER" } }],
  },
  {
    from: "history.test.ts › should go to the initial state when no history present (no explicit history type)",
    machine: createMachine({
      initial: "off",
      states: { off: { on: { POWER: "on.hist" } }, on: { initial: "first", states: { first: {}, second: {}, hist: { type: "history" } } } },
    }),
    steps: [{ send: { type: "POWER" } }],
  },
  {
    from: "history.test.ts › should go to the most recently visited state by a transient transition",
    machine: createMachine({
      initial: "idle",
      states: {
        idle: {
          id: "idle",
          initial: "absent",
          states: { absent: { on: { DEPLOY: "#deploy" } }, present: { on: { DEPLOY: "#deploy", DESTROY: "#destroy" } }, hist: { type: "history" } },
        },
        deploy: { id: "deploy", on: { SUCCESS: "idle.present", FAILURE: "idle.hist" } },
        destroy: { id: "destroy", always: [{ target: "idle.absent" }] },
      },
    }),
    steps: [{ send: { type: "DEPLOY" } }, { send: { type: "SUCCESS" } }, { send: { type: "DESTROY" } }, { send: { type: "DEPLOY" } }, { send: { type: "FAILURE" } }],
  },
  {
    from: "history.test.ts › should reenter persisted state during reentering transition targeting a history state (entries and exits emitted)",
    machine: createMachine({
      initial: "a",
      states: {
        a: {
          on: { REENTER: { target: "#b_hist", reenter: true } },
          initial: "a1",
          states: { a1: { on: { NEXT: "a2" } }, a2: { entry: emit({ type: "a2 entered" }), exit: emit({ type: "a2 exited" }) }, a3: { type: "history", id: "b_hist" } },
        },
      },
    }),
    steps: [{ send: { type: "NEXT" } }, { send: { type: "REENTER" } }],
  },
  {
    from: "history.test.ts › should go to the configured default target when a history state is the initial state of the machine",
    machine: createMachine({ initial: "foo", states: { foo: { type: "history", target: "bar" }, bar: {} } }),
    steps: [],
  },
  {
    from: "history.test.ts › should go to the configured default target when a history state is the initial state of the transition's target",
    machine: createMachine({ initial: "foo", states: { foo: { on: { NEXT: "bar" } }, bar: { initial: "baz", states: { baz: { type: "history", target: "qwe" }, qwe: {} } } } }),
    steps: [{ send: { type: "NEXT" } }],
  },
  {
    from: "history.test.ts › should execute actions of the initial transition when a history state without a default target is targeted and its parent state was never visited yet (the spy emits; then again once visited)",
    machine: createMachine({
      initial: "a",
      states: {
        a: { on: { NEXT: "#hist" } },
        b: { initial: { target: "b1", actions: emit({ type: "spy" }) }, states: { b1: {}, b2: { id: "hist", type: "history" } }, on: { NEXT: "a" } },
      },
    }),
    steps: [{ send: { type: "NEXT" } }, { send: { type: "NEXT" } }, { send: { type: "NEXT" } }],
  },
  {
    from: "history.test.ts › should enter the parallel default configuration when a deep history state without a default target is targeted and its parent parallel state was never visited yet",
    machine: createMachine({
      initial: "off",
      states: {
        off: { on: { GO: "on.hist" } },
        on: {
          type: "parallel",
          states: { regA: { initial: "a1", states: { a1: {}, a2: {} } }, regB: { initial: "b1", states: { b1: {}, b2: {} } }, hist: { type: "history", history: "deep" } },
        },
      },
    }),
    steps: [{ send: { type: "GO" } }],
  },
  {
    from: "history.test.ts › should not execute actions of the initial transition when a history state with a default target is targeted and its parent state was never visited yet (the spy and the parent's entry emit; then again once visited)",
    machine: createMachine({
      initial: "a",
      states: {
        a: { on: { NEXT: "#hist" } },
        b: {
          entry: emit({ type: "entered b" }),
          initial: { target: "b1", actions: emit({ type: "spy" }) },
          states: { b1: {}, b2: { id: "hist", type: "history", target: "b3" }, b3: {} },
          on: { NEXT: "a" },
        },
      },
    }),
    steps: [{ send: { type: "NEXT" } }, { send: { type: "NEXT" } }, { send: { type: "NEXT" } }],
  },
  {
    from: "history.test.ts › should execute actions of the initial transition when it select a history state as the initial state of its parent (the spy emits)",
    machine: createMachine({
      initial: "a",
      states: { a: { on: { NEXT: "b" } }, b: { initial: { target: "b1", actions: emit({ type: "spy" }) }, states: { b1: { id: "hist", type: "history", target: "b2" }, b2: {} } } },
    }),
    steps: [{ send: { type: "NEXT" } }],
  },
  {
    from: "history.test.ts › should invoke an actor when reentering the stored configuration through the history state (a promise that resolves at once, counted, for the callback)",
    machine: setup({ types: { context: {} as { runs: number } }, actors: { run: fromPromise(async () => "ran") } }).createMachine({
      context: { runs: 0 },
      initial: "running",
      states: {
        running: { on: { PING: { target: "refresh" } }, invoke: { src: "run", onDone: { actions: assign({ runs: ({ context }) => context.runs + 1 }) } } },
        refresh: { type: "history" },
      },
    }),
    steps: [{ send: { type: "PING" } }, { send: { type: "PING" } }],
  },
  {
    from: "history.test.ts › should not enter ancestors of the entered history state that lie outside of the transition domain when entering the default history configuration (entries and exits emitted)",
    machine: closedOpen,
    steps: [{ send: { type: "BUTTON.CLICK" } }],
  },
  {
    from: "history.test.ts › should not enter ancestors of the entered history state that lie outside of the transition domain when restoring the stored history configuration (entries and exits emitted)",
    machine: closedOpen,
    steps: [{ send: { type: "BUTTON.CLICK" } }, { send: { type: "NEXT" } }, { send: { type: "CLOSE" } }, { send: { type: "BUTTON.CLICK" } }],
  },
  {
    from: "history.test.ts › deep history states › should go to the shallow history",
    machine: deepPower("shallow", false),
    steps: [{ send: { type: "SWITCH" } }, { send: { type: "INNER" } }, { send: { type: "POWER" } }, { send: { type: "POWER" } }],
  },
  {
    from: "history.test.ts › deep history states › should go to the deep history (explicit)",
    machine: deepPower("deep", false),
    steps: [{ send: { type: "SWITCH" } }, { send: { type: "INNER" } }, { send: { type: "POWER" } }, { send: { type: "POWER" } }],
  },
  {
    from: "history.test.ts › deep history states › should go to the deepest history",
    machine: deepPower("deep", true),
    steps: [{ send: { type: "SWITCH" } }, { send: { type: "INNER" } }, { send: { type: "INNER" } }, { send: { type: "POWER" } }, { send: { type: "POWER" } }],
  },
  {
    from: "history.test.ts › parallel history states › should ignore parallel state history",
    machine: parallelHistory,
    steps: [{ send: { type: "SWITCH" } }, { send: { type: "INNER_A" } }, { send: { type: "POWER" } }, { send: { type: "POWER" } }],
  },
  {
    from: "history.test.ts › parallel history states › should remember first level state history",
    machine: parallelHistory,
    steps: [{ send: { type: "SWITCH" } }, { send: { type: "INNER_A" } }, { send: { type: "POWER" } }, { send: { type: "DEEP_POWER" } }],
  },
  {
    from: "history.test.ts › parallel history states › should re-enter each regions of parallel state correctly",
    machine: parallelHistory,
    steps: [
      { send: { type: "SWITCH" } },
      { send: { type: "INNER_A" } },
      { send: { type: "INNER_A" } },
      { send: { type: "INNER_K" } },
      { send: { type: "INNER_K" } },
      { send: { type: "POWER" } },
      { send: { type: "DEEP_POWER" } },
    ],
  },
  {
    from: "history.test.ts › parallel history states › should re-enter multiple history states",
    machine: parallelHistory,
    steps: [
      { send: { type: "SWITCH" } },
      { send: { type: "INNER_A" } },
      { send: { type: "INNER_A" } },
      { send: { type: "INNER_K" } },
      { send: { type: "INNER_K" } },
      { send: { type: "POWER" } },
      { send: { type: "PARALLEL_HISTORY" } },
    ],
  },
  {
    from: "history.test.ts › parallel history states › should re-enter a parallel with partial history",
    machine: parallelHistory,
    steps: [
      { send: { type: "SWITCH" } },
      { send: { type: "INNER_A" } },
      { send: { type: "INNER_A" } },
      { send: { type: "INNER_K" } },
      { send: { type: "INNER_K" } },
      { send: { type: "POWER" } },
      { send: { type: "PARALLEL_SOME_HISTORY" } },
    ],
  },
  {
    from: "history.test.ts › parallel history states › should re-enter a parallel with full history",
    machine: parallelHistory,
    steps: [
      { send: { type: "SWITCH" } },
      { send: { type: "INNER_A" } },
      { send: { type: "INNER_A" } },
      { send: { type: "INNER_K" } },
      { send: { type: "INNER_K" } },
      { send: { type: "POWER" } },
      { send: { type: "PARALLEL_DEEP_HISTORY" } },
    ],
  },
  {
    from: "history.test.ts › internal transition to a history state should enter default history state configuration if the containing state has never been exited yet",
    machine: createMachine({
      initial: "first",
      states: {
        first: { on: { NEXT: "second.other" } },
        second: { initial: "nested", states: { nested: {}, other: {}, hist: { history: true } }, on: { NEXT: { target: ".hist" } } },
      },
    }),
    steps: [{ send: { type: "NEXT" } }, { send: { type: "NEXT" } }],
  },
  {
    from: "history.test.ts › multistage history states › should go to the most recently visited state",
    machine: createMachine({
      initial: "running",
      states: {
        running: {
          initial: "normal",
          states: { normal: { on: { SWITCH_TURBO: "turbo" } }, turbo: { on: { SWITCH_TURBO: "normal" } }, H: { history: true } },
          on: { POWER: "off" },
        },
        starting: { on: { STARTED: "running.H" } },
        off: { on: { POWER: "starting" } },
      },
    }),
    steps: [{ send: { type: "SWITCH_TURBO" } }, { send: { type: "POWER" } }, { send: { type: "POWER" } }, { send: { type: "STARTED" } }],
  },
  {
    from: "history.test.ts › should go to the most recently visited state (adapted: the state is left and restored by timers)",
    machine: createMachine({
      initial: "on",
      states: {
        on: { initial: "first", states: { first: { after: { 10: "second" } }, second: {}, hist: { type: "history" } }, on: { POWER: "off" } },
        off: { after: { 100: "on.hist" } },
      },
    }),
    steps: [{ advance: 10 }, { send: { type: "POWER" } }, { advance: 100 }],
  },

  // ── parallel.test.ts ───────────────────────────────────────────────────────────────────
  {
    from: "parallel.test.ts › should go from … to … on TOGGLE_BOLD, TOGGLE_ITALICS, RESET (the word machine, one event per step)",
    machine: wordMachine,
    steps: [
      { send: { type: "TOGGLE_BOLD" } },
      { send: { type: "TOGGLE_BOLD" } },
      { send: { type: "TOGGLE_UNDERLINE" } },
      { send: { type: "BULLETS" } },
      { send: { type: "TOGGLE_BOLD" } },
      { send: { type: "TOGGLE_ITALICS" } },
      { send: { type: "RESET" } },
    ],
  },
  {
    from: "parallel.test.ts › should have all parallel states represented in the state value (2) (the wak machine's named actions emit)",
    machine: createMachine({
      id: "wakMachine",
      type: "parallel",
      states: {
        wak1: {
          initial: "wak1sonA",
          states: {
            wak1sonA: { entry: emit({ type: "wak1sonAenter" }), exit: emit({ type: "wak1sonAexit" }) },
            wak1sonB: { entry: emit({ type: "wak1sonBenter" }), exit: emit({ type: "wak1sonBexit" }) },
          },
          on: { WAK1: ".wak1sonB" },
          entry: emit({ type: "wak1enter" }),
          exit: emit({ type: "wak1exit" }),
        },
        wak2: {
          initial: "wak2sonA",
          states: {
            wak2sonA: { entry: emit({ type: "wak2sonAenter" }), exit: emit({ type: "wak2sonAexit" }) },
            wak2sonB: { entry: emit({ type: "wak2sonBenter" }), exit: emit({ type: "wak2sonBexit" }) },
          },
          on: { WAK2: ".wak2sonB" },
          entry: emit({ type: "wak2enter" }),
          exit: emit({ type: "wak2exit" }),
        },
      },
    }),
    steps: [{ send: { type: "WAK2" } }, { send: { type: "WAK1" } }],
  },
  {
    from: "parallel.test.ts › should work with regions without states",
    machine: createMachine({ type: "parallel", states: { foo: {}, bar: {}, baz: { initial: "one", states: { one: { on: { E: "two" } }, two: {} } } } }),
    steps: [{ send: { type: "E" } }],
  },
  {
    from: "parallel.test.ts › should properly transition to relative substate (the composer machine, its named actions emit, then on through both modes)",
    machine: composerMachine,
    steps: [
      { send: { type: "singleClickActivity" } },
      { send: { type: "copyInClipboardSuccess" } },
      { send: { type: "singleClickCanvas" } },
      { send: { type: "switchToProjectManagement" } },
      { send: { type: "singleClickLink" } },
      { send: { type: "switchToStructureEdit" } },
    ],
  },
  {
    from: "parallel.test.ts › should properly transition according to entry events on an initial state",
    machine: createMachine({
      type: "parallel",
      states: {
        OUTER1: { initial: "B", states: { A: {}, B: { entry: raise({ type: "CLEAR" }) } } },
        OUTER2: {
          type: "parallel",
          states: {
            INNER1: { initial: "ON", states: { OFF: {}, ON: { on: { CLEAR: "OFF" } } } },
            INNER2: { initial: "OFF", states: { OFF: {}, ON: {} } },
          },
        },
      },
    }),
    steps: [],
  },
  {
    from: "parallel.test.ts › should properly transition when raising events for a parallel state (and on to A, then C)",
    machine: createMachine({
      type: "parallel",
      states: {
        OUTER1: {
          initial: "C",
          states: {
            A: { entry: raise({ type: "TURN_OFF" }), on: { EVENT_OUTER1_B: "B", EVENT_OUTER1_C: "C" } },
            B: { entry: raise({ type: "TURN_ON" }), on: { EVENT_OUTER1_A: "A", EVENT_OUTER1_C: "C" } },
            C: { entry: raise({ type: "CLEAR" }), on: { EVENT_OUTER1_A: "A", EVENT_OUTER1_B: "B" } },
          },
        },
        OUTER2: {
          type: "parallel",
          states: {
            INNER1: { initial: "ON", states: { OFF: { on: { TURN_ON: "ON" } }, ON: { on: { CLEAR: "OFF" } } } },
            INNER2: { initial: "OFF", states: { OFF: { on: { TURN_ON: "ON" } }, ON: { on: { TURN_OFF: "OFF" } } } },
          },
        },
      },
    }),
    steps: [{ send: { type: "EVENT_OUTER1_B" } }, { send: { type: "EVENT_OUTER1_A" } }, { send: { type: "EVENT_OUTER1_C" } }],
  },
  {
    from: "parallel.test.ts › should handle simultaneous orthogonal transitions",
    machine: createMachine({
      types: {} as { context: { value: string }; events: { type: "CHANGE"; value: string } | { type: "SAVE" } },
      id: "yamlEditor",
      type: "parallel",
      context: { value: "" },
      states: {
        editing: { on: { CHANGE: { actions: assign({ value: ({ event }) => event.value }) } } },
        status: { initial: "unsaved", states: { unsaved: { on: { SAVE: { target: "saved" } } }, saved: { on: { CHANGE: "unsaved" } } } },
      },
    }),
    steps: [{ send: { type: "SAVE" } }, { send: event({ type: "CHANGE", value: "something" }) }],
  },
  {
    from: "parallel.test.ts › should execute actions of the initial transition of a parallel region when entering the initial state nodes of a machine (the spy emits)",
    machine: createMachine({ type: "parallel", states: { a: { initial: { target: "a1", actions: emit({ type: "spy" }) }, states: { a1: {} } } } }),
    steps: [],
  },
  {
    from: "parallel.test.ts › should execute actions of the initial transition of a parallel region when the parallel state is targeted with an explicit transition (the spy emits)",
    machine: createMachine({
      initial: "a",
      states: { a: { on: { NEXT: "b" } }, b: { type: "parallel", states: { c: { initial: { target: "c1", actions: emit({ type: "spy" }) }, states: { c1: {} } } } } },
    }),
    steps: [{ send: { type: "NEXT" } }],
  },
  {
    from: "parallel.test.ts › transitions with nested parallel states › should properly transition when in a simple nested state",
    machine: nestedParallel,
    steps: [{ send: { type: "EVENT_SIMPLE" } }, { send: { type: "EVENT_STATE_NTJ0_WORK" } }],
  },
  {
    from: "parallel.test.ts › transitions with nested parallel states › should properly transition when in a complex nested state",
    machine: nestedParallel,
    steps: [{ send: { type: "EVENT_COMPLEX" } }, { send: { type: "EVENT_STATE_NTJ0_WORK" } }],
  },
  {
    from: "parallel.test.ts › nested flat parallel states › should represent the flat nested parallel states in the state value (and back to A)",
    machine: createMachine({
      initial: "A",
      states: { A: { on: { "to-B": "B" } }, B: { type: "parallel", states: { C: {}, D: {} } } },
      on: { "to-A": ".A" },
    }),
    steps: [{ send: { type: "to-B" } }, { send: { type: "to-A" } }],
  },
  {
    from: "parallel.test.ts › deep flat parallel states › should properly evaluate deep flat parallel states",
    machine: createMachine({
      type: "parallel",
      states: {
        X: {},
        V: {
          initial: "A",
          on: { a: { target: "V.A" }, b: { target: "V.B" }, c: { target: "V.C" } },
          states: { A: {}, B: { initial: "BB", states: { BB: { type: "parallel", states: { BBB_A: {}, BBB_B: {} } } } }, C: {} },
        },
      },
    }),
    steps: [{ send: { type: "a" } }, { send: { type: "c" } }, { send: { type: "b" } }],
  },
  {
    from: "parallel.test.ts › other › regions should be able to transition to orthogonal regions",
    machine: createMachine({
      type: "parallel",
      states: {
        Pages: { initial: "About", states: { About: { id: "About" }, Dashboard: { id: "Dashboard" } } },
        Menu: {
          initial: "Closed",
          states: { Closed: { id: "Closed", on: { toggle: "#Opened" } }, Opened: { id: "Opened", on: { toggle: "#Closed", "go to dashboard": { target: ["#Dashboard", "#Opened"] } } } },
        },
      },
    }),
    steps: [{ send: { type: "toggle" } }, { send: { type: "go to dashboard" } }],
  },
  {
    from: "parallel.test.ts › other › should calculate the entry set for reentering transitions in parallel states",
    machine: createMachine({
      types: {} as { context: { log: string[] } },
      id: "test",
      context: { log: [] },
      type: "parallel",
      states: {
        foo: {
          initial: "foobar",
          states: {
            foobar: { on: { GOTO_FOOBAZ: "foobaz" } },
            foobaz: { entry: assign({ log: ({ context }) => [...context.log, "entered foobaz"] }), on: { GOTO_FOOBAZ: { target: "foobaz", reenter: true } } },
          },
        },
        bar: {},
      },
    }),
    steps: [{ send: { type: "GOTO_FOOBAZ" } }, { send: { type: "GOTO_FOOBAZ" } }],
  },
  {
    from: 'parallel.test.ts › should raise a "xstate.done.state.*" event when all child states reach final state',
    machine: createMachine({
      id: "test",
      initial: "p",
      states: {
        p: {
          type: "parallel",
          states: {
            a: { initial: "idle", states: { idle: { on: { FINISH: "finished" } }, finished: { type: "final" } } },
            b: { initial: "idle", states: { idle: { on: { FINISH: "finished" } }, finished: { type: "final" } } },
            c: { initial: "idle", states: { idle: { on: { FINISH: "finished" } }, finished: { type: "final" } } },
          },
          onDone: "success",
        },
        success: { type: "final" },
      },
    }),
    steps: [{ send: { type: "FINISH" } }],
  },
  {
    from: 'parallel.test.ts › should raise a "xstate.done.state.*" event when a pseudostate of a history type is directly on a parallel state',
    machine: createMachine({
      initial: "parallelSteps",
      states: {
        parallelSteps: {
          type: "parallel",
          states: {
            hist: { type: "history" },
            one: { initial: "wait_one", states: { wait_one: { on: { finish_one: { target: "done" } } }, done: { type: "final" } } },
            two: { initial: "wait_two", states: { wait_two: { on: { finish_two: { target: "done" } } }, done: { type: "final" } } },
          },
          onDone: "finished",
        },
        finished: {},
      },
    }),
    steps: [{ send: { type: "finish_one" } }, { send: { type: "finish_two" } }],
  },
  {
    from: "parallel.test.ts › source parallel region should be reentered when a transition within it targets another parallel region (parallel root) (entries and exits emitted)",
    machine: createMachine({
      type: "parallel",
      states: {
        Operation: { ...track("Operation"), initial: "Waiting", states: { Waiting: { ...track("Operation.Waiting"), on: { TOGGLE_MODE: { target: "#Demo" } } }, Fetching: {} } },
        Mode: { ...track("Mode"), initial: "Normal", states: { Normal: { ...track("Mode.Normal") }, Demo: { ...track("Mode.Demo"), id: "Demo" } } },
      },
    }),
    steps: [{ send: { type: "TOGGLE_MODE" } }],
  },
  {
    from: "parallel.test.ts › source parallel region should be reentered when a transition within it targets another parallel region (nested parallel) (entries and exits emitted)",
    machine: createMachine({
      initial: "a",
      states: {
        a: {
          type: "parallel",
          states: {
            Operation: { ...track("a.Operation"), initial: "Waiting", states: { Waiting: { ...track("a.Operation.Waiting"), on: { TOGGLE_MODE: { target: "#Demo" } } }, Fetching: {} } },
            Mode: { ...track("a.Mode"), initial: "Normal", states: { Normal: { ...track("a.Mode.Normal") }, Demo: { ...track("a.Mode.Demo"), id: "Demo" } } },
          },
        },
      },
    }),
    steps: [{ send: { type: "TOGGLE_MODE" } }],
  },
  {
    from: "parallel.test.ts › targetless transition on a parallel state should not enter nor exit any states (entries and exits emitted, the action too)",
    machine: createMachine({
      id: "test",
      type: "parallel",
      states: {
        first: { ...track("first"), initial: "disabled", states: { disabled: { ...track("first.disabled") }, enabled: { ...track("first.enabled") } } },
        second: { ...track("second") },
      },
      on: { MY_EVENT: { actions: emit({ type: "action" }) } },
    }),
    steps: [{ send: { type: "MY_EVENT" } }],
  },
  {
    from: "parallel.test.ts › targetless transition in one of the parallel regions should not enter nor exit any states (entries and exits emitted, the action too)",
    machine: createMachine({
      id: "test",
      type: "parallel",
      states: {
        first: {
          ...track("first"),
          initial: "disabled",
          states: { disabled: { ...track("first.disabled") }, enabled: { ...track("first.enabled") } },
          on: { MY_EVENT: { actions: emit({ type: "action" }) } },
        },
        second: { ...track("second") },
      },
    }),
    steps: [{ send: { type: "MY_EVENT" } }],
  },

  // ── deterministic.test.ts ──────────────────────────────────────────────────────────────
  {
    from: "deterministic.test.ts › should not transition states for illegal transitions (then a legal one)",
    machine: createMachine({ initial: "a", states: { a: { on: { NEXT: "b" } }, b: {} } }),
    steps: [{ send: { type: "FAKE" } }, { send: { type: "NEXT" } }],
  },
  {
    from: "deterministic.test.ts › machine transitions and nested states (the light machine driven by events: deepest initial state, forbidden events, bubbling up)",
    machine: deterministicLight,
    steps: [
      { send: { type: "TIMER" } },
      { send: { type: "TIMER" } },
      { send: { type: "TIMER" } },
      { send: { type: "PED_COUNTDOWN" } },
      { send: { type: "TIMER" } },
      { send: { type: "PED_COUNTDOWN" } },
      { send: { type: "TIMER" } },
      { send: { type: "POWER_OUTAGE" } },
    ],
  },
  {
    from: "deterministic.test.ts › machine transition with nested states › should not transition from illegal events (then a legal one)",
    machine: createMachine({ initial: "a", states: { a: { initial: "b", states: { b: { on: { NEXT: "c" } }, c: {} } } } }),
    steps: [{ send: { type: "FAKE" } }, { send: { type: "NEXT" } }],
  },
  {
    from: "deterministic.test.ts › state key names › should work with substate nodes that have the same key (a machine child for the callback; entries and exits emitted)",
    machine: setup({ actors: { idler } }).createMachine({
      initial: "test",
      states: { test: { invoke: [{ src: "idler" }], ...track("test"), on: { NEXT: "test" } } },
    }),
    steps: [{ send: { type: "NEXT" } }],
  },

  // ── order.test.ts ──────────────────────────────────────────────────────────────────────
  {
    from: "order.test.ts › should specify the correct document order for each state node (adapted: entries and exits emitted, in document order)",
    machine: createMachine({
      id: "order",
      initial: "one",
      states: {
        one: {
          ...track("one"),
          initial: "two",
          on: { GO: "seven" },
          states: {
            two: { ...track("two"), on: { DEEPER: "three.five" } },
            three: { ...track("three"), initial: "four", states: { four: { ...track("four") }, five: { ...track("five"), initial: "six", states: { six: { ...track("six") } } } } },
          },
        },
        seven: {
          ...track("seven"),
          type: "parallel",
          on: { BACK: "one" },
          states: {
            eight: { ...track("eight"), initial: "nine", states: { nine: { ...track("nine") }, ten: { ...track("ten"), initial: "eleven", states: { eleven: { ...track("eleven") }, twelve: { ...track("twelve") } } } } },
            thirteen: { ...track("thirteen"), type: "parallel", states: { fourteen: { ...track("fourteen") }, fifteen: { ...track("fifteen") } } },
          },
        },
      },
    }),
    steps: [{ send: { type: "DEEPER" } }, { send: { type: "GO" } }, { send: { type: "BACK" } }],
  },

  // ── microstep.test.ts ──────────────────────────────────────────────────────────────────
  {
    from: "microstep.test.ts › machine.microstep() › should return an array of states from all microsteps (as an actor: each state's entry emitted)",
    machine: createMachine({
      initial: "start",
      states: {
        start: { on: { GO: "a" } },
        a: { entry: [emit({ type: "enter", state: "a" }), raise({ type: "NEXT" })], on: { NEXT: "b" } },
        b: { entry: emit({ type: "enter", state: "b" }), always: "c" },
        c: { entry: [emit({ type: "enter", state: "c" }), raise({ type: "NEXT" })], on: { NEXT: "d" } },
        d: { entry: emit({ type: "enter", state: "d" }) },
      },
    }),
    steps: [{ send: { type: "GO" } }],
  },
  {
    from: "microstep.test.ts › machine.microstep() › each state should preserve their internal queue (as an actor: each state's entry emitted)",
    machine: createMachine({
      initial: "first",
      states: {
        first: { on: { TRIGGER: { target: "second", actions: [raise({ type: "FOO" }), raise({ type: "BAR" })] } } },
        second: { entry: emit({ type: "enter", state: "second" }), on: { FOO: { target: "third" } } },
        third: { entry: emit({ type: "enter", state: "third" }), on: { BAR: { target: "fourth" } } },
        fourth: { entry: emit({ type: "enter", state: "fourth" }), always: "fifth" },
        fifth: { entry: emit({ type: "enter", state: "fifth" }) },
      },
    }),
    steps: [{ send: { type: "TRIGGER" } }],
  },
  {
    from: "microstep.test.ts › getMicrosteps › should return microsteps with actions (as an actor: the actions emit)",
    machine: createMachine({
      initial: "a",
      states: {
        a: { on: { GO: { target: "b", actions: emit({ type: "GO action" }) } } },
        b: { entry: emit({ type: "b entry" }), always: { target: "c", actions: emit({ type: "always action" }) } },
        c: {},
      },
    }),
    steps: [{ send: { type: "GO" } }],
  },
  {
    from: "microstep.test.ts › getMicrosteps › should capture actions from raised events (as an actor: the actions emit)",
    machine: createMachine({
      initial: "a",
      states: {
        a: { on: { GO: { target: "b", actions: [emit({ type: "GO action" }), raise({ type: "NEXT" })] } } },
        b: { on: { NEXT: { target: "c", actions: emit({ type: "NEXT action" }) } } },
        c: {},
      },
    }),
    steps: [{ send: { type: "GO" } }],
  },
  {
    from: "microstep.test.ts › getInitialMicrosteps › should capture actions from initial always transitions (as an actor: the actions emit)",
    machine: createMachine({
      initial: "a",
      states: {
        a: { entry: emit({ type: "a entry" }), always: { target: "b", actions: emit({ type: "always action" }) } },
        b: { entry: emit({ type: "b entry" }) },
      },
    }),
    steps: [],
  },
  {
    from: "microstep.test.ts › getInitialMicrosteps › should pass input to context function (as an actor)",
    machine: createMachine({
      types: {} as { context: { count: number }; input: { value: number } },
      context: ({ input }) => ({ count: input.value }),
      initial: "a",
      states: { a: {} },
    }),
    input: { value: 42 },
    steps: [],
  },
];
