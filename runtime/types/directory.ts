import type { DirectoryPhase } from "../../machines/lifecycle/types.ts";

/** A workflow's own status as the directory lists it: its machine running, finished, or failed. */
export type DirectoryWorkflowStatus = "active" | "done" | "error";

/** One actor as the directory lists it. */
export interface DirectoryEntry {
  name: string;
  key: string[];
  /** The id of the generation this entry describes. */
  actorId: string;
  generation: number;
  /** The last durable phase: `running`, `destroying` or `destroyed`. */
  lifecycle: DirectoryPhase;
  /**
   * For a workflow actor whose generation is running: its machine's own status, beside the
   * lifecycle (a finished workflow's actor still runs, answering `snapshot()`).
   */
  workflow?: { status: DirectoryWorkflowStatus };
  /** The transition that produced this entry. */
  last: { from: string; to: string; event: string; at: number; ok: boolean; error?: string };
  /**
   * Grows with every update from the actor (twice the transition's sequence number, one
   * more for a workflow's status change after it); older updates never overwrite newer ones.
   */
  version: number;
}

/** Options for listing actors of one type. */
export interface ListOptions {
  /** Only actors in this lifecycle phase. */
  lifecycle?: DirectoryPhase;
  /** How many at most (default 100, at most 1,000). */
  limit?: number;
  /** Where the previous page ended. */
  cursor?: string;
}

/** A page of actors. */
export interface ListPage {
  actors: DirectoryEntry[];
  /** Pass it back for the next page; `null` after the last one. */
  cursor: string | null;
}
