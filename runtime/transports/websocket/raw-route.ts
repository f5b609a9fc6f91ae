// `GET …/websocket/*`: the Worker's side of a raw WebSocket. Browsers cannot set headers on
// a WebSocket, so params and a getOrCreate handle's create input travel as subprotocols
// (`actorstate.params.<base64url JSON>`, `actorstate.create.<base64url JSON of { input }>`);
// the object gets them as headers, and the path after `/websocket` as the request's path.
import { createFromHeader, paramsFromHeader } from "../../auth/public-call.ts";
import { ActorError } from "../../errors.ts";
import type { ActorNamespace } from "../../platform.ts";
import { routeTarget } from "../../protocol/route.ts";
import { CREATE_PROTOCOL_PREFIX, PARAMS_HEADER, PARAMS_PROTOCOL_PREFIX, ROUTE_HEADER, TARGET_HEADER, type WireTarget } from "../../protocol/wire.ts";
import type { Route } from "../http/chain.ts";
import { actorPath, forward, pathTarget, where } from "../http/paths.ts";

/** The offered subprotocols, with actorstate's params and create input taken out of them. */
function splitProtocols(header: string | null): { protocols: string[]; params: string | null; create: string | null } {
  let params: string | null = null;
  let create: string | null = null;
  const protocols: string[] = [];
  for (const protocol of (header ?? "").split(",").map((part) => part.trim()).filter(Boolean)) {
    if (protocol.startsWith(PARAMS_PROTOCOL_PREFIX)) params = protocol.slice(PARAMS_PROTOCOL_PREFIX.length);
    else if (protocol.startsWith(CREATE_PROTOCOL_PREFIX)) create = protocol.slice(CREATE_PROTOCOL_PREFIX.length);
    else protocols.push(protocol);
  }
  return { protocols, params, create };
}

/** The route of raw WebSocket upgrades, for the actor's `onWebSocket`. */
export function rawWebSocketRoute(namespaceIn: (env: Record<string, unknown>) => ActorNamespace): Route {
  return (request, url, env) => {
    const path = actorPath(url.pathname);
    if (path?.route !== "websocket") return undefined;
    const offered = splitProtocols(request.headers.get("Sec-WebSocket-Protocol"));
    let parsed: { target: WireTarget; params: unknown } | undefined;
    const parse = () =>
      (parsed ??= {
        target: pathTarget(path, createFromHeader(offered.create, "actorstate.create subprotocol")),
        params: paramsFromHeader(offered.params, "actorstate.params subprotocol"),
      });
    return {
      name: "raw WebSocket",
      target() {
        if (request.method !== "GET" || request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
          throw new ActorError("request/invalid", "Open a WebSocket here: send a GET with an upgrade.");
        }
        const { target, params } = parse();
        return { op: "websocket", ...where(target), creates: "create" in target, params };
      },
      async handle() {
        const route = routeTarget(namespaceIn(env), parse().target);
        const forwarded = forward(request, `${url.origin}${path.rest || "/"}${url.search}`, {
          [TARGET_HEADER]: JSON.stringify(route.target),
          [ROUTE_HEADER]: "websocket",
          ...(offered.params === null ? {} : { [PARAMS_HEADER]: offered.params }),
        });
        if (offered.protocols.length) forwarded.headers.set("Sec-WebSocket-Protocol", offered.protocols.join(", "));
        else forwarded.headers.delete("Sec-WebSocket-Protocol");
        return route.stub.fetch(forwarded);
      },
    };
  };
}
