import { describe, expect, it } from "vitest";
import { createMachine } from "xstate";
import { lifecycleMachine } from "../../../../machines/lifecycle/machine.ts";
import { lifecycleStates } from "../../../../machines/lifecycle/types.ts";
import { layoutMachine, machineGraph, renderSvg, toSvg } from "../../../../machines/diagram/index.ts";

describe("the lifecycle diagram", () => {
  const graph = machineGraph(lifecycleMachine);

  it("has a box for every state, with destroying's phases inside it", () => {
    expect(graph.states.map((state) => state.id)).toEqual([...lifecycleStates]);
    const destroying = graph.states.find((state) => state.id === "destroying");
    expect(destroying?.children.map((child) => child.id)).toEqual([
      "destroying.draining",
      "destroying.finalizing",
      "destroying.stalled",
    ]);
    expect(destroying?.initial).toBe("destroying.draining");
    expect(graph.initial).toBe("uninitialized");
  });

  it("draws state changes with their events and guards, and leaves refusals out", () => {
    const label = (source: string, target: string) =>
      graph.edges.find((edge) => edge.source === source && edge.target === target)?.labels;
    expect(label("uninitialized", "loading")).toEqual(["LOAD [storedRunning]"]);
    expect(label("uninitialized", "creating")).toEqual(["LOAD [storedCreating]"]);
    expect(label("loading", "running")).toEqual(["load done"]);
    expect(label("running", "destroying")).toEqual(["DESTROY [generationMatches]", "always [destroyRequested]"]);
    expect(label("destroying.finalizing", "destroyed")).toEqual(["teardown done"]);
    expect(label("destroyed", "resurrecting")).toEqual(["CREATE", "always [requestQueued]"]);
    expect(graph.edges.every((edge) => edge.source !== edge.target)).toBe(true);
  });

  it("renders a standalone SVG that needs nothing from the network", async () => {
    const svg = await toSvg(lifecycleMachine);
    expect(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
    expect(svg).not.toMatch(/<script|<image|<foreignObject|@import|url\((?!#)|href="http/i);
    for (const state of lifecycleStates) expect(svg).toContain(`data-state="${state}"`);
    expect(svg).not.toContain(" current");
  });

  it("marks exactly the highlighted state as current", async () => {
    const layout = await layoutMachine(lifecycleMachine);
    const svg = renderSvg(layout, { highlight: "destroying.draining" });
    expect(svg.match(/class="state [a-z]+ current"/g)).toEqual(['class="state atomic current"']);
    expect(svg).toContain('<g class="state atomic current" data-state="destroying.draining">');
  });
});

describe("delayed transitions on the diagram", () => {
  it("are labelled with their delay, as the inspector names them", () => {
    const machine = createMachine({
      id: "checkout",
      initial: "paying",
      states: { paying: { after: { 500: "expired", 86_400_000: "reminded", slow: "abandoned" } }, expired: {}, reminded: {}, abandoned: {} },
    });
    const labels = machineGraph(machine).edges.flatMap((edge) => edge.labels);
    expect(labels.sort()).toEqual(["after 24 h", "after 500 ms", "after a delay"]);
  });
});
