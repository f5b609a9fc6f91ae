import * as z from "zod/mini";

/** The protocol version in every path and subprotocol. */
export const PROTOCOL_VERSION = 1;

/** Request bodies, WebSocket frames and connection params past these sizes are `request/too_large`. */
export const LIMITS = {
  requestBytes: 1024 * 1024,
  frameBytes: 1024 * 1024,
  paramsBytes: 4096,
} as const;

/** Which actor a wire request is for: a key (optionally creating it) or an actor id. */
export const wireTarget = z.union([
  z.object({ name: z.string(), key: z.array(z.string()), create: z.optional(z.object({ input: z.optional(z.unknown()) })) }),
  z.object({ name: z.string(), id: z.string() }),
]);

/** One handle operation, as `POST /v1/call` carries it and as the in-Worker client sends it. */
export const wireRequest = z.discriminatedUnion("op", [
  z.object({ op: z.literal("action"), actor: wireTarget, action: z.string(), args: z.array(z.unknown()) }),
  z.object({
    op: z.literal("create"),
    actor: z.object({ name: z.string(), key: z.array(z.string()) }),
    mode: z.enum(["create", "getOrCreate"]),
    input: z.optional(z.unknown()),
  }),
  z.object({ op: z.literal("resolve"), actor: wireTarget }),
  z.object({ op: z.literal("destroy"), actor: wireTarget }),
  z.object({ op: z.literal("inspect"), actor: wireTarget }),
]);

export type WireTarget = z.infer<typeof wireTarget>;
export type WireRequest = z.infer<typeof wireRequest>;

/** Frames a client sends over a connection. */
export const clientFrame = z.discriminatedUnion("t", [
  z.object({ t: z.literal("hello"), params: z.optional(z.unknown()), create: z.optional(z.object({ input: z.optional(z.unknown()) })) }),
  z.object({ t: z.literal("action"), id: z.int(), name: z.string(), args: z.array(z.unknown()) }),
  z.object({ t: z.literal("subscribe"), event: z.string() }),
  z.object({ t: z.literal("unsubscribe"), event: z.string() }),
]);

export type ClientFrame = z.infer<typeof clientFrame>;

/** Frames the actor sends over a connection. */
export type ServerFrame =
  | { t: "welcome"; actorId: string; connectionId: string }
  | { t: "result"; id: number; ok: true; value: unknown }
  | { t: "result"; id: number; ok: false; error: { group: string; code: string; message: string; metadata?: unknown } }
  | { t: "event"; name: string; args: unknown[] }
  | { t: "error"; error: { group: string; code: string; message: string; metadata?: unknown } };

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
