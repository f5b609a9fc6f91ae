import { afterAll, describe, expect, it } from "vitest";
import { getSimplePaths } from "xstate/graph";
import { statePath } from "./driver.ts";
import { lifecycleMachine } from "./machine.ts";
import { MemoryHost, type WorkName } from "./memory-host.ts";
import { modelEvents, modelVertex } from "./model.ts";
import type { LifecycleContext, LifecycleEvent } from "./types.ts";

function behaviourOf(state: string, context: LifecycleContext) {
  return { state, inFlight: context.inFlight, pendingDestroy: context.pendingDestroy, queuedCreate: context.queuedCreate };
}

const paths = getSimplePaths(lifecycleMachine, { events: modelEvents, serializeState: modelVertex });
const stepCount = paths.reduce((sum, path) => sum + path.steps.length, 0);
type Step = (typeof paths)[number]["steps"][number];

/** Send a host event, or finish the work a result event stands for. Returns a problem, if any. */
async function apply(host: MemoryHost, event: LifecycleEvent): Promise<string | undefined> {
  const result = /^xstate\.(done|error)\.actor\.(\w+)$/.exec(event.type);
  if (!result) {
    const verdict = host.driver.send(event);
    return verdict.accepted ? undefined : `${event.type} refused (${verdict.reason}) in ${host.driver.state}`;
  }
  const [, outcome, work] = result as unknown as [string, "done" | "error", WorkName];
  if (outcome === "error") await host.fail(work);
  else if (work === "load") await host.finish("load", (event as Extract<LifecycleEvent, { output: unknown }>).output as never);
  else if (work === "teardown") await host.finish("teardown");
  else await host.finish(work, { generation: ((await host.startedWork())?.input as { generation: number }).generation });
  return undefined;
}

/** Take one step and say what, if anything, differs from what the model predicts. */
async function check(host: MemoryHost, step: Step): Promise<string | undefined> {
  const before = host.driver.state;
  const logged = host.log.length;
  const refused = await apply(host, step.event);
  if (refused) return refused;
  const expected = statePath(step.state.value);
  const actual = JSON.stringify(behaviourOf(host.driver.state, host.driver.context));
  const predicted = JSON.stringify(behaviourOf(expected, step.state.context));
  if (actual !== predicted) return `after ${step.event.type}: ${actual}, model says ${predicted}`;
  // The transition log holds exactly the state changes, each once, with its event.
  const records = JSON.stringify(host.log.slice(logged).map(({ from, to, event }) => ({ from, to, event })));
  const wanted = JSON.stringify(before === expected ? [] : [{ from: before, to: expected, event: step.event.type }]);
  if (records !== wanted) return `after ${step.event.type}: logged ${records}, expected ${wanted}`;
  return host.violations.length ? host.violations.join("; ") : undefined;
}

function describePath(steps: Step[]): string {
  return steps.map((step) => step.event.type).join(" → ");
}

interface PrefixNode {
  step?: Step;
  children: Map<string, PrefixNode>;
}

/** The paths as a tree of shared prefixes, so each distinct prefix is replayed once. */
function prefixTree(): PrefixNode {
  const root: PrefixNode = { children: new Map() };
  for (const path of paths) {
    let node = root;
    for (const step of path.steps) {
      if ((step.event.type as string) === "xstate.init") continue;
      const key = JSON.stringify(step.event);
      let child = node.children.get(key);
      if (!child) node.children.set(key, (child = { step, children: new Map() }));
      node = child;
    }
  }
  return root;
}

describe("generated simple paths through the lifecycle machine", () => {
  const failures: string[] = [];
  let restoredSteps = 0;

  afterAll(() => {
    console.log(
      `lifecycle paths: replayed ${paths.length} generated simple paths (${stepCount} steps) against the in-memory host, ` +
        `then again restoring the persisted snapshot before each of their ${restoredSteps} distinct steps`,
    );
  });

  it("reaches every state of the machine", () => {
    const reached = new Set(paths.map((path) => statePath(path.state.value)));
    const all = Object.entries(lifecycleMachine.root.states).flatMap(([name, node]) =>
      Object.keys(node.states).length ? Object.keys(node.states).map((child) => `${name}.${child}`) : [name],
    );
    expect([...reached].sort()).toEqual(all.sort());
  });

  it("replays every path against the in-memory host", async () => {
    for (const path of paths) {
      const host = new MemoryHost();
      const steps = path.steps.filter((step) => (step.event.type as string) !== "xstate.init");
      for (const [index, step] of steps.entries()) {
        const problem = await check(host, step);
        if (problem) {
          failures.push(`${describePath(steps.slice(0, index + 1))}: ${problem}`);
          break;
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("replays every path with the snapshot persisted and restored before every step", async () => {
    async function explore(host: MemoryHost, node: PrefixNode, trail: Step[]): Promise<void> {
      for (const child of node.children.values()) {
        const step = child.step as Step;
        // Each branch continues from a machine restored from the persisted snapshot.
        const restored = host.fork();
        const same = JSON.stringify(behaviourOf(restored.driver.state, restored.driver.context)) ===
          JSON.stringify(behaviourOf(host.driver.state, host.driver.context));
        const problem = same ? await check(restored, step) : "the restored snapshot differs from the original";
        restoredSteps++;
        if (problem) failures.push(`${describePath([...trail, step])} (restored): ${problem}`);
        else await explore(restored, child, [...trail, step]);
      }
    }
    await explore(new MemoryHost(), prefixTree(), []);
    expect(failures).toEqual([]);
  });
});
