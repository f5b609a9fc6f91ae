// The Worker-level hook on `createHandler`: one place for rules across actor types, run in
// the Worker before a call from outside reaches any actor.
import type { ActorEnv } from "../types/actor.ts";
import { ActorError, toForbidden } from "../errors.ts";
import { optedInLocally } from "../local-opt-in.ts";

/** What a call from outside asks to do, for `authorize`. */
export type AuthorizeOp = "action" | "create" | "resolve" | "destroy" | "inspect" | "list" | "connect" | "request" | "websocket";

/** The call `authorize` decides on. */
export interface AuthorizeTarget {
  /** The actor type. */
  name: string;
  /** The key, for calls by key; `undefined` for calls by id and for `list`. */
  key: string[] | undefined;
  /** The actor id, for calls by id (`getForId`). */
  id: string | undefined;
  op: AuthorizeOp;
  /** The action's name, for `op: "action"`. */
  action?: string;
  /** Whether the call creates the actor if it is not there: `create`, and every call of a `getOrCreate` handle. */
  creates: boolean;
  /** The params the caller sent; `undefined` for `connect`, whose params come later, in its `hello`. */
  params: unknown;
}

/**
 * `createHandler`'s `authorize` option: return `false` or throw to refuse a call from
 * outside the Worker (`auth/forbidden`, a thrown error's message kept). `request` is the
 * caller's request without its body; `env` the Worker's. Calls from inside the Worker never
 * reach it.
 *
 * @example
 * ```ts
 * createHandler(registry, {
 *   authorize: (request, { op }, env) => op !== "destroy" || request.headers.get("Authorization") === `Bearer ${env.ADMIN_TOKEN}`,
 * });
 * ```
 */
export type Authorize = (request: Request, target: AuthorizeTarget, env: ActorEnv) => boolean | void | Promise<boolean | void>;

/** Run `authorize` for one call; throws `auth/forbidden` if it refuses. */
export async function authorizeCall(authorize: Authorize | undefined, request: Request, target: AuthorizeTarget, env: Record<string, unknown>): Promise<void> {
  if (!authorize) return;
  let verdict: boolean | void;
  try {
    verdict = await authorize(new Request(request.url, { method: request.method, headers: request.headers }), target, env as unknown as ActorEnv);
  } catch (error) {
    throw toForbidden(error, "The Worker refused the call.", { during: "authorize", op: target.op, actor: target.name }, { reveal: optedInLocally(env) });
  }
  if (verdict === false) throw new ActorError("auth/forbidden", `The Worker refused ${target.op} on "${target.name}".`);
}
