import type { LifecycleChange, TransitionRecord } from "../../machines/lifecycle/lifecycle.ts";
import type { DirectoryPhase, StoredLifecycle } from "../../machines/lifecycle/types.ts";
import type { DirectoryEntry, DirectoryWorkflowStatus } from "../types/directory.ts";
import { resumeAfter } from "../../machines/lifecycle/policy.ts";
import { formatActorId } from "../identity.ts";
import { readRecord, wipeActorData, writeRecord } from "../storage/actor-record.ts";
import { syncAlarm } from "../storage/alarm.ts";
import { stageDirectoryEntry } from "../directory/outbox.ts";
import { migrate } from "../storage/schema.ts";
import { appendTransitions, readTransitions } from "../storage/transition-log.ts";

/** How many log entries of a never-created actor are remembered until it is created. */
const UNSTORED_LOG_LIMIT = 50;

/** Who the actor is, once proven. */
export interface Identity {
  name: string;
  key: string[];
}

/** When the alarm must come back for unfinished lifecycle work, backing off per failed attempt. */
function resumeAt(change: LifecycleChange, stored: StoredLifecycle, now: number): number | null {
  return change.resume ? resumeAfter(stored.attempts, now) : null;
}

/** The phase the directory lists for a stored lifecycle; creations are listed once they are done. */
function directoryPhase(stored: StoredLifecycle | null): DirectoryPhase | undefined {
  const state = stored?.state;
  return state === "running" || state === "destroying" || state === "destroyed" ? state : undefined;
}

/**
 * Writes each lifecycle step to storage in one transaction: the record (identity and stored
 * lifecycle, with when the alarm must resume unfinished work), the transition log, the
 * wipe of a destroyed or failed generation, and — when the directory's view of the actor
 * changes — the directory outbox. The alarm is synced in the same synchronous block, so
 * the platform commits it with the rest.
 */
export class Journal {
  readonly #storage: DurableObjectStorage;
  readonly #doId: string;
  readonly #identity: () => Identity | undefined;
  readonly #onStaged: () => void;
  readonly #onAlarmError: (error: unknown) => void;
  readonly #workflowStatus: (generation: number) => DirectoryWorkflowStatus | undefined;
  /** Log entries of an actor not yet stored (a key nobody created): kept until it is. */
  #unstored: TransitionRecord[] = [];

  constructor(options: {
    storage: DurableObjectStorage;
    doId: string;
    identity: () => Identity | undefined;
    /** A directory update was staged: deliver it. */
    onStaged: () => void;
    onAlarmError: (error: unknown) => void;
    /** A workflow actor's stored machine status, for its directory entries; `undefined` for other actors. */
    workflowStatus: (generation: number) => DirectoryWorkflowStatus | undefined;
  }) {
    this.#storage = options.storage;
    this.#doId = options.doId;
    this.#identity = options.identity;
    this.#onStaged = options.onStaged;
    this.#onAlarmError = options.onAlarmError;
    this.#workflowStatus = options.workflowStatus;
  }

  /** Store one step. Throws (and stores nothing) if the transaction fails. */
  commit(change: LifecycleChange): void {
    if (!change.exists) {
      // Refusals for a key nobody created are not worth keeping; its state changes are, so
      // the log of an actor starts where its object first woke.
      this.#unstored.push(...change.records.filter((record) => record.from !== record.to));
      this.#unstored.splice(0, this.#unstored.length - UNSTORED_LOG_LIMIT);
      return;
    }
    const identity = this.#identity();
    if (!identity) throw new Error("A lifecycle step must be stored, but no request has proven which actor this object hosts.");
    const storage = this.#storage;
    const records = [...this.#unstored, ...change.records];
    const phase = directoryPhase(change.stored ?? null);
    const last = records.at(-1);
    const report =
      change.stored !== undefined &&
      phase !== undefined &&
      last !== undefined &&
      (phase !== directoryPhase(change.previous) || change.stored.generation !== change.previous?.generation);
    migrate(storage);
    const now = Date.now();
    storage.transactionSync(() => {
      if (change.wipe) wipeActorData(storage);
      if (change.stored) writeRecord(storage, { ...identity, lifecycle: change.stored }, resumeAt(change, change.stored, now));
      const seq = appendTransitions(storage, records, now);
      if (report) {
        const generation = change.stored?.generation ?? 0;
        stageDirectoryEntry(storage, this.#entry(identity, phase, generation, { ...last, at: now }, seq * 2));
      }
    });
    this.#unstored = [];
    if (change.stored || change.wipe || report) syncAlarm(storage).catch(this.#onAlarmError);
    if (report) this.#onStaged();
  }

  /**
   * A workflow's machine changed status (finished or failed) in a step being stored: stage
   * its directory entry with it. Call inside that step's transaction; the caller delivers
   * the entry once it is stored. Nothing is staged until the actor is listed as running —
   * the creation's own entry reads the status then.
   */
  stageWorkflowStatus(generation: number): boolean {
    const identity = this.#identity();
    const stored = readRecord(this.#storage)?.lifecycle;
    const [last] = readTransitions(this.#storage, { limit: 1 });
    if (!identity || stored?.state !== "running" || stored.generation !== generation || !last) return false;
    stageDirectoryEntry(this.#storage, this.#entry(identity, "running", generation, last, last.seq * 2 + 1));
    return true;
  }

  #entry(identity: Identity, phase: DirectoryPhase, generation: number, last: TransitionRecord & { at: number }, version: number): DirectoryEntry {
    const status = phase === "running" ? this.#workflowStatus(generation) : undefined;
    return {
      ...identity,
      actorId: formatActorId({ doId: this.#doId, generation }),
      generation,
      lifecycle: phase,
      ...(status ? { workflow: { status } } : {}),
      last: { from: last.from, to: last.to, event: last.event, at: last.at, ok: last.ok, ...(last.error ? { error: last.error } : {}) },
      version,
    };
  }
}
