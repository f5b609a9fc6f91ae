import type { WireRequest } from "../protocol/wire.ts";
import type { ActorResult } from "../protocol/requests.ts";
import type { SocketOpener } from "./connection.ts";

/** How a client carries one request to an actor and brings back its result, and opens connections. */
export interface ClientTransport {
  call(request: WireRequest): Promise<ActorResult>;
  open: SocketOpener;
}
