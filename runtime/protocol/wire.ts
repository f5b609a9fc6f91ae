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

/** Request bodies, WebSocket frames and connection params past these sizes are `request/too_large`. */
export const LIMITS = {
  requestBytes: 1024 * 1024,
  frameBytes: 1024 * 1024,
  paramsBytes: 4096,
} as const;

export type { ClientFrame, WireRequest, WireTarget } from "./schemas.ts";

/** Frames the actor sends over a connection. */
export type ServerFrame =
  | { t: "welcome"; actorId: string; connectionId: string }
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
