import * as z from "zod/mini";
import type { ActorErrorShape } from "../errors.ts";

/**
 * Which actor a request is for. A key target follows the key to the current generation
 * (creating the actor first when `create` is set); an id target is pinned to one generation.
 */
export const actorTarget = z.union([
  z.object({
    name: z.string(),
    key: z.array(z.string()),
    create: z.optional(z.object({ input: z.optional(z.unknown()) })),
  }),
  z.object({ name: z.string(), generation: z.int().check(z.nonnegative()) }),
]);

/** Every request the actor object answers, one per handle operation. */
export const actorRequest = z.discriminatedUnion("op", [
  z.object({ op: z.literal("action"), target: actorTarget, action: z.string(), args: z.array(z.unknown()) }),
  z.object({
    op: z.literal("create"),
    name: z.string(),
    key: z.array(z.string()),
    mode: z.enum(["create", "getOrCreate"]),
    input: z.optional(z.unknown()),
  }),
  z.object({ op: z.literal("resolve"), target: actorTarget }),
  z.object({ op: z.literal("destroy"), target: actorTarget }),
  z.object({ op: z.literal("inspect"), target: actorTarget }),
]);

export type ActorRequest = z.infer<typeof actorRequest>;

/**
 * Whether `raw` is the commonest request, an action on a target by key (a `getOrCreate`
 * handle's, with its `create`) or by id, exactly as {@link actorRequest} would return it.
 * Checked by hand on every call, since the schema's parse copies each object of the
 * request; anything else goes to the schema.
 */
export function isActionRequest(raw: unknown): raw is Extract<ActorRequest, { op: "action" }> {
  const request = raw as { op?: unknown; action?: unknown; args?: unknown; target?: { name?: unknown; key?: unknown; generation?: unknown; create?: unknown } } | null;
  if (typeof request !== "object" || request === null || request.op !== "action" || typeof request.action !== "string" || !Array.isArray(request.args)) return false;
  const target = request.target;
  if (typeof target !== "object" || target === null || typeof target.name !== "string") return false;
  if ("key" in target) {
    return !("generation" in target) && Array.isArray(target.key) && isStrings(target.key) && isCreateOption(target.create);
  }
  return !("create" in target) && Number.isSafeInteger(target.generation) && (target.generation as number) >= 0;
}

/** Every element a string; a hole in a sparse array is none (`every` would skip it). */
function isStrings(key: unknown[]): boolean {
  for (let i = 0; i < key.length; i++) if (typeof key[i] !== "string") return false;
  return true;
}

/** A key target's `create`, absent or `{ input? }` with nothing the schema would strip. */
function isCreateOption(create: unknown): boolean {
  if (create === undefined) return true;
  return typeof create === "object" && create !== null && !Array.isArray(create) && Object.keys(create).every((key) => key === "input");
}
export type ActorTarget = z.infer<typeof actorTarget>;

/**
 * Results travel as values, never as thrown errors, so an error's group, code and metadata
 * arrive intact over Durable Object RPC.
 */
export type ActorResult<T = unknown> = { ok: true; value: T } | { ok: false; error: ActorErrorShape };

export type { ActorInspection } from "../types/handles.ts";
