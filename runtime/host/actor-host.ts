import { Lifecycle } from "../../machines/lifecycle/lifecycle.ts";
import { DESTROY_ROUNDS, stillLive } from "../../machines/lifecycle/policy.ts";
import type { LifecycleEvent } from "../../machines/lifecycle/types.ts";
import type { ActorNamespace } from "../platform.ts";
import { checkedInput } from "../actor.ts";
import type { ActorEnv, AnyActorDefinition, Registry } from "../types/actor.ts";
import type { PublicCall } from "../protocol/wire.ts";
import { ActorError, describeError } from "../errors.ts";
import { formatActorId } from "../identity.ts";
import { optedInLocally } from "../local-opt-in.ts";
import type { InspectorKvPage, InspectorSnapshot, StatelyBridgeFactory } from "../inspector/types.ts";
import type { ActorInspection, ActorTarget } from "../protocol/requests.ts";
import { Actions, type ActionOptions } from "./actions.ts";
import { ActorInstance } from "./actor-instance.ts";
import { Admission } from "./admission.ts";
import { DirectoryDelivery } from "./directory-delivery.ts";
import { inspectorKv, inspectorSnapshot } from "./inspector-view.ts";
import { Journal } from "./journal.ts";
import { LiveGeneration } from "./live-generation.ts";
import { createLogger } from "./logger.ts";
import { runAlarm } from "./alarm-work.ts";
import type { ActorPort, CallPort, ConnectionsPort } from "./ports.ts";
import { Scheduler } from "./scheduler.ts";
import { describeTarget, generationOf, HostedActor, withoutCreate } from "./hosted-actor.ts";
import type { WorkflowRuntime } from "../workflow/runtime.ts";

const hostedHere = () => "hosted here";

/**
 * The host inside each Durable Object: it turns every entry point (calls, connections,
 * the alarm) into lifecycle events, and wires the rooms that carry out what the machine
 * decides — admission, the journal that stores each step, the lifecycle's work, actions,
 * schedules, the directory and connections. It decides no lifecycle question itself.
 */
export class ActorHost implements CallPort {
  /** The transport holding the actor's connections. */
  readonly connections: ConnectionsPort;
  readonly #ctx: DurableObjectState;
  readonly #storage: DurableObjectStorage;
  readonly #registry: Registry;
  readonly #client: () => unknown;
  readonly #log = createLogger({ component: "actorstate.host" });
  readonly #lifecycle: Lifecycle;
  readonly #admission: Admission;
  readonly #live: LiveGeneration;
  readonly #actions: Actions;
  readonly #scheduler: Scheduler;
  readonly #delivery: DirectoryDelivery;
  readonly #journal: Journal;
  readonly #env: ActorEnv;
  /** The local opt-in: `internal/error` carries the real message. */
  readonly revealInternalErrors: boolean;
  readonly objectId: string;
  /** Which actor this object hosts, once proven. */
  readonly #hosted: HostedActor;
  /** Set by `actorstate/testing`: workflows started in this object run on a clock the test moves. */
  #manualClock = false;

