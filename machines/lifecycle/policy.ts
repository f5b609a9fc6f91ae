// The lifecycle's rules that are numbers and names rather than transitions: how often a host
// asks the machine again, how the alarm backs off for unfinished work, which work runs in
// which state. In one place, beside the machine, so no host keeps its own copy.
import type { LifecycleWork } from "./lifecycle.ts";

/** The four kinds of work the machine invokes, named as its invoke ids. */
export type WorkName = LifecycleWork["src"];

/** The state each kind of work runs in (the machine's `invoke` there); finishing it anywhere else is a machine bug. */
export const stateOfWork: Readonly<Record<WorkName, string>> = {
  load: "loading",
  create: "creating",
  resurrect: "resurrecting",
  teardown: "destroying.finalizing",
};

/** The work that runs in `statePath`, if any. */
export function workOfState(statePath: string): WorkName | undefined {
  return (Object.keys(stateOfWork) as WorkName[]).find((work) => stateOfWork[work] === statePath);
}

/**
 * How many times a host hands the machine a caller's event again after waiting for it to
 * move on (a load, work under way): past that, the machine keeps coming back to the same
 * answer (storage that keeps failing, say) and the caller hears so instead of waiting for ever.
 */
export const ADMIT_ROUNDS = 20;

/**
 * How often a getOrCreate caller creates again when the actor vanished before its own event
 * was admitted (a failed creation it only joined, a destroy in between).
 */
export const CREATE_ROUNDS = 3;

/**
 * How often a destroy is asked for again when the machine held it (for a wake, a creation)
 * and that work ended without carrying it out.
 */
export const DESTROY_ROUNDS = 3;

/** When the alarm resumes unfinished lifecycle work: soon, then backing off per failed attempt, up to a minute. */
const RESUME = { firstMs: 1_000, maxMs: 60_000 };

/** When the alarm must come back for unfinished work after `attempts` failed attempts, from `now`. */
export function resumeAfter(attempts: number, now: number): number {
  return now + Math.min(RESUME.maxMs, RESUME.firstMs * 2 ** attempts);
}

/**
 * Whether `generation` is still live for a destroy that asked for it: the machine is at
 * rest on the same generation, running or not yet loaded. A destroy that left it so was
 * held and dropped, and is asked for again.
 */
export function stillLive(lifecycle: { context: { generation: number | null }; lifecycle: string }, generation: number | null): boolean {
  return lifecycle.context.generation === generation && (lifecycle.lifecycle === "running" || lifecycle.lifecycle === "uninitialized");
}
