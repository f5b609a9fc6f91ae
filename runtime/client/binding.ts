import { ActorError } from "../errors.ts";
import { connectionTargetOf, dispatchWire, routeTarget } from "../protocol/route.ts";
import { subprotocol, TARGET_HEADER } from "../protocol/wire.ts";
import type { ClientTransport } from "./handles.ts";

/**
 * The part of a Durable Object namespace binding actorstate uses. `env.ACTORS` fits it;
 * the narrow type keeps the compiler away from the binding's recursive RPC types.
 */
export interface ActorNamespace<Id = any> {
  idFromName(name: string): Id;
  idFromString(id: string): Id;
  get(id: Id): unknown;
}

/**
 * Requests over Durable Object RPC, from inside a Worker or an actor; connections as a
 * WebSocket upgrade sent straight to the actor's object.
 */
export function bindingTransport(binding: ActorNamespace): ClientTransport {
  return {
    call: (request) => dispatchWire(binding, request),
    open: async (target) => {
      const route = routeTarget(binding, target);
      const response = await route.stub.fetch(
        new Request("https://actorstate.internal/connect", {
          headers: {
            Upgrade: "websocket",
            "Sec-WebSocket-Protocol": subprotocol("cbor"),
            [TARGET_HEADER]: JSON.stringify(connectionTargetOf(route.target)),
          },
        }),
      );
      // Only Workers' fetch gives the socket of an upgrade as `response.webSocket`.
      const socket = (response as Response & { webSocket?: (WebSocket & { accept(): void }) | null }).webSocket;
      if (!socket) {
        const body = (await response.json().catch(() => undefined)) as { error?: ConstructorParameters<typeof Object>[0] } | undefined;
        throw body?.error ? ActorError.fromShape(body.error as never) : new ActorError("internal/error", `The actor did not accept the connection (${response.status}).`);
      }
      // At current compatibility dates binary frames would otherwise arrive as Blobs.
      socket.binaryType = "arraybuffer";
      socket.accept();
      return { socket, encoding: "cbor" };
    },
  };
}
