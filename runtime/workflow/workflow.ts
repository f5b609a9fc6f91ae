import type { AnyStateMachine, ContextFrom, EmittedFrom, EventFrom, EventObject, InputFrom, OutputFrom, StateValueFrom } from "xstate";
import type { SnapshotView } from "../../machines/workflow/types.ts";
import type {
  ActorContext,
  ActorDefinition,
  ActorOptions,
  ActorTypes,
  BeforeConnectDetails,
  Client,
  Connection,
  EventDeclaration,
  Registry,
  StandardSchemaV1,
} from "../types/actor.ts";
import { actor, validate } from "../actor.ts";
import { ActorError, quoteInput } from "../errors.ts";
import type { WorkflowRuntime } from "./runtime.ts";
import type { InterruptedPolicy, WorkflowScope, WorkflowSpec, WorkflowState } from "../types/workflow.ts";

/**
 * Where a context `c` keeps its generation's workflow runtime. A symbol: user code never
 * sees it, and `Symbol.for` keeps it one key even if a bundle holds two copies of this module.
 */
export const WORKFLOW_RUNTIME = Symbol.for("actorstate.workflowRuntime");

/** The snapshot view of a workflow actor whose machine is `TMachine`. */
export type WorkflowView<TMachine extends AnyStateMachine> = SnapshotView<StateValueFrom<TMachine>, ContextFrom<TMachine>, OutputFrom<TMachine>>;

/**
 * The events a workflow actor's connections hear: `"snapshot"` with every stored view, and
 * each event its machine `emit`s, by type, with the event as payload. Typed from the
 * machine's `types.emitted`; a machine that declares none may emit any type.
 */
export type WorkflowEvents<TMachine extends AnyStateMachine> = { snapshot: EventDeclaration<WorkflowView<TMachine>> } & (string extends EmittedFrom<TMachine>["type"]
  ? { [type: string]: EventDeclaration<EventObject> }
  : { [Type in EmittedFrom<TMachine>["type"]]: EventDeclaration<Extract<EmittedFrom<TMachine>, { type: Type }>> });

/** The types a workflow actor's contexts and clients carry: its events and what `onBeforeConnect` takes as params. */
export type WorkflowTypes<TMachine extends AnyStateMachine, P> = ActorTypes<WorkflowEvents<TMachine>, P, unknown, Record<string, unknown>>;

/** The actions every workflow actor has: `handle.send(event)` and `handle.snapshot()`. */
export type WorkflowActions<TMachine extends AnyStateMachine> = {
  /** Validate `event`, step the machine with it, store the step; answers with the new snapshot view. */
  send: {
    args: StandardSchemaV1<unknown, [event: EventFrom<TMachine>]>;
    handler: (c: ActorContext<WorkflowState>, event: EventFrom<TMachine>) => WorkflowView<TMachine> | Promise<WorkflowView<TMachine>>;
  };
  /** The current snapshot view. */
  snapshot: { args: StandardSchemaV1<unknown, []>; handler: (c: ActorContext<WorkflowState>) => WorkflowView<TMachine> };
};

/**
 * `c` in a workflow's `provide(c)`: its identity, the Worker's env, a client for other
 * actors, and — while a caller's event is being stepped — that caller.
 *
 * @example
 * ```ts
 * provide: (c) => ({
 *   guards: { isReviewer: ({ context }) => c.caller?.auth === context.reviewer },
 *   actors: { charge: fromPromise(({ input }) => fetch(c.env.PAYMENTS_URL, { method: "POST", body: JSON.stringify(input) })) },
 * }),
 * ```
 */
export interface WorkflowProvideContext<A = unknown> extends Omit<WorkflowScope, "client" | "caller"> {
  /** A client for calling other actors from inside, over Durable Object RPC: `c.client<typeof registry>()`. */
  client<R extends Registry<any>>(): Client<R>;
  /**
   * During the step of an event a caller sent from outside the Worker (`handle.send` over
   * HTTP or a connection): that caller, with what `onBeforeConnect` returned as `auth`
   * (typed from it) — never the params it signed in with. `undefined` for timers, promise
   * outcomes, child machines and calls from inside the Worker, which are trusted. Read it
   * inside the guard or action, not in `provide` itself.
   */
  readonly caller: { readonly auth: A } | undefined;
}

/**
 * `c` in a workflow actor's hooks (`onBeforeConnect`, `onConnect`, `onDisconnect`): an
 * actor's context — identity, `env`, `kv`, connections, `broadcast`, `destroy`, `client` —
 * with the machine's snapshot view in place of a state to change.
 */
export type WorkflowHookContext<TMachine extends AnyStateMachine, P = unknown> = Omit<ActorContext<WorkflowState, WorkflowTypes<TMachine, P>>, "state" | "schedule"> & {
  /** The machine's current snapshot view (due timers fire first). */
  snapshot(): WorkflowView<TMachine>;
};

