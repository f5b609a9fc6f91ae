import { assertValidName } from "./identity.ts";
import type { ActorContext, Connection, CreateContext } from "./context.ts";

/**
 * The Standard Schema interface (standardschema.dev), which zod 4, valibot and arktype
 * implement: actorstate validates create input and action arguments through it, so the
 * runtime does not bundle any one validation library.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => StandardSchemaV1.Result<Output> | Promise<StandardSchemaV1.Result<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

export declare namespace StandardSchemaV1 {
  type Result<Output> = { readonly value: Output; readonly issues?: undefined } | { readonly issues: ReadonlyArray<Issue> };
  interface Issue {
    readonly message: string;
    readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
  }
  type InferOutput<S extends StandardSchemaV1> = NonNullable<S["~standard"]["types"]>["output"];
}

/** An action without argument validation: `(c, ...args) => result`. */
export type ActionFunction<S> = (c: ActorContext<S>, ...args: any[]) => unknown;

/** An action whose arguments are checked by a schema for the argument tuple. */
export interface ValidatedAction<S, Args extends unknown[]> {
  args: StandardSchemaV1<unknown, Args>;
  handler: (c: ActorContext<S>, ...args: Args) => unknown;
}

export type ActionEntry<S> = ActionFunction<S> | ValidatedAction<S, any>;

/** Limits an actor runs under. */
export interface ActorOptions {
  /** How long one action may run before its caller gets `action/timed_out`. Default 60 s. */
  actionTimeoutMs?: number;
  /** How long `onDestroy` may run before the destroy goes on without it. Default 5 s. */
  onDestroyTimeoutMs?: number;
}

/**
 * Everything `actor()` accepts. `A` records the actions exactly as written (for typed
 * clients); the intersection gives each action its contextual `c`. Constraining `A` by the
 * state type instead would stop TypeScript inferring the state from `createState` whenever
 * `createState` reads its input.
 */
export interface ActorConfig<S, I, A> {
  /** Validates the input given to `create`/`getOrCreate`; a failure is `request/invalid`. */
  input?: StandardSchemaV1<unknown, I>;
  /** The initial state, copied for every new generation. */
  state?: S;
  /** Builds the initial state from the create input; used instead of `state`. */
  createState?: (c: CreateContext, input: I) => S | Promise<S>;
  actions: A & Record<string, ActionEntry<S>>;
  /** Runs once per generation, after the initial state is stored. */
  onCreate?: (c: ActorContext<S>, input: I) => unknown;
  /** Runs every time the actor comes into memory: after creation and after each wake. */
  onWake?: (c: ActorContext<S>) => unknown;
  /** Runs before a destroy wipes the actor; errors and timeouts are logged and the destroy goes on. */
  onDestroy?: (c: ActorContext<S>) => unknown;
  /** Runs when a client connects, before it is accepted: throw to refuse (`auth/forbidden`). */
  onBeforeConnect?: (c: ActorContext<S>, params: any) => unknown;
  /** Runs once a connection is accepted. */
  onConnect?: (c: ActorContext<S>, conn: Connection) => unknown;
  /** Runs when a connection ends (not when a destroy closes it). */
  onDisconnect?: (c: ActorContext<S>, conn: Connection) => unknown;
  options?: ActorOptions;
}

/** A defined actor type. */
export interface ActorDefinition<S, I, A> extends ActorConfig<S, I, A> {
  readonly kind: "actorstate.actor";
  readonly options: Required<ActorOptions>;
}

export type AnyActorDefinition = ActorDefinition<any, any, Record<string, any>>;

/** Names a handle already uses for itself, so no action may take them. */
export const RESERVED_ACTION_NAMES = new Set([
  ...["resolve", "destroy", "inspect", "connect"], // handles
  ...["on", "once", "onError", "dispose", "ready", "actorId"], // connections
  ...["then", "constructor"],
]);

export const DEFAULT_OPTIONS: Required<ActorOptions> = { actionTimeoutMs: 60_000, onDestroyTimeoutMs: 5_000 };

/**
 * Define an actor type: its state, the actions callers can run, and lifecycle hooks.
 *
 * @example
 * ```ts
 * import { actor } from "actorstate";
 * import { z } from "zod";
 *
 * export const counter = actor({
 *   input: z.object({ start: z.number().int() }).optional(),
 *   createState: (c, input) => ({ count: input?.start ?? 0 }),
 *   actions: {
 *     increment: (c, by: number) => (c.state.count += by),
 *     get: (c) => c.state.count,
 *   },
 * });
 * ```
 */
export function actor<S, A extends Record<string, unknown>, I = undefined>(config: ActorConfig<S, I, A>): ActorDefinition<S, I, A> {
  if (config.state === undefined && config.createState === undefined) {
    throw new Error("An actor needs its initial state: give `state` or `createState`.");
  }
  for (const [name, entry] of Object.entries(config.actions as Record<string, ActionEntry<S>>)) {
    if (RESERVED_ACTION_NAMES.has(name)) throw new Error(`"${name}" is reserved by actor handles; rename the action.`);
    if (typeof entry !== "function" && (typeof entry?.handler !== "function" || !entry.args?.["~standard"])) {
      throw new Error(`Action "${name}" must be a function or { args: <schema>, handler }.`);
    }
  }
  return { ...config, kind: "actorstate.actor", options: { ...DEFAULT_OPTIONS, ...config.options } };
}

/** The set of actor types a Worker serves, by name. */
export interface Registry<Actors extends Record<string, AnyActorDefinition> = Record<string, AnyActorDefinition>> {
  readonly kind: "actorstate.registry";
  readonly actors: Actors;
}

/**
 * Collect actor types under the names clients use for them.
 *
 * @example
 * ```ts
 * export const registry = setup({ actors: { counter } });
 * ```
 */
export function setup<Actors extends Record<string, AnyActorDefinition>>(config: { actors: Actors }): Registry<Actors> {
  for (const [name, definition] of Object.entries(config.actors)) {
    assertValidName(name);
    if (definition?.kind !== "actorstate.actor") throw new Error(`"${name}" is not an actor(); define it with actor({ ... }).`);
  }
  return { kind: "actorstate.registry", actors: config.actors };
}

/** The handler of an action entry, whichever form it was written in. */
export function actionHandler<S>(entry: ActionEntry<S>): (c: ActorContext<S>, ...args: any[]) => unknown {
  return typeof entry === "function" ? entry : entry.handler;
}

/** Validate a value with a Standard Schema; resolves to the parsed value or the issues. */
export async function validate<T>(
  schema: StandardSchemaV1<unknown, T>,
  value: unknown,
): Promise<{ ok: true; value: T } | { ok: false; issues: Array<{ message: string; path?: string }> }> {
  const result = await schema["~standard"].validate(value);
  if (!result.issues) return { ok: true, value: result.value };
  return {
    ok: false,
    issues: result.issues.map((issue) => ({
      message: issue.message,
      ...(issue.path?.length
        ? { path: issue.path.map((segment) => String(typeof segment === "object" ? segment.key : segment)).join(".") }
        : {}),
    })),
  };
}
