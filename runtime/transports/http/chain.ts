// The Worker's fetch as a chain of small steps — inspector → CORS → route → authorize → the
// route's own work — each of which answers or hands the request on. A transport adds a
// route; a Worker-wide rule is one more step.
import { authorizeCall, type Authorize, type AuthorizeTarget } from "../../auth/authorize.ts";
import type { CorsPolicy } from "../../auth/cors.ts";
import { ActorError, toActorError } from "../../errors.ts";
import { INSPECTOR_PATH } from "../../auth/inspector-access.ts";
import { optedInLocally } from "../../local-opt-in.ts";
import { httpStatus } from "../../protocol/http-status.ts";

/** One request on its way through the chain. */
export interface HttpContext {
  request: Request;
  env: Record<string, unknown>;
  url: URL;
  /** The route that took the request, once one did. */
  route?: MatchedRoute;
}

/** A step of the chain: answer, or call `next` to hand the request on. */
export type Middleware = (cx: HttpContext, next: () => Promise<Response>) => Promise<Response>;

/** What a route made of a request it takes. */
export interface MatchedRoute {
  /** A name for logs and error details: `call`, `connect`, `request`. */
  name: string;
  /** What `authorize` is told; a call reads and checks its body to know. */
  target(): AuthorizeTarget | Promise<AuthorizeTarget>;
  /** The route's work, once the request is authorized. */
  handle(): Promise<Response>;
  /** The answer to a failure, in the route's encoding; a JSON error by default. */
  fail?(error: ActorError): Response;
}

/** A route: whether it takes a request (by method and path), and what it made of it. */
export type Route = (request: Request, url: URL, env: Record<string, unknown>) => MatchedRoute | undefined;

/** The steps as one fetch handler. */
export function compose(steps: readonly Middleware[]): (request: Request, env: Record<string, unknown>) => Promise<Response> {
  return (request, env) => {
    const cx: HttpContext = { request, env, url: new URL(request.url) };
    const run = (index: number): Promise<Response> => {
      const step = steps[index];
      if (!step) return Promise.resolve(notFound(cx));
      return step(cx, () => run(index + 1));
    };
    return run(0);
  };
}

function notFound(cx: HttpContext): Response {
  const error = new ActorError("request/invalid", `No actorstate route for ${cx.request.method} ${cx.url.pathname}.`);
  return Response.json({ ok: false, error: error.toJSON() }, { status: 404 });
}

/**
 * The inspector's page and data at `/__actorstate/`, guarded by its own token; without
 * the inspector, its paths answer that it is off.
 */
export function inspectorStep(inspector: ((request: Request, env: Record<string, unknown>) => Promise<Response | undefined>) | undefined): Middleware {
  return async (cx, next) => {
    const answered = await inspector?.(cx.request, cx.env);
    if (answered) return answered;
    const { pathname } = cx.url;
    if (!inspector && (pathname === INSPECTOR_PATH || pathname.startsWith(`${INSPECTOR_PATH}/`))) {
      const error = new ActorError("request/invalid", "The inspector is off in this Worker: pass `inspector` from actorstate/inspector to createHandler.");
      return Response.json({ ok: false, error: error.toJSON() }, { status: 404 });
    }
    return next();
  };
}

/**
 * The origin check: preflights are answered, a browser page of an origin not allowed is
 * refused, and every answer further down carries the CORS headers (a WebSocket upgrade's
 * aside: CORS does not cover it). Failures below are answered here, so they carry them too.
 */
export function corsStep(cors: CorsPolicy): Middleware {
  return async (cx, next) => {
    const { request } = cx;
    if (request.method === "OPTIONS") return cors.preflight(request);
    let response: Response;
    try {
      const refused = cors.check(request);
      response = refused ? failure(cx, refused, "origin check") : await next();
    } catch (error) {
      response = failure(cx, error, cx.route?.name ?? "call");
    }
    const headers = cors.headers(request);
    if (response.status === 101 || !Object.keys(headers).length) return response;
    const withCors = new Response(response.body, response);
    for (const [name, value] of Object.entries(headers)) withCors.headers.set(name, value);
    return withCors;
  };
}

/** An error as an answer: in the route's encoding when it has one, its real message only under the local opt-in. */
function failure(cx: HttpContext, error: unknown, during: string): Response {
  const shown = toActorError(error, { during }, { reveal: optedInLocally(cx.env) });
  return cx.route?.fail?.(shown) ?? Response.json({ ok: false, error: shown.toJSON() }, { status: httpStatus(shown) });
}

/** The first of `routes` that takes the request; the rest of the chain runs for it. */
export function routeStep(routes: readonly Route[]): Middleware {
  return (cx, next) => {
    for (const route of routes) {
      const matched = route(cx.request, cx.url, cx.env);
      if (matched) {
        cx.route = matched;
        return next();
      }
    }
    return Promise.resolve(notFound(cx));
  };
}

/** `createHandler`'s `authorize`, asked about the call the route names; then the route's work. */
export function authorizeStep(authorize: Authorize | undefined): Middleware {
  return async (cx) => {
    const route = cx.route;
    if (!route) return notFound(cx);
    await authorizeCall(authorize, cx.request, await route.target(), cx.env);
    return route.handle();
  };
}
