import elk, { type ElkExtendedEdge, type ElkNode } from "elkjs/lib/elk.bundled.js";
import type { DiagramGraph, DiagramState } from "./machine-graph.ts";

// elkjs is CommonJS and its constructor is also its own `default`, which every interop
// (Node ESM, esbuild, Vite) exposes the same way.
const ELK = elk.default;

import { CHAR_WIDTH, LINE_HEIGHT } from "./metrics.ts";

const STATE_HEIGHT = 36;
const STATE_MIN_WIDTH = 96;
const INITIAL_SIZE = 10;
/** Room above a compound state's children for its name. */
const COMPOUND_HEADER = 28;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A laid-out state; `kind` tells the renderer how to draw it. */
export interface PlacedState extends Box {
  id: string;
  name: string;
  kind: "atomic" | "compound" | "initial";
}

/** A laid-out arrow: the polyline to draw and where its label sits. */
export interface PlacedEdge {
  id: string;
  source: string;
  target: string;
  points: Array<{ x: number; y: number }>;
  labels: string[];
  label?: Box;
}

/**
 * A machine laid out in absolute coordinates. Plain JSON, so it can be computed once at
 * build time and shipped to places that cannot run the layout engine.
 */
export interface MachineLayout {
  id: string;
  width: number;
  height: number;
  states: PlacedState[];
  edges: PlacedEdge[];
}

function textWidth(lines: string[]): number {
  return Math.max(...lines.map((line) => line.length)) * CHAR_WIDTH;
}

function initialMarkerId(parent: string): string {
  return `(initial)${parent}`;
}

function elkState(state: DiagramState): ElkNode {
  if (!state.children.length) {
    return {
      id: state.id,
      width: Math.max(STATE_MIN_WIDTH, textWidth([state.name]) + 24),
      height: STATE_HEIGHT,
    };
  }
  return {
    id: state.id,
    layoutOptions: { "elk.padding": `[top=${COMPOUND_HEADER},left=16,bottom=16,right=16]` },
    children: [
      { id: initialMarkerId(state.id), width: INITIAL_SIZE, height: INITIAL_SIZE },
      ...state.children.map(elkState),
    ],
  };
}

function initialEdges(parent: string, initial: string | undefined, children: DiagramState[]): ElkExtendedEdge[] {
  const own = initial ? [{ id: `${initialMarkerId(parent)}->${initial}`, sources: [initialMarkerId(parent)], targets: [initial] }] : [];
  return [...own, ...children.flatMap((child) => initialEdges(child.id, child.initial, child.children))];
}

function flatten(nodes: ElkNode[] | undefined, names: Map<string, string>): PlacedState[] {
  return (nodes ?? []).flatMap((node) => {
    const kind = node.id.startsWith("(initial)") ? "initial" : node.children?.length ? "compound" : "atomic";
    const placed: PlacedState = {
      id: node.id,
      name: names.get(node.id) ?? "",
      kind,
      x: node.x ?? 0,
      y: node.y ?? 0,
      width: node.width ?? 0,
      height: node.height ?? 0,
    };
    return [placed, ...flatten(node.children, names)];
  });
}

function namesOf(states: DiagramState[], into = new Map<string, string>()): Map<string, string> {
  for (const state of states) {
    into.set(state.id, state.name);
    namesOf(state.children, into);
  }
  return into;
}

/**
 * Lay a machine's graph out with ELK's layered algorithm, top to bottom.
 *
 * @example
 * ```ts
 * const layout = await layoutGraph(machineGraph(lifecycleMachine));
 * const svg = renderSvg(layout, { highlight: "running" });
 * ```
 */
export async function layoutGraph(graph: DiagramGraph): Promise<MachineLayout> {
  const root: ElkNode = {
    id: graph.id,
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "DOWN",
      "elk.hierarchyHandling": "INCLUDE_CHILDREN",
      "elk.edgeRouting": "ORTHOGONAL",
      // States in the order the machine defines them read as its story: cycles (a failed
      // load, a resurrection) are broken against that order instead of arbitrarily.
      "elk.layered.cycleBreaking.strategy": "MODEL_ORDER",
      "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
      "elk.layered.spacing.nodeNodeBetweenLayers": "36",
      "elk.spacing.nodeNode": "28",
      "elk.spacing.edgeLabel": "6",
      "elk.spacing.edgeEdge": "12",
      "elk.padding": "[top=16,left=16,bottom=16,right=16]",
      "elk.json.edgeCoords": "ROOT",
      "elk.json.shapeCoords": "ROOT",
    },
    children: [
      { id: initialMarkerId(graph.id), width: INITIAL_SIZE, height: INITIAL_SIZE },
      ...graph.states.map(elkState),
    ],
    edges: [
      ...initialEdges(graph.id, graph.initial, graph.states),
      ...graph.edges.map((edge) => ({
        id: edge.id,
        sources: [edge.source],
        targets: [edge.target],
        labels: [{ text: edge.labels.join("\n"), width: textWidth(edge.labels), height: edge.labels.length * LINE_HEIGHT }],
      })),
    ],
  };
  const laidOut = await new ELK().layout(root);
  const labelsById = new Map(graph.edges.map((edge) => [edge.id, edge.labels]));
  const edges: PlacedEdge[] = collectEdges(laidOut).map((edge) => {
    const section = edge.sections?.[0];
    const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
    const label = edge.labels?.[0];
    return {
      id: edge.id,
      source: edge.sources[0] ?? "",
      target: edge.targets[0] ?? "",
      points: points.map(({ x, y }) => ({ x, y })),
      labels: labelsById.get(edge.id) ?? [],
      ...(label ? { label: { x: label.x ?? 0, y: label.y ?? 0, width: label.width ?? 0, height: label.height ?? 0 } } : {}),
    };
  });
  return {
    id: graph.id,
    width: laidOut.width ?? 0,
    height: laidOut.height ?? 0,
    states: flatten(laidOut.children, namesOf(graph.states)),
    edges,
  };
}

/** ELK may move an edge into the compound node that contains both its ends. */
function collectEdges(node: ElkNode): ElkExtendedEdge[] {
  return [...(node.edges ?? []), ...(node.children ?? []).flatMap(collectEdges)];
}
