// The outcome of every invariant check: how many times each invariant held, and each
// violation with the actor and the evidence, so the output says exactly what broke.

/** The invariants the chaos run checks, as the summary names them. */
export const INVARIANTS = {
  appendsKept: "every acknowledged append of the live generation is in its log",
  noDuplicates: "a log holds no duplicate and no never-sent value",
  counterMatches: "a log's counter equals its number of entries, numbered without gaps",
  generationsForward: "generations never go back",
  generationsByDestroy: "a generation exists only after a destroy of the one before",
  destroyedStaysDestroyed: "an acknowledged destroy is never undone",
  notLost: "an acknowledged actor is never lost without a destroy",
  oldIdsGone: "old actor ids answer actor/not_found",
  settles: "every actor settles to running or destroyed after a restart",
  createdFully: "a running generation has finished its onCreate",
  directoryAgrees: "the directory agrees with the actors",
  plansKept: "every acknowledged schedule of the live generation is kept",
  schedulesOnce: "every due schedule of the live generation ran exactly once",
  schedulesOwnGeneration: "only the live generation's own schedules ran in it",
  noRunAfterDestroy: "no schedule ran after its generation's destroy was acknowledged",
  noWorkOnDestroyed: "no work sent after a destroy was acknowledged reached the destroyed generation",
  workflowEventsKept: "every acknowledged workflow event of the live generation was taken",
  workflowEventsOnce: "a workflow took each event at most once, and none never sent",
  timersOnce: "every due workflow timer of the live generation fired exactly once, after its time",
  timersOwnGeneration: "a workflow timer fires only in the generation that armed it",
  timersNotAfterDestroy: "no workflow timer fired after its generation's destroy was acknowledged",
  workResumed: "promise work under way at a kill ran again with nobody calling, and the machine moved on",
  workSameKey: "every run of one promise invocation had one idempotency key, and the machine took its output",
  workNotRepeated: "no promise run started after its machine moved on, its generation's destroy, or a run in the same process",
} as const;

export type Invariant = keyof typeof INVARIANTS;

export interface Violation {
  invariant: Invariant;
  /** Which restart (0 = during the workload). */
  cycle: number;
  actor: string;
  detail: string;
}

/** Passes and violations, per invariant. */
export class Findings {
  readonly passed = new Map<Invariant, number>();
  readonly violations: Violation[] = [];

  pass(invariant: Invariant): void {
    this.passed.set(invariant, (this.passed.get(invariant) ?? 0) + 1);
  }

  violate(violation: Violation): void {
    this.violations.push(violation);
  }

  /** Record one check: a pass when `ok`, else the violation `detail()` describes. */
  check(ok: boolean, invariant: Invariant, where: { cycle: number; actor: string }, detail: () => string): boolean {
    if (ok) this.pass(invariant);
    else this.violate({ invariant, ...where, detail: detail() });
    return ok;
  }

  failedCount(invariant: Invariant): number {
    return this.violations.filter((v) => v.invariant === invariant).length;
  }
}
