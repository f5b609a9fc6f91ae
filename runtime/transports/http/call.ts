// `POST /v1/call`: one handle operation, in the request's encoding (JSON or CBOR).
import type { Registry } from "../../actor-types.ts";
import type { AuthorizeTarget } from "../../auth/authorize.ts";
import { checkParams, headOf } from "../../auth/public-call.ts";
import { ActorError, describeIssues, quoteInput, summarizeIssues } from "../../errors.ts";
import { authorizeInspector, type InspectorAccess } from "../../auth/inspector-access.ts";
import type { ActorNamespace } from "../../platform.ts";
import { readLimitedBody } from "../../protocol/body.ts";
import { CONTENT_TYPES, decodeMessage, encodeMessage, type Encoding } from "../../protocol/encoding.ts";
import { httpStatus } from "../../protocol/http-status.ts";
import type { ActorResult } from "../../protocol/requests.ts";
import { wireRequest } from "../../protocol/schemas.ts";
import { LIMITS, PROTOCOL_VERSION, type WireRequest, type WireTarget } from "../../protocol/wire.ts";
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

function reply(encoding: Encoding, result: ActorResult, status: number): Response {
  return new Response(encodeMessage(encoding, result), { status, headers: { "Content-Type": CONTENT_TYPES[encoding] } });
}

/** The body, decoded and checked against the protocol. */
async function readWire(request: Request, encoding: Encoding): Promise<WireRequest> {
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
  return parsed.data;
}

/** The route of `POST /v1/call`. */
export function callRoute(config: CallRouteConfig): Route {
  return (request, url, env) => {
    if (url.pathname !== CALL_PATH || request.method !== "POST") return undefined;
    const encoding = encodingOf(request.headers.get("Content-Type"));
    let wire: WireRequest | undefined;
    return {
      name: "HTTP call",
      fail: (error) => reply(encoding ?? "json", { ok: false, error: error.toJSON() }, encoding ? httpStatus(error) : 415),
      async target() {
        if (!encoding) throw new ActorError("request/invalid", `Send ${CONTENT_TYPES.json} or ${CONTENT_TYPES.cbor}.`);
        wire = await readWire(request, encoding);
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
        const result = await dispatchWire(config.namespaceIn(env), wire, headOf(request));
        return reply(encoding, result, result.ok ? 200 : httpStatus(ActorError.fromShape(result.error)));
      },
    };
  };
}
