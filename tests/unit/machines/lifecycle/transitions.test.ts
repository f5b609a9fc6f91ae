import { describe, expect, it } from "vitest";
import { MemoryHost } from "../../../../machines/lifecycle/memory-host.ts";
import type { CreateRequest, LifecycleContext, LifecycleEvent, RefusalReason, StoredLifecycle } from "../../../../machines/lifecycle/types.ts";

const GEN = 2;

const request = (id: string, mode: CreateRequest["mode"] = "getOrCreate", input?: unknown): CreateRequest => ({
  id,
  mode,
  ...(input === undefined ? {} : { input }),
});
const create = (id: string, mode: CreateRequest["mode"] = "getOrCreate", input?: unknown): LifecycleEvent => ({
  type: "CREATE",
  request: request(id, mode, input),
});
const stored = (state: StoredLifecycle["state"], extra: Partial<StoredLifecycle> = {}): StoredLifecycle => ({
  state,
  generation: GEN,
  request: null,
  pendingDestroy: false,
  attempts: 0,
  ...extra,
});

/** A host whose storage already holds `what`. */
function hostWith(what: StoredLifecycle | null): MemoryHost {
  const host = new MemoryHost();
  host.stored = what;
  return host;
}

/** Ways to reach each state, through the events a host would send and the work it would finish. */
const reach = {
  uninitialized: async () => new MemoryHost(),
  absent: async () => {
    const host = new MemoryHost();
    host.load();
    return host;
  },
  creating: async () => {
    const host = await reach.absent();
    host.lifecycle.send(create("first"));
    return host;
  },
  loading: async () => {
    const host = hostWith(stored("running"));
    host.load();
    return host;
  },
  running: async () => {
    const host = await reach.loading();
    await host.finish("load");
    return host;
  },
  draining: async () => {
    const host = await reach.running();
    host.lifecycle.send({ type: "ACTION_START" });
    host.lifecycle.send({ type: "DESTROY" });
    return host;
  },
  finalizing: async () => {
    const host = await reach.running();
    host.lifecycle.send({ type: "DESTROY" });
    return host;
  },
  stalled: async () => {
    const host = await reach.finalizing();
    await host.fail("teardown");
    return host;
  },
  destroyed: async () => {
    const host = hostWith(stored("destroyed"));
    host.load();
    return host;
  },
  resurrecting: async () => {
    const host = await reach.destroyed();
    host.lifecycle.send(create("again", "getOrCreate", { start: 5 }));
    return host;
  },
};

type Start = keyof typeof reach;

function expectAccepted(host: MemoryHost, event: LifecycleEvent, state: string, context: Partial<LifecycleContext> = {}) {
  const before = host.log.length;
  expect(host.lifecycle.send(event)).toEqual({ accepted: true });
  expect(host.lifecycle.state).toBe(state);
  expect(host.lifecycle.context).toMatchObject(context);
  return host.log.slice(before);
}

function expectRefused(host: MemoryHost, event: LifecycleEvent, reason: RefusalReason) {
  const state = host.lifecycle.state;
  const context = { ...host.lifecycle.context };
  const changes = host.changes.length;
  expect(host.lifecycle.send(event)).toEqual({ accepted: false, reason });
  expect(host.lifecycle.state).toBe(state);
  expect(host.lifecycle.context).toEqual(context);
  if (reason === "not_loaded" || reason === "not_ready") {
    // The host's cue to load or wait: nothing to keep.
    expect(host.changes.length).toBe(changes);
  } else {
    // A refusal is never silent: it is committed to the transition log with its reason.
    expect(host.changes.at(-1)?.records).toEqual([{ from: state, to: state, event: event.type, generation: context.generation, ok: false, error: reason }]);
  }
}

function refusalsOf(start: Start, reason: RefusalReason, events: LifecycleEvent[]) {
  for (const event of events) {
    it(`refuses ${event.type}${"generation" in event ? ` for generation ${event.generation}` : ""} with ${reason}`, async () => {
      expectRefused(await reach[start](), event, reason);
    });
  }
}

