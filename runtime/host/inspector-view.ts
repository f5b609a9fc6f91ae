import type { Lifecycle } from "../../machines/lifecycle/lifecycle.ts";
import { decodeValue } from "../codec.ts";
import { formatActorId } from "../identity.ts";
import type { Connection } from "../types/actor.ts";
import type { InspectorConnection, InspectorKvEntry, InspectorKvPage, InspectorSnapshot } from "../inspector/types.ts";
import { readRecord } from "../storage/actor-record.ts";
import { readStateValue } from "../storage/actor-state.ts";
import { readKvPage } from "../storage/kv.ts";
import { listSchedules } from "../storage/schedules.ts";
import { readTransitions } from "../storage/transition-log.ts";
import { listTimers, listWork, readHistory } from "../storage/workflow.ts";
import { eventLabel, stateTree, type StateGraph } from "../../machines/workflow/state-tree.ts";
import { viewOf } from "../../machines/workflow/view.ts";
import type { WorkflowSpec, WorkflowState } from "../types/workflow.ts";
import type { WorkflowInspection } from "../inspector/types.ts";
import type { ConnectionsPort } from "./ports.ts";
import type { ActionCall } from "../inspector/types.ts";

/**
 * What the inspector shows of an object, read from storage (and from the machine when the
 * actor is in memory): it never wakes the actor, so looking at an actor runs none of its code.
 */
export function inspectorSnapshot(
  storage: DurableObjectStorage,
  doId: string,
  lifecycle: Lifecycle,
  connections: ConnectionsPort,
  calls: ActionCall[],
  options: { before?: number; limit?: number },
  workflowOf: (name: string) => WorkflowSpec | undefined,
): InspectorSnapshot | null {
  const record = readRecord(storage);
  if (!record) return null;
  const inMemory = lifecycle.lifecycle !== "uninitialized";
  const { state, generation: stored } = record.lifecycle;
  const generation = stored ?? 0;
  const live = state === "running" || state === "destroying";
  const value = (live ? readStateValue(storage, generation) : undefined) ?? null;
  const spec = workflowOf(record.name);
  return {
    name: record.name,
    key: record.key,
    actorId: formatActorId({ doId, generation }),
    generation,
    lifecycle: inMemory ? lifecycle.lifecycle : state,
    machineState: inMemory ? lifecycle.state : null,
    actionsInFlight: lifecycle.context.inFlight,
    state: value,
    connections: live ? [...connections.open(generation)].map(([id, conn]) => shownConnection(id, conn)) : [],
    schedules: live ? listSchedules(storage, generation) : [],
    transitions: readTransitions(storage, options),
    calls,
    ...(spec ? { workflow: workflowInspection(storage, spec, generation, value as WorkflowState | null) } : {}),
  };
}

/** A connection as the inspector shows it: its params' names, never their values. */
function shownConnection(id: string, conn: Connection): InspectorConnection {
  const { params, auth } = conn;
  return {
    id,
    paramKeys: params !== null && typeof params === "object" ? Object.keys(params) : [],
    ...(auth === undefined ? {} : { auth }),
  };
}

/**
 * Every event type the machine's transitions name, with the label the drawing gives it: a
 * delayed event's type holds its delay's name, not how long it is (`after 24 h`).
 */
function labelsOf(graph: StateGraph, labels = new Map<string, string>()): Map<string, string> {
  for (const t of graph.transitions) labels.set(t.event, t.label);
  for (const child of graph.states) labelsOf(child, labels);
  return labels;
}

function workflowInspection(storage: DurableObjectStorage, spec: WorkflowSpec, generation: number, state: WorkflowState | null): WorkflowInspection {
  const machine = stateTree(spec.machine);
  const labels = labelsOf(machine);
  const label = (type: string) => labels.get(type) ?? eventLabel(type);
  const timers = state ? listTimers(storage, generation) : [];
  return {
    machine,
    view: state?.system ? viewOf(state.system, state.version) : null,
    timers: timers.map((t) => ({ source: t.source, target: t.target, event: t.event.type, label: label(t.event.type), dueAt: t.dueAt })),
    work: state ? listWork(storage, generation).map((w) => ({ path: w.path, id: w.invokeId, src: w.src, startedAt: w.startedAt })) : [],
    history: state ? readHistory(storage, generation).map((step) => ({ ...step, label: label(step.event.type) })) : [],
    now: state?.manualClock ?? Date.now(),
  };
}

/** The most KV entries one inspector page holds. */
export const KV_PAGE_LIMIT = 50;
/** Values larger than this (encoded) are listed by size only. */
export const KV_VALUE_SHOWN_BYTES = 16 * 1024;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function hex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += byte.toString(16).padStart(2, "0");
  return out;
}

function keyShown(key: Uint8Array): Pick<InspectorKvEntry, "key" | "binary"> {
  try {
    return { key: strictUtf8.decode(key) };
  } catch {
    return { key: hex(key), binary: true };
  }
}

/**
 * A page of the actor's KV store, read-only and decoded for display; `null` when no actor
 * was ever created here. Like the snapshot, reading it never wakes the actor.
 */
export function inspectorKv(storage: DurableObjectStorage, options: { after?: Uint8Array; limit?: number }): InspectorKvPage | null {
  if (!readRecord(storage)) return null;
  const limit = Math.min(options.limit ?? KV_PAGE_LIMIT, KV_PAGE_LIMIT);
  const rows = readKvPage(storage, { ...(options.after ? { after: options.after } : {}), limit, valueBytes: KV_VALUE_SHOWN_BYTES });
  const last = rows.at(-1);
  return {
    entries: rows.map((row) => ({ ...keyShown(row.key), size: row.size, ...(row.value ? { value: decodeValue(row.value) } : {}) })),
    cursor: rows.length === limit && last ? hex(last.key) : null,
  };
}
