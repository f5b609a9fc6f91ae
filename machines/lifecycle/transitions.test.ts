import { afterAll, describe, expect, it } from "vitest";
import type { AnyStateNode, AnyTransitionDefinition, InspectionEvent } from "xstate";
import { allTransitions } from "../definition.ts";
import { answersTo, entryEventTypes } from "./acceptance.ts";
import { lifecycleMachine } from "./machine.ts";
import { MemoryHost } from "./memory-host.ts";
import type { LifecycleContext, LifecycleEvent, RefusalReason } from "./types.ts";

// Which transition definitions the tests below actually took, keyed by where they sit in
// the machine. The last test compares this with every transition the machine defines.
const taken = new Set<string>();

function transitionKey(transition: AnyTransitionDefinition): string {
  const source = transition.source as AnyStateNode;
  const candidates = transition.eventType === "" ? source.always : source.transitions.get(transition.eventType);
  const index = candidates?.findIndex((candidate) => candidate === transition) ?? -1;
  return `${source.id} ${transition.eventType || "(always)"} #${index}`;
}

function recordTaken(event: InspectionEvent): void {
  if (event.type === "@xstate.microstep") for (const t of event._transitions) taken.add(transitionKey(t));
}

const GEN = 2;

/** Ways to reach each state, through the events a host would send and the work it would finish. */
const reach = {
  uninitialized: async () => new MemoryHost({ inspect: recordTaken }),
  loading: async () => {
    const host = await reach.uninitialized();
    host.driver.send({ type: "LOAD" });
    return host;
  },
  absent: async () => {
    const host = await reach.loading();
    await host.finish("load", { status: "absent" });
    return host;
  },
  creating: async () => {
    const host = await reach.absent();
    host.driver.send({ type: "CREATE", mode: "getOrCreate" });
    return host;
  },
  running: async () => {
    const host = await reach.loading();
    await host.finish("load", { status: "live", generation: GEN });
    return host;
  },
  draining: async () => {
    const host = await reach.running();
    host.driver.send({ type: "ACTION_START" });
    host.driver.send({ type: "DESTROY" });
    return host;
  },
  finalizing: async () => {
    const host = await reach.running();
    host.driver.send({ type: "DESTROY" });
    return host;
  },
  stalled: async () => {
    const host = await reach.finalizing();
    await host.fail("teardown");
    return host;
  },
  destroyed: async () => {
    const host = await reach.loading();
    await host.finish("load", { status: "destroyed", generation: GEN });
    return host;
  },
  resurrecting: async () => {
    const host = await reach.destroyed();
    host.driver.send({ type: "CREATE", mode: "getOrCreate", input: { start: 5 } });
    return host;
  },
};

type Start = keyof typeof reach;

function expectAccepted(host: MemoryHost, event: LifecycleEvent, state: string, context: Partial<LifecycleContext> = {}) {
  const before = host.log.length;
  expect(host.driver.send(event)).toEqual({ accepted: true });
  expect(host.driver.state).toBe(state);
  expect(host.driver.context).toMatchObject(context);
  return host.log.slice(before);
}

function expectRefused(host: MemoryHost, event: LifecycleEvent, reason: RefusalReason) {
  const state = host.driver.state;
  const context = { ...host.driver.context };
  expect(host.driver.send(event)).toEqual({ accepted: false, reason });
  expect(host.driver.state).toBe(state);
  expect(host.driver.context).toEqual(context);
  // A refusal is never silent: it lands in the transition log with its reason.
  expect(host.log.at(-1)).toMatchObject({ from: state, to: state, event: event.type, ok: false, error: reason });
}

function refusalsOf(start: Start, reason: RefusalReason, events: LifecycleEvent[]) {
  for (const event of events) {
    it(`refuses ${event.type}${"generation" in event ? ` for generation ${event.generation}` : ""} with ${reason}`, async () => {
      expectRefused(await reach[start](), event, reason);
    });
  }
}

describe("uninitialized", () => {
  it("starts loading on LOAD", async () => {
    const host = await reach.uninitialized();
    expectAccepted(host, { type: "LOAD" }, "loading");
    expect((await host.startedWork())?.name).toBe("load");
  });
  refusalsOf("uninitialized", "not_loaded", [
    { type: "CREATE", mode: "getOrCreate" },
    { type: "ACTION_START" },
    { type: "DESTROY" },
    { type: "ALARM" },
  ]);
});

