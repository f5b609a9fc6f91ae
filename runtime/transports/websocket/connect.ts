// `GET …/connect`: the Worker's side of a connection. The upgrade goes to the actor's
// object, which asks `onBeforeConnect` once the client says hello.
import type { ActorNamespace } from "../../platform.ts";
import { ROUTE_HEADER, TARGET_HEADER, type WireTarget } from "../../protocol/wire.ts";
import type { Route } from "../http/chain.ts";
import { actorPath, forward, pathTarget, where } from "../http/paths.ts";
import { connectionTargetOf, routeTarget } from "../../protocol/route.ts";

/** The route of connection upgrades. */
export function connectRoute(namespaceIn: (env: Record<string, unknown>) => ActorNamespace): Route {
  return (request, url, env) => {
    const path = actorPath(url.pathname);
    if (path?.route !== "connect" || request.method !== "GET") return undefined;
    const creates = url.searchParams.get("create") === "1";
    let target: WireTarget | undefined;
    return {
      name: "connect",
      target() {
        target = pathTarget(path, creates ? {} : undefined);
        return { op: "connect", ...where(target), creates, params: undefined };
      },
      async handle() {
        const route = routeTarget(namespaceIn(env), target ?? pathTarget(path, creates ? {} : undefined));
        // Only the inspector's own route may open an inspector socket (after its access check),
        // and only the in-Worker client a trusted one: every x-actorstate-* header goes.
        return route.stub.fetch(forward(request, request.url, { [TARGET_HEADER]: JSON.stringify(connectionTargetOf(route.target)), [ROUTE_HEADER]: "connect" }));
      },
    };
  };
}