describe("uninitialized: LOAD brings back what storage holds", () => {
  it("finds no actor when nothing is stored, and stores nothing", async () => {
    const host = new MemoryHost();
    expectAccepted(host, { type: "LOAD", stored: null }, "absent", { generation: null });
    expect(host.stored).toBeNull();
    expect(host.log).toEqual([]);
  });
  it("wakes a stored live actor: loading runs the load work for its generation", async () => {
    const host = hostWith(stored("running"));
    expectAccepted(host, { type: "LOAD", stored: host.stored, requestId: "r" }, "loading", { generation: GEN });
    expect(await host.startedWork()).toEqual({ src: "load", input: { generation: GEN, requestId: "r" } });
  });
  it("resumes an interrupted creation with the stored request", async () => {
    const host = hostWith(stored("creating", { generation: 0, request: request("r1", "create", { start: 3 }) }));
    expectAccepted(host, { type: "LOAD", stored: host.stored }, "creating", { generation: 0 });
    expect(await host.startedWork()).toEqual({ src: "create", input: { generation: 0, request: request("r1", "create", { start: 3 }) } });
  });
  it("resumes an interrupted resurrection at the stored generation", async () => {
    const host = hostWith(stored("resurrecting", { request: request("r2") }));
    expectAccepted(host, { type: "LOAD", stored: host.stored }, "resurrecting", { generation: GEN });
    expect(await host.startedWork()).toEqual({ src: "resurrect", input: { generation: GEN, request: request("r2") } });
  });
  it("resumes an interrupted destroy: the teardown runs again", async () => {
    const host = hostWith(stored("destroying"));
    expectAccepted(host, { type: "LOAD", stored: host.stored }, "destroying.finalizing", { generation: GEN });
    expect(await host.startedWork()).toEqual({ src: "teardown", input: { generation: GEN } });
  });
  it("resumes a stalled destroy, keeping its failed attempts for the back-off", async () => {
    const host = hostWith(stored("destroying", { attempts: 3 }));
    expectAccepted(host, { type: "LOAD", stored: host.stored }, "destroying.finalizing", { attempts: 3 });
  });
  it("keeps a tombstone", async () => {
    const host = hostWith(stored("destroyed"));
    expectAccepted(host, { type: "LOAD", stored: host.stored }, "destroyed", { generation: GEN });
  });
  it("starts a resurrection queued behind a destroy that finished just before a crash", async () => {
    const host = hostWith(stored("destroyed", { request: request("queued", "create", { start: 1 }) }));
    expectAccepted(host, { type: "LOAD", stored: host.stored }, "resurrecting", { generation: GEN + 1 });
    expect(await host.startedWork()).toEqual({ src: "resurrect", input: { generation: GEN + 1, request: request("queued", "create", { start: 1 }) } });
  });
  refusalsOf("uninitialized", "not_loaded", [create("x"), { type: "ACTION_START" }, { type: "DESTROY" }, { type: "ALARM" }]);
});

describe("loading", () => {
  it("shares one load between concurrent LOADs", async () => {
    const host = await reach.loading();
    expectAccepted(host, { type: "LOAD", stored: host.stored }, "loading");
    await host.finish("load");
    expect(host.lifecycle.state).toBe("running");
    expect(host.violations).toEqual([]);
  });
  it("goes to running once the actor is awake, storing nothing new", async () => {
    const host = await reach.loading();
    await host.finish("load");
    expect(host.lifecycle.state).toBe("running");
    expect(host.changes.every((change) => change.stored === undefined)).toBe(true);
  });
  it("returns to uninitialized when the load fails, so the next LOAD retries", async () => {
    const host = await reach.loading();
    await host.fail("load", new Error("disk on fire"));
    expect(host.lifecycle.state).toBe("uninitialized");
    expect(host.log.at(-1)).toMatchObject({ from: "loading", to: "uninitialized", ok: false, error: "disk on fire" });
    expectAccepted(host, { type: "LOAD", stored: host.stored }, "loading");
  });
  it("keeps a destroy asked for while waking (c.destroy() in onWake), stored, and runs it once awake", async () => {
    const host = await reach.loading();
    expectAccepted(host, { type: "DESTROY", generation: GEN }, "loading", { pendingDestroy: true });
    expect(host.stored).toMatchObject({ state: "running", pendingDestroy: true });
    await host.finish("load");
    expect(host.lifecycle.state).toBe("destroying.finalizing");
  });
  refusalsOf("loading", "not_ready", [create("x", "create"), { type: "ACTION_START" }, { type: "INSPECT" }]);
  refusalsOf("loading", "stale_generation", [{ type: "DESTROY", generation: GEN - 1 }]);
});