describe("loading", () => {
  it("shares one load between concurrent LOADs", async () => {
    const host = await reach.loading();
    const waits = [host.driver.settled(), host.driver.settled()];
    expectAccepted(host, { type: "LOAD" }, "loading");
    await host.finish("load", { status: "live", generation: GEN });
    await Promise.all(waits);
    expect(host.violations).toEqual([]);
  });
  it("goes to running when the record is live", async () => {
    const host = await reach.loading();
    await host.finish("load", { status: "live", generation: GEN });
    expect(host.driver.state).toBe("running");
    expect(host.driver.context.generation).toBe(GEN);
  });
  it("resumes an interrupted destroy when the record says destroying", async () => {
    const host = await reach.loading();
    await host.finish("load", { status: "destroying", generation: GEN });
    expect(host.driver.state).toBe("destroying.finalizing");
    expect(await host.startedWork()).toEqual({ name: "teardown", input: { generation: GEN } });
  });
  it("goes to destroyed when the record is a tombstone", async () => {
    const host = await reach.loading();
    await host.finish("load", { status: "destroyed", generation: GEN });
    expect(host.driver.state).toBe("destroyed");
    expect(host.driver.context.generation).toBe(GEN);
  });
  it("goes to absent when there is no record", async () => {
    const host = await reach.loading();
    await host.finish("load", { status: "absent" });
    expect(host.driver.state).toBe("absent");
    expect(host.driver.context.generation).toBeNull();
  });
  it("returns to uninitialized when the load fails, so the next LOAD retries", async () => {
    const host = await reach.loading();
    const waiting = host.driver.settled();
    await host.fail("load", new Error("disk on fire"));
    await expect(waiting).rejects.toThrow("disk on fire");
    expect(host.driver.state).toBe("uninitialized");
    expect(host.log.at(-1)).toMatchObject({ from: "loading", to: "uninitialized", ok: false, error: "disk on fire" });
    expectAccepted(host, { type: "LOAD" }, "loading");
  });
  refusalsOf("loading", "not_ready", [{ type: "DESTROY" }, { type: "CREATE", mode: "create" }, { type: "ACTION_START" }]);
});

describe("absent", () => {
  it("accepts LOAD as already loaded", async () => {
    expectAccepted(await reach.absent(), { type: "LOAD" }, "absent");
  });
  it("creates generation 0 on CREATE, with the caller's input", async () => {
    const host = await reach.absent();
    expectAccepted(host, { type: "CREATE", mode: "create", input: { start: 1 } }, "creating", { generation: 0 });
    expect(await host.startedWork()).toEqual({
      name: "create",
      input: { generation: 0, request: { mode: "create", input: { start: 1 } } },
    });
  });
  refusalsOf("absent", "not_found", [{ type: "ACTION_START" }, { type: "DESTROY" }, { type: "INSPECT" }, { type: "ALARM" }]);
});

describe("creating", () => {
  it("goes to running when creation finishes", async () => {
    const host = await reach.creating();
    await host.finish("create", { generation: 0 });
    expect(host.driver.state).toBe("running");
    expect(host.driver.context.generation).toBe(0);
  });
  it("returns to absent when creation fails, so a later create retries", async () => {
    const host = await reach.creating();
    await host.fail("create");
    expect(host.driver.state).toBe("absent");
    expect(host.driver.context.generation).toBeNull();
  });
  it("accepts LOAD as already loaded", async () => {
    expectAccepted(await reach.creating(), { type: "LOAD" }, "creating");
  });
  it("lets getOrCreate join the creation under way", async () => {
    expectAccepted(await reach.creating(), { type: "CREATE", mode: "getOrCreate" }, "creating");
  });
  it("refuses a second create with already_exists", async () => {
    expectRefused(await reach.creating(), { type: "CREATE", mode: "create" }, "already_exists");
  });
  it("holds a DESTROY until creation finishes, then destroys", async () => {
    const host = await reach.creating();
    expectAccepted(host, { type: "DESTROY" }, "creating", { pendingDestroy: true });
    await host.finish("create", { generation: 0 });
    expect(host.driver.state).toBe("destroying.finalizing");
    expect(host.driver.context.pendingDestroy).toBe(false);
  });
  it("drops a held DESTROY when creation fails", async () => {
    const host = await reach.creating();
    host.driver.send({ type: "DESTROY" });
    await host.fail("create");
    expect(host.driver.context).toMatchObject({ pendingDestroy: false, generation: null });
  });
  refusalsOf("creating", "stale_generation", [{ type: "DESTROY", generation: 1 }]);
  refusalsOf("creating", "not_ready", [{ type: "ACTION_START" }, { type: "INSPECT" }]);
});

