import type { AnyStateNode, AnyTransitionDefinition } from "xstate";
import { guardText } from "../machines/machine-reading.ts";
import { lifecycleMachine } from "../machines/lifecycle/machine.ts";
import type { EntryEventType, RefusalReason } from "../machines/lifecycle/types.ts";

/** Every event a host sends, in the order the docs list them. */
export const entryEventTypes: readonly EntryEventType[] = [
  "LOAD",
  "CREATE",
  "ACTION_START",
  "ACTION_END",
  "CONNECT",
  "ALARM",
  "DESTROY",
  "INSPECT",
  "RESOLVE",
];

/** One candidate answer, tried in order: the first whose guard holds is taken. */
export interface Answer {
  guard?: string;
  /** Where an accepted event leads; absent when it is taken without a state change. */
  target?: string;
  /** Set when this answer is a refusal. */
  refusal?: RefusalReason;
}

function refusalIn(transition: AnyTransitionDefinition): RefusalReason | undefined {
  for (const action of transition.actions) {
    const { type, params } = action as { type?: string; params?: { reason?: RefusalReason } };
    if (type === "refuse") return params?.reason;
  }
  return undefined;
}

function nodeAt(path: string): AnyStateNode {
  let node: AnyStateNode = lifecycleMachine.root;
  for (const key of path.split(".")) {
    const child = node.states[key];
    if (!child) throw new Error(`The lifecycle machine has no state "${path}".`);
    node = child;
  }
  return node;
}

/**
 * How the lifecycle machine answers `event` in `state` (a path such as
 * `destroying.draining`), read from its definition in XState's own order: the deepest
 * state first, an exact event before `*`, guarded candidates in the order written.
 *
 * @example
 * ```ts
 * answersTo("running", "DESTROY");
 * // [{ guard: "generationMatches", target: "destroying" }, { refusal: "stale_generation" }]
 * ```
 */
export function answersTo(state: string, event: EntryEventType): Answer[] {
  const answers: Answer[] = [];
  for (let node: AnyStateNode | undefined = nodeAt(state); node; node = node.parent) {
    const candidates = node.transitions.get(event) ?? node.transitions.get("*") ?? [];
    for (const transition of candidates) {
      const guard = guardText(transition.guard);
      const target = transition.target?.[0];
      const refusal = refusalIn(transition);
      answers.push({
        ...(guard ? { guard } : {}),
        ...(target ? { target: target.path.join(".") } : {}),
        ...(refusal ? { refusal } : {}),
      });
      // An unguarded candidate always fires: nothing after it, here or above, is reached.
      if (!guard) return answers;
    }
  }
  return answers;
}

/** Every state path of the lifecycle machine, sub-states as `parent.child`. */
export function statePaths(node: AnyStateNode = lifecycleMachine.root): string[] {
  return Object.values(node.states).flatMap((child) => {
    const nested = statePaths(child);
    return nested.length ? nested : [child.path.join(".")];
  });
}
