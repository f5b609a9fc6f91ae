import type { Registry } from "../definition.ts";
import { ActorError } from "../errors.ts";
import { objectNameFor } from "../identity.ts";
import type { ActorRequest, ActorResult } from "../requests.ts";
import { clientOver, type ClientTransport, type ObjectAddress } from "./handles.ts";
import type { Client } from "./types.ts";

export type { ActionArgs, ActionReturn, ActionsOf, ActorAccessor, ActorHandle, Client, CreateOptions, HandleMethods, InputOf } from "./types.ts";
export type { ActorInspection } from "../requests.ts";

/** The RPC surface of the actor object, as the in-Worker client sees it. */
interface ActorObjectStub {
  dispatch(request: ActorRequest): Promise<ActorResult>;
}

/**
 * The part of a Durable Object namespace binding the client uses. `env.ACTORS` fits it;
 * the narrow type keeps the compiler away from the binding's recursive RPC types.
 */
export interface ActorNamespace {
  idFromName(name: string): DurableObjectId;
  idFromString(id: string): DurableObjectId;
  get(id: DurableObjectId): unknown;
}

/** Options for a client inside a Worker, over Durable Object RPC. */
export interface BindingClientOptions {
  /** The `ACTORS` Durable Object binding from `env`. */
  binding: ActorNamespace;
}

function bindingTransport(binding: ActorNamespace): ClientTransport {
  const stubFor = (address: ObjectAddress): ActorObjectStub => {
    if ("doId" in address) {
      let id: DurableObjectId;
      try {
        id = binding.idFromString(address.doId);
      } catch {
        throw new ActorError("actor/invalid_id", `"${address.doId}" is not an id of this Worker's actors.`);
      }
      return binding.get(id) as unknown as ActorObjectStub;
    }
    return binding.get(binding.idFromName(objectNameFor(address.name, address.key))) as unknown as ActorObjectStub;
  };
  return { send: async (address, request) => stubFor(address).dispatch(request) };
}

/**
 * A typed client for the actors of a registry. Inside a Worker, give it the Durable Object
 * binding: each call is one RPC round trip, and the object resolves the key or id and the
 * generation itself.
 *
 * @example
 * ```ts
 * import { createClient } from "actorstate/client";
 * import type { registry } from "./actors";
 *
 * const client = createClient<typeof registry>({ binding: env.ACTORS });
 * const counter = client.counter.getOrCreate("demo");
 * await counter.increment(1); // 1
 * ```
 */
export function createClient<R extends Registry<any>>(options: BindingClientOptions): Client<R> {
  return clientOver<R>(bindingTransport(options.binding));
}
