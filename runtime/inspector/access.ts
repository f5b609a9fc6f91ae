import { ActorError } from "../errors.ts";

/** The subprotocol an inspector socket is opened with (echoed by the object). */
export const INSPECTOR_PROTOCOL = "actorstate.inspector";
/** Prefix of the subprotocol that carries the token: browsers cannot set headers on sockets. */
const TOKEN_PROTOCOL = "actorstate.inspector.token.";
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

function sameSecret(a: string, b: string): boolean {
  // Constant time in the length of the expected token, so timing says nothing about it.
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) difference |= (a.charCodeAt(i) || 0) ^ b.charCodeAt(i);
  return difference === 0;
}

function offeredToken(request: Request): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.get("Authorization") ?? "")?.[1];
  if (bearer) return bearer.trim();
  const protocols = (request.headers.get("Sec-WebSocket-Protocol") ?? "").split(",").map((p) => p.trim());
  return protocols.find((p) => p.startsWith(TOKEN_PROTOCOL))?.slice(TOKEN_PROTOCOL.length);
}

/**
 * May this request use the inspector's data? On loopback (`wrangler dev`) it is open.
 * Anywhere else it is off unless a token is configured, and then the request must carry it,
 * as `Authorization: Bearer <token>` or, for sockets, the subprotocol
 * `actorstate.inspector.token.<token>` — never in the URL, so it stays out of request logs.
 */
export function authorizeInspector(request: Request, configuredToken: string | undefined): ActorError | undefined {
  if (LOOPBACK.has(new URL(request.url).hostname)) return undefined;
  if (!configuredToken) {
    return new ActorError("auth/forbidden", "The inspector is off here: set the ACTORSTATE_INSPECTOR_TOKEN secret to turn it on.");
  }
  const token = offeredToken(request);
  if (!token || !sameSecret(token, configuredToken)) {
    return new ActorError("auth/forbidden", "The inspector needs its token (Authorization: Bearer …).");
  }
  return undefined;
}
