import { startLifecycle, type LifecycleDriver, type LifecycleWork, type TransitionRecord } from "../../machines/lifecycle/driver.ts";
import type { CreateWorkInput, TeardownWorkInput } from "../../machines/lifecycle/machine.ts";
import type { CreatedRecord, LifecycleEvent, LoadedRecord } from "../../machines/lifecycle/types.ts";
import { assertPlainData } from "../codec.ts";
import type { ActorContext, Connection } from "../context.ts";
import { actionHandler, validate, type AnyActorDefinition, type Registry } from "../definition.ts";
import { ActorError, describeError, errorForRefusal, toActorError } from "../errors.ts";
import { formatActorId, normalizeKey, objectNameFor } from "../identity.ts";
import { actorRequest, type ActorInspection, type ActorRequest, type ActorResult, type ActorTarget } from "../requests.ts";
import { abandonGeneration, readRecord, readState, wipeGeneration, writeLifecycle, writeNewGeneration } from "../storage/actor-record.ts";
import { hasSchema, migrate } from "../storage/schema.ts";
import { appendTransitions, readTransitions } from "../storage/transition-log.ts";
import { listSchedules } from "../storage/schedules.ts";
import { decodeValue } from "../codec.ts";
import type { InspectorSnapshot, StatelyBridgeFactory } from "../inspector/types.ts";
import { acknowledgeDirectoryEntry, pendingDirectoryEntry, postponeDirectoryEntry, stageDirectoryEntry } from "../storage/directory-outbox.ts";
import { shardOf, shardStub } from "../directory/routing.ts";
import { createClient, type ActorNamespace } from "../client/index.ts";
import { deleteSchedule, dueSchedules } from "../storage/schedules.ts";
import { syncAlarm } from "../storage/alarm.ts";
import { CLOSE } from "../protocol/wire.ts";
import { ActorInstance } from "./actor-instance.ts";
import { ConnectionHandler } from "./connection-handler.ts";
import { ConnectionRegistry } from "./connections.ts";
import { withDeadline } from "./deadline.ts";
import { createLogger } from "./logger.ts";

/** Lifecycle phases written to the record so the next wake knows where the actor stood. */
const DURABLE_PHASES = new Set(["running", "destroying", "destroyed"]);
/** How many state changes of a never-created actor are remembered until it is created. */
const UNSTORED_LOG_LIMIT = 50;
/** Scheduled actions run per batch of the alarm loop. */
const SCHEDULE_BATCH = 100;

type Identity = { name: string; key: string[] };

/**
 * The host inside each Durable Object. It turns every entry point into a lifecycle event,
 * carries out what the machine accepts, and supplies the machine's work (load, create,
 * resurrect, teardown). It decides no lifecycle question itself: a refusal becomes the
 * contract's error, or — for `not_loaded` and `not_ready` — a load or a wait and another try.
 */
export class ActorHost implements LifecycleWork {
  private readonly driver: LifecycleDriver;
  private readonly storage: DurableObjectStorage;
  private readonly log = createLogger({ component: "actorstate.host" });
  /** The live generation in memory, once loaded or created. */
  private instance: ActorInstance | undefined;
  /**
   * Which actor this object hosts: from its record (written only after a verified request)
   * or from a verified key request, so it is always proven to belong to this object.
   */
  private identity: Identity | undefined;
  /** Whether the actor exists in storage; until then transitions are kept in memory only. */
  private stored = false;
  private unstoredLog: TransitionRecord[] = [];
  /** The durable phase and generation last reported to the record and the directory. */
  private reported: { phase: string; generation: number } | undefined;
  private delivering: Promise<void> | undefined;
  readonly connections: ConnectionRegistry;
  /** WebSocket entry points: the handshake, frames and closes. */
  readonly sockets: ConnectionHandler;

  private readonly ctx: DurableObjectState;
  private readonly namespace: ActorNamespace;
  private readonly registry: Registry;

