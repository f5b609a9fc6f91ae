// The paths of one actor — `/v1/actors/{name}/key|id/{segment}/{route}` — and what the
// Worker forwards to its object.
import type { AuthorizeTarget } from "../../auth/authorize.ts";
import { ActorError } from "../../errors.ts";
import { normalizeKey } from "../../identity.ts";
import { decodeIdSegment, decodeKeySegment, decodePathSegment } from "../../protocol/encoding.ts";
import { PROTOCOL_VERSION, type WireTarget } from "../../protocol/wire.ts";

/** `…/connect`, and `…/request` and `…/websocket` with anything after them. */
const ACTOR_PATH = new RegExp(`^/v${PROTOCOL_VERSION}/actors/([^/]+)/(key|id)/([^/]+)/(connect$|request(?=/|$)|websocket(?=/|$))(.*)$`);

/** One actor's path, taken apart. */
export interface ActorPath {
  route: "connect" | "request" | "websocket";
  rawName: string;
  kind: "key" | "id";
  segment: string;
  /** What follows the route's name: the path `onRequest` sees. */
  rest: string;
}

/** The parts of an actor's path; `undefined` for any other path. */
export function actorPath(pathname: string): ActorPath | undefined {
  const match = ACTOR_PATH.exec(pathname);
  if (!match) return undefined;
  const [, rawName = "", kind = "", segment = "", route = "", rest = ""] = match;
  return { route: route as ActorPath["route"], rawName, kind: kind as ActorPath["kind"], segment, rest };
}

/** The actor a path names; a key path with `create` set creates it (with `create.input`) if it is not there. */
export function pathTarget(path: ActorPath, create: { input?: unknown } | undefined): WireTarget {
  const name = decodePathSegment(path.rawName);
  if (path.kind === "id") return { name, id: decodeIdSegment(decodePathSegment(path.segment)) };
  let key: string[];
  try {
    key = decodeKeySegment(path.segment);
  } catch {
    throw new ActorError("actor/invalid_key", "The key in the path is not base64url JSON of a string array.");
  }
  return { name, key, ...(create ? { create } : {}) };
}

/** `request` with actorstate's headers replaced by `set`: what the Worker forwards to an object. */
export function forward(request: Request, url: string, set: Record<string, string>, keep: string[] = []): Request {
  const forwarded = new Request(url, request);
  for (const name of [...forwarded.headers.keys()]) if (name.startsWith("x-actorstate-") && !keep.includes(name)) forwarded.headers.delete(name);
  for (const [name, value] of Object.entries(set)) forwarded.headers.set(name, value);
  return forwarded;
}

/** Which actor a target names, as `authorize` is told: its type, and its key or its id. */
export function where(target: WireTarget): Pick<AuthorizeTarget, "name" | "key" | "id"> {
  return { name: target.name, ...("id" in target ? { key: undefined, id: target.id } : { key: normalizeKey(target.key), id: undefined }) };
}