  constructor(
    ctx: DurableObjectState,
    namespace: ActorNamespace,
    registry: Registry,
    options: {
      env: Record<string, unknown>;
      /** The transport that holds connections, given the port through which it reaches this actor. */
      connections: (port: ActorPort) => ConnectionsPort;
      /** A client for calling other actors (`c.client()`). */
      client: () => unknown;
      stately?: StatelyBridgeFactory;
    },
  ) {
    this.#ctx = ctx;
    this.#env = options.env as unknown as ActorEnv;
    this.revealInternalErrors = optedInLocally(options.env);
    this.objectId = ctx.id.toString();
    this.#storage = ctx.storage;
    this.#registry = registry;
    this.#client = options.client;
    this.#hosted = new HostedActor({ registry, namespace, objectId: ctx.id, storage: ctx.storage });
    const doId = ctx.id.toString();
    this.connections = options.connections({
      claim: (target) => this.#hosted.claim(target),
      actorType: (name) => this.#hosted.type(name),
      connect: async (target, createInput) => {
        await this.#enter(
          "key" in target ? { name: target.name, key: target.key, ...(target.create ? { create: { input: createInput } } : {}) } : target,
          { type: "CONNECT" },
        );
        return this.#lifecycle.context.generation ?? 0;
      },
      runHook: (generation, hook, conn) => this.#actions.runHook(generation, hook, conn),
      invoke: (target, name, args, options) => this.#actions.invoke(target, name, args, options),
      actorId: () => this.#currentActorId(),
      revealInternalErrors: this.revealInternalErrors,
    });
    this.#delivery = new DirectoryDelivery({ storage: this.#storage, namespace, doId, log: this.#log });
    const journal = new Journal({
      storage: this.#storage,
      doId,
      identity: () => this.#hosted.identity,
      onStaged: () => void this.#delivery.deliver(),
      onAlarmError: (error) => this.#log.error("could not set the alarm", { error: describeError(error) }),
      workflowStatus: (generation) => this.#hosted.workflowStatus(generation),
    });
    this.#journal = journal;
    this.#live = new LiveGeneration({
      storage: this.#storage,
      instantiate: (generation) => this.#instantiate(generation),
      endConnections: (generation, instance) => this.connections.endAll(generation, instance),
      resumeSockets: (generation, instance) => this.connections.resume(generation, instance),
    });
    const stately = options.stately?.((event) => this.connections.notifyInspectors({ t: "stately", event }));
    this.#lifecycle = new Lifecycle(
      {
        commit: (change) => {
          journal.commit(change);
          this.connections.notifyInspectors({ t: "changed" });
        },
        perform: (work) =>
          this.#live.perform(work).catch((error: unknown) => {
            this.#admission.workFailed(work, error);
            this.#log.warn(`lifecycle work "${work.src}" failed`, { error: describeError(error) });
            throw error;
          }),
        lost: (error, work) => {
          this.#live.instance = undefined;
          this.#admission.workFailed(work, error);
          this.#log.error("a lifecycle step could not be stored; the actor reloads from storage", { error: describeError(error) });
        },
      },
      stately ? { inspect: stately } : {},
    );
    this.#admission = new Admission(this.#lifecycle, () => this.#hosted.readStored());
    this.#actions = new Actions({
      lifecycle: this.#lifecycle,
      storage: this.#storage,
      admission: {
        actorType: (name) => this.#hosted.type(name),
        enter: (target, event) => this.#enter(target, event),
        admitGeneration: (generation) => this.#admission.admit({ type: "ACTION_START", generation }, hostedHere),
        instance: () => this.#admittedInstance(),
        forget: () => this.#forget(),
      },
      connections: this.connections,
      log: (message, fields) => this.#log.error(message, fields),
      revealInternalErrors: this.revealInternalErrors,
    });
    this.#scheduler = new Scheduler({
      storage: this.#storage,
      invoke: (generation, action, args, options) => {
        const name = this.#hosted.identity?.name;
        if (!name) throw new Error("A schedule ran on an object whose actor is unknown.");
        return this.#actions.invoke({ name, generation }, action, args, options);
      },
      log: this.#log,
    });
  }

  /**
   * What the inspector shows of this object, read from storage: it never wakes the actor,
   * so looking at an actor runs none of its code.
   */
  inspectorSnapshot(options: { before?: number; limit?: number } = {}): InspectorSnapshot | null {
    return inspectorSnapshot(this.#storage, this.#ctx.id.toString(), this.#lifecycle, this.connections, this.#actions.recentCalls.list(), options, (name) =>
      Object.hasOwn(this.#registry.actors, name) ? this.#registry.actors[name]?.workflow : undefined,
    );
  }

  /** A page of this actor's KV store for the inspector, read from storage without waking it. */
  inspectorKv(options: { after?: Uint8Array; limit?: number }): InspectorKvPage | null {
    return inspectorKv(this.#storage, options);
  }

  /** The actor type `name` names (`actor/unknown_name` otherwise). */
  actorType(name: string): AnyActorDefinition {
    return this.#hosted.type(name);
  }

  action(target: ActorTarget, name: string, args: unknown[], options: ActionOptions): Promise<unknown> {
    return this.#actions.invoke(target, name, args, options);
  }

  async getOrCreate(target: Extract<ActorTarget, { key: string[] }>, approval: PublicCall | undefined): Promise<string> {
    await (approval ? this.#actions.approve(target, approval) : this.#enter(target, { type: "RESOLVE" }));
    return this.#currentActorId();
  }

  async create(target: { name: string; key: string[] }, rawInput: unknown, approval: PublicCall | undefined): Promise<string> {
    const input = await checkedInput(this.#hosted.claim(target), target.name, rawInput);
    await this.#admission.create({ mode: "create", input }, () => describeTarget(target));
    await (approval ? this.#actions.approve(target, approval) : this.#admission.admit({ type: "RESOLVE" }, () => describeTarget(target)));
    return this.#currentActorId();
  }

  async resolve(target: ActorTarget, approval: PublicCall | undefined): Promise<string> {
    if (approval) await this.#actions.approve(target, approval);
    await this.#enter(target, { type: "RESOLVE" });
    return this.#currentActorId();
  }

  async destroy(target: ActorTarget, approval: PublicCall | undefined): Promise<void> {
    // Approved by the generation it destroys, and pinned to it: never one created later.
    // With no live actor to ask, the refusal (not found, being destroyed) is the answer.
    if (approval) return this.#destroy({ name: target.name, generation: await this.#actions.approve(withoutCreate(target), approval) });
    return this.#destroy(target);
  }

  async inspect(target: ActorTarget, approval: PublicCall | undefined): Promise<ActorInspection> {
    if (approval) await this.#actions.approve(target, approval);
    await this.#enter(target, { type: "INSPECT" });
    return this.#inspection();
  }

  serve(target: ActorTarget, request: Request, call: PublicCall | undefined): Promise<Response> {
    this.#hosted.claim(target);
    return this.#actions.serve(target, request, call);
  }

  /**
   * The object's alarm: pending directory updates go out (even for a destroyed actor);
   * the lifecycle admits `ALARM` like every other entry point — which, on a woken object,
   * first resumes any creation or destroy a crash interrupted — then a workflow's due
   * timers fire and one batch of due schedules runs.
   */
  alarm(): Promise<void> {
    return runAlarm({
      storage: this.#storage,
      deliverDirectory: () => this.#delivery.deliver(),
      admit: () => this.#admission.admit({ type: "ALARM" }, hostedHere),
      lifecycle: this.#lifecycle,
      isWorkflow: () => this.#hosted.identity !== undefined && this.#hosted.type(this.#hosted.identity.name).workflow !== undefined,
      fireWorkflowTimers: (generation) => this.#actions.runHook(generation, (_, instance) => instance.workflowRuntime().fireDue()),
      runDueSchedules: () => this.#scheduler.runDue(),
      endDroppedConnections: () => this.connections.endDropped(),
    });
  }

  /**
   * Run `work` on the workflow runtime of the actor's live generation, as in-flight work:
   * what `actorstate/testing` uses to start a workflow on a manual clock and move that
   * clock. Not reachable from clients.
   */
  async withWorkflow<T>(target: ActorTarget, work: (runtime: WorkflowRuntime) => T | Promise<T>, options: { manualClock?: boolean } = {}): Promise<T> {
    if (options.manualClock) this.#manualClock = true;
    await this.#enter(target, { type: "RESOLVE" });
    let result: T | undefined;
    // Awaited inside the in-flight work: the machine's actions run before it ends.
    await this.#actions.runHook(this.#lifecycle.context.generation ?? 0, async (_, instance) => {
      result = await work(instance.workflowRuntime());
    });
    return result as T;
  }

  /**
   * Put the actor's schedules on a clock only the test moves, and run `work` with the
   * scheduler: what `actorstate/testing`'s `actorClock` uses. Not reachable from clients.
   */
  withScheduleClock<T>(target: ActorTarget, work: (scheduler: Scheduler) => T): T {
    this.#hosted.claim(target);
    this.#scheduler.holdClock();
    return work(this.#scheduler);
  }

  /**
   * Destroy and wait until it is done: the machine at rest and the generation no longer
   * live. A destroy that could not finish yet (its teardown failed) answers
   * `actor/destroying`: the alarm retries it.
   */
  async #destroy(target: ActorTarget): Promise<void> {
    this.#hosted.claim(target);
    const label = () => describeTarget(target);
    for (let round = 1; ; round++) {
      await this.#admission.admit({ type: "DESTROY", ...generationOf(target) }, label);
      const generation = this.#lifecycle.context.generation;
      await this.#lifecycle.settled();
      if (this.#lifecycle.state === "destroying.stalled") {
        throw new ActorError("actor/destroying", `The destroy of ${label()} could not finish yet; the alarm retries it.`);
      }
      // Done once that generation is no longer live (a newer one may already be, if a create
      // was waiting for this destroy).
      if (!stillLive(this.#lifecycle, generation)) return;
      // The destroy was held (for a wake, a creation) and that work ended without it: ask again.
      if (round >= DESTROY_ROUNDS) throw new ActorError("actor/destroying", `The destroy of ${label()} was not carried out; ask again.`);
    }
  }

  /**
   * Admit `event` for `target` once the target is proven; a getOrCreate target creates the
   * actor if it is not there. Synchronous when the event is admitted at once, as it usually
   * is (and the actor type declares no input to validate).
   */
  #enter(target: ActorTarget, event: { type: "RESOLVE" | "INSPECT" | "ACTION_START" | "CONNECT" }): Promise<void> | undefined {
    const definition = this.#hosted.claim(target);
    const lifecycleEvent = { ...event, ...generationOf(target) } as LifecycleEvent;
    const label = () => describeTarget(target);
    if (!("key" in target) || !target.create) return this.#admission.enter(lifecycleEvent, label);
    const { input } = target.create;
    // The input is checked on every call, created or not, so a bad one is always refused.
    if (!definition.input) return this.#admission.enter(lifecycleEvent, label, async () => ({ input }));
    return checkedInput(definition, target.name, input).then((checked) =>
      this.#admission.enter(lifecycleEvent, label, async () => ({ input: checked })),
    );
  }

  /** Memory went ahead of storage (a step could not be stored): start over from storage. */
  #forget(): void {
    this.#lifecycle.reset();
    this.#live.instance = undefined;
  }

  #admittedInstance(): ActorInstance {
    const instance = this.#live.instance;
    if (!instance) throw new Error("The lifecycle admitted work but no actor is in memory.");
    return instance;
  }

  #instantiate(generation: number): ActorInstance {
    const definition = this.#hosted.definition();
    return new ActorInstance(
      definition,
      { ...this.#hosted.identity!, doId: this.#ctx.id.toString(), generation },
      {
        storage: this.#storage,
        env: this.#env,
        lifecycle: {
          accepts: (instance) => instance === this.#live.instance && this.#lifecycle.acceptsWritesFrom(instance.identity.generation),
          requestDestroy: (g) => this.#requestDestroy(g),
        },
        schedules: this.#scheduler,
        connections: this.connections,
        workflow: {
          manualClock: () => this.#manualClock,
          statusChanged: (g) => {
            // Delivered once the step's transaction, which staged it, is over.
            if (this.#journal.stageWorkflowStatus(g)) queueMicrotask(() => void this.#delivery.deliver());
          },
          run: (g, work) => this.#actions.runHook(g, (_, instance) => work(instance.workflowRuntime())),
        },
        client: this.#client,
      },
    );
  }

  /** `c.destroy()`: the machine decides; the caller does not wait. */
  #requestDestroy(generation: number): void {
    const verdict = this.#lifecycle.send({ type: "DESTROY", generation });
    if (!verdict.accepted) this.#log.warn("c.destroy() was refused", { reason: verdict.reason, generation });
  }

  #currentActorId(): string {
    return formatActorId({ doId: this.#ctx.id.toString(), generation: this.#lifecycle.context.generation ?? 0 });
  }

  #inspection(): ActorInspection {
    const identity = this.#hosted.identity ?? { name: "", key: [] };
    return {
      lifecycle: this.#lifecycle.lifecycle,
      generation: this.#lifecycle.context.generation ?? 0,
      actorId: this.#currentActorId(),
      name: identity.name,
      key: identity.key,
      actionsInFlight: this.#lifecycle.context.inFlight,
    };
  }
}
