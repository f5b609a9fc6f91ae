// The routes the Worker's handler serves to callers from outside: `POST /v1/call`, the
// WebSocket upgrade of a connection and the requests an actor's `onRequest` serves. Each
// passes the origin check (CORS) and `authorize` before it reaches an actor, where
// `onBeforeConnect` decides.
import type { Registry } from "./actor-types.ts";
import { authorizeCall, type Authorize, type AuthorizeTarget } from "./auth/authorize.ts";
import type { CorsPolicy } from "./auth/cors.ts";
import { checkParams, headOf, paramsFromHeader } from "./auth/public-call.ts";
import { ActorError, describeIssues, quoteInput, summarizeIssues, toActorError } from "./errors.ts";
import { normalizeKey } from "./identity.ts";
import { authorizeInspector, type InspectorAccess } from "./inspector/access.ts";
import { optedInLocally } from "./local-opt-in.ts";
import type { ActorNamespace } from "./platform.ts";
import { readLimitedBody } from "./protocol/body.ts";
import { CONTENT_TYPES, decodeIdSegment, decodeKeySegment, decodeMessage, decodePathSegment, encodeMessage, type Encoding } from "./protocol/encoding.ts";
import { httpStatus } from "./protocol/http-status.ts";
import { connectionTargetOf, dispatchWire, routeTarget } from "./protocol/route.ts";
import { wireRequest } from "./protocol/schemas.ts";
import { LIMITS, PARAMS_HEADER, PROTOCOL_VERSION, ROUTE_HEADER, TARGET_HEADER, type WireRequest, type WireTarget } from "./protocol/wire.ts";
import type { ActorResult } from "./requests.ts";

const CALL_PATH = `/v${PROTOCOL_VERSION}/call`;
/** `/v1/actors/{name}/key|id/{segment}/connect`, and `…/request` with anything after it. */
const ACTOR_PATH = new RegExp(`^/v${PROTOCOL_VERSION}/actors/([^/]+)/(key|id)/([^/]+)/(connect$|request(?=/|$))(.*)$`);

/** What the public routes need from `createHandler`. */
export interface PublicRoutesConfig {
  registry: Registry;
  namespaceIn: (env: Record<string, unknown>) => ActorNamespace;
  inspectorAccess: (env: Record<string, unknown>) => InspectorAccess;
  cors: CorsPolicy;
  authorize: Authorize | undefined;
}

function encodingOf(contentType: string | null): Encoding | undefined {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  return type === CONTENT_TYPES.cbor ? "cbor" : type === CONTENT_TYPES.json || type === "" ? "json" : undefined;
}

/** What `authorize` is told about a `POST /v1/call`. */
function callTarget(wire: WireRequest): AuthorizeTarget {
  if (wire.op === "list") return { op: "list", name: wire.actor.name, key: undefined, id: undefined, creates: false, params: undefined };
  const actor: WireTarget = wire.actor;
  return {
    op: wire.op,
    ...where(actor),
    ...(wire.op === "action" ? { action: wire.action } : {}),
    creates: wire.op === "create" || ("create" in actor && actor.create !== undefined),
    params: wire.params,
  };
}

/** The actor a connect or request path names. */
function pathTarget(rawName: string, kind: string, segment: string, create: boolean): WireTarget {
  const name = decodePathSegment(rawName);
  if (kind === "id") return { name, id: decodeIdSegment(decodePathSegment(segment)) };
  let key: string[];
  try {
    key = decodeKeySegment(segment);
  } catch {
    throw new ActorError("actor/invalid_key", "The key in the path is not base64url JSON of a string array.");
  }
  return { name, key, ...(create ? { create: {} } : {}) };
}

/** `request` with actorstate's headers replaced by `set`: what the Worker forwards to an object. */
function forward(request: Request, url: string, set: Record<string, string>, keep: string[] = []): Request {
  const forwarded = new Request(url, request);
  for (const name of [...forwarded.headers.keys()]) if (name.startsWith("x-actorstate-") && !keep.includes(name)) forwarded.headers.delete(name);
  for (const [name, value] of Object.entries(set)) forwarded.headers.set(name, value);
  return forwarded;
}

/**
 * The public routes of a handler: answers the requests that are theirs, `undefined` for
 * any other path.
 */