describe("running", () => {
  it("accepts LOAD as already loaded", async () => {
    expectAccepted(await reach.running(), { type: "LOAD" }, "running");
  });
  it("accepts getOrCreate without creating anything", async () => {
    const host = await reach.running();
    expectAccepted(host, { type: "CREATE", mode: "getOrCreate" }, "running", { generation: GEN });
  });
  it("counts actions in flight from key and id callers", async () => {
    const host = await reach.running();
    expectAccepted(host, { type: "ACTION_START" }, "running", { inFlight: 1 });
    expectAccepted(host, { type: "ACTION_START", generation: GEN }, "running", { inFlight: 2 });
    expectAccepted(host, { type: "ACTION_END" }, "running", { inFlight: 1 });
  });
  it("admits connections, alarms and inspection for the current generation", async () => {
    const host = await reach.running();
    for (const type of ["CONNECT", "ALARM", "INSPECT", "RESOLVE"] as const) expectAccepted(host, { type, generation: GEN }, "running");
  });
  it("goes to destroying on DESTROY", async () => {
    const host = await reach.running();
    const records = expectAccepted(host, { type: "DESTROY", generation: GEN }, "destroying.finalizing");
    expect(records).toEqual([{ from: "running", to: "destroying.finalizing", event: "DESTROY", generation: GEN, ok: true }]);
  });
  it("refuses create with already_exists", async () => {
    expectRefused(await reach.running(), { type: "CREATE", mode: "create" }, "already_exists");
  });
  it("refuses ACTION_END with nothing in flight", async () => {
    expectRefused(await reach.running(), { type: "ACTION_END" }, "no_action_in_flight");
  });
  it("refuses an event it never expects instead of dropping it", async () => {
    expectRefused(await reach.running(), { type: "xstate.done.actor.load", output: { status: "absent" } }, "unexpected");
  });
  refusalsOf("running", "stale_generation", [
    { type: "ACTION_START", generation: GEN - 1 },
    { type: "ACTION_START", generation: GEN + 1 },
    { type: "CONNECT", generation: GEN - 1 },
    { type: "ALARM", generation: GEN - 1 },
    { type: "INSPECT", generation: GEN - 1 },
    { type: "RESOLVE", generation: GEN - 1 },
    { type: "DESTROY", generation: GEN - 1 },
  ]);
});

describe("destroying", () => {
  it("waits for in-flight actions before tearing down", async () => {
    const host = await reach.draining();
    expect(host.driver.state).toBe("destroying.draining");
    expectAccepted(host, { type: "ACTION_END" }, "destroying.finalizing", { inFlight: 0 });
    expect(await host.startedWork()).toEqual({ name: "teardown", input: { generation: GEN } });
  });
  it("accepts LOAD as already loaded", async () => {
    expectAccepted(await reach.draining(), { type: "LOAD" }, "destroying.draining");
  });
  it("treats a second DESTROY as the same destroy", async () => {
    expectAccepted(await reach.finalizing(), { type: "DESTROY", generation: GEN }, "destroying.finalizing");
  });
  it("answers INSPECT while destroying", async () => {
    expectAccepted(await reach.finalizing(), { type: "INSPECT", generation: GEN }, "destroying.finalizing");
  });
  it("goes to destroyed when teardown finishes", async () => {
    const host = await reach.finalizing();
    await host.finish("teardown");
    expect(host.driver.state).toBe("destroyed");
    expect(host.driver.context.generation).toBe(GEN);
  });
  it("stalls when teardown fails, and retries on the next DESTROY", async () => {
    const host = await reach.finalizing();
    const waiting = host.driver.settled();
    await host.fail("teardown", new Error("wipe failed"));
    await expect(waiting).rejects.toThrow("wipe failed");
    expect(host.driver.state).toBe("destroying.stalled");
    expectAccepted(host, { type: "DESTROY" }, "destroying.finalizing");
  });
  it("queues a create and resurrects with its input once the destroy is done", async () => {
    const host = await reach.finalizing();
    expectAccepted(host, { type: "CREATE", mode: "create", input: { start: 9 } }, "destroying.finalizing", {
      queuedCreate: { mode: "create", input: { start: 9 } },
    });
    await host.finish("teardown");
    expect(host.driver.state).toBe("resurrecting");
    expect(await host.startedWork()).toEqual({
      name: "resurrect",
      input: { generation: GEN + 1, request: { mode: "create", input: { start: 9 } } },
    });
  });
  it("lets getOrCreate join a queued resurrection without replacing its input", async () => {
    const host = await reach.finalizing();
    host.driver.send({ type: "CREATE", mode: "create", input: { start: 9 } });
    expectAccepted(host, { type: "CREATE", mode: "getOrCreate", input: { start: 1 } }, "destroying.finalizing", {
      queuedCreate: { mode: "create", input: { start: 9 } },
    });
  });
  it("refuses a second create once a resurrection is queued", async () => {
    const host = await reach.finalizing();
    host.driver.send({ type: "CREATE", mode: "create" });
    expectRefused(host, { type: "CREATE", mode: "create" }, "already_exists");
  });
  refusalsOf("draining", "destroying", [{ type: "ACTION_START" }, { type: "CONNECT" }, { type: "ALARM" }, { type: "RESOLVE" }]);
  refusalsOf("finalizing", "stale_generation", [{ type: "DESTROY", generation: GEN - 1 }, { type: "INSPECT", generation: GEN + 1 }]);
  refusalsOf("stalled", "stale_generation", [{ type: "DESTROY", generation: GEN - 1 }]);
});

