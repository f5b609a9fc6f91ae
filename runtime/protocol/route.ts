import type { ActorNamespace } from "../platform.ts";
import type { PublicCall, RequestHead } from "./wire.ts";
import { listDirectory } from "../directory/routing.ts";
import { ActorError, quoteInput } from "../errors.ts";
import { normalizeKey, objectNameFor, parseActorId } from "../identity.ts";
import type { ActorRequest, ActorResult, ActorTarget } from "./requests.ts";
import type { ConnectionTarget, WireRequest, WireTarget } from "./wire.ts";

/** The RPC surface of the actor object. */
export interface ActorObjectStub {
  /** `call` is set for requests from outside the Worker, which `onBeforeConnect` must approve. */
  dispatch(request: ActorRequest, call?: PublicCall): Promise<ActorResult>;
  fetch(request: Request): Promise<Response>;
}

/** The object hosting a target, and the target as the object understands it. */
export function routeTarget(namespace: ActorNamespace, target: WireTarget): { stub: ActorObjectStub; target: ActorTarget } {
  if ("id" in target) {
    const { doId, generation } = parseActorId(target.id);
    let id: unknown;
    try {
      id = namespace.idFromString(doId);
    } catch {
      throw new ActorError("actor/invalid_id", `${quoteInput(target.id)} is not an id of this Worker's actors.`);
    }
    return { stub: namespace.get(id) as ActorObjectStub, target: { name: target.name, generation } };
  }
  const key = normalizeKey(target.key);
  return {
    stub: namespace.get(namespace.idFromName(objectNameFor(target.name, key))) as ActorObjectStub,
    target: { name: target.name, key, ...(target.create ? { create: target.create } : {}) },
  };
}

/** What the object needs to know about a connection's target (see the connection handler). */
export function connectionTargetOf(target: ActorTarget): ConnectionTarget {
  return "key" in target ? { name: target.name, key: target.key, create: target.create !== undefined } : target;
}

/**
 * Send one wire request to its actor's object over RPC (or, for `list`, to the directory).
 * `from` is the caller's request when the call came from outside the Worker: its params
 * and request then go to `onBeforeConnect`. Without it the call is trusted.
 */
export async function dispatchWire(namespace: ActorNamespace, wire: WireRequest, from?: RequestHead): Promise<ActorResult> {
  if (wire.op === "list") {
    const { name } = wire.actor;
    const page = await listDirectory(namespace, name, {
      ...(wire.lifecycle ? { lifecycle: wire.lifecycle } : {}),
      ...(wire.cursor ? { cursor: wire.cursor } : {}),
      ...(wire.limit !== undefined ? { limit: wire.limit } : {}),
    });
    return { ok: true, value: page };
  }
  const call = from ? [{ params: wire.params, request: from }] : [];
  if (wire.op === "create") {
    const { stub, target } = routeTarget(namespace, wire.actor);
    return stub.dispatch({ op: "create", name: wire.actor.name, key: (target as { key: string[] }).key, mode: wire.mode, input: wire.input }, ...call);
  }
  const { stub, target } = routeTarget(namespace, wire.actor);
  if (wire.op === "action") return stub.dispatch({ op: "action", target, action: wire.action, args: wire.args }, ...call);
  return stub.dispatch({ op: wire.op, target }, ...call);
}