describe("absent", () => {
  it("accepts LOAD as already loaded", async () => {
    expectAccepted(await reach.absent(), { type: "LOAD", stored: null }, "absent");
  });
  it("creates generation 0 on CREATE with the caller's request, storing `creating` before any work starts", async () => {
    const host = await reach.absent();
    expectAccepted(host, create("r1", "create", { start: 1 }), "creating", { generation: 0 });
    expect(host.stored).toEqual({ state: "creating", generation: 0, request: request("r1", "create", { start: 1 }), pendingDestroy: false, attempts: 0 });
    expect(await host.startedWork()).toEqual({ src: "create", input: { generation: 0, request: request("r1", "create", { start: 1 }) } });
  });
  refusalsOf("absent", "not_found", [{ type: "ACTION_START" }, { type: "DESTROY" }, { type: "INSPECT" }, { type: "ALARM" }]);
});

describe("creating", () => {
  it("goes to running when creation finishes", async () => {
    const host = await reach.creating();
    await host.finish("create");
    expect(host.lifecycle.state).toBe("running");
    expect(host.stored).toEqual({ state: "running", generation: 0, request: null, pendingDestroy: false, attempts: 0 });
  });
  it("returns to absent when creation fails, erasing what the attempt wrote in the same step", async () => {
    const host = await reach.creating();
    await host.fail("create");
    expect(host.lifecycle.state).toBe("absent");
    expect(host.lifecycle.context.generation).toBeNull();
    expect(host.changes.at(-1)).toMatchObject({ wipe: true, stored: { state: "absent", generation: null, request: null } });
  });
  it("accepts LOAD as already loaded", async () => {
    expectAccepted(await reach.creating(), { type: "LOAD", stored: null }, "creating");
  });
  it("lets getOrCreate join the creation under way without replacing its request", async () => {
    expectAccepted(await reach.creating(), create("joiner"), "creating", { request: request("first") });
  });
  it("refuses a second create with already_exists", async () => {
    expectRefused(await reach.creating(), create("second", "create"), "already_exists");
  });
  it("holds a DESTROY until creation finishes, then destroys", async () => {
    const host = await reach.creating();
    expectAccepted(host, { type: "DESTROY" }, "creating", { pendingDestroy: true });
    await host.finish("create");
    expect(host.lifecycle.state).toBe("destroying.finalizing");
    expect(host.lifecycle.context.pendingDestroy).toBe(false);
  });
  it("drops a held DESTROY when creation fails", async () => {
    const host = await reach.creating();
    host.lifecycle.send({ type: "DESTROY" });
    await host.fail("create");
    expect(host.lifecycle.context).toMatchObject({ pendingDestroy: false, generation: null });
  });
  refusalsOf("creating", "stale_generation", [{ type: "DESTROY", generation: 1 }]);
  refusalsOf("creating", "not_ready", [{ type: "ACTION_START" }, { type: "INSPECT" }]);
});

