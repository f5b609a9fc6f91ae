import { ActorError } from "../errors.ts";
import { LOCAL_OPT_IN_VAR, optedInLocally } from "../local-opt-in.ts";

/** The inspector lives under this path of the Worker. */
export const INSPECTOR_PATH = "/__actorstate";
/** The subprotocol an inspector socket is opened with (echoed by the object). */
export const INSPECTOR_PROTOCOL = "actorstate.inspector";
/** Prefix of the subprotocol that carries the token: browsers cannot set headers on sockets. */
const TOKEN_PROTOCOL = "actorstate.inspector.token.";

/**
 * Who may read the inspector's data (and list actors over HTTP), from the Worker's env.
 * Never from the request: its Host header says whatever the client wants (`localhost`,
 * `127.1`, `0x7f.1`, `[::1]` all parse as loopback).
 */
export interface InspectorAccess {
  /** The configured token; when set, every request must carry it. */
  token: string | undefined;
  /** The variable the token is read from, named in refusals so the developer knows where to look. */
  tokenVar: string;
  /** `ACTORSTATE_INSPECTOR=open`: the developer opted in, through `.dev.vars` or `wrangler dev --var`. */
  openLocally: boolean;
}

/** The access a Worker's env grants, given the name of its token variable. */
export function inspectorAccess(env: Record<string, unknown>, tokenVar: string): InspectorAccess {
  const token = env[tokenVar];
  return { token: typeof token === "string" && token !== "" ? token : undefined, tokenVar, openLocally: optedInLocally(env) };
}

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
 * May this request read the inspector's data (or the actor directory over HTTP)? When a
 * token is configured the request must carry it — as `Authorization: Bearer <token>` or,
 * for sockets, the subprotocol `actorstate.inspector.token.<token>`, never in the URL, so it
 * stays out of request logs — even if the local opt-in is set too. Without a token it is
 * open only under the local opt-in (`ACTORSTATE_INSPECTOR=open`), and otherwise off. A
 * refusal's `metadata.token` says which: `missing`, `refused` (a wrong token) or `unset`
 * (none configured), so the page can say what to do.
 *
 * @param purpose what the caller wanted, for the error message ("to use the inspector").
 */
export function authorizeInspector(request: Request, access: InspectorAccess, purpose = "to use the inspector"): ActorError | undefined {
  if (access.token) {
    const token = offeredToken(request);
    if (token && sameSecret(token, access.token)) return undefined;
    // Missing and wrong are told apart: a developer with a stale token must not think none was sent.
    return token
      ? new ActorError("auth/forbidden", `The inspector token was refused: it is not the Worker's ${access.tokenVar}. Send that secret's value (Authorization: Bearer …) ${purpose}.`, {
          metadata: { token: "refused" },
        })
      : new ActorError("auth/forbidden", `This inspector needs its token (the Worker's ${access.tokenVar}): send it as Authorization: Bearer … ${purpose}.`, {
          metadata: { token: "missing" },
        });
  }
  if (access.openLocally) return undefined;
  return new ActorError(
    "auth/forbidden",
    `Set the inspector token secret ${access.tokenVar} (or, for local development only, ${LOCAL_OPT_IN_VAR}=open in .dev.vars) ${purpose}.`,
    { metadata: { token: "unset" } },
  );
}
