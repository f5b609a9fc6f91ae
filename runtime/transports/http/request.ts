// `…/request/*`: the actor's `onRequest`, with the path after `/request` as the request's path.
import { createFromHeader, paramsFromHeader } from "../../auth/public-call.ts";
import type { ActorNamespace } from "../../platform.ts";
import { CREATE_HEADER, PARAMS_HEADER, ROUTE_HEADER, TARGET_HEADER, type WireTarget } from "../../protocol/wire.ts";
import { routeTarget } from "../../protocol/route.ts";
import type { Route } from "./chain.ts";
import { actorPath, forward, pathTarget, where } from "./paths.ts";

/** The route of the requests an actor's `onRequest` serves (a handle's `fetch`). */
export function requestRoute(namespaceIn: (env: Record<string, unknown>) => ActorNamespace): Route {
  return (request, url, env) => {
    const path = actorPath(url.pathname);
    if (path?.route !== "request") return undefined;
    let target: WireTarget | undefined;
    const targetOf = () => (target ??= pathTarget(path, createFromHeader(request.headers.get(CREATE_HEADER))));
    return {
      name: "request",
      target() {
        const wire = targetOf();
        return { op: "request", ...where(wire), creates: "create" in wire, params: paramsFromHeader(request.headers.get(PARAMS_HEADER)) };
      },
      async handle() {
        const route = routeTarget(namespaceIn(env), targetOf());
        // The body goes through a pipe of our own: when onRequest leaves it unread, the runtime
        // would report reading the caller's stream after the response as an uncaught error
        // ("Can't read from request stream after response has been sent"); our pipe's is handled.
        const body = request.body ? { body: request.body.pipeThrough(new TransformStream()) } : {};
        const forwarded = forward(
          new Request(request, body),
          `${url.origin}${path.rest || "/"}${url.search}`,
          { [TARGET_HEADER]: JSON.stringify(route.target), [ROUTE_HEADER]: "request" },
          [PARAMS_HEADER],
        );
        return route.stub.fetch(forwarded);
      },
    };
  };
}
