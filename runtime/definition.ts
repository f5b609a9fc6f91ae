import type { ActionEntry, ActorConfig, ActorContext, ActorDefinition, ActorOptions, AnyActorDefinition, Registry, StandardSchemaV1 } from "./actor-types.ts";
import { describeIssues, type IssueShape } from "./errors.ts";
import { assertValidName } from "./identity.ts";

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
): Promise<{ ok: true; value: T } | { ok: false; issues: IssueShape[] }> {
  const result = await schema["~standard"].validate(value);
  if (!result.issues) return { ok: true, value: result.value };
  return { ok: false, issues: describeIssues(result.issues) };
}
