import type { Registry } from "../types/actor.ts";
import { bindingTransport, type ActorNamespace } from "./binding.ts";
import { httpTransport, type EndpointClientOptions } from "./http.ts";
import { clientOver } from "./handles.ts";
import type { Client } from "../types/actor.ts";

export type { ActorNamespace } from "./binding.ts";
export type { EndpointClientOptions, WebSocketConstructor } from "./http.ts";
export { ActorError } from "../errors.ts";
export { waitFor, type WaitForOptions, type WorkflowHandleLike } from "./wait-for.ts";
export type { SnapshotView, WorkflowStatus } from "../../machines/workflow/types.ts";

export type {
  ActionArgs,
  ActionReturn,
  ActionsOf,
  ActorAccessor,
  ActorConnection,
  ActorHandle,
  Client,
  CreateOptions,
  EventsOf,
  HandleMethods,
  HandleOptions,
  ConnStatus,
  ConnectionStatus,
  InputOf,
  ParamsOf,
  TypesOf,
} from "../types/actor.ts";
export type { ActorInspection } from "../protocol/requests.ts";
export type { DirectoryEntry, ListOptions, ListPage } from "../types/directory.ts";

/** Options for a client inside a Worker, over Durable Object RPC. */
export interface BindingClientOptions {
  /** The `ACTORS` Durable Object binding from `env`. */
  binding: ActorNamespace;
}

/**
 * A typed client for the actors of a registry, from anywhere:
 * - an endpoint URL (or `{ endpoint, encoding }`) reaches a Worker over HTTP and WebSockets,
 *   from Node ≥ 22, browsers or other Workers; one HTTP round trip per action;
 * - `{ binding }` reaches actors from inside the Worker that hosts them, over Durable
 *   Object RPC; one RPC per action.
 *
 * Import only the registry's type (`import type`), so the client never bundles your actors.
 *
 * @example
 * ```ts
 * import { createClient } from "actorstate/client";
 * import type { registry } from "./actors";
 *
 * const client = createClient<typeof registry>("http://127.0.0.1:8787");
 * const counter = client.counter.getOrCreate("demo");
 * await counter.increment(1);
 *
 * const conn = counter.connect();
 * conn.on("changed", (count) => console.log(count));
 * ```
 */
export function createClient<R extends Registry<any>>(options: string | EndpointClientOptions | BindingClientOptions): Client<R> {
  if (typeof options === "string") return clientOver<R>(httpTransport({ endpoint: options }));
  if ("binding" in options) return clientOver<R>(bindingTransport(options.binding));
  return clientOver<R>(httpTransport(options));
}
