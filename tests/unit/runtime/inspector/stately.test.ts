import { describe, expect, it, vi } from "vitest";
import { MemoryHost } from "../../../../machines/lifecycle/memory-host.ts";
import { statelyBridge } from "../../../../runtime/stately.ts";

describe("the Stately Inspector bridge", () => {
  it("turns the lifecycle's inspection events into Stately's format, offline", async () => {
    const events: Array<Record<string, any>> = [];
    const inspect = statelyBridge((event) => events.push(event as Record<string, any>));
    const host = new MemoryHost({ inspect });
    host.stored = { state: "running", generation: 3, request: null, pendingDestroy: false, attempts: 0 };
    host.load();
    await host.finish("load");
    host.lifecycle.send({ type: "DESTROY", generation: 3 });
    await host.finish("teardown");
    // The bridge hands each event over on an idle callback: wait for the last one.
    await vi.waitFor(() => expect(events.some((e) => e.type === "@xstate.snapshot" && e.snapshot.value === "destroyed")).toBe(true));

    const root = events.find((e) => e.type === "@xstate.actor" && e.name === "lifecycle");
    expect(root).toMatchObject({ type: "@xstate.actor", sessionId: expect.any(String), _version: expect.any(String) });
    expect(JSON.parse(root?.definition).id).toBe("lifecycle");
    const sent = events.filter((e) => e.type === "@xstate.event" && e.sessionId === root?.sessionId).map((e) => e.event.type);
    expect(sent).toEqual(expect.arrayContaining(["LOAD", "DESTROY", "xstate.done.actor.load", "xstate.done.actor.teardown"]));
    const values = events.filter((e) => e.type === "@xstate.snapshot" && e.sessionId === root?.sessionId).map((e) => e.snapshot.value);
    expect(values).toEqual(expect.arrayContaining(["loading", "running", { destroying: "finalizing" }, "destroyed"]));
    for (const event of events) expect(() => JSON.stringify(event)).not.toThrow();
  });
});