  constructor(ctx: DurableObjectState, namespace: ActorNamespace, registry: Registry, options: { stately?: StatelyBridgeFactory } = {}) {
    this.ctx = ctx;
    this.namespace = namespace;
    this.registry = registry;
    this.storage = ctx.storage;
    this.connections = new ConnectionRegistry(ctx);
    this.sockets = new ConnectionHandler(this, this.connections);
    const stately = options.stately?.((event) => this.connections.notifyInspectors({ t: "stately", event }));
    this.driver = startLifecycle({
      work: this,
      onTransition: (record) => this.recordTransition(record),
      ...(stately ? { inspect: stately } : {}),
    });
  }

  /**
   * What the inspector shows of this object, read from storage: it never wakes the actor,
   * so looking at an actor runs none of its code.
   */
  inspectorSnapshot(options: { before?: number; limit?: number } = {}): InspectorSnapshot | null {
    const record = readRecord(this.storage);
    if (!record) return null;
    const loaded = this.driver.lifecycle !== "uninitialized" && this.driver.lifecycle !== "loading";
    const live = !record.destroyed;
    const bytes = live ? readState(this.storage, record.generation) : undefined;
    return {
      name: record.name,
      key: record.key,
      actorId: formatActorId({ doId: this.ctx.id.toString(), generation: record.generation }),
      generation: record.generation,
      lifecycle: loaded ? this.driver.lifecycle : record.destroyed ? "destroyed" : record.lifecycle,
      machineState: loaded ? this.driver.state : null,
      actionsInFlight: this.driver.context.inFlight,
      state: bytes ? decodeValue(bytes) : null,
      connections: live ? [...this.connections.open(record.generation)].map(([id, conn]) => ({ id, params: conn.params })) : [],
      schedules: live ? listSchedules(this.storage, record.generation) : [],
      transitions: readTransitions(this.storage, options),
    };
  }

