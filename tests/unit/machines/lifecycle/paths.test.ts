import { describe, expect, it } from "vitest";
import { createActor, type AnyStateNode, type AnyTransitionDefinition, type InspectionEvent } from "xstate";
import { getShortestPaths, getSimplePaths } from "xstate/graph";
import { allTransitions } from "../../../../machines/machine-reading.ts";
import { statePath } from "../../../../machines/lifecycle/lifecycle.ts";
import { lifecycleMachine } from "../../../../machines/lifecycle/machine.ts";
import { MemoryHost, type WorkName } from "../../../../machines/lifecycle/memory-host.ts";
import { modelEvents, modelVertex } from "../../../../machines/lifecycle/model.ts";
import type { LifecycleContext, LifecycleEvent, StoredLifecycle } from "../../../../machines/lifecycle/types.ts";

function behaviourOf(state: string, context: LifecycleContext) {
  return { state, inFlight: context.inFlight, pendingDestroy: context.pendingDestroy, request: context.request?.mode ?? null };
}

const paths = getSimplePaths(lifecycleMachine, { events: modelEvents, serializeState: modelVertex });
const stepCount = paths.reduce((sum, path) => sum + path.steps.length, 0);
type Step = (typeof paths)[number]["steps"][number];

/** Send a host event, or finish the work a result event stands for. Returns a problem, if any. */
async function apply(host: MemoryHost, event: LifecycleEvent): Promise<string | undefined> {
  const outcome = /^xstate\.(done|error)\.actor\.(\w+)$/.exec(event.type);
  if (!outcome) {
    // The model's LOAD says what storage held when the object woke.
    if (event.type === "LOAD" && host.lifecycle.state === "uninitialized") host.stored = event.stored;
    const verdict = host.lifecycle.send(event);
    return verdict.accepted ? undefined : `${event.type} refused (${verdict.reason}) in ${host.lifecycle.state}`;
  }
  const [, result, work] = outcome as unknown as [string, "done" | "error", WorkName];
  if (result === "error") await host.fail(work);
  else await host.finish(work);
  return undefined;
}

/** What storage must hold while the machine is where it is: exactly its stored part. */
function storedFor(host: MemoryHost): StoredLifecycle | null {
  const projection = host.lifecycle.stored;
  if (!projection) return host.stored;
  // Nothing stored and nothing to store are the same: a key never created.
  if (host.stored === null && projection.state === "absent" && projection.generation === null) return null;
  return projection;
}

/**
 * A crash now: a new object wakes on what storage holds. It must come back to the stored
 * state (or resume its work), never to anything the machine was not in.
 */
async function crashProbe(host: MemoryHost): Promise<string | undefined> {
  const probe = new MemoryHost();
  probe.stored = host.stored;
  const verdict = probe.load();
  if (!verdict.accepted) return `LOAD after a crash was refused (${verdict.reason})`;
  const stored = host.stored;
  const woke = probe.lifecycle.state.split(".")[0];
  const expected = stored === null ? "absent" : stored.state === "running" ? "loading" : stored.state === "destroyed" && stored.request ? "resurrecting" : stored.state;
  if (woke !== expected) return `after a crash woke in ${probe.lifecycle.state}, storage holds ${JSON.stringify(stored)}`;
  // Work under way before the crash starts again, with the same input.
  const before = host.pendingWork;
  if (before && before.src !== "load" && stored?.state !== "destroyed") {
    const again = await probe.startedWork();
    if (JSON.stringify(again) !== JSON.stringify(before)) return `after a crash resumed ${JSON.stringify(again)}, not ${JSON.stringify(before)}`;
  }
  return probe.violations.length ? probe.violations.join("; ") : undefined;
}

/**
 * Take one step and say what, if anything, differs from what the model predicts. `changes`
 * collects every state change of the path so far: once the actor exists in storage, its
 * log holds exactly those, in order.
 */
