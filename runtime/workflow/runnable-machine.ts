// A workflow's machine as its runtime runs it: the implementations `provide(c)` gives, every
// actor's name known for restores, and promise outputs checked before they reach a step.
import { fromPromise, type AnyActorLogic, type AnyStateMachine } from "xstate";
import { isPromiseLogic } from "../../machines/engine/actor-refs.ts";
import { assertPlainData } from "../codec.ts";
import type { WorkflowScope, WorkflowSpec } from "../types/workflow.ts";

/**
 * A promise actor whose output must be storable: an output that is not plain data reaches
 * the machine as the error it is, instead of a step that can never be stored.
 */
function withStorableOutput(logic: AnyActorLogic): AnyActorLogic {
  const run = (logic as unknown as { config: (args: unknown) => PromiseLike<unknown> }).config;
  return fromPromise(async (args) => {
    const output = await run(args);
    assertPlainData(output, `the output of "${args.self.id}"`);
    return output;
  });
}

/** The machine as the runtime runs it: `provide(c)`'s implementations, and promise outputs checked. */
export function runnableMachine(spec: WorkflowSpec, scope: WorkflowScope, names: Map<unknown, string>): AnyStateMachine {
  const provided = spec.provide ? spec.machine.provide(spec.provide(scope) as never) : spec.machine;
  for (const implementations of [spec.machine.implementations.actors, provided.implementations.actors]) {
    for (const [name, logic] of Object.entries(implementations)) names.set(logic, name);
  }
  const actors = Object.entries(provided.implementations.actors).filter(([, logic]) => isPromiseLogic(logic));
  if (!actors.length) return provided;
  const wrapped = Object.fromEntries(actors.map(([name, logic]) => [name, withStorableOutput(logic as AnyActorLogic)]));
  for (const [name, logic] of Object.entries(wrapped)) names.set(logic, name);
  return provided.provide({ actors: wrapped } as never);
}
