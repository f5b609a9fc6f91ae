import * as z from "zod/mini";
import { encodeValue } from "../codec.ts";
import { ActorError, toActorError, UserError } from "../errors.ts";
import { byteLength, decodeMessage } from "../protocol/encoding.ts";
import { httpStatus } from "../protocol/http-status.ts";
import { clientFrame } from "../protocol/schemas.ts";
import { CLOSE, INSPECTOR_HEADER, LIMITS, TARGET_HEADER, type ClientFrame } from "../protocol/wire.ts";
import type { ActorHost } from "./actor-host.ts";
import { createLogger } from "./logger.ts";
import { negotiate, type Attachment, type ConnectionRegistry, type ConnectionTarget } from "./connections.ts";

const connectionTarget = z.union([
  z.object({ name: z.string(), key: z.array(z.string()), create: z.boolean() }),
  z.object({ name: z.string(), generation: z.int().check(z.nonnegative()) }),
]);

/** How many events one connection may listen for; keeps attachments far below 16 KiB. */
const MAX_SUBSCRIPTIONS = 64;

/**
 * The WebSocket entry points of an actor object. A socket is accepted at once (with the
 * hibernation API) but nothing runs until the client's `hello`: then the actor is created
 * if asked, the lifecycle admits `CONNECT`, and `onBeforeConnect` and `onConnect` run as
 * in-flight work of that generation, so a destroy waits for them.
 */
export class ConnectionHandler {
  private readonly host: ActorHost;
  private readonly registry: ConnectionRegistry;
  private readonly log = createLogger({ component: "actorstate.connections" });

  constructor(host: ActorHost, registry: ConnectionRegistry) {
    this.host = host;
    this.registry = registry;
  }

