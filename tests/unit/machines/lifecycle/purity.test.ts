import { describe, expect, it } from "vitest";
import { and, assign, createMachine, fromPromise, setup, type AnyStateMachine } from "xstate";
import { lifecycleMachine } from "../../../../machines/lifecycle/machine.ts";

type Config = Record<string, unknown>;

/**
 * Everything in a machine's definition that is not a reference to a named implementation,
 * plus any delayed transition. Invoke `input` mappers are allowed: they only shape data.
 */
function findImpurities(machine: AnyStateMachine): string[] {
  const problems: string[] = [];
  const named = machine.implementations as {
    actions: Record<string, unknown>;
    guards: Record<string, unknown>;
    actors: Record<string, unknown>;
  };

  function checkActions(where: string, actions: unknown): void {
    for (const action of [actions ?? []].flat()) {
      const name = typeof action === "string" ? action : (action as { type?: unknown }).type;
      if (typeof action === "function" || typeof name !== "string") problems.push(`${where}: inline action`);
      else if (!(name in named.actions)) problems.push(`${where}: action "${name}" has no implementation`);
    }
  }

  function checkGuard(where: string, guard: unknown): void {
    if (guard === undefined) return;
    if (typeof guard === "string") {
      if (!(guard in named.guards)) problems.push(`${where}: guard "${guard}" has no implementation`);
      return;
    }
    // and()/or()/not() combine named guards; anything else is an inline guard.
    const combined = (guard as { guards?: unknown[] }).guards;
    if (typeof guard === "function" && Array.isArray(combined)) combined.forEach((g) => checkGuard(where, g));
    else problems.push(`${where}: inline guard`);
  }

  function checkTransitions(where: string, transitions: unknown): void {
    for (const transition of [transitions ?? []].flat()) {
      if (typeof transition === "string") continue;
      const { guard, actions } = transition as Config;
      checkGuard(where, guard);
      checkActions(where, actions);
    }
  }

  function visit(path: string, node: Config): void {
    if ("after" in node) problems.push(`${path}: delayed transition (after)`);
    checkActions(`${path} entry`, node.entry);
    checkActions(`${path} exit`, node.exit);
    checkTransitions(`${path} always`, node.always);
    for (const [event, transitions] of Object.entries((node.on ?? {}) as Config)) {
      checkTransitions(`${path} on ${event}`, transitions);
    }
    for (const invoke of [node.invoke ?? []].flat() as Config[]) {
      if (typeof invoke.src !== "string") problems.push(`${path}: inline actor`);
      else if (!(invoke.src in named.actors)) problems.push(`${path}: actor "${invoke.src}" has no implementation`);
      checkTransitions(`${path} invoke done`, invoke.onDone);
      checkTransitions(`${path} invoke error`, invoke.onError);
    }
    for (const [name, child] of Object.entries((node.states ?? {}) as Config)) visit(`${path}.${name}`, child as Config);
  }

  visit(machine.id, machine.config as Config);
  return problems;
}

describe("the lifecycle machine's definition", () => {
  it("uses only named guards, actions and actors, and no delayed transitions", () => {
    expect(findImpurities(lifecycleMachine)).toEqual([]);
  });

  it("would be caught gaining inline logic or a delayed transition", () => {
    const impure = setup({
      guards: { ok: () => true },
      actions: { named: assign({}) },
    }).createMachine({
      id: "impure",
      initial: "a",
      states: {
        a: {
          entry: () => {}, after: { 1000: "b" }, // both forbidden: the check must name them
          // setup()'s types already reject an inline actor; the check must catch it at run time too.
          invoke: { src: fromPromise(async () => 1) } as never,
          on: {
            GO: { guard: ({ event }) => event.type === "GO", target: "b" },
            BOTH: { guard: and(["ok", () => true]), actions: "named" },
            MISSING: { actions: "nowhere" as "named" },
          },
        },
        b: {},
      },
    });
    expect(findImpurities(impure)).toEqual([
      "impure.a: delayed transition (after)",
      "impure.a entry: inline action",
      "impure.a on GO: inline guard",
      "impure.a on BOTH: inline guard",
      "impure.a on MISSING: action \"nowhere\" has no implementation",
      "impure.a: inline actor",
    ]);
    expect(findImpurities(createMachine({ id: "plain", initial: "x", states: { x: {} } }))).toEqual([]);
  });
});
