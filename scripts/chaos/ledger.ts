// What the chaos workload sent and what the server acknowledged, per actor: the model the
// invariants are checked against. An acknowledged operation happened; an unacknowledged
// one (its connection was cut by a kill) may or may not have.

/** The actor types the workload drives. */
export type ChaosActorName = "appendLog" | "chore" | "timeline" | "errand";

/** The workflow actor types among them (tests/chaos/workflows.ts). */
export const WORKFLOW_NAMES: ReadonlySet<ChaosActorName> = new Set(["timeline", "errand"]);

/** The operations the workload sends, for the summary. */
export type OpKind =
  | "append over HTTP"
  | "append over a connection"
  | "re-create"
  | "destroy"
  | "schedule"
  | "inspect"
  | "stale id probe"
  | "workflow event over HTTP"
  | "workflow event over a connection"
  | "workflow timer"
  | "workflow promise work"
  | "workflow timer, then destroy";

/** One actor (name and key) as the workload saw it. */
export class ActorLedger {
  readonly name: ChaosActorName;
  readonly key: string;
  /** The 64-hex object id, once any actor id of this key was seen. */
  doId: string | undefined;
  /** The highest generation an acknowledged answer named; -1 before any. */
  maxGeneration = -1;
  /** Generations a destroy was sent to (by id), acknowledged or not. */
  readonly destroysSent = new Set<number>();
  /** Generation → when (epoch ms, Node's clock) the destroy's acknowledgement arrived. */
  readonly destroysAcked = new Map<number, number>();
  readonly appendsSent = new Set<string>();
  /** Value → the generation that acknowledged it. */
  readonly appendsAcked = new Map<string, number>();
  readonly plansSent = new Set<string>();
  /** Label → the generation that acknowledged the schedule. */
  readonly plansAcked = new Map<string, number>();
  /** A timeline's ADD events: the ids sent, and id → the generation that acknowledged it. */
  readonly eventsSent = new Set<string>();
  readonly eventsAcked = new Map<string, number>();
  /** Workflow timers (a timeline's ARM, an errand's DOOM): label → delay in ms, as sent. */
  readonly timersSent = new Map<string, number>();
  /** Label → the generation that acknowledged the timer. */
  readonly timersAcked = new Map<string, number>();
  /** An errand's promise work (START): the jobs sent, and job → the generation that acknowledged it. */
  readonly jobsSent = new Set<string>();
  readonly jobsAcked = new Map<string, number>();

  constructor(name: ChaosActorName, key: string) {
    this.name = name;
    this.key = key;
  }

  /** `appendLog "log-3"`, for messages. */
  get label(): string {
    return `${this.name} "${this.key}"`;
  }

  /** An acknowledged answer named this generation. */
  observeGeneration(generation: number): void {
    this.maxGeneration = Math.max(this.maxGeneration, generation);
  }

  /** An acknowledged answer named this actor id; returns its generation. */
  observeId(actorId: string): number {
    const at = actorId.lastIndexOf(":");
    const generation = Number(actorId.slice(at + 1));
    this.doId = actorId.slice(0, at);
    this.observeGeneration(generation);
    return generation;
  }

  /** The id of `generation` of this actor, once the object id is known. */
  idOf(generation: number): string | undefined {
    return this.doId === undefined ? undefined : `${this.doId}:${generation}`;
  }
}

/** Counts of one kind of operation. */
export interface OpCounts {
  sent: number;
  acknowledged: number;
  failed: number;
}

/** Everything the workload did, across every restart. */
export class Ledger {
  readonly actors = new Map<string, ActorLedger>();
  readonly ops = new Map<OpKind, OpCounts>();
  /** Error code (or `network`) → how many operations failed with it. */
  readonly failures = new Map<string, number>();

  actor(name: ChaosActorName, key: string): ActorLedger {
    const id = `${name}/${key}`;
    let actor = this.actors.get(id);
    if (!actor) this.actors.set(id, (actor = new ActorLedger(name, key)));
    return actor;
  }

  count(kind: OpKind, outcome: keyof OpCounts): void {
    let counts = this.ops.get(kind);
    if (!counts) this.ops.set(kind, (counts = { sent: 0, acknowledged: 0, failed: 0 }));
    counts[outcome] += 1;
  }

  fail(kind: OpKind, code: string): void {
    this.count(kind, "failed");
    this.failures.set(code, (this.failures.get(code) ?? 0) + 1);
  }

  totals(): OpCounts {
    const total = { sent: 0, acknowledged: 0, failed: 0 };
    for (const counts of this.ops.values()) for (const outcome of ["sent", "acknowledged", "failed"] as const) total[outcome] += counts[outcome];
    return total;
  }
}
