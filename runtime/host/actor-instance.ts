import { sameBytes } from "../codec.ts";
import type { ActorContext, ActorEnv, ActorLogger, ActorSchedule, ActorSql, Caller, Connection, CreateContext } from "../types/actor.ts";
import type { AnyActorDefinition } from "../types/actor.ts";
import { parseCron } from "../cron.ts";
import { ActorError, describeError } from "../errors.ts";
import { formatActorId } from "../identity.ts";
import { encodePart, HEAD, readStateParts, saveStateParts, stateOf, valuesOf, type StateParts } from "../storage/actor-state.ts";
import { ActorKv, MAX_VALUE_BYTES } from "../storage/kv.ts";
import { actorSql } from "../storage/user-tables.ts";
import { insertSchedule, listSchedules } from "../storage/schedules.ts";
import { LATEST_ALARM_TIME, syncAlarm } from "../storage/alarm.ts";
import { createLogger } from "./logger.ts";
import { WORKFLOW_RUNTIME } from "../workflow/workflow.ts";
import { WorkflowRuntime } from "../workflow/runtime.ts";
import type { WorkflowState } from "../types/workflow.ts";

/** What storage holds of a state, part by part. */
type StoredParts = Map<string, { value: unknown; bytes: Uint8Array }>;

/** Who an instance is: its type, key and the generation it embodies. */
export interface InstanceIdentity {
  name: string;
  key: string[];
  doId: string;
  generation: number;
}

/** The connections of the actor, as an instance sees them. */
export interface InstanceConnections {
  /** The open connections of `generation`, by id (`c.conns`). */
  open(generation: number): Map<string, Connection>;
  /** Send an event to the open connections of `generation`, but those whose ids are in `except`. */
  broadcast(generation: number, event: string, args: unknown[], except?: ReadonlySet<string>): void;
}

/** The lifecycle, as an instance of the actor sees it. */
export interface LifecyclePort {
  /**
   * Whether code of this instance may still write to storage: it is the host's current
   * instance, and the lifecycle machine takes writes from its generation.
   */
  accepts(instance: ActorInstance): boolean;
  /** Ask the lifecycle to destroy this generation (does not wait). */
  requestDestroy(generation: number): void;
}

/** The clock the actor's schedules run on (a test's, under `actorstate/testing`). */
export interface SchedulePort {
  /** Now on that clock: what `after` and `cron` count from. */
  now(): number;
  /** Cancel a pending schedule of `generation`: `false` if there is none, or it has already started. */
  cancel(generation: number, id: string): boolean;
}

/** What a workflow actor's instance needs beyond any actor's. */
export interface WorkflowPort {
  /** Whether workflows started here run on a clock only their test moves. */
  manualClock(): boolean;
  /** The machine of `generation` changed status in the step being stored: stage its directory entry (inside that transaction). */
  statusChanged(generation: number): void;
  /** Run `work` as in-flight work of `generation` on its workflow runtime. */
  run(generation: number, work: (runtime: WorkflowRuntime) => unknown): Promise<void>;
}

/** What an instance needs from its host: storage, the Worker's env, and four ports. */
export interface InstanceHost {
  storage: DurableObjectStorage;
  /** The Worker's env (`c.env`). */
  env: ActorEnv;
  lifecycle: LifecyclePort;
  schedules: SchedulePort;
  connections: InstanceConnections;
  workflow: WorkflowPort;
  /** A client for calling other actors (`c.client()`). */
  client(): unknown;
}

/** The ids of the connections `c.broadcastExcept` leaves out: one, several, or none. */
function exceptIds(except: Connection<any> | Iterable<Connection<any>> | undefined): ReadonlySet<string> {
  if (except === undefined) return new Set();
  const connections = Symbol.iterator in except ? [...except] : [except];
  return new Set(
    connections.map((conn) => {
      if (typeof conn?.id !== "string") throw new TypeError("broadcastExcept takes a connection (c.conn, a value of c.conns), several, or undefined.");
      return conn.id;
    }),
  );
}

