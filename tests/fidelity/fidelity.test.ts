// Fidelity as a tested property: each machine of XState's own tests, run by XState in
// memory and as a durable workflow actor evicted after every step, must look the same to
// a user after every step — value, context, status, output, error and emitted events.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { ActorError } from "actorstate";
import { startWorkflow } from "actorstate/testing";
import type { EventObject } from "xstate";
import { readHistory } from "../../runtime/storage/workflow.ts";
import { caseName, type FidelityCase } from "./case.ts";
import { cases } from "./cases/index.ts";
import { observe, runInMemory, type Observation } from "./harness.ts";

/** Refusals that stand for XState dropping an event: the machine takes no step. */
const DROPPED = new Set(["machine/event_not_accepted", "machine/finished"]);

/** Run `fidelityCase` as a durable workflow actor on a test clock, evicted after every step. */
async function runDurably(index: number, fidelityCase: FidelityCase): Promise<Observation[]> {
  const run = await startWorkflow(env.ACTORS, caseName(index), fidelityCase.input === undefined ? {} : { input: fidelityCase.input });
  let seen = 0;
  /** Once promise work is over: what storage says, and what the machine emitted since the last look. */
  const take = async (): Promise<Observation> => {
    await vi.waitFor(() => runInDurableObject(run.object, (_, state) => expect(state.storage.sql.exec("SELECT run FROM actorstate_workflow_work").toArray()).toEqual([])), {
      timeout: 2_000,
      interval: 5,
    });
    await run.evict();
    const view = await run.getSnapshot();
    const history = await runInDurableObject(run.object, (_, state) => readHistory(state.storage, 0));
    const emitted = history.filter((entry) => entry.seq > seen).flatMap((entry) => entry.emitted as EventObject[]);
    seen = history.at(-1)?.seq ?? seen;
    return observe(view, emitted);
  };
  const observations = [await take()];
  for (const step of fidelityCase.steps) {
    if ("send" in step) {
      await run.send(step.send as never).catch((error: unknown) => {
        if (!(error instanceof ActorError && DROPPED.has(error.fullCode))) throw error;
      });
    } else {
      await run.advanceTime(step.advance);
    }
    observations.push(await take());
  }
  return observations;
}

describe(`fidelity: ${cases.length} machines from XState's tests, in memory and durable, step by step`, () => {
  for (const [index, fidelityCase] of cases.entries()) {
    const test = fidelityCase.differs ? it.fails : it;
    test(`${caseName(index)}: ${fidelityCase.from}${fidelityCase.differs ? ` (differs: ${fidelityCase.differs})` : ""}`, async () => {
      const expected = await runInMemory(fidelityCase);
      expect(await runDurably(index, fidelityCase)).toEqual(expected);
    });
  }
});
