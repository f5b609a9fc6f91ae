// `POST /v1/call`: one handle operation, in the request's encoding (JSON or CBOR).
import type { Registry } from "../../types/actor.ts";
import type { AuthorizeTarget } from "../../auth/authorize.ts";
import { checkParams, headOf } from "../../auth/public-call.ts";
import { ActorError, describeIssues, quoteInput, summarizeIssues } from "../../errors.ts";
import { authorizeInspector, type InspectorAccess } from "../../auth/inspector-access.ts";
import type { ActorNamespace } from "../../platform.ts";
import { readLimitedBody } from "../../protocol/body.ts";
import { CONTENT_TYPES, decodeMessage, encodeMessage, exceeds, outgoingTooLarge, type Encoding } from "../../protocol/encoding.ts";
import { httpStatus } from "../../protocol/http-status.ts";
import type { ActorResult } from "../../protocol/requests.ts";
import { wireRequest } from "../../protocol/schemas.ts";
import { PROTOCOL_VERSION, type WireRequest, type WireTarget } from "../../protocol/wire.ts";
import { dispatchWire } from "../../protocol/route.ts";
import type { Route } from "./chain.ts";
import { where } from "./paths.ts";

const CALL_PATH = `/v${PROTOCOL_VERSION}/call`;

/** What the call route needs from `createHandler`. */
export interface CallRouteConfig {
  registry: Registry;
  namespaceIn: (env: Record<string, unknown>) => ActorNamespace;
  inspectorAccess: (env: Record<string, unknown>) => InspectorAccess;
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

function reply(encoding: Encoding, result: ActorResult, status: number, message = encodeMessage(encoding, result)): Response {
  return new Response(message, { status, headers: { "Content-Type": CONTENT_TYPES[encoding] } });
}

/**
 * The body, decoded and checked against the protocol and against the actor type's
 * `maxIncomingMessageSize`; read up to the largest any type allows.
 */
async function readWire(request: Request, encoding: Encoding, registry: Registry, cap: number): Promise<WireRequest> {
  const body = await readLimitedBody(request, cap);
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
  const limit = limitsOf(registry, parsed.data.actor.name)?.maxIncomingMessageSize;
  if (limit !== undefined && body.byteLength > limit) throw new ActorError("request/too_large", `Calls to this actor are limited to ${limit} bytes.`);
  return parsed.data;
}

/** An actor type's options, if the registry has it (an unknown name is answered by the object). */
function limitsOf(registry: Registry, name: string) {
  return Object.hasOwn(registry.actors, name) ? registry.actors[name]?.options : undefined;
}

/** The reply, unless it is past the actor type's `maxOutgoingMessageSize`: then that error instead. */
function replyWithin(registry: Registry, wire: WireRequest, encoding: Encoding, result: ActorResult): Response {
  if (result.ok) {
    const message = encodeMessage(encoding, result);
    const limit = limitsOf(registry, wire.actor.name)?.maxOutgoingMessageSize;
    if (limit === undefined || wire.op === "list" || !exceeds(message, limit)) return reply(encoding, result, 200, message);
    const error = outgoingTooLarge("The reply", limit);
    return reply(encoding, { ok: false, error: error.toJSON() }, httpStatus(error));
  }
  return reply(encoding, result, httpStatus(ActorError.fromShape(result.error)));
}

/** The route of `POST /v1/call`. */
export function callRoute(config: CallRouteConfig): Route {
  const cap = Math.max(...Object.values(config.registry.actors).map((definition) => definition.options.maxIncomingMessageSize));
  return (request, url, env) => {
    if (url.pathname !== CALL_PATH || request.method !== "POST") return undefined;
    const encoding = encodingOf(request.headers.get("Content-Type"));
    let wire: WireRequest | undefined;
    return {
      name: "HTTP call",
      fail: (error) => reply(encoding ?? "json", { ok: false, error: error.toJSON() }, encoding ? httpStatus(error) : 415),
      async target() {
        if (!encoding) throw new ActorError("request/invalid", `Send ${CONTENT_TYPES.json} or ${CONTENT_TYPES.cbor}.`);
        wire = await readWire(request, encoding, config.registry, cap);
        if (wire.op !== "list") checkParams(wire.params);
        return callTarget(wire);
      },
      async handle() {
        if (!wire || !encoding) throw new Error("The call was handled before it was read.");
        // Every other operation is checked by the actor's object; a list goes to the directory,
        // which shows every key and id, so over HTTP it is guarded like the inspector.
        if (wire.op === "list") {
          const refused = authorizeInspector(request, config.inspectorAccess(env), "to list actors over HTTP");
          if (refused) throw refused;
          if (!Object.hasOwn(config.registry.actors, wire.actor.name)) {
            throw new ActorError("actor/unknown_name", `No actor type named ${quoteInput(wire.actor.name)} is registered.`);
          }
        }
        return replyWithin(config.registry, wire, encoding, await dispatchWire(config.namespaceIn(env), wire, headOf(request)));
      },
    };
  };
}
