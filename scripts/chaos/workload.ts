// The mixed workload of the chaos run: appends over HTTP (JSON and CBOR) and over
// connections, creates, destroys and re-creates, schedules, inspections and probes of old
// ids, from concurrent loops, every outcome written to the ledger. It runs until told to
// stop; whatever is in flight then is cut off by the kill that follows.
import { ActorError } from "../../runtime/client/index.ts";
import type { seededRandom } from "../../tests/support/random.ts";
import { chaosClient, networkFailure, type AppendLogConnection, type ChaosClient } from "./chaos-client.ts";
import type { Findings } from "./findings.ts";
import type { ActorLedger, ChaosActorName, Ledger, OpKind } from "./ledger.ts";

/** The keys the workload uses: few, so destroys, re-creates and appends collide. */
export const LOG_KEYS = Array.from({ length: 8 }, (_, i) => `log-${i}`);
export const CHORE_KEYS = Array.from({ length: 4 }, (_, i) => `chore-${i}`);

/** How long a schedule waits at most: some run before the next kill, some are due across it. */
export const MAX_SCHEDULE_DELAY_MS = 6_000;

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

/** One connection per log key, opened on first use and dropped at its first failure. */
class ConnectionPool {
  private readonly connections = new Map<string, AppendLogConnection>();
  private readonly clients: ChaosClient[];
  private opened = 0;

  constructor(clients: ChaosClient[]) {
    this.clients = clients;
  }

  get(key: string): AppendLogConnection {
    let conn = this.connections.get(key);
    if (!conn) {
      const client = this.clients[this.opened++ % this.clients.length] as ChaosClient;
      this.connections.set(key, (conn = client.appendLog.getOrCreate(key).connect()));
    }
    return conn;
  }

  drop(key: string, conn: AppendLogConnection): void {
    if (this.connections.get(key) === conn) this.connections.delete(key);
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
        const conn = pool.get(key);
        return send("append over a connection", async () => {
          const sentAt = Date.now();
          actor.appendsSent.add(value);
          try {
            const ack = await conn.append(value);
            appendAcked(actor, value, ack.generation, sentAt);
          } catch (error) {
            pool.drop(key, conn);
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
        const name: ChaosActorName = random.next() < 0.7 ? "appendLog" : "chore";
        const actor = ledger.actor(name, random.pick(name === "appendLog" ? LOG_KEYS : CHORE_KEYS));
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
    const actor = ledger.actor(name, random.pick(name === "appendLog" ? LOG_KEYS : CHORE_KEYS));
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
