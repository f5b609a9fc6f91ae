import type { Lifecycle } from "../../machines/lifecycle/lifecycle.ts";
import { decodeValue } from "../codec.ts";
import { formatActorId } from "../identity.ts";
import type { InspectorSnapshot } from "../inspector/types.ts";
import { readRecord, readState } from "../storage/actor-record.ts";
import { listSchedules } from "../storage/schedules.ts";
import { readTransitions } from "../storage/transition-log.ts";
import type { ConnectionSockets } from "./connections.ts";

/**
 * What the inspector shows of an object, read from storage (and from the machine when the
 * actor is in memory): it never wakes the actor, so looking at an actor runs none of its code.
 */
export function inspectorSnapshot(
  storage: DurableObjectStorage,
  doId: string,
  lifecycle: Lifecycle,
  connections: ConnectionSockets,
  options: { before?: number; limit?: number },
): InspectorSnapshot | null {
  const record = readRecord(storage);
  if (!record) return null;
  const inMemory = lifecycle.lifecycle !== "uninitialized";
  const { state, generation: stored } = record.lifecycle;
  const generation = stored ?? 0;
  const live = state === "running" || state === "destroying";
  const bytes = live ? readState(storage, generation) : undefined;
  return {
    name: record.name,
    key: record.key,
    actorId: formatActorId({ doId, generation }),
    generation,
    lifecycle: inMemory ? lifecycle.lifecycle : state,
    machineState: inMemory ? lifecycle.state : null,
    actionsInFlight: lifecycle.context.inFlight,
    state: bytes ? decodeValue(bytes) : null,
    connections: live ? [...connections.open(generation)].map(([id, conn]) => ({ id, params: conn.params })) : [],
    schedules: live ? listSchedules(storage, generation) : [],
    transitions: readTransitions(storage, options),
  };
}
