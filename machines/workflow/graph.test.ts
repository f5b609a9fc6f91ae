import { and, createMachine, not, setup, stateIn } from "xstate";
import { describe, expect, it } from "vitest";
import { stateTree } from "./graph.ts";

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
