import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from "xstate";
import { allTransitions, guardText } from "../machine-reading.ts";
import { eventLabel } from "../workflow/state-tree.ts";

/** One state box: a path such as `destroying.draining`, its name, and any sub-states. */
export interface DiagramState {
  id: string;
  name: string;
  /** The id of the sub-state entered first, for compound states. */
  initial?: string;
  children: DiagramState[];
}

/** One arrow between two states, carrying every transition that takes it. */
export interface DiagramEdge {
  id: string;
  source: string;
  target: string;
  /** One line per transition, e.g. `DESTROY [generationMatches]`. */
  labels: string[];
}

/** A machine's states and state-changing transitions, ready for layout. */
export interface DiagramGraph {
  id: string;
  initial: string;
  states: DiagramState[];
  edges: DiagramEdge[];
}

function pathOf(node: AnyStateNode): string {
  return node.path.join(".");
}

function labelOf(transition: AnyTransitionDefinition): string {
  const guard = guardText(transition.guard);
  // An `after` transition carries its delay, which XState's type leaves out.
  const { delay } = transition as { delay?: unknown };
  const label = eventLabel(transition.eventType, typeof delay === "number" ? delay : undefined);
  return guard ? `${label} [${guard}]` : label;
}

function stateOf(node: AnyStateNode): DiagramState {
  const children = Object.values(node.states).map(stateOf);
  const initial = node.initial?.target[0];
  return {
    id: pathOf(node),
    name: node.key,
    ...(children.length && initial ? { initial: pathOf(initial) } : {}),
    children,
  };
}

/**
 * The diagram of a machine: its states and the transitions that change state. Targetless
 * transitions (accepted no-ops and refusals) are left out; they are listed in the docs.
 *
 * @example
 * ```ts
 * const graph = machineGraph(lifecycleMachine);
 * graph.edges.find((e) => e.source === "running" && e.target === "destroying")?.labels;
 * // ["always [destroyRequested]", "DESTROY [generationMatches]"]
 * ```
 */
export function machineGraph(machine: AnyStateMachine): DiagramGraph {
  const edges = new Map<string, DiagramEdge>();
  for (const transition of allTransitions(machine.root)) {
    const target = transition.target?.[0];
    if (!target || target === transition.source) continue;
    const source = pathOf(transition.source);
    const id = `${source}->${pathOf(target)}`;
    const edge = edges.get(id) ?? { id, source, target: pathOf(target), labels: [] };
    const label = labelOf(transition);
    if (!edge.labels.includes(label)) edge.labels.push(label);
    edges.set(id, edge);
  }
  const root = stateOf(machine.root);
  return { id: machine.id, initial: root.initial ?? "", states: root.children, edges: [...edges.values()] };
}