/** What `workflow({ ... })` takes. */
export interface WorkflowConfig<TMachine extends AnyStateMachine, I, P = unknown, A = unknown> {
  /** The XState v5 machine this actor runs. */
  machine: TMachine;
  /** Per event type, a Standard Schema (zod, valibot, ...) that events of that type must pass; others go through as sent. */
  events?: { [Type in EventFrom<TMachine>["type"]]?: StandardSchemaV1<unknown, Extract<EventFrom<TMachine>, { type: Type }>> };
  /** Validates the input given on create; the machine's input is its output. */
  input?: StandardSchemaV1<unknown, I>;
  /** The version of the machine; snapshots remember the version that wrote them. Default 1. */
  version?: number;
  /** Bring a snapshot written by an older `version` to this one (return the new persisted snapshot). */
  migrate?: (snapshot: any, fromVersion: number) => unknown;
  /**
   * Per promise actor source (a name in the machine's `setup({ actors })`), what a run cut
   * short by a restart becomes on wake: `"rerun"` (the default; the promise gets the same
   * `idempotencyKey`) or `"error"` (the machine gets `xstate.error.actor.<id>`).
   */
  interrupted?: Record<string, InterruptedPolicy>;
  /**
   * The machine's implementations — `actions`, `guards`, `actors`, `delays` — given the
   * actor's `c`, as XState's `machine.provide` takes them: promise actors read `c.env` for
   * an API's URL and secret, guards read `c.caller` for who sent the event. Called once
   * each time the actor comes into memory. Write it after `onBeforeConnect`, so
   * `c.caller.auth` is typed from what the hook returns.
   */
  provide?: (c: WorkflowProvideContext<A>) => Parameters<TMachine["provide"]>[0];
  /**
   * Runs before every public call — `send`, `snapshot`, create, destroy, inspect, each
   * connection — over HTTP and WebSocket, with the caller's params and request: throw to
   * refuse it (`auth/forbidden`). What it returns is the caller's auth data: `c.caller.auth`
   * in `provide`'s guards and actions while that caller's event is stepped, and `conn.auth`.
   * The params are never stored or shown. Calls from inside the Worker skip it.
   */
  onBeforeConnect?: (c: WorkflowHookContext<TMachine>, params: P, details: BeforeConnectDetails) => A | Promise<A>;
  /** Runs once a connection is accepted. */
  onConnect?: (c: WorkflowHookContext<TMachine, P>, conn: Connection<WorkflowTypes<TMachine, P>>) => unknown;
  /** Runs when a connection ends (not when a destroy closes it). */
  onDisconnect?: (c: WorkflowHookContext<TMachine, P>, conn: Connection<WorkflowTypes<TMachine, P>>) => unknown;
  options?: ActorOptions;
}

/**
 * A workflow actor type: an actor whose state is its machine's snapshot, and whose
 * `workflow` names the machine. (The plain `ActorDefinition` type, so clients infer its
 * actions, events and params as they do any actor's.)
 */
export type WorkflowDefinition<TMachine extends AnyStateMachine, I, P = unknown> = ActorDefinition<WorkflowState, I, WorkflowActions<TMachine>, WorkflowTypes<TMachine, P>>;

function runtimeOf(c: ActorContext<WorkflowState>): WorkflowRuntime {
  return (c as unknown as Record<symbol, () => WorkflowRuntime>)[WORKFLOW_RUNTIME]!();
}

/** The hooks' `c`: the actor's own context, its snapshot view in place of its state. */
function hookContext<TMachine extends AnyStateMachine, P>(c: ActorContext<any, any>): WorkflowHookContext<TMachine, P> {
  // Delegating to `c` keeps its getters (`conns`, `kv`) live.
  return Object.assign(Object.create(c) as object, { snapshot: () => runtimeOf(c).view() as WorkflowView<TMachine> }) as WorkflowHookContext<TMachine, P>;
}

/** A schema for an action's argument list that only checks how many arguments came. */
function argumentCount<Args extends unknown[]>(action: string, count: number, what: string): StandardSchemaV1<unknown, Args> {
  return {
    "~standard": {
      version: 1,
      vendor: "actorstate",
      validate: (value) =>
        Array.isArray(value) && value.length === count
          ? { value: value as Args }
          : { issues: [{ message: `${action} takes ${what}; it was given ${Array.isArray(value) ? value.length : 0} argument${Array.isArray(value) && value.length === 1 ? "" : "s"}` }] },
    },
  };
}

function invalidEvent(message: string, metadata?: unknown): ActorError {
  return new ActorError("machine/invalid_event", message, metadata === undefined ? {} : { metadata });
}

