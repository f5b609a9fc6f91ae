// The Worker the fidelity cases run in: each case's machine as a workflow actor of its own.
import { createHandler, setup, workflow, type AnyActorDefinition } from "actorstate";
import { caseName } from "./case.ts";
import { cases } from "./cases/index.ts";

const actors: Record<string, AnyActorDefinition> = Object.fromEntries(cases.map((fidelityCase, index) => [caseName(index), workflow({ machine: fidelityCase.machine })]));

export const registry = setup({ actors });
const { handler, ActorObject } = createHandler(registry);
export { ActorObject };
export default handler;
