// The object's side of a request for the actor's `onRequest`, forwarded by the Worker's
// request route: the target and the caller's params come in its headers.
import { headOf, paramsFromHeader, withoutInternalHeaders } from "../../auth/public-call.ts";
import { ActorError, toActorError } from "../../errors.ts";
import type { CallPort } from "../../host/ports.ts";
import { httpStatus } from "../../protocol/http-status.ts";
import { actorTarget } from "../../protocol/requests.ts";
import { PARAMS_HEADER, TARGET_HEADER, TRUSTED_HEADER } from "../../protocol/wire.ts";

/**
 * Serve a forwarded request with the actor's `onRequest`; a failure is a JSON error. A
 * request from the in-Worker client is trusted (no `onBeforeConnect`); one the Worker
 * forwarded from outside is not (the Worker removes the trusted header from those).
 */
export async function serveRequest(host: CallPort, request: Request): Promise<Response> {
  try {
    const parsed = actorTarget.safeParse(JSON.parse(request.headers.get(TARGET_HEADER) ?? "null"));
    if (!parsed.success) throw new ActorError("request/invalid", "The request does not name an actor.");
    const call =
      request.headers.get(TRUSTED_HEADER) === "1" ? undefined : { params: paramsFromHeader(request.headers.get(PARAMS_HEADER)), request: headOf(request) };
    return await host.serve(parsed.data, new Request(request, { headers: withoutInternalHeaders(request.headers) }), call);
  } catch (error) {
    const shown = toActorError(error, { during: "onRequest" }, { reveal: host.revealInternalErrors });
    return Response.json({ ok: false, error: shown.toJSON() }, { status: httpStatus(shown) });
  }
}
