// actorstate/diagram: any XState machine as an SVG. Laying a machine out needs elkjs (1.6 MB),
// an optional peer dependency of actorstate (`npm install --save-dev elkjs`); this module is
// the only part of actorstate that loads it, so Workers that do not import it never carry it.
import type { AnyStateMachine } from "xstate";
import { machineGraph } from "./machine-graph.ts";
import { layoutGraph, type MachineLayout } from "./layout.ts";
import { renderSvg, type SvgOptions } from "./svg.ts";

export { machineGraph, type DiagramEdge, type DiagramGraph, type DiagramState } from "./machine-graph.ts";
export { layoutGraph, type MachineLayout, type PlacedEdge, type PlacedState } from "./layout.ts";
export { renderSvg, type SvgOptions } from "./svg.ts";

/**
 * Lay out any XState machine and return it as a standalone SVG, optionally with one state
 * drawn as current. Runs offline (elkjs is plain JavaScript).
 *
 * @example
 * ```ts
 * import { writeFile } from "node:fs/promises";
 * import { lifecycleMachine } from "actorstate/machines";
 * import { toSvg } from "actorstate/diagram";
 *
 * await writeFile("lifecycle.svg", await toSvg(lifecycleMachine, { highlight: "running" }));
 * ```
 */
export async function toSvg(machine: AnyStateMachine, options: SvgOptions = {}): Promise<string> {
  return renderSvg(await layoutMachine(machine), options);
}

/** The machine's layout alone, to render many highlighted variants without laying out again. */
export function layoutMachine(machine: AnyStateMachine): Promise<MachineLayout> {
  return layoutGraph(machineGraph(machine));
}
