// actorstate/testing: helpers for your own tests under @cloudflare/vitest-plugin.
import { runInDurableObject } from "cloudflare:test";
import type { ActorNamespace } from "./platform.ts";
import { normalizeKey, objectNameFor, type ActorKeyInput } from "./identity.ts";
import { hasSchema } from "./storage/schema.ts";
import { readTransitions, type LoggedTransition } from "./storage/transition-log.ts";

export type { LoggedTransition } from "./storage/transition-log.ts";

/**
 * The Durable Object stub that hosts the actor `name` + `key`: pass it to
 * `evictDurableObject`, `runDurableObjectAlarm` or `runInDurableObject`.
 *
 * @example
 * ```ts
 * import { evictDurableObject, env } from "cloudflare:test";
 * import { actorObject } from "actorstate/testing";
 *
 * await evictDurableObject(actorObject(env.ACTORS, "counter", "demo"));
 * ```
 */
export function actorObject(binding: ActorNamespace, name: string, key?: ActorKeyInput): DurableObjectStub {
  return binding.get(binding.idFromName(objectNameFor(name, normalizeKey(key)))) as DurableObjectStub;
}

/**
 * The actor's durable transition log, oldest first (up to the last 1,000 transitions).
 * Empty for an actor that was never created.
 *
 * @example
 * ```ts
 * const log = await transitionLog(actorObject(env.ACTORS, "counter", "demo"));
 * expect(log.at(-1)).toMatchObject({ from: "destroying.finalizing", to: "destroyed" });
 * ```
 */
export function transitionLog(object: DurableObjectStub): Promise<LoggedTransition[]> {
  return runInDurableObject(object, (_, state) => (hasSchema(state.storage) ? readTransitions(state.storage) : []));
}
