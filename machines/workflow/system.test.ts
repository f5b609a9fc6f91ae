import { describe, expect, it } from "vitest";
import { assign, cancel, createMachine, emit, fromPromise, raise, sendParent, sendTo, setup, type AnyStateMachine, type EventObject } from "xstate";
import { WorkflowSystem } from "./system.ts";
import type { PersistedSystem, SystemStep, TimerSet } from "./types.ts";

/**
 * A host in memory: timers on a virtual clock, work settled by hand, and every step stored
 * as plain data and restored into a new system (an eviction after each step).
 */
class MemoryWorkflow {
  now = 0;
  stored: PersistedSystem;
  timers: Array<TimerSet & { dueAt: number; seq: number }> = [];
  work = new Map<string, { path: string; id: string; src: string; input: unknown }>();
  ran: string[] = [];
  emitted: EventObject[] = [];
  #seq = 0;

  readonly machine: AnyStateMachine;

  constructor(machine: AnyStateMachine, input?: unknown) {
    this.machine = machine;
    const system = new WorkflowSystem(machine);
    const step = system.start(input);
    this.stored = structuredClone(system.persist());
    this.#apply(step);
  }

  get system(): WorkflowSystem {
    const system = new WorkflowSystem(this.machine);
    system.restore(structuredClone(this.stored));
    return system;
  }

  get snapshot() {
    return this.system.snapshot;
  }

  send(event: EventObject, target = ""): void {
    const system = this.system;
    const step = system.deliver(event, target);
    this.stored = structuredClone(system.persist());
    this.#apply(step);
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.dueAt <= until).sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq)[0];
      if (!due) break;
      this.now = due.dueAt;
      this.timers = this.timers.filter((t) => t !== due);
      this.send(due.event, due.target);
    }
    this.now = until;
  }

  settle(id: string, outcome: { output?: unknown; error?: unknown }): void {
    const work = [...this.work.values()].find((w) => w.id === id);
    if (!work) throw new Error(`no work ${id}`);
    this.work.delete(`${work.path}#${work.id}`);
    const type = "error" in outcome ? `xstate.error.actor.${id}` : `xstate.done.actor.${id}`;
    this.send({ type, ...outcome, actorId: id } as EventObject, work.path);
  }

  #apply(step: SystemStep): void {
    for (const timer of step.timers) {
      if (timer.sendId !== undefined) this.timers = this.timers.filter((t) => !(t.source === timer.source && t.sendId === timer.sendId));
      if (timer.type === "set") this.timers.push({ ...timer, dueAt: this.now + timer.delayMs, seq: this.#seq++ });
    }
    for (const work of step.work) {
      if (work.type === "start") this.work.set(`${work.path}#${work.id}`, work);
      else this.work.delete(`${work.path}#${work.id}`);
    }
    for (const path of step.removed) {
      this.timers = this.timers.filter((t) => t.source !== path && !t.source.startsWith(`${path}/`));
    }
    this.emitted.push(...step.emitted);
    for (const run of step.actions) run();
  }
}

