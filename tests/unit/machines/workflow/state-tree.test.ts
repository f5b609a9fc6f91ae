import { and, createMachine, fromPromise, not, setup, stateIn } from "xstate";
import { describe, expect, it } from "vitest";
import { stateTree } from "../../../../machines/workflow/state-tree.ts";

type Ctx = { context: { amount: number; user?: string } };

/** The guard labels of the first state's transitions. */
function guardsOf(guards: unknown[]): Array<string | undefined> {
  const machine = createMachine({
    initial: "review",
    states: { review: { on: { GO: guards.map((guard) => ({ guard, target: "done" })) as never } }, done: {} },
  });
  return stateTree(machine).states[0]!.transitions.map((t) => t.guard);
}

describe("guard labels", () => {
  it("names an inline guard by what it checks, not [inline]", () => {
    expect(guardsOf([({ context }: Ctx) => context.amount > 100])).toEqual(["context.amount > 100"]);
    // A block that only returns reads as its expression; spacing is collapsed.
    expect(guardsOf([({ context }: Ctx) => {
      return context.amount   >=  10;
    }])).toEqual(["context.amount >= 10"]);
    expect(guardsOf([function ({ context }: Ctx) { return context.user === "ada"; }])).toEqual(['context.user === "ada"']);
  });

  it("uses a guard function's own name when it has one", () => {
    const isLarge = ({ context }: Ctx) => context.amount > 100;
    function isReviewer({ context }: Ctx) {
      return context.user === "ada";
    }
    expect(guardsOf([isLarge, isReviewer])).toEqual(["isLarge", "isReviewer"]);
  });

  it("caps a long check at 40 characters", () => {
    const [label] = guardsOf([({ context }: Ctx) => context.amount > 100 && context.user !== undefined && context.user.length > 3]);
    expect(label).toHaveLength(40);
    expect(label).toMatch(/^context\.amount > 100 && context\.user !=.*…$/);
  });

  it("spells out XState's and, or, not and stateIn with what they combine", () => {
    const machine = setup({ guards: { small: () => true, known: () => true } }).createMachine({
      initial: "review",
      states: {
        review: {
          on: {
            GO: [
              { guard: and(["small", not("known")]), target: "done" },
              { guard: stateIn("#other"), target: "done" },
            ],
          },
        },
        done: {},
      },
    });
    expect(stateTree(machine).states[0]!.transitions.map((t) => t.guard)).toEqual(["and(small, not(known))", "stateIn(#other)"]);
  });

  it("keeps named guards as they are written", () => {
    expect(guardsOf(["small", { type: "large", params: { over: 100 } }])).toEqual(["small", "large"]);
  });
});

describe("stateTree", () => {
  it("draws nested states, readable event labels, guards, delays and invokes as plain data", () => {
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

  it("says how long a named delay is when it is a constant, and names it when it is computed", () => {
    const machine = setup({ delays: { reviewTimeout: 86_400_000, backoff: () => 1_000 } }).createMachine({
      id: "expense",
      initial: "review",
      states: { review: { after: { reviewTimeout: "escalated", backoff: "escalated" } }, escalated: {} },
    });
    const labels = stateTree(machine).states[0]!.transitions.map((t) => [t.label, t.delayMs]);
    expect(labels).toEqual([["after 24 h", 86_400_000], ["after a delay", undefined]]);
  });

  it("names the events of an invoke without an id after its src", () => {
    const machine = setup({ actors: { charge: fromPromise(async () => 1) } }).createMachine({
      id: "order",
      initial: "charging",
      states: { charging: { invoke: { src: "charge", onDone: "paid", onError: "failed" } }, paid: {}, failed: {} },
    });
    expect(stateTree(machine).states[0]!.transitions.map((t) => t.label)).toEqual(["charge done", "charge failed"]);
  });
});
