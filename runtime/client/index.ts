import type { Registry } from "../definition.ts";
import { bindingTransport, type ActorNamespace } from "./binding.ts";
import { clientOver } from "./handles.ts";
import type { Client } from "./types.ts";

export type { ActorNamespace } from "./binding.ts";

export type { ActionArgs, ActionReturn, ActionsOf, ActorAccessor, ActorHandle, Client, CreateOptions, HandleMethods, InputOf } from "./types.ts";
export type { ActorInspection } from "../requests.ts";

/** Options for a client inside a Worker, over Durable Object RPC. */
export interface BindingClientOptions {
  /** The `ACTORS` Durable Object binding from `env`. */
  binding: ActorNamespace;
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