describe("WorkflowSystem", () => {
  it("runs entry and transition actions once each, across restores", () => {
    const ran: string[] = [];
    const machine = setup({
      actions: { enter: () => void ran.push("entry"), go: () => void ran.push("transition") },
    }).createMachine({ initial: "a", states: { a: { entry: "enter", on: { GO: { target: "b", actions: "go" } } }, b: {} } });
    const wf = new MemoryWorkflow(machine);
    wf.send({ type: "GO" });
    expect(ran).toEqual(["entry", "transition"]);
    expect(wf.snapshot.value).toBe("b");
  });

  it("keeps an after timer waiting at 99 ms and done at 100 ms", () => {
    const machine = createMachine({ initial: "waiting", states: { waiting: { after: { 100: "done" } }, done: {} } });
    const wf = new MemoryWorkflow(machine);
    wf.advance(99);
    expect(wf.snapshot.value).toBe("waiting");
    wf.advance(1);
    expect(wf.snapshot.value).toBe("done");
    expect(wf.timers).toEqual([]);
  });

  it("cancels an after timer when its state is left", () => {
    const machine = createMachine({ initial: "a", states: { a: { after: { 100: "late" }, on: { GO: "b" } }, b: {}, late: {} } });
    const wf = new MemoryWorkflow(machine);
    wf.send({ type: "GO" });
    expect(wf.timers).toEqual([]);
    wf.advance(1000);
    expect(wf.snapshot.value).toBe("b");
  });

  it("fires a delayed send cancelled and replaced by its id once, at the replacement's time", () => {
    const machine = setup({}).createMachine({
      initial: "idle",
      context: { fired: 0 },
      states: { idle: {} },
      on: {
        ARM: { actions: raise({ type: "FIRE" }, { id: "t", delay: 100 }) },
        REARM: { actions: [cancel("t"), raise({ type: "FIRE" }, { id: "t", delay: 300 })] },
        FIRE: { actions: assign({ fired: ({ context }) => context.fired + 1 }) },
      },
    });
    const wf = new MemoryWorkflow(machine);
    wf.send({ type: "ARM" });
    wf.advance(50);
    wf.send({ type: "REARM" });
    wf.advance(299);
    expect(wf.snapshot.context.fired).toBe(0);
    wf.advance(1);
    expect(wf.snapshot.context.fired).toBe(1);
    wf.advance(10_000);
    expect(wf.snapshot.context.fired).toBe(1);
  });

  it("processes an event a machine sends itself on entry", () => {
    const machine = createMachine({
      initial: "a",
      states: { a: { entry: sendTo(({ self }) => self, { type: "NEXT" }), on: { NEXT: "b" } }, b: {} },
    });
    expect(new MemoryWorkflow(machine).snapshot.value).toBe("b");
  });

  it("starts and stops a spawned child, exchanging messages and hearing its completion", () => {
    const child = createMachine({
      initial: "waiting",
      states: {
        waiting: { entry: sendParent({ type: "CHILD_READY" }), on: { PING: { target: "finished", actions: sendParent({ type: "PONG" }) } } },
        finished: { type: "final" },
      },
      output: { answer: 42 },
    });
    const machine = setup({ actors: { child } }).createMachine({
      initial: "working",
      context: { ready: false, pong: false, answer: 0 },
      states: {
        working: {
          invoke: {
            id: "kid",
            src: "child",
            onDone: { target: "done", actions: assign({ answer: ({ event }) => (event.output as { answer: number }).answer }) },
          },
          on: {
            CHILD_READY: { actions: assign({ ready: true }) },
            PONG: { actions: assign({ pong: true }) },
            POKE: { actions: sendTo("kid", { type: "PING" }) },
          },
        },
        done: { type: "final" },
      },
    });
    const wf = new MemoryWorkflow(machine);
    expect(wf.snapshot.context.ready).toBe(true);
    expect(Object.keys(wf.snapshot.children)).toEqual(["kid"]);
    wf.send({ type: "POKE" });
    expect(wf.snapshot.context).toEqual({ ready: true, pong: true, answer: 42 });
    expect(wf.snapshot.status).toBe("done");
  });

  it("restores a child machine with its own timer", () => {
    const child = createMachine({ initial: "wait", states: { wait: { after: { 500: "over" } }, over: { type: "final" } } });
    const machine = setup({ actors: { child } }).createMachine({
      initial: "a",
      states: { a: { invoke: { id: "kid", src: "child", onDone: "b" } }, b: {} },
    });
    const wf = new MemoryWorkflow(machine);
    expect(wf.timers).toMatchObject([{ source: "kid", target: "kid" }]);
    wf.advance(499);
    expect(wf.snapshot.value).toBe("a");
    wf.advance(1);
    expect(wf.snapshot.value).toBe("b");
  });

  it("stops a child's timers when the parent leaves the invoking state", () => {
    const child = createMachine({ initial: "wait", states: { wait: { after: { 500: "over" } }, over: { type: "final" } } });
    const machine = setup({ actors: { child } }).createMachine({
      initial: "a",
      states: { a: { invoke: { id: "kid", src: "child" }, on: { LEAVE: "b" } }, b: {} },
    });
    const wf = new MemoryWorkflow(machine);
    wf.send({ type: "LEAVE" });
    expect(wf.timers).toEqual([]);
    expect(wf.snapshot.children).toEqual({});
  });

  it("hands promise actors out as work and takes their outcome back", () => {
    const machine = setup({ actors: { pay: fromPromise(async ({ input }: { input: { amount: number } }) => input.amount) } }).createMachine({
      initial: "paying",
      states: {
        paying: { invoke: { id: "pay", src: "pay", input: { amount: 5 }, onDone: "paid", onError: "failed" } },
        paid: {},
        failed: {},
      },
    });
    const wf = new MemoryWorkflow(machine);
    expect([...wf.work.values()]).toEqual([{ type: "start", path: "", id: "pay", src: "pay", input: { amount: 5 } }]);
    wf.settle("pay", { output: 5 });
    expect(wf.snapshot.value).toBe("paid");
  });

  it("ends in error on an unhandled promise error", () => {
    const machine = setup({ actors: { pay: fromPromise(async () => 1) } }).createMachine({
      initial: "paying",
      states: { paying: { invoke: { id: "pay", src: "pay", onDone: "paid" } }, paid: {} },
    });
    const wf = new MemoryWorkflow(machine);
    wf.settle("pay", { error: { name: "Error", message: "card declined" } });
    expect(wf.snapshot.status).toBe("error");
  });

  it("ends in error when a step throws, and keeps that across a restore", () => {
    const machine = setup({
      actions: {
        boom: () => {
          throw new Error("boom");
        },
      },
    }).createMachine({ initial: "a", states: { a: { on: { GO: { target: "b", actions: assign(() => { throw new Error("bad assign"); }) } } }, b: {} } });
    const wf = new MemoryWorkflow(machine);
    wf.send({ type: "GO" });
    expect(wf.snapshot.status).toBe("error");
    expect((wf.snapshot as unknown as { error: unknown }).error).toEqual({ name: "Error", message: "bad assign" });
  });

  it("reports the output of a final state", () => {
    const machine = createMachine({ initial: "a", states: { a: { on: { GO: "b" } }, b: { type: "final" } }, output: { ok: true } });
    const wf = new MemoryWorkflow(machine);
    wf.send({ type: "GO" });
    expect(wf.snapshot.status).toBe("done");
    expect(wf.snapshot.output).toEqual({ ok: true });
  });

  it("collects emitted events", () => {
    const machine = setup({ types: { emitted: {} as { type: "notice"; n: number } } }).createMachine({
      on: { GO: { actions: emit({ type: "notice", n: 1 }) } },
    });
    const wf = new MemoryWorkflow(machine);
    wf.send({ type: "GO" });
    expect(wf.emitted).toEqual([{ type: "notice", n: 1 }]);
  });

  it("refuses to restore into a state the machine lacks", () => {
    const v1 = createMachine({ initial: "old", states: { old: {} } });
    const v2 = createMachine({ initial: "new", states: { new: {} } });
    const wf = new MemoryWorkflow(v1);
    expect(() => new WorkflowSystem(v2).restore(wf.stored)).toThrow();
  });
});

