// Raw WebSockets inside the object: accepted after `onBeforeConnect`, handed to the actor's
// `onWebSocket`, hibernatable. Everything about a socket lives in its attachment; its
// listeners live in memory, so after hibernation `onWebSocket` runs again (`resumed`) to
// attach them before the next message is heard.
import type { Caller } from "../../types/actor.ts";
import { headOf, paramsFromHeader, requestOf, upgradeHeadOf } from "../../auth/public-call.ts";
import { ActorError, describeError, toActorError } from "../../errors.ts";
import { approve } from "../../host/approval.ts";
import type { ActorInstance } from "../../host/actor-instance.ts";
import { createLogger } from "../../host/logger.ts";
import type { ActorPort } from "../../host/ports.ts";
import { exceeds } from "../../protocol/encoding.ts";
import { httpStatus } from "../../protocol/http-status.ts";
import { actorTarget } from "../../protocol/requests.ts";
import { CLOSE, PARAMS_HEADER, RAW_PROTOCOL, TARGET_HEADER, TRUSTED_HEADER, type ConnectionTarget, type RequestHead } from "../../protocol/wire.ts";
import type { ActorWebSocket, ActorWebSocketEvents } from "../../types/websocket.ts";
import { keptAuth } from "./connection-state.ts";

/** The hibernation tag of raw sockets. */
const RAW_TAG = "actorstate.raw";

/** What a raw socket carries through hibernation. */
export interface RawAttachment {
  raw: true;
  name: string;
  generation: number;
  /** The upgrade's head: what `onWebSocket` sees as its request, on every run. */
  request: RequestHead;
  protocol: string;
  /** Who opened it, as `onBeforeConnect` approved; none from inside the Worker. */
  caller?: Caller;
}

type Listener = (event: never) => unknown;

/** The `websocket` user code holds: listeners kept here, run (and awaited) by the object. */
class RawSocket implements ActorWebSocket {
  readonly #ws: WebSocket;
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly protocol: string;

  constructor(ws: WebSocket, protocol: string) {
    this.#ws = ws;
    this.protocol = protocol;
  }

  get readyState(): number {
    return this.#ws.readyState;
  }

  /** Like a browser's WebSocket, a message to a socket that is closing is dropped, not thrown. */
  send(data: string | ArrayBuffer | ArrayBufferView): void {
    try {
      this.#ws.send(data);
    } catch {
      // Closing: its close is heard by the listeners.
    }
  }

  close(code?: number, reason?: string): void {
    this.#ws.close(code, reason);
  }

  addEventListener<K extends keyof ActorWebSocketEvents>(type: K, listener: (event: ActorWebSocketEvents[K]) => unknown): void {
    const listeners = this.#listeners.get(type) ?? new Set();
    this.#listeners.set(type, listeners.add(listener as Listener));
  }

  removeEventListener<K extends keyof ActorWebSocketEvents>(type: K, listener: (event: ActorWebSocketEvents[K]) => unknown): void {
    this.#listeners.get(type)?.delete(listener as Listener);
  }

