import type {
  ActionArgsMap,
  ActionEntry,
  ActorConfig,
  ActorContext,
  ActorDefinition,
  ActorOptions,
  ActorTypes,
  AnyActorDefinition,
  EventDeclaration,
  EventDeclarations,
  HookParams,
  Registry,
  StandardSchemaV1,
} from "./types/actor.ts";
import { ActorError, describeIssues, summarizeIssues, type IssueShape } from "./errors.ts";
import { assertValidName } from "./identity.ts";

/** Names a handle already uses for itself, so no action may take them. */
export const RESERVED_ACTION_NAMES = new Set([
  ...["resolve", "destroy", "inspect", "connect", "fetch", "webSocket"], // handles
  ...["on", "once", "onError", "dispose", "ready", "actorId", "connStatus", "onStatusChange", "onOpen", "onClose"], // connections
  ...["then", "constructor"],
]);

export const DEFAULT_OPTIONS: Required<ActorOptions> = {
  actionTimeoutMs: 60_000,
  onDestroyTimeoutMs: 5_000,
  maxIncomingMessageSize: 1024 * 1024,
  maxOutgoingMessageSize: 1024 * 1024,
  reconnectGraceMs: 15_000,
};

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
 *   events: { changed: event<number>() },
 *   actions: {
 *     increment: (c, by: number) => {
 *       c.state.count += by;
 *       c.broadcast("changed", c.state.count);
 *       return c.state.count;
 *     },
 *     get: (c) => c.state.count,
 *   },
 * });
 * ```
 */
export function actor<
  S,
  A extends Record<string, unknown>,
  N extends string,
  Args,
  I = undefined,
  E extends EventDeclarations | undefined = undefined,
  P = unknown,
  CS = unknown,
  B = unknown,
  V = unknown,
>(config: ActorConfig<S, I, A, N, Args, E, P, CS, B, V>): ActorDefinition<S, I, A, ActorTypes<E, HookParams<B, P>, CS, ActionArgsMap<N, Args>, V>> {
  if (config.state === undefined && config.createState === undefined) {
    throw new Error("An actor needs its initial state: give `state` or `createState`.");
  }
  if (config.vars !== undefined && config.createVars !== undefined) {
    throw new Error("Give an actor `vars` or `createVars`, not both.");
  }
  for (const [name, declaration] of Object.entries((config.events ?? {}) as Record<string, EventDeclaration>)) {
    if (!declaration?.["~standard"]) throw new Error(`Event "${name}" must be declared with a schema or event<T>().`);
  }
  for (const [name, entry] of Object.entries(config.actions as Record<string, ActionEntry<S, any>>)) {
    if (RESERVED_ACTION_NAMES.has(name)) throw new Error(`"${name}" is reserved by actor handles; rename the action.`);
    if (typeof entry !== "function" && (typeof entry?.handler !== "function" || !entry.args?.["~standard"])) {
      throw new Error(`Action "${name}" must be a function or { args: <schema>, handler }.`);
    }
  }
  // Typed loosely here: the declared types it carries (`~types`) exist for TypeScript alone.
  const definition: ActorDefinition<S, I, A, any> = { ...config, kind: "actorstate.actor", options: { ...DEFAULT_OPTIONS, ...config.options } };
  return definition;
}

/**
 * Declare an event by its payload type alone, for `events: { … }` in `actor()`: no schema,
 * nothing checked at run time. `event<void>()` is an event without a payload.
 *
 * @example
 * ```ts
 * const room = actor({
 *   state: { messages: [] as Message[] },
 *   events: { message: event<Message>(), cleared: event<void>() },
 *   actions: {
 *     post: (c, text: string) => c.broadcast("message", { text, at: Date.now() }),
 *     clear: (c) => c.broadcast("cleared"),
 *   },
 * });
 * ```
 */
export function event<T>(): EventDeclaration<T> {
  return EVENT_DECLARATION as EventDeclaration<T>;
}

/** The one value behind every `event<T>()`: a Standard Schema that accepts anything. */
const EVENT_DECLARATION: EventDeclaration = {
  "~standard": { version: 1, vendor: "actorstate", validate: (value) => ({ value }) },
};

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
export function actionHandler<S>(entry: ActionEntry<S, any>): (c: ActorContext<S, any>, ...args: any[]) => unknown {
  return typeof entry === "function" ? entry : entry.handler;
}

/** Validate a value with a Standard Schema; resolves to the parsed value or the issues. */
export async function validate<T>(
  schema: StandardSchemaV1<unknown, T>,
  value: unknown,
): Promise<{ ok: true; value: T } | { ok: false; issues: IssueShape[] }> {
  const result = await schema["~standard"].validate(value);
  if (!result.issues) return { ok: true, value: result.value };
  return { ok: false, issues: describeIssues(result.issues, value) };
}

/**
 * The create input for actor type `name`, checked against its `input` schema (the value
 * as the schema returns it); `request/invalid` when it fails. Without a schema, as given.
 */
export async function checkedInput(definition: AnyActorDefinition, name: string, raw: unknown): Promise<unknown> {
  if (!definition.input) return raw;
  const checked = await validate(definition.input, raw);
  if (!checked.ok) {
    throw new ActorError("request/invalid", `The input for "${name}" is invalid: ${summarizeIssues(checked.issues, "input")}.`, {
      metadata: { issues: checked.issues },
    });
  }
  return checked.value;
}