/**
 * One generation of an actor in memory: its state and what was last written to storage.
 * Every write asks the lifecycle first whether this generation may still write, so a
 * timed-out action or a hung `onDestroy` that finishes late can never write into the
 * tombstone or a newer generation.
 */
export class ActorInstance {
  state: unknown;
  /** `c.vars`: in memory only, made by {@link ActorInstance.makeVars}. */
  vars: unknown;
  readonly actorId: string;
  readonly log: ActorLogger;
  readonly kv: ActorKv;
  readonly sql: ActorSql;
  /** What storage holds of the state, part by part: the value each part was encoded from, and its bytes. */
  private stored: StoredParts | undefined;
  private workflow: WorkflowRuntime | undefined;

  readonly definition: AnyActorDefinition;
  readonly identity: InstanceIdentity;
  private readonly host: InstanceHost;

  constructor(definition: AnyActorDefinition, identity: InstanceIdentity, host: InstanceHost) {
    this.definition = definition;
    this.identity = identity;
    this.host = host;
    this.actorId = formatActorId(identity);
    this.log = createLogger({ actor: identity.name, key: identity.key, actorId: this.actorId });
    this.kv = new ActorKv(host.storage, () => this.assertWritable());
    this.sql = actorSql(host.storage, () => this.assertWritable());
  }

  /** Adopt state read from storage (or just written there). */
  adopt(parts: StateParts): void {
    this.state = stateOf(parts);
    const stored: StoredParts = new Map();
    for (const [part, value] of valuesOf(this.state)) stored.set(part, { value, bytes: parts.get(part)! });
    this.stored = stored;
  }

  /**
   * Make `c.vars` for this instance: what `createVars` returns, or a copy of `vars`. Before
   * `onCreate` and `onWake`, each time the actor comes into memory.
   */
  async makeVars(): Promise<void> {
    const { vars, createVars } = this.definition;
    this.vars = createVars ? await createVars(this.createContext()) : vars === undefined ? undefined : structuredClone(vars);
  }

  /** The context for `createState`: no state yet. */
  createContext(): CreateContext {
    return { ...this.identityFields(), kv: this.kv, sql: this.sql, env: this.host.env };
  }

  /**
   * The context `c` for one action or hook: `conn` is the connection it was called over,
   * `caller` who made the call (for public calls, as `onBeforeConnect` approved it),
   * `onDestroy` tells the caller that this action asked for its own actor's destroy, and
   * once `lease.expired` is set (the action timed out) the context no longer reaches the
   * actor: code still running in it can neither read nor change state, KV or schedules.
   */
  context(options: { conn?: Connection; caller?: Caller; onDestroy?: () => void; lease?: { expired: boolean } } = {}): ActorContext<unknown> {
    const instance = this;
    const { generation } = this.identity;
    const { lease } = options;
    const guard = lease
      ? () => {
          if (lease.expired) throw new Error(`An action of ${this.actorId} timed out; its context no longer reaches the actor.`);
          this.assertWritable();
        }
      : () => this.assertWritable();
    let kv: ActorKv | undefined;
    let sql: ActorSql | undefined;
    let schedule: ActorSchedule | undefined;
    return {
      ...this.identityFields(),
      // Made on first use: most actions touch neither.
      get kv() {
        return (kv ??= lease ? new ActorKv(instance.host.storage, guard) : instance.kv);
      },
      get sql() {
        return (sql ??= lease ? actorSql(instance.host.storage, guard) : instance.sql);
      },
      get schedule() {
        return (schedule ??= lease ? instance.scheduleWith(guard) : instance.schedule);
      },
      conn: options.conn,
      caller: options.caller,
      env: this.host.env,
      get vars() {
        if (lease?.expired) guard();
        return instance.vars;
      },
      get state() {
        if (lease?.expired) guard();
        return instance.state;
      },
      set state(value) {
        if (lease?.expired) guard();
        instance.state = value;
      },
      get conns() {
        return instance.host.connections.open(generation);
      },
      broadcast: (event: string, ...args: unknown[]) => {
        guard();
        this.host.connections.broadcast(generation, event, args);
      },
      broadcastExcept: (except: Connection<any> | Iterable<Connection<any>> | undefined, event: string, ...args: unknown[]) => {
        guard();
        this.host.connections.broadcast(generation, event, args, exceptIds(except));
      },
      destroy: () => {
        options.onDestroy?.();
        this.host.lifecycle.requestDestroy(generation);
      },
      client: () => this.host.client(),
      [WORKFLOW_RUNTIME]: () => this.workflowRuntime(),
    } as ActorContext<unknown>;
  }