/** The event as the machine will get it: checked for shape, against its type's schema when one is given. */
function checkEvent(spec: WorkflowSpec, raw: unknown): EventObject | Promise<EventObject> {
  const type = (raw as { type?: unknown } | null)?.type;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw) || typeof type !== "string" || type === "") {
    throw invalidEvent('An event is an object with a non-empty string "type".');
  }
  if (type.startsWith("xstate.")) throw invalidEvent(`${quoteInput(type)} is one of XState's own events; callers cannot send it.`);
  const schema = spec.events && Object.hasOwn(spec.events, type) ? spec.events[type] : undefined;
  if (!schema) return raw as EventObject;
  return validate(schema, raw).then((checked) => {
    if (!checked.ok) throw invalidEvent(`The ${quoteInput(type)} event is invalid.`, { issues: checked.issues });
    return checked.value as EventObject;
  });
}

/**
 * Define a workflow actor: an actor whose behaviour is your own XState v5 machine, run
 * durably. Every event is one stored step; delayed transitions and delayed sends live on
 * the object's alarm; promise actors run in the object and their outcome is stored before
 * the machine moves on; child machines are stored with their parent. Clients call
 * `handle.send(event)` and `handle.snapshot()`, and connections hear every stored change
 * as the `"snapshot"` event. It is a full actor: `onBeforeConnect` guards every public
 * call, and `provide(c)` gives the machine's implementations `c.env`, `c.caller` and a client.
 *
 * @example
 * ```ts
 * import { setup as machineSetup } from "xstate";
 * import { workflow, setup } from "actorstate";
 *
 * const toggle = machineSetup({}).createMachine({
 *   initial: "off",
 *   states: { off: { on: { FLIP: "on" } }, on: { on: { FLIP: "off" }, after: { 60_000: "off" } } },
 * });
 * export const light = workflow({ machine: toggle });
 * export const registry = setup({ actors: { light } });
 * // client: await client.light.getOrCreate("hall").send({ type: "FLIP" }) → { value: "on", ... }
 * ```
 */
export function workflow<TMachine extends AnyStateMachine, I = InputFrom<TMachine>, P = unknown, A = unknown>(
  config: WorkflowConfig<TMachine, I, P, A>,
): WorkflowDefinition<TMachine, I, P> {
  const version = config.version ?? 1;
  if (!Number.isSafeInteger(version) || version < 0) throw new Error(`A workflow's version is a non-negative integer, not ${version}.`);
  if (typeof config.machine?.transition !== "function" || typeof config.machine.getInitialSnapshot !== "function") {
    throw new Error("workflow({ machine }) needs an XState v5 machine (createMachine or setup(...).createMachine).");
  }
  for (const [src, policy] of Object.entries(config.interrupted ?? {})) {
    if (policy !== "rerun" && policy !== "error") throw new Error(`interrupted.${src} must be "rerun" or "error", not ${JSON.stringify(policy)}.`);
  }
  if (config.provide !== undefined && typeof config.provide !== "function") {
    throw new Error("workflow({ provide }) takes a function of the actor's context: provide: (c) => ({ actions, guards, actors, delays }).");
  }
  const spec: WorkflowSpec = {
    machine: config.machine,
    events: config.events as Record<string, StandardSchemaV1> | undefined,
    version,
    migrate: config.migrate,
    interrupted: config.interrupted,
    // The runtime's scope has the client untyped; the user's function sees it typed.
    provide: config.provide as ((c: WorkflowScope) => unknown) | undefined,
  };
  const actions: WorkflowActions<TMachine> = {
    send: {
      args: argumentCount("send", 1, "one event"),
      handler: (c, event) => {
        const runtime = runtimeOf(c);
        runtime.assertOpen();
        const checked = checkEvent(spec, event);
        if (checked instanceof Promise) return checked.then((valid) => runtime.send(valid, c.caller) as WorkflowView<TMachine>);
        return runtime.send(checked, c.caller) as WorkflowView<TMachine>;
      },
    },
    snapshot: { args: argumentCount("snapshot", 0, "no arguments"), handler: (c) => runtimeOf(c).view() as WorkflowView<TMachine> },
  };
  const { onBeforeConnect, onConnect, onDisconnect } = config;
  const definition = actor<WorkflowState, WorkflowActions<TMachine>, keyof WorkflowActions<TMachine> & string, {}, I>({
    ...(config.input ? { input: config.input } : {}),
    createState: () => ({ version, system: null, manualClock: null }),
    onCreate: (c, input) => runtimeOf(c).start(input),
    onWake: (c) => runtimeOf(c).wake(),
    ...(onBeforeConnect ? { onBeforeConnect: (c: ActorContext<any, any>, params: P, details: BeforeConnectDetails) => onBeforeConnect(hookContext(c), params, details) } : {}),
    ...(onConnect ? { onConnect: (c: ActorContext<any, any>, conn: Connection<any>) => onConnect(hookContext(c), conn) } : {}),
    ...(onDisconnect ? { onDisconnect: (c: ActorContext<any, any>, conn: Connection<any>) => onDisconnect(hookContext(c), conn) } : {}),
    actions,
    ...(config.options ? { options: config.options } : {}),
  });
  return { ...definition, workflow: spec } as unknown as WorkflowDefinition<TMachine, I, P>;
}