describe("stateTree", () => {
  it("draws nested states, readable event labels, guards, delays and invokes as plain data", async () => {
    const { stateTree } = await import("./graph.ts");
    const machine = setup({ actors: { pay: fromPromise(async () => 1) }, guards: { small: () => true } }).createMachine({
      id: "order",
      initial: "review",
      states: {
        review: { on: { APPROVE: { target: "paying", guard: "small" } }, after: { 86_400_000: "escalated" } },
        paying: { invoke: { id: "pay", src: "pay", onDone: "paid" }, initial: "trying", states: { trying: {} } },
        escalated: {},
        paid: { type: "final" },
      },
    });
    const graph = stateTree(machine);
    expect(structuredClone(graph)).toEqual(graph);
    const [review, paying] = graph.states;
    expect(review!.transitions).toEqual([
      { event: "APPROVE", label: "APPROVE", targets: ["order.paying"], guard: "small" },
      { event: "xstate.after.86400000.order.review", label: "after 24 h", targets: ["order.escalated"], delayMs: 86_400_000 },
    ]);
    expect(paying).toMatchObject({ type: "compound", initial: "order.paying.trying", invoke: [{ id: "pay", src: "pay" }] });
    expect(paying!.transitions[0]).toMatchObject({ label: "pay done", targets: ["order.paid"] });
  });

  it("says how long a named delay is when it is a constant, and names it when it is computed", async () => {
    const { stateTree } = await import("./graph.ts");
    const machine = setup({ delays: { reviewTimeout: 86_400_000, backoff: () => 1_000 } }).createMachine({
      id: "expense",
      initial: "review",
      states: { review: { after: { reviewTimeout: "escalated", backoff: "escalated" } }, escalated: {} },
    });
    const labels = stateTree(machine).states[0]!.transitions.map((t) => [t.label, t.delayMs]);
    expect(labels).toEqual([["after 24 h", 86_400_000], ["after a delay", undefined]]);
  });

  it("names the events of an invoke without an id after its src", async () => {
    const { stateTree } = await import("./graph.ts");
    const machine = setup({ actors: { charge: fromPromise(async () => 1) } }).createMachine({
      id: "order",
      initial: "charging",
      states: { charging: { invoke: { src: "charge", onDone: "paid", onError: "failed" } }, paid: {}, failed: {} },
    });
    expect(stateTree(machine).states[0]!.transitions.map((t) => t.label)).toEqual(["charge done", "charge failed"]);
  });
});