  /** This generation's workflow runtime (a workflow actor's), made on first use. */
  workflowRuntime(): WorkflowRuntime {
    const spec = this.definition.workflow;
    if (!spec) throw new Error(`"${this.identity.name}" is not a workflow actor.`);
    const { generation } = this.identity;
    return (this.workflow ??= new WorkflowRuntime(spec, {
      storage: this.host.storage,
      generation,
      actorId: this.actorId,
      log: this.log,
      scope: { ...this.identityFields(), env: this.host.env, client: () => this.host.client() },
      read: () => this.state as WorkflowState,
      write: (state) => {
        this.state = state;
        this.save();
      },
      // The step's transaction rolled back: what storage holds is the truth, not what memory wrote.
      revert: () => {
        const parts = readStateParts(this.host.storage, generation);
        if (parts) this.adopt(parts);
      },
      assertWritable: () => this.assertWritable(),
      later: (work) => this.host.workflow.run(generation, work),
      broadcast: (event, args) => this.host.connections.broadcast(generation, event, args),
      manualClock: () => this.host.workflow.manualClock(),
      statusChanged: () => this.host.workflow.statusChanged(generation),
    }));
  }

  /**
   * This generation leaves memory (replaced, forgotten, torn down): a workflow's machine
   * stops, and its promise work is aborted.
   */
  dispose(): void {
    this.workflow?.stop();
  }

  /** `c.schedule`, bound to this generation. */
  readonly schedule: ActorSchedule = this.scheduleWith(() => this.assertWritable());

  /** `c.schedule` whose every use first passes `guard`. */
  private scheduleWith(guard: () => void): ActorSchedule {
    return {
      after: (ms, action, ...args) => this.scheduleAt(guard, this.host.schedules.now() + ms, action, args),
      at: (epochMs, action, ...args) => this.scheduleAt(guard, epochMs, action, args),
      cron: (expression, action, ...args) => this.scheduleAt(guard, parseCron(expression).next(this.host.schedules.now()), action, args, expression),
      list: () => {
        guard();
        return listSchedules(this.host.storage, this.identity.generation);
      },
      cancel: (id) => {
        guard();
        return this.host.schedules.cancel(this.identity.generation, id);
      },
    };
  }

  private scheduleAt(guard: () => void, runAt: number, action: string, args: unknown[], cron?: string): string {
    guard();
    if (!Object.hasOwn(this.definition.actions, action)) {
      throw new ActorError("action/not_found", `Cannot schedule "${action}": actor "${this.identity.name}" has no such action.`);
    }
    // Past the platform's last alarm time it could never run, and setAlarm would throw.
    if (!(runAt <= LATEST_ALARM_TIME)) throw new RangeError(`Cannot schedule "${action}" at ${runAt}: the object's alarm reaches the year 2189 at most.`);
    const id = insertSchedule(this.host.storage, this.identity.generation, { runAt, action, args, ...(cron === undefined ? {} : { cron }) });
    this.syncAlarm();
    return id;
  }

  private syncAlarm(): void {
    syncAlarm(this.host.storage).catch((error: unknown) => this.log.error("could not set the alarm", { error: String(error) }));
  }

  /**
   * Encode the state, part by part; throws NotSerialisableError for state that is not plain
   * data, and `action/state_too_large` for a part past what one stored value holds.
   */
  encodeState(): StateParts {
    return new Map([...this.encodeChanges().next].map(([part, { bytes }]) => [part, bytes]));
  }

