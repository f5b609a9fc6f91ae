// Which browser pages may call the Worker's actorstate routes. Off unless configured:
// browsers send the user's cookies with cross-site requests and WebSocket upgrades (which
// CORS does not cover), and `onBeforeConnect` may read those cookies.
import { ActorError } from "../errors.ts";
import { CREATE_HEADER, PARAMS_HEADER } from "../protocol/wire.ts";

/**
 * `createHandler`'s `cors` option: the browser origins allowed besides the Worker's own.
 *
 * @example
 * ```ts
 * createHandler(registry, { cors: { origins: ["https://app.example"], credentials: true } });
 * ```
 */
export interface CorsOptions {
  /** Origins exactly as browsers send them (`https://app.example`, no path), or `"*"` for any. */
  origins: "*" | readonly string[];
  /** Let pages send cookies (`fetch(…, { credentials: "include" })`). Needs a list of origins, not `"*"`. */
  credentials?: boolean;
  /** Request headers pages may send besides `Content-Type`, `Accept`, `Authorization` and `x-actorstate-params`. */
  allowHeaders?: readonly string[];
}

/** The origin check and CORS headers of a handler. */
export interface CorsPolicy {
  /**
   * Whether the handler may answer `request`: it has no `Origin` (not a browser), comes from
   * the Worker's own origin, or from an allowed one. Otherwise `auth/forbidden`.
   */
  check(request: Request): ActorError | undefined;
  /** The CORS headers for the answer to `request` (none for non-browser or same-origin requests). */
  headers(request: Request): Record<string, string>;
  /** The answer to a preflight (`OPTIONS`). */
  preflight(request: Request): Response;
}

const ALLOWED_HEADERS = ["Content-Type", "Accept", "Authorization", PARAMS_HEADER, CREATE_HEADER];
const ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE";

/** The policy for a handler's `cors` option; without one, only the Worker's own origin (and non-browsers) may call. */
export function corsPolicy(options: CorsOptions | undefined): CorsPolicy {
  if (options?.origins === "*" && options.credentials) {
    throw new Error("actorstate: cors.credentials needs a list of origins; browsers refuse credentials with \"*\".");
  }
  const allowedHeaders = [...ALLOWED_HEADERS, ...(options?.allowHeaders ?? [])].join(", ");
  /** The origin of a cross-origin browser request; `undefined` for others. */
  const foreignOrigin = (request: Request) => {
    const origin = request.headers.get("Origin");
    return origin === null || origin === new URL(request.url).origin ? undefined : origin;
  };
  const allowed = (origin: string) => options !== undefined && (options.origins === "*" || options.origins.includes(origin));
  const headers = (request: Request): Record<string, string> => {
    const origin = foreignOrigin(request);
    if (origin === undefined || !allowed(origin)) return {};
    return {
      "Access-Control-Allow-Origin": options?.origins === "*" ? "*" : origin,
      ...(options?.credentials ? { "Access-Control-Allow-Credentials": "true" } : {}),
      Vary: "Origin",
    };
  };
  const check = (request: Request) => {
    const origin = foreignOrigin(request);
    if (origin === undefined || allowed(origin)) return undefined;
    return new ActorError(
      "auth/forbidden",
      `Requests from ${origin.slice(0, 200)} are refused: list the origin in createHandler(registry, { cors: { origins } }).`,
    );
  };
  return {
    check,
    headers,
    preflight(request) {
      const refused = check(request);
      if (refused) return Response.json({ ok: false, error: refused.toJSON() }, { status: 403 });
      const cors = headers(request);
      if (!cors["Access-Control-Allow-Origin"]) return new Response(null, { status: 204 });
      return new Response(null, {
        status: 204,
        headers: { ...cors, "Access-Control-Allow-Methods": ALLOWED_METHODS, "Access-Control-Allow-Headers": allowedHeaders, "Access-Control-Max-Age": "86400" },
      });
    },
  };
}
