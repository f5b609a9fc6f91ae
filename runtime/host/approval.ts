import type { ActorContext, AnyActorDefinition, Caller } from "../types/actor.ts";
import { requestOf } from "../auth/public-call.ts";
import type { PublicCall } from "../protocol/wire.ts";
import { toForbidden } from "../errors.ts";
import type { ActorInstance } from "./actor-instance.ts";

/**
 * Ask the actor's `onBeforeConnect` about a call from outside the Worker. What it returns
 * becomes the caller's auth data (`c.caller.auth`, `conn.auth`); a throw refuses the call
 * with `auth/forbidden`. An actor without the hook lets every caller in, with no auth data.
 * `reveal` is the local opt-in: a bug in the hook shows its message then.
 */
export async function approve(instance: ActorInstance, c: ActorContext<unknown>, call: PublicCall, reveal: boolean): Promise<Caller> {
  const onBeforeConnect: AnyActorDefinition["onBeforeConnect"] = instance.definition.onBeforeConnect;
  if (!onBeforeConnect) return { auth: undefined, params: call.params };
  let auth: unknown;
  try {
    auth = await onBeforeConnect(c, call.params, { request: requestOf(call.request) });
  } catch (error) {
    throw toForbidden(error, "The actor refused the call.", { during: "onBeforeConnect" }, { reveal, log: (message, fields) => instance.log.error(message, fields) });
  }
  return { auth, params: call.params };
}