export function publicRoutes(config: PublicRoutesConfig) {
  const { cors } = config;

  const errorResponse = (request: Request, error: unknown, during: string, env: Record<string, unknown>) => {
    const shown = toActorError(error, { during }, { reveal: optedInLocally(env) });
    return Response.json({ ok: false, error: shown.toJSON() }, { status: httpStatus(shown), headers: cors.headers(request) });
  };

  const reply = (request: Request, encoding: Encoding, result: ActorResult, status: number) =>
    new Response(encodeMessage(encoding, result), {
      status,
      headers: { "Content-Type": CONTENT_TYPES[encoding], ...cors.headers(request) },
    });

  /** `POST /v1/call`: one handle operation, in the request's encoding. */
  async function call(request: Request, env: Record<string, unknown>): Promise<Response> {
    const encoding = encodingOf(request.headers.get("Content-Type"));
    if (!encoding) {
      const error = new ActorError("request/invalid", `Send ${CONTENT_TYPES.json} or ${CONTENT_TYPES.cbor}.`);
      return reply(request, "json", { ok: false, error: error.toJSON() }, 415);
    }
    const reveal = optedInLocally(env);
    try {
      const body = await readLimitedBody(request, LIMITS.requestBytes);
      let decoded: unknown;
      try {
        decoded = decodeMessage(encoding, body);
      } catch (error) {
        throw new ActorError("request/invalid", (error as Error).message);
      }
      const parsed = wireRequest.safeParse(decoded);
      if (!parsed.success) {
        const issues = describeIssues(parsed.error.issues, decoded);
        throw new ActorError("request/invalid", `The request does not match the protocol: ${summarizeIssues(issues, "request")}.`, {
          metadata: { issues },
        });
      }
      const wire = parsed.data;
      if (wire.op !== "list") checkParams(wire.params);
      await authorizeCall(config.authorize, request, callTarget(wire), env);
      // Every other operation is checked by the actor's object; a list goes to the directory,
      // which shows every key and id, so over HTTP it is guarded like the inspector.
      if (wire.op === "list") {
        const refused = authorizeInspector(request, config.inspectorAccess(env), "to list actors over HTTP");
        if (refused) throw refused;
        if (!Object.hasOwn(config.registry.actors, wire.actor.name)) {
          throw new ActorError("actor/unknown_name", `No actor type named ${quoteInput(wire.actor.name)} is registered.`);
        }
      }
      const result = await dispatchWire(config.namespaceIn(env), wire, headOf(request));
      return reply(request, encoding, result, result.ok ? 200 : httpStatus(ActorError.fromShape(result.error)));
    } catch (error) {
      const shown = toActorError(error, { during: "HTTP call" }, { reveal });
      return reply(request, encoding, { ok: false, error: shown.toJSON() }, httpStatus(shown));
    }
  }

  /** `GET …/connect`: forward the upgrade to the actor's object, which asks `onBeforeConnect` once the client says hello. */
  async function connect(request: Request, env: Record<string, unknown>, match: RegExpExecArray): Promise<Response> {
    const [, rawName = "", kind = "", segment = ""] = match;
    const creates = new URL(request.url).searchParams.get("create") === "1";
    const wire = pathTarget(rawName, kind, segment, creates);
    await authorizeCall(config.authorize, request, { op: "connect", ...where(wire), creates, params: undefined }, env);
    const route = routeTarget(config.namespaceIn(env), wire);
    // Only the inspector's own route may open an inspector socket (after its access check),
    // and only the in-Worker client a trusted one: every x-actorstate-* header goes.
    return route.stub.fetch(forward(request, request.url, { [TARGET_HEADER]: JSON.stringify(connectionTargetOf(route.target)), [ROUTE_HEADER]: "connect" }));
  }

  /** `…/request/*`: the actor's `onRequest`, with the path after `/request` as the request's path. */
  async function serve(request: Request, env: Record<string, unknown>, match: RegExpExecArray): Promise<Response> {
    const [, rawName = "", kind = "", segment = "", , rest = ""] = match;
    const wire = pathTarget(rawName, kind, segment, false);
    const params = paramsFromHeader(request.headers.get(PARAMS_HEADER));
    await authorizeCall(config.authorize, request, { op: "request", ...where(wire), creates: false, params }, env);
    const route = routeTarget(config.namespaceIn(env), wire);
    const url = new URL(request.url);
    // The body goes through a pipe of our own: when onRequest leaves it unread, the runtime
    // would report reading the caller's stream after the response as an uncaught error
    // ("Can't read from request stream after response has been sent"); our pipe's is handled.
    const body = request.body ? { body: request.body.pipeThrough(new TransformStream()) } : {};
    const forwarded = forward(
      new Request(request, body),
      `${url.origin}${rest || "/"}${url.search}`,
      { [TARGET_HEADER]: JSON.stringify(route.target), [ROUTE_HEADER]: "request" },
      [PARAMS_HEADER],
    );
    const response = await route.stub.fetch(forwarded);
    const headers = cors.headers(request);
    if (!Object.keys(headers).length || (response as Response & { webSocket?: unknown }).webSocket) return response;
    const withCors = new Response(response.body, response);
    for (const [name, value] of Object.entries(headers)) withCors.headers.set(name, value);
    return withCors;
  }

  return async (request: Request, env: Record<string, unknown>): Promise<Response | undefined> => {
    const url = new URL(request.url);
    const match = url.pathname === CALL_PATH ? undefined : ACTOR_PATH.exec(url.pathname);
    if (url.pathname !== CALL_PATH && !match) return undefined;
    if (request.method === "OPTIONS") return cors.preflight(request);
    const refused = cors.check(request);
    if (refused) return errorResponse(request, refused, "origin check", env);
    try {
      if (!match) return request.method === "POST" ? await call(request, env) : undefined;
      if (match[4] === "connect") return request.method === "GET" ? await connect(request, env, match) : undefined;
      return await serve(request, env, match);
    } catch (error) {
      return errorResponse(request, error, match?.[4] ?? "call", env);
    }
  };
}

/** Which actor a target names, as `authorize` is told: its type, and its key or its id. */
function where(target: WireTarget): Pick<AuthorizeTarget, "name" | "key" | "id"> {
  return { name: target.name, ...("id" in target ? { key: undefined, id: target.id } : { key: normalizeKey(target.key), id: undefined }) };
}
