// The mixed workload of the chaos run: appends over HTTP (JSON and CBOR) and over
// connections, creates, destroys and re-creates, schedules, inspections and probes of old
// ids, and workflow actors' events (over HTTP and connections), timers, promise work and
// timers cut short by a destroy, from concurrent loops, every outcome written to the
// ledger. It runs until told to stop; whatever is in flight then is cut off by the kill
// that follows.
import { ActorError } from "../../runtime/client/index.ts";
import type { seededRandom } from "../../tests/support/random.ts";
import { chaosClient, networkFailure, type ChaosClient } from "./chaos-client.ts";
import type { Findings } from "./findings.ts";
import type { ActorLedger, ChaosActorName, Ledger, OpKind } from "./ledger.ts";

/** The keys the workload uses: few, so destroys, re-creates and appends collide. */
export const LOG_KEYS = Array.from({ length: 8 }, (_, i) => `log-${i}`);
export const CHORE_KEYS = Array.from({ length: 4 }, (_, i) => `chore-${i}`);
export const TIMELINE_KEYS = Array.from({ length: 4 }, (_, i) => `timeline-${i}`);
export const ERRAND_KEYS = Array.from({ length: 3 }, (_, i) => `errand-${i}`);

const KEYS: Record<ChaosActorName, string[]> = { appendLog: LOG_KEYS, chore: CHORE_KEYS, timeline: TIMELINE_KEYS, errand: ERRAND_KEYS };

/** How long a schedule (or a timeline's timer) waits at most: some run before the next kill, some are due across it. */
export const MAX_SCHEDULE_DELAY_MS = 6_000;

/** How long an errand's job works at most: long enough that kills land in the middle of some. */
export const MAX_JOB_MS = 3_000;

/**
 * How often the alarm looks at a workflow's promise work under way (runtime/storage/alarm.ts,
 * which the Node side cannot import): after a crash, the longest wait before work runs again.
 */
export const WORK_WATCH_MS = 10_000;

/** An errand's DOOM timer is due this long after it is armed, at least: the destroy that follows comes first. */
const DOOM_DELAY_MS = 1_500;

export interface WorkloadOptions {
  endpoint: string;
  ledger: Ledger;
  findings: Findings;
  random: ReturnType<typeof seededRandom>;
  /** How many operations are in flight at once. */
  concurrency: number;
  /** Which phase this is; unique values and labels carry it. */
  cycle: number;
  /** Told when each operation is sent, so a kill can be timed right after one. */
  onSend?: (kind: OpKind) => void;
}

/** A running workload: `stop()` sends nothing more; `settled()` waits for what is in flight. */
export interface Workload {
  stop(): void;
  /** Close the connections (after the kill) and wait for every operation to end. */
  settled(): Promise<void>;
}

/** How a failure is counted: `network (ECONNRESET)` or the error's code. */
function errorCode(error: unknown): string {
  const network = networkFailure(error);
  if (network) return `network (${network})`;
  if (!(error instanceof ActorError)) return String(error);
  if (error.message.includes("disposed")) return "connection disposed when the workload stopped";
  // A server's own internal errors carry an id for its log; a dropped connection's do not.
  if (error.fullCode === "internal/error") return (error.metadata as { errorId?: string } | undefined)?.errorId ? "internal/error from the server" : "internal/error: connection dropped";
  return error.fullCode;
}

/** A connection to one actor, as the pool keeps it. */
interface PooledConnection {
  dispose(): Promise<void>;
}

/** One connection per actor, opened on first use and dropped at its first failure. */
class ConnectionPool {
  private readonly connections = new Map<string, PooledConnection>();
  private readonly clients: ChaosClient[];
  private opened = 0;

  constructor(clients: ChaosClient[]) {
    this.clients = clients;
  }

  /** The connection to `name`/`key`, opened with `open` (on the next client in turn) if there is none. */
  get<C extends PooledConnection>(name: ChaosActorName, key: string, open: (client: ChaosClient) => C): C {
    const id = `${name}/${key}`;
    let conn = this.connections.get(id) as C | undefined;
    if (!conn) this.connections.set(id, (conn = open(this.clients[this.opened++ % this.clients.length] as ChaosClient)));
    return conn;
  }

  drop(name: ChaosActorName, key: string, conn: PooledConnection): void {
    const id = `${name}/${key}`;
    if (this.connections.get(id) === conn) this.connections.delete(id);
    void conn.dispose();
  }

  async disposeAll(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((conn) => conn.dispose()));
  }
}