describe("running", () => {
  it("accepts LOAD as already loaded", async () => {
    expectAccepted(await reach.running(), { type: "LOAD", stored: null }, "running");
  });
  it("accepts getOrCreate without creating or storing anything", async () => {
    const host = await reach.running();
    const changes = host.changes.length;
    expectAccepted(host, create("g"), "running", { generation: GEN });
    expect(host.changes.length).toBe(changes);
  });
  it("counts actions in flight from key and id callers, in memory only", async () => {
    const host = await reach.running();
    const changes = host.changes.length;
    expectAccepted(host, { type: "ACTION_START" }, "running", { inFlight: 1 });
    expectAccepted(host, { type: "ACTION_START", generation: GEN }, "running", { inFlight: 2 });
    expectAccepted(host, { type: "ACTION_END" }, "running", { inFlight: 1 });
    expect(host.changes.length).toBe(changes);
  });
  it("admits connections, alarms and inspection for the current generation", async () => {
    const host = await reach.running();
    for (const type of ["CONNECT", "ALARM", "INSPECT", "RESOLVE"] as const) expectAccepted(host, { type, generation: GEN }, "running");
  });
  it("goes to destroying on DESTROY, storing it before the teardown starts", async () => {
    const host = await reach.running();
    const records = expectAccepted(host, { type: "DESTROY", generation: GEN }, "destroying.finalizing");
    expect(records).toEqual([{ from: "running", to: "destroying.finalizing", event: "DESTROY", generation: GEN, ok: true }]);
    expect(host.stored?.state).toBe("destroying");
  });
  it("refuses create with already_exists", async () => {
    expectRefused(await reach.running(), create("c", "create"), "already_exists");
  });
  it("refuses ACTION_END with nothing in flight", async () => {
    expectRefused(await reach.running(), { type: "ACTION_END" }, "no_action_in_flight");
  });
  it("refuses an event it never expects instead of dropping it", async () => {
    expectRefused(await reach.running(), { type: "xstate.done.actor.load" }, "unexpected");
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

describe("calls admitted without a step", () => {
  it("takes no step for them, and hands their count to the machine before a destroy, which drains them", async () => {
    const host = await reach.running();
    const changes = host.changes.length;
    expectAccepted(host, { type: "ACTION_START" }, "running", { inFlight: 1 });
    expectAccepted(host, { type: "CONNECT", generation: GEN }, "running", { inFlight: 1 });
    expect(host.changes.length).toBe(changes);
    expectAccepted(host, { type: "DESTROY" }, "destroying.draining", { inFlight: 1 });
    expectAccepted(host, { type: "ACTION_END" }, "destroying.finalizing", { inFlight: 0 });
  });
});

describe("destroying", () => {
  it("waits for in-flight actions before tearing down", async () => {
    const host = await reach.draining();
    expect(host.lifecycle.state).toBe("destroying.draining");
    expectAccepted(host, { type: "ACTION_END" }, "destroying.finalizing", { inFlight: 0 });
    expect(await host.startedWork()).toEqual({ src: "teardown", input: { generation: GEN } });
  });
  it("accepts LOAD as already loaded", async () => {
    expectAccepted(await reach.draining(), { type: "LOAD", stored: null }, "destroying.draining");
  });
  it("treats a second DESTROY as the same destroy", async () => {
    expectAccepted(await reach.finalizing(), { type: "DESTROY", generation: GEN }, "destroying.finalizing");
  });
  it("answers INSPECT while destroying", async () => {
    expectAccepted(await reach.finalizing(), { type: "INSPECT", generation: GEN }, "destroying.finalizing");
  });
  it("goes to destroyed when teardown finishes, the wipe and the tombstone in one step", async () => {
    const host = await reach.finalizing();
    await host.finish("teardown");
    expect(host.lifecycle.state).toBe("destroyed");
    expect(host.changes.at(-1)).toMatchObject({ wipe: true, stored: { state: "destroyed", generation: GEN } });
    expect(host.wipes).toBe(1);
  });
  it("stalls when teardown fails, counts the attempt, and retries on the next DESTROY or ALARM", async () => {
    const host = await reach.finalizing();
    await host.fail("teardown", new Error("wipe failed"));
    expect(host.lifecycle.state).toBe("destroying.stalled");
    expect(host.stored).toMatchObject({ state: "destroying", attempts: 1 });
    expect(host.log.at(-1)).toMatchObject({ to: "destroying.stalled", ok: false, error: "wipe failed" });
    expectAccepted(host, { type: "DESTROY" }, "destroying.finalizing");
    await host.fail("teardown");
    expectAccepted(host, { type: "ALARM" }, "destroying.finalizing", { attempts: 2 });
    await host.finish("teardown");
    expect(host.stored).toMatchObject({ state: "destroyed", attempts: 0 });
  });
  it("queues a create, stored, and resurrects with its input once the destroy is done", async () => {
    const host = await reach.finalizing();
    expectAccepted(host, create("q", "create", { start: 9 }), "destroying.finalizing", { request: request("q", "create", { start: 9 }) });
    expect(host.stored).toMatchObject({ state: "destroying", request: request("q", "create", { start: 9 }) });
    await host.finish("teardown");
    expect(host.lifecycle.state).toBe("resurrecting");
    expect(await host.startedWork()).toEqual({ src: "resurrect", input: { generation: GEN + 1, request: request("q", "create", { start: 9 }) } });
  });
  it("lets getOrCreate join a queued resurrection without replacing its input", async () => {
    const host = await reach.finalizing();
    host.lifecycle.send(create("q", "create", { start: 9 }));
    expectAccepted(host, create("j", "getOrCreate", { start: 1 }), "destroying.finalizing", { request: request("q", "create", { start: 9 }) });
  });
  it("refuses a second create once a resurrection is queued", async () => {
    const host = await reach.finalizing();
    host.lifecycle.send(create("q", "create"));
    expectRefused(host, create("r", "create"), "already_exists");
  });
  refusalsOf("draining", "destroying", [{ type: "ACTION_START" }, { type: "CONNECT" }, { type: "ALARM" }, { type: "RESOLVE" }]);
  refusalsOf("finalizing", "stale_generation", [{ type: "DESTROY", generation: GEN - 1 }, { type: "INSPECT", generation: GEN + 1 }]);
  refusalsOf("stalled", "stale_generation", [{ type: "DESTROY", generation: GEN - 1 }]);
});

describe("destroyed", () => {
  it("accepts LOAD as already loaded", async () => {
    expectAccepted(await reach.destroyed(), { type: "LOAD", stored: null }, "destroyed");
  });
  it("resurrects generation + 1 on CREATE", async () => {
    const host = await reach.destroyed();
    expectAccepted(host, create("g"), "resurrecting", { generation: GEN + 1 });
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
    expect(await host.startedWork()).toEqual({ src: "resurrect", input: { generation: GEN + 1, request: request("again", "getOrCreate", { start: 5 }) } });
    await host.finish("resurrect");
    expect(host.lifecycle.state).toBe("running");
    expect(host.stored).toMatchObject({ state: "running", generation: GEN + 1, request: null });
  });
  it("returns to destroyed at the old generation when resurrection fails, erasing the attempt", async () => {
    const host = await reach.resurrecting();
    await host.fail("resurrect");
    expect(host.lifecycle.state).toBe("destroyed");
    expect(host.changes.at(-1)).toMatchObject({ wipe: true, stored: { state: "destroyed", generation: GEN, request: null } });
    expect(host.violations).toEqual([]);
  });
  it("accepts LOAD as already loaded", async () => {
    expectAccepted(await reach.resurrecting(), { type: "LOAD", stored: null }, "resurrecting");
  });
  it("lets getOrCreate join the resurrection", async () => {
    expectAccepted(await reach.resurrecting(), create("j"), "resurrecting");
  });
  it("holds a DESTROY of the new generation until it is running", async () => {
    const host = await reach.resurrecting();
    expectAccepted(host, { type: "DESTROY", generation: GEN + 1 }, "resurrecting", { pendingDestroy: true });
    await host.finish("resurrect");
    expect(host.lifecycle.state).toBe("destroying.finalizing");
  });
  it("refuses create with already_exists", async () => {
    expectRefused(await reach.resurrecting(), create("c", "create"), "already_exists");
  });
  refusalsOf("resurrecting", "stale_generation", [{ type: "DESTROY", generation: GEN }]);
  refusalsOf("resurrecting", "not_ready", [{ type: "ACTION_START" }, { type: "INSPECT" }]);
});

describe("durability", () => {
  it("goes back to what storage holds when its step cannot be stored, and the event can be sent again once loaded", async () => {
    const host = await reach.running();
    host.failNextCommit = new Error("disk full");
    expect(() => host.lifecycle.send({ type: "DESTROY" })).toThrow("disk full");
    // Memory never runs ahead of storage: it starts over from what is stored.
    expect(host.lifecycle.state).toBe("uninitialized");
    expect(host.stored?.state).toBe("running");
    expectAccepted(host, { type: "LOAD", stored: host.stored }, "loading");
    await host.finish("load");
    expectAccepted(host, { type: "DESTROY" }, "destroying.finalizing");
  });
  it("goes back to uninitialized when a work outcome cannot be stored, so the next event loads again", async () => {
    const host = await reach.creating();
    host.failNextCommit = new Error("disk full");
    await host.finish("create");
    expect(host.lifecycle.state).toBe("uninitialized");
    expect(host.violations).toEqual(["an outcome of create was lost: Error: disk full"]);
    host.violations.length = 0;
    // Storage still says creating: the creation starts over.
    expectAccepted(host, { type: "LOAD", stored: host.stored }, "creating");
  });
  it("drops the outcome of work from before a crash", async () => {
    const host = await reach.creating();
    const before = await host.startedWork();
    host.crash();
    expect(before?.src).toBe("create");
    expect(host.pendingWork).toBeUndefined();
    host.load();
    expect(host.lifecycle.state).toBe("creating");
    expect((await host.startedWork())?.src).toBe("create");
  });
});

// Every state's answer to every event a host sends, written down: an event of the live
// generation and one of an older generation ("old"), LOAD, and both kinds of CREATE. The
// state an accepted event leaves the machine in, or "refused" and the reason. This is the
// table docs/lifecycle.md documents; it is kept by hand, so a change to the machine that
// changes an answer must change it here too.
const ANSWERS: Record<Start, Record<string, string>> = {
  uninitialized: {
    "ACTION_START": "refused not_loaded", "ACTION_START old": "refused not_loaded",
    "ACTION_END": "refused not_loaded", "ACTION_END old": "refused not_loaded",
    "CONNECT": "refused not_loaded", "CONNECT old": "refused not_loaded",
    "ALARM": "refused not_loaded", "ALARM old": "refused not_loaded",
    "DESTROY": "refused not_loaded", "DESTROY old": "refused not_loaded",
    "INSPECT": "refused not_loaded", "INSPECT old": "refused not_loaded",
    "RESOLVE": "refused not_loaded", "RESOLVE old": "refused not_loaded", "LOAD": "absent",
    "CREATE create": "refused not_loaded", "CREATE getOrCreate": "refused not_loaded",
  },
  absent: {
    "ACTION_START": "refused not_found", "ACTION_START old": "refused not_found",
    "ACTION_END": "refused not_found", "ACTION_END old": "refused not_found",
    "CONNECT": "refused not_found", "CONNECT old": "refused not_found",
    "ALARM": "refused not_found", "ALARM old": "refused not_found",
    "DESTROY": "refused not_found", "DESTROY old": "refused not_found",
    "INSPECT": "refused not_found", "INSPECT old": "refused not_found",
    "RESOLVE": "refused not_found", "RESOLVE old": "refused not_found", "LOAD": "absent",
    "CREATE create": "creating", "CREATE getOrCreate": "creating",
  },
  creating: {
    "ACTION_START": "refused not_ready", "ACTION_START old": "refused not_ready",
    "ACTION_END": "refused not_ready", "ACTION_END old": "refused not_ready",
    "CONNECT": "refused not_ready", "CONNECT old": "refused not_ready",
    "ALARM": "refused not_ready", "ALARM old": "refused not_ready", "DESTROY": "creating",
    "DESTROY old": "refused stale_generation", "INSPECT": "refused not_ready",
    "INSPECT old": "refused not_ready", "RESOLVE": "refused not_ready",
    "RESOLVE old": "refused not_ready", "LOAD": "creating",
    "CREATE create": "refused already_exists", "CREATE getOrCreate": "creating",
  },
  loading: {
    "ACTION_START": "refused not_ready", "ACTION_START old": "refused not_ready",
    "ACTION_END": "refused not_ready", "ACTION_END old": "refused not_ready",
    "CONNECT": "refused not_ready", "CONNECT old": "refused not_ready",
    "ALARM": "refused not_ready", "ALARM old": "refused not_ready", "DESTROY": "loading",
    "DESTROY old": "refused stale_generation", "INSPECT": "refused not_ready",
    "INSPECT old": "refused not_ready", "RESOLVE": "refused not_ready",
    "RESOLVE old": "refused not_ready", "LOAD": "loading", "CREATE create": "refused not_ready",
    "CREATE getOrCreate": "refused not_ready",
  },
  running: {
    "ACTION_START": "running", "ACTION_START old": "refused stale_generation",
    "ACTION_END": "refused no_action_in_flight", "ACTION_END old": "refused no_action_in_flight",
    "CONNECT": "running", "CONNECT old": "refused stale_generation", "ALARM": "running",
    "ALARM old": "refused stale_generation", "DESTROY": "destroying.finalizing",
    "DESTROY old": "refused stale_generation", "INSPECT": "running",
    "INSPECT old": "refused stale_generation", "RESOLVE": "running",
    "RESOLVE old": "refused stale_generation", "LOAD": "running",
    "CREATE create": "refused already_exists", "CREATE getOrCreate": "running",
  },
  draining: {
    "ACTION_START": "refused destroying", "ACTION_START old": "refused destroying",
    "ACTION_END": "destroying.finalizing", "ACTION_END old": "destroying.finalizing",
    "CONNECT": "refused destroying", "CONNECT old": "refused destroying",
    "ALARM": "refused destroying", "ALARM old": "refused destroying",
    "DESTROY": "destroying.draining", "DESTROY old": "refused stale_generation",
    "INSPECT": "destroying.draining", "INSPECT old": "refused stale_generation",
    "RESOLVE": "refused destroying", "RESOLVE old": "refused destroying",
    "LOAD": "destroying.draining", "CREATE create": "destroying.draining",
    "CREATE getOrCreate": "destroying.draining",
  },
  finalizing: {
    "ACTION_START": "refused destroying", "ACTION_START old": "refused destroying",
    "ACTION_END": "refused destroying", "ACTION_END old": "refused destroying",
    "CONNECT": "refused destroying", "CONNECT old": "refused destroying",
    "ALARM": "refused destroying", "ALARM old": "refused destroying",
    "DESTROY": "destroying.finalizing", "DESTROY old": "refused stale_generation",
    "INSPECT": "destroying.finalizing", "INSPECT old": "refused stale_generation",
    "RESOLVE": "refused destroying", "RESOLVE old": "refused destroying",
    "LOAD": "destroying.finalizing", "CREATE create": "destroying.finalizing",
    "CREATE getOrCreate": "destroying.finalizing",
  },
  stalled: {
    "ACTION_START": "refused destroying", "ACTION_START old": "refused destroying",
    "ACTION_END": "refused destroying", "ACTION_END old": "refused destroying",
    "CONNECT": "refused destroying", "CONNECT old": "refused destroying",
    "ALARM": "destroying.finalizing", "ALARM old": "destroying.finalizing",
    "DESTROY": "destroying.finalizing", "DESTROY old": "refused stale_generation",
    "INSPECT": "destroying.stalled", "INSPECT old": "refused stale_generation",
    "RESOLVE": "refused destroying", "RESOLVE old": "refused destroying",
    "LOAD": "destroying.stalled", "CREATE create": "destroying.stalled",
    "CREATE getOrCreate": "destroying.stalled",
  },
  destroyed: {
    "ACTION_START": "refused not_found", "ACTION_START old": "refused not_found",
    "ACTION_END": "refused not_found", "ACTION_END old": "refused not_found",
    "CONNECT": "refused not_found", "CONNECT old": "refused not_found",
    "ALARM": "refused not_found", "ALARM old": "refused not_found", "DESTROY": "destroyed",
    "DESTROY old": "refused stale_generation", "INSPECT": "refused not_found",
    "INSPECT old": "refused not_found", "RESOLVE": "refused not_found",
    "RESOLVE old": "refused not_found", "LOAD": "destroyed", "CREATE create": "resurrecting",
    "CREATE getOrCreate": "resurrecting",
  },
  resurrecting: {
    "ACTION_START": "refused not_ready", "ACTION_START old": "refused not_ready",
    "ACTION_END": "refused not_ready", "ACTION_END old": "refused not_ready",
    "CONNECT": "refused not_ready", "CONNECT old": "refused not_ready",
    "ALARM": "refused not_ready", "ALARM old": "refused not_ready", "DESTROY": "resurrecting",
    "DESTROY old": "refused stale_generation", "INSPECT": "refused not_ready",
    "INSPECT old": "refused not_ready", "RESOLVE": "refused not_ready",
    "RESOLVE old": "refused not_ready", "LOAD": "resurrecting",
    "CREATE create": "refused already_exists", "CREATE getOrCreate": "resurrecting",
  },
};

describe("every state's answer to every event", () => {
  const variants: Array<[string, LifecycleEvent]> = [
    ...(["ACTION_START", "ACTION_END", "CONNECT", "ALARM", "DESTROY", "INSPECT", "RESOLVE"] as const).flatMap(
      (type): Array<[string, LifecycleEvent]> => [
        [type, { type }],
        [`${type} old`, { type, generation: GEN - 1 }],
      ],
    ),
    ["LOAD", { type: "LOAD", stored: null }],
    ["CREATE create", create("c", "create")],
    ["CREATE getOrCreate", create("g", "getOrCreate")],
  ];
  for (const start of Object.keys(reach) as Start[]) {
    it(`in ${start}`, async () => {
      const answers: Record<string, string> = {};
      for (const [label, event] of variants) {
        const host = await reach[start]();
        const verdict = host.lifecycle.send(event);
        answers[label] = verdict.accepted ? host.lifecycle.state : `refused ${verdict.reason}`;
      }
      expect(answers).toEqual(ANSWERS[start]);
    });
  }
});