async function check(host: MemoryHost, step: Step, changes: string[]): Promise<string | undefined> {
  const before = host.lifecycle.state;
  const refused = await apply(host, step.event);
  if (refused) return refused;
  const expected = statePath(step.state.value);
  const actual = JSON.stringify(behaviourOf(host.lifecycle.state, host.lifecycle.context));
  const predicted = JSON.stringify(behaviourOf(expected, step.state.context));
  if (actual !== predicted) return `after ${step.event.type}: ${actual}, model says ${predicted}`;
  // Storage holds exactly the stored part of where the machine is.
  if (JSON.stringify(host.stored) !== JSON.stringify(storedFor(host))) {
    return `after ${step.event.type}: storage holds ${JSON.stringify(host.stored)}, the machine is at ${JSON.stringify(storedFor(host))}`;
  }
  if (before !== expected) changes.push(`${before} → ${expected} on ${step.event.type}`);
  const logged = host.log.map(({ from, to, event }) => `${from} → ${to} on ${event}`);
  const wanted = host.stored === null ? [] : changes;
  if (JSON.stringify(logged) !== JSON.stringify(wanted)) return `after ${step.event.type}: logged ${JSON.stringify(logged)}, expected ${JSON.stringify(wanted)}`;
  const crash = await crashProbe(host);
  if (crash) return `after ${step.event.type}: ${crash}`;
  return host.violations.length ? host.violations.join("; ") : undefined;
}

function describePath(steps: Step[]): string {
  return steps.map((step) => step.event.type).join(" → ");
}

describe("generated simple paths through the lifecycle machine", () => {
  it("reach every state of the machine", () => {
    const reached = new Set(paths.map((path) => statePath(path.state.value)));
    const all = Object.entries(lifecycleMachine.root.states).flatMap(([name, node]) =>
      Object.keys(node.states).length ? Object.keys(node.states).map((child) => `${name}.${child}`) : [name],
    );
    expect([...reached].sort()).toEqual(all.sort());
  });

  it("replay against the in-memory host with storage and a crash after every step agreeing with the machine", async () => {
    const failures: string[] = [];
    for (const path of paths) {
      const host = new MemoryHost();
      const changes: string[] = [];
      const steps = path.steps.filter((step) => (step.event.type as string) !== "xstate.init");
      for (const [index, step] of steps.entries()) {
        const problem = await check(host, step, changes);
        if (problem) {
          failures.push(`${describePath(steps.slice(0, index + 1))}: ${problem}`);
          break;
        }
      }
    }
    console.log(`lifecycle paths: replayed ${paths.length} generated simple paths (${stepCount} steps), each step followed by a crash and a wake from storage`);
    expect(failures.slice(0, 10)).toEqual([]);
  }, 120_000);
});

describe("coverage", () => {
  function transitionKey(transition: AnyTransitionDefinition): string {
    const source = transition.source as AnyStateNode;
    const candidates = transition.eventType === "" ? source.always : source.transitions.get(transition.eventType);
    const index = candidates?.findIndex((candidate) => candidate === transition) ?? -1;
    return `${source.id} ${transition.eventType || "(always)"} #${index}`;
  }

  it("takes every transition the machine defines, from the states the model reaches", async () => {
    const taken = new Set<string>();
    const inspect = (event: InspectionEvent) => {
      if (event.type === "@xstate.microstep") for (const t of event._transitions) taken.add(transitionKey(t));
    };
    // Besides the model's key-based events: callers holding an old id, and events no state expects.
    const extra: LifecycleEvent[] = [
      ...(["ACTION_START", "CONNECT", "ALARM", "INSPECT", "RESOLVE", "DESTROY"] as const).flatMap((type): LifecycleEvent[] => [{ type }, { type, generation: 99 }]),
      { type: "xstate.done.actor.load" },
    ];
    const reachable = getShortestPaths(lifecycleMachine, { events: modelEvents, serializeState: modelVertex });
    for (const path of reachable) {
      for (const event of [...modelEvents(path.state), ...extra]) {
        const host = new MemoryHost({ inspect });
        for (const step of path.steps) if ((step.event.type as string) !== "xstate.init") await apply(host, step.event);
        const work = /^xstate\.(?:done|error)\.actor\.(\w+)$/.exec(event.type)?.[1];
        if (work && host.pendingWork?.src !== work) host.lifecycle.send(event);
        else await apply(host, event);
      }
    }
    // Calls of the live generation that an admitting machine takes as they are: the
    // Lifecycle answers them from the machine's tags, with no step. The machine's own
    // answers are stepped here, so they stay what the Lifecycle assumes (see transitions.test.ts).
    const admitting = createActor(lifecycleMachine, {
      inspect,
      snapshot: lifecycleMachine.resolveState({ value: "running", context: { generation: 0, inFlight: 1, request: null, pendingDestroy: false, attempts: 0 } }),
    }).start();
    for (const type of ["ACTION_END", "CONNECT", "ALARM", "INSPECT", "RESOLVE"] as const) admitting.send({ type, generation: 0 } as LifecycleEvent);
    const untested = allTransitions(lifecycleMachine.root).map(transitionKey).filter((key) => !taken.has(key));
    expect(untested).toEqual([]);
  });
});
