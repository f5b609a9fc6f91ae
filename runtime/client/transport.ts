import type { WireRequest, WireTarget } from "../protocol/wire.ts";
import type { ActorResult } from "../protocol/requests.ts";
import type { SocketOpener } from "./connection.ts";

/** How a client carries one request to an actor and brings back its result, and opens connections. */
export interface ClientTransport {
  call(request: WireRequest): Promise<ActorResult>;
  open: SocketOpener;
  /** A request to the actor's `onRequest`; `params` go to `onBeforeConnect` on a transport from outside. */
  fetch(target: WireTarget, path: string, init: RequestInit | undefined, params: unknown): Promise<Response>;
  /** A raw WebSocket to the actor's `onWebSocket`, once open. */
  webSocket(target: WireTarget, path: string, protocols: string[], params: unknown): Promise<WebSocket>;
}
