import { ActorError } from "../errors.ts";
import { connectionTargetOf, dispatchWire, routeTarget } from "../protocol/route.ts";
import { requestPath, ROUTE_HEADER, subprotocol, TARGET_HEADER, TRUSTED_HEADER } from "../protocol/wire.ts";
import type { ActorNamespace } from "../platform.ts";
import type { ClientTransport } from "./transport.ts";

export type { ActorNamespace } from "../platform.ts";


/** How many objects a client remembers the id and stub of. */
const STUB_CACHE_SIZE = 1024;

/**
 * The binding, remembering the id and stub of recently used objects by name: deriving an
 * id hashes its name, and a handle calls the same object again and again. `forget()` drops
 * them all, as a stub must be recreated after its object was reset or overloaded.
 */
function memoized(binding: ActorNamespace): ActorNamespace & { forget(): void } {
  const ids = new Map<string, unknown>();
  const names = new WeakMap<object, string>();
  const stubs = new Map<string, unknown>();
  const remember = <T>(cache: Map<string, T>, key: string, value: T) => {
    if (cache.size >= STUB_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, value);
    return value;
  };
  return {
    idFromName(name) {
      const id = ids.get(name) ?? remember(ids, name, binding.idFromName(name));
      if (id && typeof id === "object") names.set(id, name);
      return id;
    },
    idFromString: (id) => binding.idFromString(id),
    get(id) {
      const name = id && typeof id === "object" ? names.get(id) : undefined;
      if (name === undefined) return binding.get(id);
      return stubs.get(name) ?? remember(stubs, name, binding.get(id));
    },
    forget() {
      ids.clear();
      stubs.clear();
    },
  };
}

/** The socket of an upgrade the object accepted; what it refused with otherwise. */
async function upgraded(response: Response): Promise<WebSocket & { accept(): void }> {
  // Only Workers' fetch gives the socket of an upgrade as `response.webSocket`.
  const socket = (response as Response & { webSocket?: (WebSocket & { accept(): void }) | null }).webSocket;
  if (socket) return socket;
  const body = (await response.json().catch(() => undefined)) as { error?: ConstructorParameters<typeof Object>[0] } | undefined;
  throw body?.error ? ActorError.fromShape(body.error as never) : new ActorError("internal/error", `The actor did not accept the WebSocket (${response.status}).`);
}

/**
 * Requests over Durable Object RPC, from inside a Worker or an actor; connections as a
 * WebSocket upgrade sent straight to the actor's object. Both are trusted: they carry no
 * caller, so `onBeforeConnect` does not run for them.
 */
export function bindingTransport(namespace: ActorNamespace): ClientTransport {
  const binding = memoized(namespace);
  return {
    call: (request) =>
      dispatchWire(binding, request).catch((error: unknown) => {
        binding.forget();
        throw error;
      }),
    fetch: (target, path, init) => {
      const route = routeTarget(binding, target);
      const headers = new Headers();
      new Headers(init?.headers).forEach((value, name) => name.startsWith("x-actorstate-") || headers.append(name, value));
      headers.set(TARGET_HEADER, JSON.stringify(route.target));
      headers.set(ROUTE_HEADER, "request");
      headers.set(TRUSTED_HEADER, "1");
      return route.stub.fetch(new Request(`https://actorstate.internal${requestPath(path)}`, { ...init, headers }));
    },
    webSocket: async (target, path, protocols) => {
      const route = routeTarget(binding, target);
      const response = await route.stub.fetch(
        new Request(`https://actorstate.internal${requestPath(path)}`, {
          headers: {
            Upgrade: "websocket",
            ...(protocols.length ? { "Sec-WebSocket-Protocol": protocols.join(", ") } : {}),
            [TARGET_HEADER]: JSON.stringify(route.target),
            [ROUTE_HEADER]: "websocket",
            [TRUSTED_HEADER]: "1",
          },
        }),
      );
      const socket = await upgraded(response);
      socket.binaryType = "arraybuffer";
      socket.accept();
      return socket;
    },
    open: async (target) => {
      const route = routeTarget(binding, target);
      const response = await route.stub.fetch(
        new Request("https://actorstate.internal/connect", {
          headers: {
            Upgrade: "websocket",
            "Sec-WebSocket-Protocol": subprotocol("cbor"),
            [TARGET_HEADER]: JSON.stringify(connectionTargetOf(route.target)),
            [TRUSTED_HEADER]: "1",
          },
        }),
      );
      const socket = await upgraded(response);
      // At current compatibility dates binary frames would otherwise arrive as Blobs.
      socket.binaryType = "arraybuffer";
      socket.accept();
      return { socket, encoding: "cbor" };
    },
  };
}
