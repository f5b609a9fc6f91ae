import type { AnyStateMachine } from "xstate";
import { getAdjacencyMap, type AdjacencyMap, type AdjacencyValue } from "xstate/graph";
import { statePath } from "./lifecycle.ts";
import { lifecycleMachine } from "./machine.ts";
import { workOfState } from "./policy.ts";
import type { LifecycleEvent, StoredLifecycle } from "./types.ts";

type Snapshot = ReturnType<typeof lifecycleMachine.getInitialSnapshot>;

/** How many actions may be in flight at once in the model: enough to drain several. */
export const MODEL_MAX_IN_FLIGHT = 2;


const modelRequest = { id: "stored", mode: "getOrCreate" as const, input: { by: "stored" } };

/** What storage may hold when an object wakes: one of each stored state. */
export const modelStored: StoredLifecycle[] = [
  { state: "running", generation: 1, request: null, pendingDestroy: false, attempts: 0 },
  { state: "running", generation: 1, request: null, pendingDestroy: true, attempts: 0 },
  { state: "creating", generation: 0, request: modelRequest, pendingDestroy: false, attempts: 0 },
  { state: "resurrecting", generation: 2, request: modelRequest, pendingDestroy: false, attempts: 0 },
  { state: "destroying", generation: 1, request: null, pendingDestroy: false, attempts: 1 },
  { state: "destroyed", generation: 1, request: null, pendingDestroy: false, attempts: 0 },
  { state: "destroyed", generation: 1, request: modelRequest, pendingDestroy: false, attempts: 0 },
];

/**
 * The events a host can send in `snapshot`, plus the outcomes of whatever work the state
 * is running: the alphabet of the lifecycle model. Refused events are self-loops, which
 * never change state, so the model offers only key-based (generation-free) events.
 */
export function modelEvents(snapshot: Snapshot): LifecycleEvent[] {
  const state = statePath(snapshot.value);
  const events: LifecycleEvent[] = [
    { type: "CREATE", request: { id: "model-create", mode: "create", input: { by: "create" } } },
    { type: "CREATE", request: { id: "model-get", mode: "getOrCreate", input: { by: "getOrCreate" } } },
    { type: "ACTION_END" },
    { type: "DESTROY" },
    { type: "ALARM" },
  ];
  if (state === "uninitialized" && snapshot.context.generation === null) {
    events.push({ type: "LOAD", stored: null }, ...modelStored.map((stored): LifecycleEvent => ({ type: "LOAD", stored })));
  } else if (state === "uninitialized") {
    // Back after a failed load: storage still holds the live actor that load was waking.
    const { generation, request, pendingDestroy, attempts } = snapshot.context;
    events.push({ type: "LOAD", stored: { state: "running", generation, request, pendingDestroy, attempts } });
  } else {
    events.push({ type: "LOAD", stored: null });
  }
  if (snapshot.context.inFlight < MODEL_MAX_IN_FLIGHT) events.push({ type: "ACTION_START" });
  const work = workOfState(state);
  if (work) events.push({ type: `xstate.done.actor.${work}` }, { type: `xstate.error.actor.${work}`, error: new Error(`${work} failed`) });
  return events;
}

/** What makes two snapshots behave differently for generation-free events. */
export function modelVertex(snapshot: Snapshot): string {
  const { inFlight, pendingDestroy, request } = snapshot.context;
  return JSON.stringify([snapshot.value, inFlight, pendingDestroy, request?.mode ?? null]);
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