describe("destroyed", () => {
  it("accepts LOAD as already loaded", async () => {
    expectAccepted(await reach.destroyed(), { type: "LOAD" }, "destroyed");
  });
  it("resurrects generation + 1 on CREATE", async () => {
    const host = await reach.destroyed();
    expectAccepted(host, { type: "CREATE", mode: "getOrCreate" }, "resurrecting", { generation: GEN + 1 });
  });
  it("treats DESTROY of the destroyed generation as done", async () => {
    expectAccepted(await reach.destroyed(), { type: "DESTROY", generation: GEN }, "destroyed");
  });
  refusalsOf("destroyed", "not_found", [
    { type: "ACTION_START" },
    { type: "ALARM" },
    { type: "CONNECT" },
    { type: "INSPECT", generation: GEN },
    { type: "RESOLVE" },
  ]);
  refusalsOf("destroyed", "stale_generation", [{ type: "DESTROY", generation: GEN - 1 }]);
});

describe("resurrecting", () => {
  it("goes to running with the new generation", async () => {
    const host = await reach.resurrecting();
    expect(await host.startedWork()).toEqual({
      name: "resurrect",
      input: { generation: GEN + 1, request: { mode: "getOrCreate", input: { start: 5 } } },
    });
    await host.finish("resurrect", { generation: GEN + 1 });
    expect(host.driver.state).toBe("running");
    expect(host.driver.context.generation).toBe(GEN + 1);
  });
  it("returns to destroyed at the old generation when resurrection fails", async () => {
    const host = await reach.resurrecting();
    await host.fail("resurrect");
    expect(host.driver.state).toBe("destroyed");
    expect(host.driver.context.generation).toBe(GEN);
  });
  it("accepts LOAD as already loaded", async () => {
    expectAccepted(await reach.resurrecting(), { type: "LOAD" }, "resurrecting");
  });
  it("lets getOrCreate join the resurrection", async () => {
    expectAccepted(await reach.resurrecting(), { type: "CREATE", mode: "getOrCreate" }, "resurrecting");
  });
  it("holds a DESTROY of the new generation until it is running", async () => {
    const host = await reach.resurrecting();
    expectAccepted(host, { type: "DESTROY", generation: GEN + 1 }, "resurrecting", { pendingDestroy: true });
    await host.finish("resurrect", { generation: GEN + 1 });
    expect(host.driver.state).toBe("destroying.finalizing");
  });
  it("refuses create with already_exists", async () => {
    expectRefused(await reach.resurrecting(), { type: "CREATE", mode: "create" }, "already_exists");
  });
  refusalsOf("resurrecting", "stale_generation", [{ type: "DESTROY", generation: GEN }]);
  refusalsOf("resurrecting", "not_ready", [{ type: "ACTION_START" }, { type: "INSPECT" }]);
});

describe("the driver", () => {
  it("answers an event object sent again with a fresh verdict", async () => {
    const host = await reach.uninitialized();
    const create: LifecycleEvent = { type: "CREATE", mode: "getOrCreate" };
    expect(host.driver.send(create)).toEqual({ accepted: false, reason: "not_loaded" });
    host.driver.send({ type: "LOAD" });
    await host.finish("load", { status: "live", generation: GEN });
    expect(host.driver.send(create)).toEqual({ accepted: true });
  });
});

describe("the documented answers (docs/lifecycle.md)", () => {
  const variants: LifecycleEvent[] = [
    ...entryEventTypes
      .filter((type) => type !== "CREATE")
      .flatMap((type) => [{ type }, { type, generation: GEN - 1 }] as LifecycleEvent[]),
    { type: "CREATE", mode: "create" },
    { type: "CREATE", mode: "getOrCreate" },
  ];
  for (const start of Object.keys(reach) as Start[]) {
    it(`match what the machine does in ${start}`, async () => {
      for (const event of variants) {
        const host = await reach[start]();
        const state = host.driver.state;
        const verdict = host.driver.send(event);
        const answers = answersTo(state, event.type as (typeof entryEventTypes)[number]);
        const where = `${JSON.stringify(event)} in ${state}`;
        if (verdict.accepted) {
          expect(answers.some((answer) => !answer.refusal), where).toBe(true);
        } else {
          expect(answers.map((answer) => answer.refusal), where).toContain(verdict.reason);
        }
      }
    });
  }
});

describe("coverage", () => {
  afterAll(() => taken.clear());
  it("exercises every transition the machine defines", () => {
    const untested = allTransitions(lifecycleMachine.root).map(transitionKey).filter((key) => !taken.has(key));
    expect(untested).toEqual([]);
  });
});