  /** Answer one request from a client. Never throws: errors come back as values. */
  async call(raw: unknown): Promise<ActorResult> {
    try {
      const parsed = actorRequest.safeParse(raw);
      if (!parsed.success) {
        throw new ActorError("request/invalid", "The request does not match the actor protocol.", {
          metadata: { issues: parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })) },
        });
      }
      return { ok: true, value: await this.dispatch(parsed.data) };
    } catch (error) {
      return { ok: false, error: toActorError(error, { actorObject: this.ctx.id.toString() }).toJSON() };
    }
  }

  /**
   * The object's alarm: admitted by the lifecycle like every other entry point, then the
   * due schedules run in order, each admitted with the generation that scheduled it.
   */
  async alarm(): Promise<void> {
    // The directory update is the host's own errand: it goes out even for a destroyed actor.
    if (hasSchema(this.storage)) {
      migrate(this.storage);
      await this.deliverDirectory();
    }
    try {
      await this.admit({ type: "ALARM" }, undefined);
    } catch (error) {
      // A destroyed, absent or older-generation actor ignores its alarm; throwing would only
      // make the platform retry it. Anything else (a failed load) is worth the retry.
      if (error instanceof ActorError && error.group === "actor") return;
      throw error;
    }
    for (let due = dueSchedules(this.storage, Date.now(), SCHEDULE_BATCH); due.length; due = dueSchedules(this.storage, Date.now(), SCHEDULE_BATCH)) {
      for (const schedule of due) await this.runScheduled(schedule);
    }
    await syncAlarm(this.storage);
  }

  /**
   * Run one scheduled action. The action's state and the removal of its schedule are
   * written in one transaction: an alarm delivered again after a crash finds the schedule
   * still there only if the action's writes were lost with it.
   */
  private async runScheduled(schedule: { id: string; generation: number; action: string; args: unknown[] }): Promise<void> {
    const identity = this.identity;
    if (!identity) return void deleteSchedule(this.storage, schedule.id);
    const outcome = await this.invokeAction({ name: identity.name, generation: schedule.generation }, schedule.action, schedule.args, {
      afterSave: () => deleteSchedule(this.storage, schedule.id),
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    if (outcome !== undefined) {
      // Refused (a destroyed generation's leftovers) or failed: it must not run again.
      deleteSchedule(this.storage, schedule.id);
      const shown = toActorError(outcome, { schedule: schedule.id, action: schedule.action }, (message, fields) =>
        this.log.error(message, fields),
      );
      if (shown.group !== "actor") this.log.warn("a scheduled action failed", { schedule: schedule.id, action: schedule.action, error: shown.toJSON() });
    }
  }

  private async dispatch(request: ActorRequest): Promise<unknown> {
    switch (request.op) {
      case "action":
        return this.invokeAction(request.target, request.action, request.args);
      case "create": {
        const target = { name: request.name, key: request.key };
        await this.bringToLife(target, request.mode, request.input);
        await this.admit({ type: "RESOLVE" }, target);
        return this.currentActorId();
      }
      case "resolve":
        await this.enter(request.target, { type: "RESOLVE" });
        return this.currentActorId();
      case "destroy":
        this.definitionOf(request.target);
        await this.admit({ type: "DESTROY", ...generationOf(request.target) }, request.target);
        return undefined;
      case "inspect":
        await this.enter(request.target, { type: "INSPECT" });
        return this.inspection();
    }
  }

  /** Create first if a `getOrCreate` target asks for it, then admit `event`. */
  async enter(target: ActorTarget, event: { type: "RESOLVE" | "INSPECT" | "ACTION_START" }): Promise<void> {
    if ("key" in target && target.create) await this.bringToLife(target, "getOrCreate", target.create.input);
    else this.definitionOf(target);
    await this.admit({ ...event, ...generationOf(target) }, target);
  }

  /**
   * Run one action: validate its arguments, admit it (creating first for a `getOrCreate`
   * target), run it under the action timeout, save the state, and end it. `conn` is the
   * connection it came over; `afterSave` writes in the same transaction as the state.
   */
  async invokeAction(
    target: ActorTarget,
    name: string,
    rawArgs: unknown[],
    options: { conn?: Connection; afterSave?: () => void } = {},
  ): Promise<unknown> {
    const definition = this.definitionOf(target);
    const entry = Object.hasOwn(definition.actions, name) ? definition.actions[name] : undefined;
    if (!entry) throw new ActorError("action/not_found", `Actor "${target.name}" has no action "${name}".`);
    let args = rawArgs;
    if (typeof entry !== "function") {
      const checked = await validate(entry.args, rawArgs);
      if (!checked.ok) {
        throw new ActorError("action/invalid_args", `The arguments to "${name}" are invalid.`, { metadata: { issues: checked.issues } });
      }
      args = checked.value as unknown[];
    }
    await this.enter(target, { type: "ACTION_START" });

    const instance = this.liveInstance();
    let destroyRequested = false;
    const c = instance.context({
      ...(options.conn ? { conn: options.conn } : {}),
      onDestroy: () => (destroyRequested = true),
    });
    const { actionTimeoutMs } = instance.definition.options;
    const outcome = await this.runInFlight(instance, options.afterSave, async () => {
      const value = await withDeadline(
        Promise.resolve().then(() => actionHandler(entry)(c, ...args)),
        actionTimeoutMs,
        () => new ActorError("action/timed_out", `Action "${name}" did not finish within ${actionTimeoutMs} ms.`),
      );
      assertPlainData(value, "return value");
      return value;
    });
    // An action that destroyed its own actor replies once the destroy is done, so the
    // caller's next call already sees the result.
    if (destroyRequested) await this.driver.settled().catch(() => undefined);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * Run a connection hook (`onBeforeConnect`, `onConnect`, `onDisconnect`) as in-flight
   * work of `generation`, so a destroy waits for it; the state is saved after it.
   */
  async runHook(generation: number, hook: (c: ActorContext<unknown>, instance: ActorInstance) => unknown, conn?: Connection): Promise<void> {
    await this.admit({ type: "ACTION_START", generation }, undefined);
    const instance = this.liveInstance();
    const c = instance.context(conn ? { conn } : {});
    const outcome = await this.runInFlight(instance, undefined, () => hook(c, instance));
    if (!outcome.ok) throw outcome.error;
  }

  /**
   * The body of every admitted piece of work: run it, save the state whatever happened
   * (memory never runs ahead of storage), then end it with `ACTION_END`. A state that
   * cannot be stored fails the work, and was already put back to what storage holds.
   */
  private async runInFlight(
    instance: ActorInstance,
    afterSave: (() => void) | undefined,
    work: () => unknown,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
    let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: await work() };
    } catch (error) {
      outcome = { ok: false, error };
    }
    try {
      // One statement needs no transaction; a scheduled action's state and the removal of
      // its schedule do.
      if (afterSave) {
        this.storage.transactionSync(() => {
          instance.save();
          afterSave();
        });
      } else {
        instance.save();
      }
    } catch (error) {
      if (outcome.ok) outcome = { ok: false, error };
      else instance.log.error("state could not be saved after a failed action", { error: String(error) });
    } finally {
      this.driver.send({ type: "ACTION_END" });
    }
    this.connections.notifyInspectors({ t: "changed" });
    return outcome;
  }

  /** Validate the create input, then have the machine create (or join a creation) and wait. */
  async bringToLife(target: Identity, mode: "create" | "getOrCreate", rawInput: unknown): Promise<void> {
    const definition = this.definitionOf(target);
    let input = rawInput;
    if (definition.input) {
      const checked = await validate(definition.input, rawInput);
      if (!checked.ok) {
        throw new ActorError("request/invalid", `The input for "${target.name}" is invalid.`, { metadata: { issues: checked.issues } });
      }
      input = checked.value;
    }
    await this.admit({ type: "CREATE", mode, input }, target);
  }

  /**
   * Send `event` until the machine accepts or refuses it for good. `not_loaded` means load
   * first, `not_ready` means wait for the work under way; both then ask again. Events that
   * start work (`CREATE`, `DESTROY`) also wait for that work to finish.
   */
  async admit(event: LifecycleEvent, target: ActorTarget | Identity | undefined): Promise<void> {
    const label = target ? describeTarget(target) : "hosted here";
    for (;;) {
      this.assertHosts(target);
      const verdict = this.driver.send(event);
      if (verdict.accepted) break;
      const error = errorForRefusal(verdict.reason, label);
      if (error) throw error;
      if (verdict.reason === "not_loaded") this.driver.send({ type: "LOAD" });
      await this.driver.settled();
    }
    if (event.type === "CREATE" || event.type === "DESTROY") await this.driver.settled();
  }

  /** The actor type a target names; for key targets, also proof that this object is the one for that key. */
  definitionOf(target: ActorTarget | Identity): AnyActorDefinition {
    const definition = Object.hasOwn(this.registry.actors, target.name) ? this.registry.actors[target.name] : undefined;
    if (!definition) throw new ActorError("actor/unknown_name", `No actor type named "${target.name}" is registered.`);
    if ("key" in target) {
      const key = normalizeKey(target.key);
      // Hashing the name and key proves this is their object; the identity is already
      // proven, so a request naming it needs no hash.
      const proven = this.identity?.name === target.name && sameKey(this.identity.key, key);
      if (!proven && !this.namespace.idFromName(objectNameFor(target.name, key)).equals(this.ctx.id)) {
        throw new ActorError("request/invalid", `This Durable Object does not host ${describeTarget(target)}.`);
      }
      this.identity ??= { name: target.name, key };
    }
    return definition;
  }

  /** An id names one actor type; an id of another type's object is simply not found. */
  assertHosts(target: ActorTarget | Identity | undefined): void {
    if (target && this.identity && this.identity.name !== target.name) {
      throw new ActorError("actor/not_found", `No live actor ${describeTarget(target)}.`);
    }
  }

  liveInstance(): ActorInstance {
    if (!this.instance) throw new Error("The lifecycle admitted work but no actor is in memory.");
    return this.instance;
  }

  /** The generation the machine is at (the live one, while running). */
  get generation(): number {
    return this.driver.context.generation ?? 0;
  }

  currentActorId(): string {
    return formatActorId({ doId: this.ctx.id.toString(), generation: this.driver.context.generation ?? 0 });
  }

  private inspection(): ActorInspection {
    const identity = this.identity ?? { name: "", key: [] };
    return {
      lifecycle: this.driver.lifecycle,
      generation: this.driver.context.generation ?? 0,
      actorId: this.currentActorId(),
      name: identity.name,
      key: identity.key,
      actionsInFlight: this.driver.context.inFlight,
    };
  }

  // ---- The machine's work -------------------------------------------------------------

  async load(): Promise<LoadedRecord> {
    const record = readRecord(this.storage);
    if (!record) return { status: "absent" };
    this.stored = true;
    this.identity = { name: record.name, key: record.key };
    this.reported = { phase: record.destroyed ? "destroyed" : record.lifecycle, generation: record.generation };
    if (record.destroyed) return { status: "destroyed", generation: record.generation };
    const instance = this.instantiate(record.name, record.generation);
    const bytes = readState(this.storage, record.generation);
    if (!bytes) throw new Error(`Generation ${record.generation} of ${instance.actorId} has a record but no state.`);
    instance.adopt(bytes);
    // A destroy was under way when the object last stopped: the machine resumes it.
    if (record.lifecycle === "destroying") {
      this.instance = instance;
      return { status: "destroying", generation: record.generation };
    }
    await instance.definition.onWake?.(instance.context());
    instance.save();
    this.instance = instance;
    return { status: "live", generation: record.generation };
  }

  create(work: CreateWorkInput): Promise<CreatedRecord> {
    return this.birth(work, null);
  }

  resurrect(work: CreateWorkInput): Promise<CreatedRecord> {
    return this.birth(work, work.generation - 1);
  }

  async teardown({ generation }: TeardownWorkInput): Promise<void> {
    const instance = this.instance?.identity.generation === generation ? this.instance : undefined;
    if (instance?.definition.onDestroy) {
      const { onDestroyTimeoutMs } = instance.definition.options;
      try {
        await withDeadline(
          Promise.resolve().then(() => instance.definition.onDestroy?.(instance.context())),
          onDestroyTimeoutMs,
          () => new Error(`onDestroy did not finish within ${onDestroyTimeoutMs} ms`),
        );
      } catch (error) {
        instance.log.error("onDestroy failed; the destroy goes on", { error: describeError(error) });
      }
    }
    if (instance) instance.alive = false;
    this.connections.closeAll(generation, CLOSE.destroyed, "actor/destroyed");
    await wipeGeneration(this.storage, generation);
    this.instance = undefined;
  }

  /**
   * Bring `generation` to life: initial state, written with the record in one transaction,
   * then `onCreate` and `onWake`. If a hook fails, the generation is undone in storage so
   * the machine's retry starts from where it stood.
   */
  private async birth({ generation, request }: CreateWorkInput, previous: number | null): Promise<CreatedRecord> {
    const identity = this.identity;
    if (!identity) throw new Error("A create reached the host before any request named the actor.");
    migrate(this.storage);
    const instance = this.instantiate(identity.name, generation);
    const { definition } = instance;
    instance.state = definition.createState
      ? await definition.createState(instance.createContext(), request.input)
      : structuredClone(definition.state);
    const bytes = instance.encodeState();
    writeNewGeneration(this.storage, { ...identity, generation, state: bytes });
    instance.adopt(bytes);
    this.stored = true;
    try {
      await definition.onCreate?.(instance.context(), request.input);
      instance.save();
      await definition.onWake?.(instance.context());
      instance.save();
    } catch (error) {
      instance.alive = false;
      abandonGeneration(this.storage, generation, previous);
      if (previous === null) this.stored = false;
      throw error;
    }
    this.instance = instance;
    return { generation };
  }

  private instantiate(name: string, generation: number): ActorInstance {
    const definition = Object.hasOwn(this.registry.actors, name) ? this.registry.actors[name] : undefined;
    if (!definition) throw new Error(`This object hosts a "${name}" actor, which the registry no longer defines.`);
    return new ActorInstance(
      definition,
      { name, key: this.identity?.key ?? [], doId: this.ctx.id.toString(), generation },
      {
        storage: this.storage,
        requestDestroy: (g) => this.requestDestroy(g),
        client: () => createClient({ binding: this.namespace }),
        connections: (g) => this.connections.open(g),
        broadcast: (g, event, args) => this.connections.broadcast(g, event, args),
      },
    );
  }

  /** `c.destroy()`: the machine decides; the caller does not wait. */
  private requestDestroy(generation: number): void {
    const verdict = this.driver.send({ type: "DESTROY", generation });
    if (!verdict.accepted) this.log.warn("c.destroy() was refused", { reason: verdict.reason, generation });
  }

  /**
   * The transition sink: each transition is appended to the durable log, and durable phases
   * are written to the record, in one transaction. `not_loaded`/`not_ready` refusals are the
   * host's cue to load or wait, not outcomes, so they are not logged. Until the actor exists
   * in storage, its state changes wait in memory: a `get` of a key never created writes nothing.
   */
  private recordTransition(record: TransitionRecord): void {
    if (record.error === "not_loaded" || record.error === "not_ready") return;
    if (!this.stored) {
      // Refusals for a key nobody created are not worth keeping; its state changes are,
      // so the log of an actor starts where its object first woke.
      if (record.from !== record.to) this.unstoredLog.push(record);
      if (this.unstoredLog.length > UNSTORED_LOG_LIMIT) this.unstoredLog.shift();
      return;
    }
    this.unstoredLog.push(record);
    const phase = record.to.split(".")[0] ?? "";
    const generation = record.generation ?? 0;
    const pending = this.unstoredLog;
    this.unstoredLog = [];
    // A durable phase that changed (or a new generation) goes to the record and, through
    // the outbox, to the directory — all in the transaction that logs the transition.
    const changed =
      record.ok && DURABLE_PHASES.has(phase) && (this.reported?.phase !== phase || this.reported.generation !== generation);
    try {
      this.storage.transactionSync(() => {
        const seq = appendTransitions(this.storage, pending);
        if (!changed || !this.identity) return;
        writeLifecycle(this.storage, phase);
        stageDirectoryEntry(this.storage, {
          name: this.identity.name,
          key: this.identity.key,
          actorId: formatActorId({ doId: this.ctx.id.toString(), generation }),
          generation,
          lifecycle: phase,
          last: { from: record.from, to: record.to, event: record.event, at: Date.now(), ok: record.ok, ...(record.error ? { error: record.error } : {}) },
          version: seq,
        });
      });
      this.connections.notifyInspectors({ t: "changed" });
      if (changed) {
        this.reported = { phase, generation };
        syncAlarm(this.storage).catch(() => undefined);
        void this.deliverDirectory();
      }
    } catch (error) {
      this.log.error("could not record a transition", { record, error: describeError(error) });
    }
  }

  /**
   * Send the pending directory update to its shard; on failure keep it and let the alarm
   * try again later. One delivery at a time; a newer update staged meanwhile goes next.
   */
  deliverDirectory(): Promise<void> {
    this.delivering ??= this.deliverPending().finally(() => (this.delivering = undefined));
    return this.delivering;
  }

  private async deliverPending(): Promise<void> {
    for (let entry = pendingDirectoryEntry(this.storage); entry; entry = pendingDirectoryEntry(this.storage)) {
      try {
        await shardStub(this.namespace, entry.name, shardOf(this.ctx.id.toString())).directory({ op: "upsert", entry });
      } catch (error) {
        postponeDirectoryEntry(this.storage);
        await syncAlarm(this.storage);
        this.log.warn("directory update not delivered; the alarm will retry", { version: entry.version, error: describeError(error) });
        return;
      }
      acknowledgeDirectoryEntry(this.storage, entry.version);
      await syncAlarm(this.storage);
    }
  }
}

function generationOf(target: ActorTarget): { generation?: number } {
  return "generation" in target ? { generation: target.generation } : {};
}

function describeTarget(target: ActorTarget | Identity): string {
  return "key" in target ? `${target.name} ${JSON.stringify(target.key)}` : `${target.name} (generation ${target.generation})`;
}

function sameKey(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

