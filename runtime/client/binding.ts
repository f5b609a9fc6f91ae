import { dispatchWire } from "../protocol/route.ts";
import type { ClientTransport } from "./handles.ts";

/**
 * The part of a Durable Object namespace binding actorstate uses. `env.ACTORS` fits it;
 * the narrow type keeps the compiler away from the binding's recursive RPC types.
 */
export interface ActorNamespace {
  idFromName(name: string): DurableObjectId;
  idFromString(id: string): DurableObjectId;
  get(id: DurableObjectId): unknown;
}

/** Requests over Durable Object RPC, from inside a Worker or an actor. */
export function bindingTransport(binding: ActorNamespace): ClientTransport {
  return { call: (request) => dispatchWire(binding, request) };
}
