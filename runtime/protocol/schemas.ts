// The shapes of what clients send, checked where it arrives (the Worker and the actor
// object). Clients import only the types, so they never bundle zod.
import * as z from "zod/mini";

/**
 * A key as it arrives: any array. Its parts are checked by `normalizeKey` where the request
 * is routed, so a part that is not a string is `actor/invalid_key`, as documented, rather
 * than a schema mismatch.
 */
const wireKey = z.array(z.unknown());

/** Which actor a wire request is for: a key (optionally creating it) or an actor id. */
export const wireTarget = z.union([
  z.object({ name: z.string(), key: wireKey, create: z.optional(z.object({ input: z.optional(z.unknown()) })) }),
  z.object({ name: z.string(), id: z.string() }),
]);

/** The caller's params, for `onBeforeConnect`: ignored on calls from inside the Worker. */
const params = z.optional(z.unknown());

/** One handle operation, as `POST /v1/call` carries it and as the in-Worker client sends it. */
export const wireRequest = z.discriminatedUnion("op", [
  z.object({ op: z.literal("action"), actor: wireTarget, action: z.string(), args: z.array(z.unknown()), params }),
  z.object({
    op: z.literal("create"),
    actor: z.object({ name: z.string(), key: wireKey }),
    mode: z.enum(["create", "getOrCreate"]),
    input: z.optional(z.unknown()),
    params,
  }),
  z.object({ op: z.literal("resolve"), actor: wireTarget, params }),
  z.object({ op: z.literal("destroy"), actor: wireTarget, params }),
  z.object({ op: z.literal("inspect"), actor: wireTarget, params }),
  z.object({
    op: z.literal("list"),
    actor: z.object({ name: z.string() }),
    lifecycle: z.optional(z.enum(["running", "destroying", "destroyed"])),
    cursor: z.optional(z.string()),
    limit: z.optional(z.int()),
  }),
]);

export type WireTarget = z.infer<typeof wireTarget>;
export type WireRequest = z.infer<typeof wireRequest>;

/** Frames a client sends over a connection. */
export const clientFrame = z.discriminatedUnion("t", [
  z.object({
    t: z.literal("hello"),
    params: z.optional(z.unknown()),
    create: z.optional(z.object({ input: z.optional(z.unknown()) })),
    // The events the client already listens for: subscribed before onConnect runs, so what
    // onConnect sends the connection reaches it.
    subscribe: z.optional(z.array(z.string())),
    // The connection this client had, to take it back after a dropped socket.
    resume: z.optional(z.object({ id: z.string(), token: z.string() })),
  }),
  z.object({ t: z.literal("action"), id: z.int(), name: z.string(), args: z.array(z.unknown()) }),
  z.object({ t: z.literal("subscribe"), event: z.string() }),
  z.object({ t: z.literal("unsubscribe"), event: z.string() }),
]);

export type ClientFrame = z.infer<typeof clientFrame>;