  /** Run the listeners of `event.type`, awaiting what they return. */
  async dispatch<K extends keyof ActorWebSocketEvents>(event: ActorWebSocketEvents[K]): Promise<void> {
    const listeners = [...(this.#listeners.get(event.type) ?? [])] as Array<(event: ActorWebSocketEvents[K]) => unknown>;
    await Promise.all(listeners.map((listener) => listener(event)));
  }
}

/**
 * The subprotocol chosen, as the actor sees it (the first the client offered that is not
 * actorstate's; "" if none) and as the upgrade answers (actorstate's marker then, if offered:
 * some clients fail a socket whose offer got no answer).
 */
function chosenProtocol(offered: string | null): { protocol: string; answer: string } {
  const protocols = (offered ?? "").split(",").map((protocol) => protocol.trim()).filter(Boolean);
  const protocol = protocols.find((candidate) => !candidate.startsWith("actorstate.")) ?? "";
  return { protocol, answer: protocol || (protocols.includes(RAW_PROTOCOL) ? RAW_PROTOCOL : "") };
}

/** The raw WebSockets of one object. */
export class RawSockets {
  readonly #ctx: DurableObjectState;
  readonly #port: ActorPort;
  readonly #log = createLogger({ component: "actorstate.websockets" });
  /** Sockets whose listeners `onWebSocket` attached in this wake. */
  readonly #bound = new WeakMap<WebSocket, RawSocket>();
  /** Per socket, the last message or close being heard: the next waits for it, one at a time. */
  readonly #hearing = new WeakMap<WebSocket, Promise<void>>();

  constructor(ctx: DurableObjectState, port: ActorPort) {
    this.#ctx = ctx;
    this.#port = port;
  }

  /**
   * An upgrade the Worker forwarded (or the in-Worker client sent): the actor is reached
   * (created first for a getOrCreate target), `onBeforeConnect` approves a caller from
   * outside, and `onWebSocket` attaches its listeners before the socket is handed back.
   */
  async accept(request: Request): Promise<Response> {
    try {
      if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") throw new ActorError("request/invalid", "Open a WebSocket: send an upgrade.");
      const parsed = actorTarget.safeParse(JSON.parse(request.headers.get(TARGET_HEADER) ?? "null"));
      if (!parsed.success) throw new ActorError("request/invalid", "The upgrade does not name an actor.");
      const target = parsed.data;
      const connection: ConnectionTarget = "key" in target ? { name: target.name, key: target.key, create: target.create !== undefined } : target;
      if (!this.#port.claim(connection).onWebSocket) {
        throw new ActorError("action/not_found", `Actor "${target.name}" takes no raw WebSockets: it has no onWebSocket.`);
      }
      const trusted = request.headers.get(TRUSTED_HEADER) === "1";
      const head = trusted ? headOf(request) : upgradeHeadOf(request);
      const call = trusted ? undefined : { params: paramsFromHeader(request.headers.get(PARAMS_HEADER)), request: head };
      const generation = await this.#port.connect(connection, "key" in target ? target.create?.input : undefined);
      const { 0: client, 1: server } = new WebSocketPair();
      const { protocol, answer } = chosenProtocol(request.headers.get("Sec-WebSocket-Protocol"));
      await this.#port.runHook(generation, async (c, instance) => {
        const approved = call ? await approve(instance, c, call, this.#port.revealInternalErrors) : undefined;
        const caller = approved && { auth: keptAuth(approved.auth), params: approved.params };
        const attachment: RawAttachment = { raw: true, name: target.name, generation, request: head, protocol, ...(caller ? { caller } : {}) };
        this.#ctx.acceptWebSocket(server, [RAW_TAG]);
        try {
          server.serializeAttachment(attachment);
          await this.#bind(server, attachment, instance, false);
        } catch (error) {
          // Accepted, but no client will hold it: a socket nobody answers must not wake with the actor.
          server.close(1011, "onWebSocket failed");
          throw error;
        }
      });
      return new Response(null, { status: 101, webSocket: client, headers: answer ? { "Sec-WebSocket-Protocol": answer } : {} });
    } catch (error) {
      const shown = toActorError(error, { during: "raw WebSocket" }, { reveal: this.#port.revealInternalErrors });
      return Response.json({ ok: false, error: shown.toJSON() }, { status: httpStatus(shown) });
    }
  }

  /** A message from the client, heard by the listeners as in-flight work of the socket's generation. */
  async message(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const attachment = ws.deserializeAttachment() as RawAttachment;
    const { maxIncomingMessageSize } = this.#port.actorType(attachment.name).options;
    if (exceeds(data, maxIncomingMessageSize)) return ws.close(1009, `Messages are limited to ${maxIncomingMessageSize} bytes.`);
    await this.#hear(ws, attachment, { type: "message", data });
  }

  /** The client closed: the listeners hear it. */
  async close(ws: WebSocket, code: number, reason: string): Promise<void> {
    await this.#hear(ws, ws.deserializeAttachment() as RawAttachment, { type: "close", code, reason });
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // Already closed.
    }
  }

  /**
   * The actor woke with raw sockets of `generation` open: `onWebSocket` runs again for each
   * (`resumed`), so what it keeps in memory (its listeners, a set of sockets in `c.vars`)
   * is back before any action or message runs. A hook that throws is logged; the socket's
   * next message tries again.
   */
  async resumeAll(generation: number, instance: ActorInstance): Promise<void> {
    for (const ws of this.#ctx.getWebSockets(RAW_TAG)) {
      const attachment = ws.deserializeAttachment() as RawAttachment;
      // A socket closing (its hook failed, or a close is under way) gets no hook again.
      if (attachment.generation !== generation || this.#bound.has(ws) || ws.readyState !== WebSocket.OPEN) continue;
      await this.#bind(ws, attachment, instance, true).catch((error: unknown) => {
        this.#bound.delete(ws);
        this.#log.error("onWebSocket failed for a socket still open after a wake", { error: describeError(error) });
      });
    }
  }

  /** A destroy of `generation` closes its sockets; those whose listeners are attached hear it. */
  async endAll(generation: number): Promise<void> {
    for (const ws of this.#ctx.getWebSockets(RAW_TAG)) {
      if ((ws.deserializeAttachment() as RawAttachment).generation !== generation) continue;
      await this.#bound
        .get(ws)
        ?.dispatch({ type: "close", code: CLOSE.destroyed, reason: "actor/destroyed" })
        .catch((error: unknown) => this.#log.error("a raw WebSocket's close listener failed", { error: describeError(error) }));
      try {
        ws.close(CLOSE.destroyed, "actor/destroyed");
      } catch {
        // Already closed.
      }
    }
  }

  /** Hear a message or close after the socket's previous one: workerd delivers the next while a listener awaits. */
  #hear(ws: WebSocket, attachment: RawAttachment, event: ActorWebSocketEvents[keyof ActorWebSocketEvents]): Promise<void> {
    const heard = (this.#hearing.get(ws) ?? Promise.resolve()).catch(() => undefined).then(() => this.#hearNow(ws, attachment, event));
    this.#hearing.set(ws, heard);
    return heard;
  }

  async #hearNow(ws: WebSocket, attachment: RawAttachment, event: ActorWebSocketEvents[keyof ActorWebSocketEvents]): Promise<void> {
    try {
      await this.#port.runHook(attachment.generation, async (_, instance) => {
        const socket = this.#bound.get(ws) ?? (await this.#bind(ws, attachment, instance, true));
        await socket.dispatch(event);
      });
    } catch (error) {
      // The generation is gone (destroyed, or not live): the socket goes with it.
      if (error instanceof ActorError && error.group === "actor") return ws.close(CLOSE.destroyed, error.fullCode);
      this.#log.error(`a raw WebSocket's ${event.type} listener failed`, { error: describeError(error) });
    }
  }

  /** Run `onWebSocket` for a socket, with the caller it was approved as, and keep what it attached. */
  async #bind(ws: WebSocket, attachment: RawAttachment, instance: ActorInstance, resumed: boolean): Promise<RawSocket> {
    const socket = new RawSocket(ws, attachment.protocol);
    this.#bound.set(ws, socket);
    const c = instance.context(attachment.caller ? { caller: attachment.caller } : {});
    await instance.definition.onWebSocket?.(c, socket, { request: requestOf(attachment.request), resumed });
    return socket;
  }
}
