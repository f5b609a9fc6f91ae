import { describe, expect, it } from "vitest";
import { assign, cancel, createMachine, emit, fromCallback, fromPromise, raise, sendParent, sendTo, setup, spawnChild, type AnyActorRef, type AnyStateMachine, type EventObject } from "xstate";
import { DurableActor } from "../../../../machines/engine/durable-actor.ts";
import { RestoreError, RunawayStepError, type DurableStep, type StoredTimer, type StoredWork } from "../../../../machines/engine/durable-step.ts";
import { idempotencyKeyOf } from "../../../../machines/engine/pending-ledger.ts";

/**
 * A host in memory: it stores every step as plain data (structured clones) and, with
 * `evict()`, throws the actor away and restores it from what it stored — as a Durable
 * Object's eviction does.
 */
class MemoryHost {
  now = 0;
  state: { root: unknown; nextId: number } | undefined;
  timers = new Map<number, StoredTimer>();
  work = new Map<number, StoredWork>();
  emitted: EventObject[] = [];
  changes = 0;
  durable: DurableActor;
  readonly machine: AnyStateMachine;
  readonly #policy: Record<string, "rerun" | "error">;

  constructor(machine: AnyStateMachine, options: { input?: unknown; interrupted?: Record<string, "rerun" | "error"> } = {}) {
    this.machine = machine;
    this.#policy = options.interrupted ?? {};
    this.durable = DurableActor.start(machine, this.#ports(), options.input);
    this.store(this.durable.takeStep({ type: "xstate.init" }));
  }

  #ports() {
    return { now: () => this.now, changed: () => void this.changes++, keyPrefix: "actor", interrupted: (src: string) => this.#policy[src] ?? "rerun" };
  }

  store(step: DurableStep | undefined): void {
    if (!step) return;
    const stored = structuredClone(step);
    this.state = { root: stored.root, nextId: stored.nextId };
    for (const id of stored.timers.cleared) this.timers.delete(id);
    for (const timer of stored.timers.set) this.timers.set(timer.id, timer);
    for (const run of stored.work.ended) this.work.delete(run);
    for (const work of stored.work.started) this.work.set(work.run, work);
    this.emitted.push(...stored.emitted);
    this.durable.stored(step);
  }

  send(event: EventObject): DurableStep | undefined {
    const step = this.durable.send(event);
    this.store(step);
    return step;
  }

  /** Move the clock on, storing a step for each timer that fires, each at its own time. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (let next = this.durable.nextTimer(); next && next.due <= until; next = this.durable.nextTimer()) {
      this.now = next.due;
      this.store(this.durable.fireDue(this.now));
    }
    this.now = until;
  }

  /** Let promises settle, then store what followed. */
  async settle(): Promise<void> {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    if (this.durable.dirty) this.store(this.durable.takeStep());
  }

  /** Throw memory away and restore from what was stored. */
  evict(): void {
    this.durable.stop();
    this.durable = DurableActor.restore(this.machine, this.#ports(), structuredClone(this.state!), [...this.timers.values()], [...this.work.values()]);
    if (this.durable.dirty) this.store(this.durable.takeStep());
  }

  get snapshot() {
    return this.durable.snapshot as { value: unknown; context: any; status: string; output?: unknown; error?: unknown };
  }
}

describe("DurableActor", () => {
  it("keeps an after timer across an eviction, and fires it once, at its time", () => {
    const host = new MemoryHost(createMachine({ initial: "waiting", states: { waiting: { after: { 100: "done" } }, done: {} } }));
    expect([...host.timers.values()]).toMatchObject([{ source: "", target: "", dueAt: 100 }]);
    host.advance(50);
    host.evict();
    host.advance(49);
    expect(host.snapshot.value).toBe("waiting");
    host.advance(1);
    expect(host.snapshot.value).toBe("done");
    expect(host.timers.size).toBe(0);
    host.evict();
    host.advance(1_000);
    expect(host.snapshot.value).toBe("done");
  });

  it("lets a second delayed event with a pending one's id fire too, as XState does, and cancel remove them", () => {
    const machine = setup({ types: { context: {} as { fired: number } } }).createMachine({
      context: { fired: 0 },
      on: { ARM: { actions: raise({ type: "FIRE" }, { id: "t", delay: 100 }) }, FIRE: { actions: assign({ fired: ({ context }) => context.fired + 1 }) } },
    });
    const host = new MemoryHost(machine);
    host.send({ type: "ARM" });
    host.advance(50);
    host.send({ type: "ARM" });
    host.evict();
    host.advance(100);
    expect(host.snapshot.context.fired).toBe(2);
  });

  it("returns no step for an event XState drops, and a step for an eventless transition that follows one", () => {
    const machine = createMachine({ initial: "a", states: { a: { always: { guard: ({ event }) => event.type === "POKE", target: "b" } }, b: {} } });
    const host = new MemoryHost(machine);
    expect(host.send({ type: "NOPE" })).toBeUndefined();
    expect(host.send({ type: "POKE" })).toMatchObject({ cause: { type: "POKE" } });
    expect(host.snapshot.value).toBe("b");
  });

  it("keeps a ref to the parent, given to a child as input, across evictions", () => {
    const child = setup({ types: { context: {} as { parent: AnyActorRef }, input: {} as { parent: AnyActorRef } } }).createMachine({
      context: ({ input }) => ({ parent: input.parent }),
      on: { PING: { actions: sendTo(({ context }) => context.parent, { type: "PONG" }) } },
    });
    const machine = setup({ types: { context: {} as { pongs: number } }, actors: { child } }).createMachine({
      context: { pongs: 0 },
      invoke: { id: "kid", src: "child", input: ({ self }) => ({ parent: self }) },
      on: { PING: { actions: sendTo("kid", { type: "PING" }) }, PONG: { actions: assign({ pongs: ({ context }) => context.pongs + 1 }) } },
    });
    const host = new MemoryHost(machine);
    host.evict();
    host.send({ type: "PING" });
    host.evict();
    host.send({ type: "PING" });
    expect(host.snapshot.context.pongs).toBe(2);
  });

  it("runs promise work cut short by an eviction again, with the same idempotency key", async () => {
    const keys: string[] = [];
    let release: (value: string) => void = () => {};
    const machine = setup({
      actors: {
        hold: fromPromise(({ self }) => {
          keys.push(idempotencyKeyOf(self) ?? "none");
          return new Promise<string>((resolve) => (release = resolve));
        }),
      },
    }).createMachine({ initial: "waiting", states: { waiting: { invoke: { id: "h", src: "hold", onDone: "done" } }, done: {} } });
    const host = new MemoryHost(machine);
    expect([...host.work.values()]).toMatchObject([{ path: "", invokeId: "h", src: "hold" }]);
    host.evict();
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    release("ok");
    await host.settle();
    expect(host.snapshot.value).toBe("done");
    expect(host.work.size).toBe(0);
  });

  it("gives the parent an error for work cut short, where its policy says so", () => {
    const machine = setup({ actors: { hold: fromPromise(() => new Promise<string>(() => {})) } }).createMachine({
      initial: "waiting",
      states: { waiting: { invoke: { id: "h", src: "hold", onDone: "done", onError: "interrupted" } }, done: {}, interrupted: {} },
    });
    const host = new MemoryHost(machine, { interrupted: { hold: "error" } });
    host.evict();
    expect(host.snapshot.value).toBe("interrupted");
    expect(host.work.size).toBe(0);
  });

  it("refuses callback actors to their parent, which hears why", () => {
    const machine = setup({ types: { context: {} as { why: string } }, actors: { listen: fromCallback(() => () => {}) } }).createMachine({
      context: { why: "" },
      initial: "a",
      states: { a: { invoke: { src: "listen", onError: { target: "b", actions: assign({ why: ({ event }) => (event.error as Error).message }) } } }, b: {} },
    });
    const host = new MemoryHost(machine);
    expect(host.snapshot.value).toBe("b");
    expect(host.snapshot.context.why).toContain("cannot survive a restart");
  });

  it("throws for a step that never settles, and a snapshot that does not fit the machine", () => {
    const spin = createMachine({ on: { SPIN: { actions: sendTo(({ self }) => self, { type: "SPIN" }) } } });
    expect(() => new MemoryHost(spin).send({ type: "SPIN" })).toThrow(RunawayStepError);
    const host = new MemoryHost(createMachine({ initial: "a", states: { a: {} } }));
    (host.state!.root as { value: string }).value = "gone";
    expect(() => host.evict()).toThrow(RestoreError);
  });

  it("hands out what the root emitted with the step, and a child's completion to its parent", () => {
    const child = createMachine({ initial: "a", states: { a: { on: { FINISH: "b" } }, b: { type: "final" } }, exit: sendParent({ type: "BYE" }), output: { from: "child" } });
    const machine = setup({ types: { context: {} as { byes: number; output: unknown } }, actors: { child } }).createMachine({
      context: { byes: 0, output: null },
      invoke: { id: "kid", src: "child", onDone: { actions: [assign({ output: ({ event }) => event.output }), emit({ type: "kid.done" })] } },
      on: { FINISH: { actions: sendTo("kid", { type: "FINISH" }) }, BYE: { actions: assign({ byes: ({ context }) => context.byes + 1 }) } },
    });
    const host = new MemoryHost(machine);
    host.evict();
    const step = host.send({ type: "FINISH" });
    expect(step?.emitted).toEqual([{ type: "kid.done" }]);
    expect(host.snapshot.context).toEqual({ byes: 1, output: { from: "child" } });
  });

  it("stores a refused inline spawn, whose parent heard why, and restores without it", () => {
    const inline = createMachine({});
    const machine = setup({ types: { context: {} as { why: string } } }).createMachine({
      context: { why: "" },
      on: {
        SPAWN: { actions: spawnChild(inline as never, { id: "kid" } as never) },
        "xstate.error.actor.kid": { actions: assign({ why: ({ event }) => (event as unknown as { error: Error }).error.message }) },
      },
    });
    const host = new MemoryHost(machine);
    host.send({ type: "SPAWN" });
    expect(host.snapshot.context.why).toContain("must be named in setup({ actors })");
    host.evict();
    expect(host.snapshot.context.why).toContain("must be named");
    expect(Object.keys((host.durable.snapshot as { children: object }).children)).toEqual([]);
  });

  it("cancels, after an eviction, the later of two pending events with one id, as XState does", () => {
    const machine = setup({ types: { context: {} as { fired: string[] } } }).createMachine({
      context: { fired: [] },
      on: {
        A: { actions: raise({ type: "FIRE", label: "A" }, { id: "t", delay: 1_000 }) },
        B: { actions: raise({ type: "FIRE", label: "B" }, { id: "t", delay: 500 }) },
        CANCEL: { actions: cancel("t") },
        FIRE: { actions: assign({ fired: ({ context, event }) => [...context.fired, (event as { label?: string }).label ?? ""] }) },
      },
    });
    const host = new MemoryHost(machine);
    host.send({ type: "A" });
    host.send({ type: "B" });
    host.evict();
    host.send({ type: "CANCEL" });
    host.advance(2_000);
    expect(host.snapshot.context.fired).toEqual(["A"]);
  });

  it("stores a ref in a promise's input, and gives it back, live, to the run after an eviction", () => {
    const machine = setup({
      types: { context: {} as { hellos: number } },
      actors: {
        hold: fromPromise<string, { parent: AnyActorRef }>(({ input }) => {
          input.parent.send({ type: "HELLO" });
          return new Promise<string>(() => {});
        }),
      },
    }).createMachine({
      context: { hellos: 0 },
      invoke: { id: "h", src: "hold", input: ({ self }) => ({ parent: self }) },
      on: { HELLO: { actions: assign({ hellos: ({ context }) => context.hellos + 1 }) } },
    });
    const host = new MemoryHost(machine);
    expect(host.snapshot.context.hellos).toBe(1);
    host.evict();
    expect(host.snapshot.context.hellos).toBe(2);
    // What the run told the machine on restore was stored with a step of its own.
    host.evict();
    expect(host.snapshot.context.hellos).toBe(3);
  });

  it("counts the events of a change that came on its own afresh: a long promise loop is no runaway", async () => {
    const machine = setup({ types: { context: {} as { n: number } }, actors: { tick: fromPromise(async () => 1) } }).createMachine({
      context: { n: 0 },
      initial: "looping",
      states: {
        looping: {
          always: { guard: ({ context }) => context.n >= 4_000, target: "done" },
          invoke: { src: "tick", onDone: { target: "looping", reenter: true, actions: assign({ n: ({ context }) => context.n + 1 }) } },
        },
        done: {},
      },
    });
    const host = new MemoryHost(machine);
    for (let i = 0; i < 4_000 && host.snapshot.value !== "done"; i++) await host.settle();
    expect(host.snapshot.value).toBe("done");
  });
});