/** Start the workload against the Worker at `endpoint`. */
export function startWorkload(options: WorkloadOptions): Workload {
  const { ledger, findings, random, cycle } = options;
  const json = chaosClient(options.endpoint, "json");
  const cbor = chaosClient(options.endpoint, "cbor");
  const pool = new ConnectionPool([cbor, json]);
  let stopped = false;
  let sequence = 0;
  const unique = (prefix: string) => `${prefix}${cycle}-${++sequence}`;

  /**
   * Send one operation and count its outcome. Those that send something else first say
   * themselves when their own request goes out (`announced`).
   */
  const send = async (kind: OpKind, work: () => Promise<void>, announced = false) => {
    ledger.count(kind, "sent");
    if (!announced) options.onSend?.(kind);
    try {
      await work();
      ledger.count(kind, "acknowledged");
    } catch (error) {
      ledger.fail(kind, errorCode(error));
    }
  };

  const appendAcked = (actor: ActorLedger, value: string, generation: number, sentAt: number) => {
    actor.appendsAcked.set(value, generation);
    actor.observeGeneration(generation);
    const destroyedAt = actor.destroysAcked.get(generation);
    findings.check(destroyedAt === undefined || destroyedAt > sentAt, "noWorkOnDestroyed", { cycle: 0, actor: actor.label }, () =>
      `append "${value}" sent at ${sentAt} was acknowledged by generation ${generation}, whose destroy was acknowledged at ${destroyedAt}`,
    );
  };

  /** A workflow acknowledged `what`: its view names the generation that took it (stamped in its context). */
  const workflowAcked = (actor: ActorLedger, what: string, generation: number, sentAt: number) => {
    actor.observeGeneration(generation);
    const destroyedAt = actor.destroysAcked.get(generation);
    findings.check(destroyedAt === undefined || destroyedAt > sentAt, "noWorkOnDestroyed", { cycle: 0, actor: actor.label }, () =>
      `${what} sent at ${sentAt} was acknowledged by generation ${generation}, whose destroy was acknowledged at ${destroyedAt}`,
    );
  };

  /** A timeline's ADD over HTTP or a connection: the id must be taken exactly once if acknowledged, at most once if not. */
  const addEvent = (over: "http" | "connection") => {
    const key = random.pick(TIMELINE_KEYS);
    const actor = ledger.actor("timeline", key);
    const id = unique("e");
    const client = random.next() < 0.5 ? json : cbor;
    const conn = over === "connection" ? pool.get("timeline", key, (c) => c.timeline.getOrCreate(key).connect()) : undefined;
    return send(over === "http" ? "workflow event over HTTP" : "workflow event over a connection", async () => {
      const sentAt = Date.now();
      actor.eventsSent.add(id);
      const event = { type: "ADD", id } as const;
      try {
        const view = await (conn ? conn.send(event) : client.timeline.getOrCreate(key).send(event));
        actor.eventsAcked.set(id, view.context.generation);
        workflowAcked(actor, `event ${id}`, view.context.generation, sentAt);
      } catch (error) {
        if (conn) pool.drop("timeline", key, conn);
        throw error;
      }
    });
  };

  const operations: Array<[weight: number, run: () => Promise<void>]> = [
    [
      35,
      () => {
        const key = random.pick(LOG_KEYS);
        const actor = ledger.actor("appendLog", key);
        const value = unique("h");
        const client = random.next() < 0.5 ? json : cbor;
        return send("append over HTTP", async () => {
          const sentAt = Date.now();
          actor.appendsSent.add(value);
          const ack = await client.appendLog.getOrCreate(key).append(value);
          appendAcked(actor, value, ack.generation, sentAt);
        });
      },
    ],
    [
      30,
      () => {
        const key = random.pick(LOG_KEYS);
        const actor = ledger.actor("appendLog", key);
        const value = unique("c");
        const conn = pool.get("appendLog", key, (client) => client.appendLog.getOrCreate(key).connect());
        return send("append over a connection", async () => {
          const sentAt = Date.now();
          actor.appendsSent.add(value);
          try {
            const ack = await conn.append(value);
            appendAcked(actor, value, ack.generation, sentAt);
          } catch (error) {
            pool.drop("appendLog", key, conn);
            throw error;
          }
        });
      },
    ],
    [
      12,
      () => {
        const key = random.pick(CHORE_KEYS);
        const actor = ledger.actor("chore", key);
        const label = unique("p");
        const delay = random.int(MAX_SCHEDULE_DELAY_MS);
        return send("schedule", async () => {
          actor.plansSent.add(label);
          const ack = await (random.next() < 0.5 ? json : cbor).chore.getOrCreate(key).plan(label, delay);
          actor.plansAcked.set(label, ack.generation);
          actor.observeGeneration(ack.generation);
        });
      },
    ],
    [6, () => destroy(random.next() < 0.75 ? "appendLog" : "chore")],
    [10, () => addEvent("http")],
    [6, () => addEvent("connection")],
    [
      5,
      () => {
        // A timeline's timer: ARM raises MARK after the delay; it must fire once, and not early.
        const key = random.pick(TIMELINE_KEYS);
        const actor = ledger.actor("timeline", key);
        const label = unique("t");
        const delayMs = random.int(MAX_SCHEDULE_DELAY_MS);
        return send("workflow timer", async () => {
          const sentAt = Date.now();
          actor.timersSent.set(label, delayMs);
          const view = await (random.next() < 0.5 ? json : cbor).timeline.getOrCreate(key).send({ type: "ARM", label, delayMs });
          actor.timersAcked.set(label, view.context.generation);
          workflowAcked(actor, `timer ${label}`, view.context.generation, sentAt);
        });
      },
    ],
    [
      5,
      () => {
        // An errand's promise work: a kill in the middle of it must not strand it.
        const key = random.pick(ERRAND_KEYS);
        const actor = ledger.actor("errand", key);
        const job = unique("j");
        const ms = 200 + random.int(MAX_JOB_MS - 200);
        return send("workflow promise work", async () => {
          const sentAt = Date.now();
          actor.jobsSent.add(job);
          const view = await (random.next() < 0.5 ? json : cbor).errand.getOrCreate(key).send({ type: "START", job, ms });
          actor.jobsAcked.set(job, view.context.generation);
          workflowAcked(actor, `job ${job}`, view.context.generation, sentAt);
        });
      },
    ],
    [
      2,
      () => {
        // An errand's timer, then a destroy of its generation before it is due: it must never fire after that.
        const key = random.pick(ERRAND_KEYS);
        const actor = ledger.actor("errand", key);
        const label = unique("d");
        const delayMs = DOOM_DELAY_MS + random.int(2_500);
        return send(
          "workflow timer, then destroy",
          async () => {
            const sentAt = Date.now();
            actor.timersSent.set(label, delayMs);
            const view = await json.errand.getOrCreate(key).send({ type: "DOOM", label, delayMs });
            const generation = view.context.generation;
            actor.timersAcked.set(label, generation);
            workflowAcked(actor, `timer ${label}`, generation, sentAt);
            if (actor.doId === undefined) actor.observeId(await json.errand.get(key).resolve());
            const destroyed = destroyById(actor, actor.idOf(generation) as string);
            options.onSend?.("workflow timer, then destroy");
            await destroyed;
          },
          true,
        );
      },
    ],
    [1, () => destroy("timeline")],
    [
      3,
      () => {
        const actor = ledger.actor("appendLog", random.pick(LOG_KEYS));
        return send(
          "re-create",
          async () => {
            // Destroy the live generation first, so that the create resurrects.
            const id = await json.appendLog.get(actor.key).resolve().catch(() => undefined);
            if (id) await destroyById(actor, id);
            options.onSend?.("re-create");
            const handle = await json.appendLog.create(actor.key).catch((error: unknown) => {
              // Someone else's append re-created it first: not an error of the run.
              if (error instanceof ActorError && error.fullCode === "actor/already_exists") return undefined;
              throw error;
            });
            if (handle) actor.observeId(await handle.resolve());
          },
          true,
        );
      },
    ],
    [
      6,
      () => {
        const name: ChaosActorName = random.pick(["appendLog", "appendLog", "appendLog", "chore", "timeline", "errand"]);
        const actor = ledger.actor(name, random.pick(KEYS[name]));
        return send("inspect", async () => {
          const seen = await json[name].get(actor.key).inspect();
          if (seen.lifecycle === "running") actor.observeId(seen.actorId);
        });
      },
    ],
    [8, () => probeOldId()],
  ];
  const totalWeight = operations.reduce((sum, [weight]) => sum + weight, 0);

  /** Destroy the generation a key reaches now, by its id, so the ledger knows which one. */
  function destroy(name: ChaosActorName): Promise<void> {
    const actor = ledger.actor(name, random.pick(KEYS[name]));
    return send("destroy", async () => destroyById(actor, await json[name].get(actor.key).resolve()));
  }

  async function destroyById(actor: ActorLedger, id: string): Promise<void> {
    const generation = actor.observeId(id);
    actor.destroysSent.add(generation);
    await json[actor.name].getForId(id).destroy();
    actor.destroysAcked.set(generation, Date.now());
  }

  /** An id of a generation known to be gone must answer actor/not_found, during the run too. */
  function probeOldId(): Promise<void> {
    const candidates = [...ledger.actors.values()].filter((a) => a.doId !== undefined && (a.maxGeneration > 0 || a.destroysAcked.size));
    if (!candidates.length) return Promise.resolve();
    const actor = random.pick(candidates);
    const gone = [...Array(actor.maxGeneration).keys(), ...actor.destroysAcked.keys()];
    const generation = random.pick(gone);
    const id = actor.idOf(generation) as string;
    return send("stale id probe", async () => {
      const outcome = await json[actor.name].getForId(id).inspect().then(
        (inspection) => `answered ${JSON.stringify(inspection)}`,
        (error: unknown) => (errorCode(error) === "actor/not_found" ? "not_found" : Promise.reject(error)),
      );
      findings.check(outcome === "not_found", "oldIdsGone", { cycle: 0, actor: actor.label }, () => `id ${id} (a gone generation) ${outcome} during the workload`);
    });
  }

  const loop = async () => {
    while (!stopped) {
      let pick = random.next() * totalWeight;
      const operation = operations.find(([weight]) => (pick -= weight) < 0) ?? (operations[0] as (typeof operations)[number]);
      await operation[1]();
    }
  };
  const loops = Array.from({ length: options.concurrency }, loop);

  return {
    stop: () => void (stopped = true),
    async settled() {
      stopped = true;
      await pool.disposeAll();
      await Promise.all(loops);
    },
  };
}
