import { ActorError, UserError } from "../errors.ts";
import type { ActionCall } from "../inspector/types.ts";

/** A call as it starts: what {@link RecentCalls.record} is given once it ends. */
export type CallStart = Pick<ActionCall, "at" | "action" | "generation" | "via">;

/** How many calls an object remembers. */
export const RECENT_CALLS_LIMIT = 100;
/** Longest error text kept per call. */
const ERROR_TEXT_LIMIT = 300;
/** Longest action name kept per call: a refused call may name anything, at any length. */
const ACTION_NAME_LIMIT = 100;

/** What the caller of a failed action was told; an internal error's details stay in the log. */
function errorText(error: unknown): string {
  const text =
    error instanceof ActorError ? `${error.fullCode}: ${error.message}` : error instanceof UserError ? `user/${error.code}: ${error.message}` : "internal/error";
  return text.slice(0, ERROR_TEXT_LIMIT);
}

/**
 * The last {@link RECENT_CALLS_LIMIT} action calls of one object, in memory only: recording
 * one costs an array write, never a storage write, so it stays off the action's hot path.
 * They are gone when the object is evicted; the transition log is the durable record.
 */
export class RecentCalls {
  readonly #calls: ActionCall[] = [];
  /** Where the next call goes once the ring is full. */
  #next = 0;

  /** Remember a call that started at `at` and ended now, with `error` if it failed. */
  record(call: CallStart, failed?: { error: unknown }): void {
    const action = call.action.length > ACTION_NAME_LIMIT ? `${call.action.slice(0, ACTION_NAME_LIMIT)}…` : call.action;
    const entry: ActionCall = { at: call.at, action, generation: call.generation, via: call.via, ms: Date.now() - call.at, ok: !failed };
    if (failed) entry.error = errorText(failed.error);
    if (this.#calls.length < RECENT_CALLS_LIMIT) {
      this.#calls.push(entry);
    } else {
      this.#calls[this.#next] = entry;
      this.#next = (this.#next + 1) % RECENT_CALLS_LIMIT;
    }
  }

  /** The remembered calls, oldest first. */
  list(): ActionCall[] {
    return [...this.#calls.slice(this.#next), ...this.#calls.slice(0, this.#next)];
  }
}
