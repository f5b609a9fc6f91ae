import type { AnyStateMachine } from "xstate";
import { getAdjacencyMap, type AdjacencyMap, type AdjacencyValue } from "xstate/graph";
import { statePath } from "./driver.ts";
import { lifecycleMachine } from "./machine.ts";
import type { LifecycleEvent } from "./types.ts";

type Snapshot = ReturnType<typeof lifecycleMachine.getInitialSnapshot>;
type WorkName = "load" | "create" | "resurrect" | "teardown";

/** How many actions may be in flight at once in the model: enough to drain several. */
export const MODEL_MAX_IN_FLIGHT = 2;

const workOfState: Record<string, WorkName> = {
  loading: "load",
  creating: "create",
  resurrecting: "resurrect",
  "destroying.finalizing": "teardown",
};

/**
 * The events a host can send in `snapshot`, plus the outcomes of whatever work the state
 * is running: the alphabet of the lifecycle model. Refused events are self-loops, which
 * never change state, so the model offers only key-based (generation-free) events.
 */
export function modelEvents(snapshot: Snapshot): LifecycleEvent[] {
  const events: LifecycleEvent[] = [
    { type: "LOAD" },
    { type: "CREATE", mode: "create", input: { by: "create" } },
    { type: "CREATE", mode: "getOrCreate", input: { by: "getOrCreate" } },
    { type: "ACTION_END" },
    { type: "DESTROY" },
  ];
  if (snapshot.context.inFlight < MODEL_MAX_IN_FLIGHT) events.push({ type: "ACTION_START" });
  const work = workOfState[statePath(snapshot.value)];
  if (work === "load") {
    for (const status of ["live", "destroying", "destroyed"] as const) {
      events.push({ type: "xstate.done.actor.load", output: { status, generation: 1 } });
    }
    events.push({ type: "xstate.done.actor.load", output: { status: "absent" } });
  }
  if (work === "create" || work === "resurrect") {
    events.push({ type: `xstate.done.actor.${work}`, output: { generation: snapshot.context.generation ?? 0 } });
  }
  if (work === "teardown") events.push({ type: "xstate.done.actor.teardown", output: undefined });
  if (work) events.push({ type: `xstate.error.actor.${work}`, error: new Error(`${work} failed`) });
  return events;
}

/** What makes two snapshots behave differently for generation-free events. */
export function modelVertex(snapshot: Snapshot): string {
  const { inFlight, pendingDestroy, queuedCreate } = snapshot.context;
  return JSON.stringify([snapshot.value, inFlight, pendingDestroy, queuedCreate?.mode ?? null]);
}

/**
 * Every state change the machine can make, as `from|event|to` (state paths, event type):
 * what a transition log entry that changes state must be one of.
 */
export function possibleStateChanges(): Set<string> {
  // getAdjacencyMap's types do not accept a machine with emitted events; its logic does.
  const adjacency = getAdjacencyMap(lifecycleMachine as unknown as AnyStateMachine, {
    events: modelEvents as (snapshot: unknown) => LifecycleEvent[],
    serializeState: modelVertex as (snapshot: unknown) => string,
  }) as AdjacencyMap<Snapshot, LifecycleEvent>;
  const changes = new Set<string>();
  for (const vertex of Object.values(adjacency) as Array<AdjacencyValue<Snapshot, LifecycleEvent>>) {
    const from = statePath(vertex.state.value);
    for (const { event, state } of Object.values(vertex.transitions) as Array<{ event: LifecycleEvent; state: Snapshot }>) {
      const to = statePath(state.value);
      if (from !== to) changes.add(`${from}|${event.type}|${to}`);
    }
  }
  return changes;
}