  /**
   * The state's parts as they would be stored now, and which of them differ from what
   * storage holds. A part whose value is the same primitive as when it was stored (a large
   * string untouched by this action) is not encoded again; any object is, as its contents
   * may have changed in place.
   */
  private encodeChanges(): { next: StoredParts; set: Array<readonly [string, Uint8Array]>; removed: string[] } {
    const next: StoredParts = new Map();
    const set: Array<readonly [string, Uint8Array]> = [];
    for (const [part, value] of valuesOf(this.state)) {
      const before = this.stored?.get(part);
      if (before && before.value === value && (typeof value !== "object" || value === null)) {
        next.set(part, before);
        continue;
      }
      const bytes = encodePart(part, value);
      if (bytes.byteLength > MAX_VALUE_BYTES) {
        const what = part === HEAD ? "The actor's state" : `The actor's state key "${part.slice(1)}"`;
        throw new ActorError("action/state_too_large", `${what} would be ${bytes.byteLength} bytes encoded; one stored value holds at most ${MAX_VALUE_BYTES}. The change was not kept: split it over more top-level keys, or keep large data in c.kv.`, {
          metadata: { bytes: bytes.byteLength, limit: MAX_VALUE_BYTES, ...(part === HEAD ? {} : { key: part.slice(1) }) },
        });
      }
      next.set(part, { value, bytes });
      if (!sameBytes(before?.bytes, bytes)) set.push([part, bytes]);
    }
    const removed = [...(this.stored?.keys() ?? [])].filter((part) => !next.has(part));
    return { next, set, removed };
  }

  /**
   * Write the parts of the state that changed; whether any were. If the state cannot be
   * stored, the in-memory state goes back to what storage holds, so memory never runs ahead
   * of disk, and the error is rethrown.
   */
  save(): boolean {
    // A generation that may no longer write has nothing to save into.
    if (!this.host.lifecycle.accepts(this)) return false;
    let changes: ReturnType<ActorInstance["encodeChanges"]>;
    try {
      changes = this.encodeChanges();
    } catch (error) {
      if (this.stored) this.adopt(new Map([...this.stored].map(([part, { bytes }]) => [part, bytes])));
      throw error;
    }
    if (!changes.set.length && !changes.removed.length) {
      this.stored = changes.next;
      return false;
    }
    saveStateParts(this.host.storage, this.identity.generation, changes);
    this.stored = changes.next;
    return true;
  }

  /** Save, and tell `onStateChange` when something was written: for saves in no larger transaction. */
  saveAndNotify(): void {
    if (this.save()) this.stateChanged();
  }

  /**
   * A change of the state was stored: `onStateChange(c, newState)`, never for a change that
   * was not. What the hook changes in `c.state` is saved without calling it again; what it
   * throws is logged, as the change it hears of is already stored.
   */
  stateChanged(): void {
    const hook = this.definition.onStateChange;
    if (!hook || this.#notifying) return;
    this.#notifying = true;
    try {
      const result: unknown = hook(this.context(), this.state);
      if (result instanceof Promise) result.catch((error: unknown) => this.log.error("onStateChange failed", { error: describeError(error) }));
      this.save();
    } catch (error) {
      this.log.error("onStateChange failed", { error: describeError(error) });
    } finally {
      this.#notifying = false;
    }
  }
  #notifying = false;

  assertWritable(): void {
    if (!this.host.lifecycle.accepts(this)) {
      throw new Error(`Actor ${this.actorId} was destroyed; this context can no longer use storage.`);
    }
  }

  // Made once: every action's context spreads them.
  private identityFields() {
    return (this.#identityFields ??= {
      name: this.identity.name,
      key: Object.freeze([...this.identity.key]),
      actorId: this.actorId,
      generation: this.identity.generation,
      log: this.log,
    });
  }
  #identityFields: { name: string; key: readonly string[]; actorId: string; generation: number; log: ActorLogger } | undefined;
}
