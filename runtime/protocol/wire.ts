import type { ActorErrorShape } from "../errors.ts";

/** The protocol version in every path and subprotocol. */
export const PROTOCOL_VERSION = 1;

/** How the Worker (or the in-Worker client) tells the object which actor an upgrade is for. */
export const TARGET_HEADER = "x-actorstate-target";

/** Set by the Worker on an upgrade that the inspector (already authorised) opens. */
export const INSPECTOR_HEADER = "x-actorstate-inspector";

/** The subprotocol for a version and encoding, e.g. `actorstate.v1.cbor`. */
export function subprotocol(encoding: "json" | "cbor"): string {
  return `actorstate.v${PROTOCOL_VERSION}.${encoding}`;
}

/**
 * Params and a caller's request head (URL and headers) past these sizes are
 * `request/too_large`. (Bodies and frames: each actor type's `maxIncomingMessageSize`.)
 */
export const LIMITS = {
  paramsBytes: 4096,
  requestHeadBytes: 8192,
} as const;

/**
 * Set by the in-Worker client on the WebSocket upgrades it sends straight to an object:
 * such connections are trusted and skip `onBeforeConnect`. The Worker's handler removes it
 * from every request it forwards, so no caller from outside can claim it.
 */
export const TRUSTED_HEADER = "x-actorstate-trusted";

/** The close reason of a connection its client disposed: it ends at once, never waiting for a reconnect. */
export const DISPOSED = "disposed";

/** Set by the Worker's handler on what it forwards: `connect` (an upgrade) or `request` (for `onRequest`). */
export const ROUTE_HEADER = "x-actorstate-route";

/** How a caller sends params with a request to `onRequest`: base64url of their JSON. */
export const PARAMS_HEADER = "x-actorstate-params";

/**
 * Raw WebSockets (`handle.webSocket`): the subprotocol a client offers beside its own, and
 * the prefixes of those that carry its params and a getOrCreate handle's create input
 * (base64url of JSON), since browsers cannot set headers on a WebSocket.
 */
export const RAW_PROTOCOL = "actorstate.raw";
export const PARAMS_PROTOCOL_PREFIX = "actorstate.params.";
export const CREATE_PROTOCOL_PREFIX = "actorstate.create.";

/**
 * How a `getOrCreate` handle's `fetch` says to create the actor if it is not there:
 * base64url of the JSON of `{ input }`.
 */
export const CREATE_HEADER = "x-actorstate-create";

export type { ClientFrame, WireRequest, WireTarget } from "./schemas.ts";

/** A handle's `fetch` path as `onRequest` sees it: always from the root, its query kept. */
export function requestPath(path: string): string {
  return path.startsWith("/") ? path : `/${path}`;
}

/** Frames the actor sends over a connection. */
export type ServerFrame =
  | { t: "welcome"; actorId: string; connectionId: string; resume?: string }
  | { t: "result"; id: number; ok: true; value: unknown }
  | { t: "result"; id: number; ok: false; error: ActorErrorShape }
  | { t: "event"; name: string; args: unknown[] }
  | { t: "error"; error: ActorErrorShape };

/**
 * Close codes an actor uses. 4000–4999 are the application range; a client stops
 * reconnecting after `destroyed`, `refused` and `protocol`.
 */
export const CLOSE = {
  /** The actor was destroyed; its connections end for good. */
  destroyed: 4001,
  /** `onBeforeConnect` refused the connection (`auth/forbidden`). */
  refused: 4003,
  /** The actor does not exist or could not be reached (`actor/not_found`, …). */
  unavailable: 4004,
  /** The client broke the protocol (bad frame, wrong version, oversized frame). */
  protocol: 4400,
} as const;

/** A request without its body: what `onBeforeConnect` sees of it. */
export interface RequestHead {
  url: string;
  method: string;
  headers: Array<[string, string]>;
}

/**
 * A call from outside the Worker, which `onBeforeConnect` must approve. Calls from inside
 * (the `{ binding }` client, `c.client()`) carry none: they are trusted.
 */
export interface PublicCall {
  params: unknown;
  request: RequestHead;
}

/** Where a connection was opened to: a key (optionally creating) or one generation. */
export type ConnectionTarget = { name: string; key: string[]; create: boolean } | { name: string; generation: number };