  /** The upgrade request the Worker forwarded. */
  accept(request: Request): Response {
    if (request.headers.get(INSPECTOR_HEADER) === "1") return this.registry.acceptInspector();
    try {
      if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
        throw new ActorError("request/invalid", "Connect with a WebSocket upgrade.");
      }
      const parsed = connectionTarget.safeParse(JSON.parse(request.headers.get(TARGET_HEADER) ?? "null"));
      if (!parsed.success) throw new ActorError("request/invalid", "The connection does not name an actor.");
      const target: ConnectionTarget = parsed.data;
      this.host.definitionOf(target);
      const { encoding, protocol } = negotiate(request.headers.get("Sec-WebSocket-Protocol"));
      return this.registry.accept(target, encoding, protocol);
    } catch (error) {
      const shown = toActorError(error);
      return Response.json({ ok: false, error: shown.toJSON() }, { status: httpStatus(shown) });
    }
  }

  async message(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const attachment = this.registry.attachment(ws);
    if (attachment.inspector) return;
    if (byteLength(data) > LIMITS.frameBytes) {
      const error = new ActorError("request/too_large", `Frames are limited to ${LIMITS.frameBytes} bytes.`);
      this.registry.send(ws, { t: "error", error: error.toJSON() });
      return this.registry.close(ws, CLOSE.protocol, error.fullCode);
    }
    let frame: ClientFrame;
    try {
      frame = clientFrame.parse(decodeMessage(attachment.encoding, data));
    } catch {
      // The connection goes on: one bad frame does not end it.
      const error = new ActorError("request/invalid", "The frame does not match the connection protocol.");
      return this.registry.send(ws, { t: "error", error: error.toJSON() });
    }
    switch (frame.t) {
      case "hello":
        if (attachment.phase !== "hello") {
          return this.registry.send(ws, { t: "error", error: new ActorError("request/invalid", "Already connected.").toJSON() });
        }
        return this.handshake(ws, attachment, frame);
      case "action":
        return this.action(ws, frame);
      case "subscribe":
      case "unsubscribe": {
        const current = this.registry.attachment(ws).subscriptions.filter((event) => event !== frame.event);
        if (frame.t === "subscribe") current.push(frame.event);
        if (current.length > MAX_SUBSCRIPTIONS || frame.event.length > 128) {
          const error = new ActorError("request/too_large", `A connection listens for at most ${MAX_SUBSCRIPTIONS} events.`);
          return this.registry.send(ws, { t: "error", error: error.toJSON() });
        }
        this.registry.update(ws, { subscriptions: current });
        return;
      }
    }
  }

  /** A client closed (or lost) its connection: `onDisconnect`, if the actor still lives. */
  async close(ws: WebSocket): Promise<void> {
    const attachment = this.registry.attachment(ws);
    if (attachment.inspector) {
      this.registry.inspectorClosed();
      return this.registry.close(ws, 1000, "closed");
    }
    this.registry.update(ws, { phase: "closed" });
    this.registry.close(ws, 1000, "closed");
    if (attachment.phase !== "open" || attachment.generation === undefined) return;
    const { onDisconnect } = this.host.definitionOf({ name: attachment.target.name, generation: attachment.generation });
    if (!onDisconnect) return;
    const view = { ...this.registry.view(ws), id: attachment.id, params: attachment.params };
    await this.host.runHook(attachment.generation, (c) => onDisconnect(c, view)).catch((error: unknown) => {
      // A destroyed actor has no one to tell; anything else is worth a log line.
      const shown = toActorError(error, { during: "onDisconnect" });
      if (shown.group !== "actor") this.log.error("onDisconnect failed", { error: shown.toJSON() });
    });
  }

  private async handshake(ws: WebSocket, attachment: Attachment, hello: Extract<ClientFrame, { t: "hello" }>): Promise<void> {
    try {
      if (hello.params !== undefined && encodeValue(hello.params, "connection params").byteLength > LIMITS.paramsBytes) {
        throw new ActorError("request/too_large", `Connection params are limited to ${LIMITS.paramsBytes} bytes encoded.`);
      }
      const { target } = attachment;
      if ("key" in target && target.create) await this.host.bringToLife(target, "getOrCreate", hello.create?.input);
      await this.host.admit({ type: "CONNECT", ...("generation" in target ? { generation: target.generation } : {}) }, target);
      const generation = this.host.generation;
      this.registry.update(ws, { generation, params: hello.params });
      const view = this.registry.view(ws);
      await this.host.runHook(generation, async (c, instance) => {
        const { onBeforeConnect, onConnect } = instance.definition;
        if (onBeforeConnect) await Promise.resolve().then(() => onBeforeConnect(c, hello.params)).catch(refuse);
        this.registry.update(ws, { phase: "open" });
        await onConnect?.(c, view);
      });
      this.registry.send(ws, { t: "welcome", actorId: this.host.currentActorId(), connectionId: attachment.id });
    } catch (error) {
      const shown = toActorError(error, { during: "connect" });
      this.registry.send(ws, { t: "error", error: shown.toJSON() });
      const code = shown.is("auth/forbidden") ? CLOSE.refused : shown.group === "request" ? CLOSE.protocol : CLOSE.unavailable;
      this.registry.update(ws, { phase: "closed" });
      this.registry.close(ws, code, shown.fullCode);
    }
  }

  private async action(ws: WebSocket, frame: Extract<ClientFrame, { t: "action" }>): Promise<void> {
    const attachment = this.registry.attachment(ws);
    try {
      if (attachment.phase !== "open" || attachment.generation === undefined) {
        throw new ActorError("request/invalid", "Wait for the connection's welcome before calling actions.");
      }
      const value = await this.host.invokeAction({ name: attachment.target.name, generation: attachment.generation }, frame.name, frame.args, {
        conn: this.registry.view(ws),
      });
      this.registry.send(ws, { t: "result", id: frame.id, ok: true, value });
    } catch (error) {
      this.registry.send(ws, { t: "result", id: frame.id, ok: false, error: toActorError(error, { during: "connection action" }).toJSON() });
    }
  }
}

/** `onBeforeConnect` threw: the connection is refused with `auth/forbidden`. */
function refuse(error: unknown): never {
  const message = error instanceof UserError || error instanceof ActorError ? error.message : "The actor refused the connection.";
  throw new ActorError("auth/forbidden", message);
}
