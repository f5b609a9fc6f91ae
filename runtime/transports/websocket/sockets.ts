import type { Connection } from "../../types/actor.ts";
import type { ConnectionTarget, RequestHead } from "../../protocol/wire.ts";
import { ActorError } from "../../errors.ts";
import { encodeMessage, exceeds, outgoingTooLarge, type Encoding } from "../../protocol/encoding.ts";
import { subprotocol, type ServerFrame } from "../../protocol/wire.ts";
import { ConnectionStates } from "./connection-state.ts";

/** The hibernation tag of the inspector's sockets. */
const INSPECTOR_TAG = "actorstate.inspector";

/**
 * Where a connection is: waiting for the client's `hello`, in its `handshake` (the actor
 * is being reached and `onBeforeConnect` asked), `open` (welcomed; `onConnect` ran or is
 * running), or `closed`. It only moves forward, and each move is a compare-and-set, so a
 * close during the handshake is never overwritten by the handshake's end.
 */
export type ConnectionPhase = "hello" | "handshake" | "open" | "closed";

/** What an inspector's socket carries. */
type InspectorAttachment = { inspector: true };

/**
 * What each socket carries through hibernation (at most 16 KiB): who it is, how it
 * encodes, how far its handshake got, its state, and which events it listens for.
 */
export interface Attachment {
  /** Set on the inspector's sockets, which are not client connections. */
  inspector?: true;
  /** Set on raw WebSockets (`onWebSocket`), which are not connections either. */
  raw?: true;
  id: string;
  target: ConnectionTarget;
  encoding: Encoding;
  phase: ConnectionPhase;
  /** The actor generation the connection belongs to, once open. */
  generation?: number;
  /** The params `onBeforeConnect` approved: set when the connection opens, never before. */
  params?: unknown;
  /** `conn.state`, CBOR-encoded: made by `createConnState` when the connection opens. */
  state?: Uint8Array;
  /** What `onBeforeConnect` returned: set when the connection opens. */
  auth?: unknown;
  /**
   * Where a connection from outside came from, for `onBeforeConnect`: kept from the upgrade
   * until the connection opens (the `hello` may come after the object hibernated).
   */
  request?: RequestHead;
  /** Opened from inside the Worker (the `{ binding }` client): skips `onBeforeConnect`. */
  trusted?: true;
  /** The secret its client was welcomed with, to resume this connection after a dropped socket. */
  resume?: string;
  subscriptions: string[];
}

/** The encoding a client asked for, from its offered subprotocols; `request/invalid` otherwise. */
export function negotiate(offered: string | null): { encoding: Encoding; protocol: string } {
  const protocols = (offered ?? "").split(",").map((protocol) => protocol.trim());
  for (const encoding of ["cbor", "json"] as const) {
    if (protocols.includes(subprotocol(encoding))) return { encoding, protocol: subprotocol(encoding) };
  }
  const versions = protocols.filter((protocol) => protocol.startsWith("actorstate.v"));
  throw new ActorError(
    "request/invalid",
    versions.length
      ? `Unsupported protocol ${versions.join(", ")}; this actor speaks ${subprotocol("json")} and ${subprotocol("cbor")}.`
      : `Offer the subprotocol ${subprotocol("json")} or ${subprotocol("cbor")}.`,
  );
}

/**
 * The object's WebSocket connections, kept by the runtime's hibernation API: sockets
 * survive the object being evicted, and everything about a connection lives in its
 * attachment, so nothing here holds state that hibernation would lose.
 */
export class ConnectionSockets {
  private readonly ctx: DurableObjectState;
  private readonly views = new WeakMap<WebSocket, Connection>();
  /**
   * Each socket's attachment as last written, so a frame does not deserialize it again
   * (a structured clone) for every read; after hibernation it is read back on first use.
   * Frozen: a change goes through `store`, never into the object.
   */
  private readonly attachments = new WeakMap<WebSocket, Readonly<Attachment | InspectorAttachment>>();
  /** Open inspector sockets, counted once per wake: every action asks, and usually none watch. */
  private inspectors: number | undefined;
  /** Each connection's `conn.state`, saved into its attachment when actions and hooks end. */
  private readonly states: ConnectionStates;
  /** The most bytes a message to this socket may have: its actor type's `maxOutgoingMessageSize`. */
  private readonly outgoingLimit: (attachment: Attachment) => number;

  constructor(ctx: DurableObjectState, outgoingLimit: (attachment: Attachment) => number) {
    this.ctx = ctx;
    this.outgoingLimit = outgoingLimit;
    this.states = new ConnectionStates({
      read: (ws) => this.attachment(ws).state,
      write: (ws, state) => this.store(ws, { ...this.attachment(ws), state }),
      isOpen: (ws) => this.attachment(ws).phase === "open",
    });
  }

  /** Save the `conn.state` that actions and hooks changed; throws (after saving the rest) for one that cannot be stored. */
  saveStates(): void {
    this.states.save();
  }

  /**
   * Accept an upgrade: the socket waits for the client's `hello` before anything runs.
   * `from` is the request of a connection from outside, or `trusted` for one from inside.
   */
  accept(target: ConnectionTarget, encoding: Encoding, protocol: string, from: RequestHead | "trusted"): Response {
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const attachment: Attachment = {
      id: crypto.randomUUID(),
      target,
      encoding,
      phase: "hello",
      subscriptions: [],
      ...(from === "trusted" ? { trusted: true } : { request: from }),
    };
    this.store(server, attachment);
    return new Response(null, { status: 101, webSocket: client, headers: { "Sec-WebSocket-Protocol": protocol } });
  }

  attachment(ws: WebSocket): Attachment {
    let attachment = this.attachments.get(ws);
    if (!attachment) this.attachments.set(ws, (attachment = Object.freeze(ws.deserializeAttachment() as Attachment)));
    return attachment as Attachment;
  }

  // A copy is kept, so no object the caller still holds (what onBeforeConnect returned, a
  // hello's params) is shared with the socket's record.
  private store(ws: WebSocket, attachment: Attachment | InspectorAttachment): void {
    const copy = structuredClone(attachment);
    ws.serializeAttachment(copy);
    this.attachments.set(ws, Object.freeze(copy));
  }

  /** Change what a socket carries, other than its phase. */
  update(ws: WebSocket, change: Partial<Omit<Attachment, "phase">>): Attachment {
    const next = { ...this.attachment(ws), ...change };
    this.store(ws, next);
    return next;
  }

  /**
   * Move a socket from phase `from` to `to` (with `change`), only if it is still in `from`.
   * Returns whether it moved.
   */
  advance(ws: WebSocket, from: ConnectionPhase, to: ConnectionPhase, change: Partial<Omit<Attachment, "phase">> = {}): boolean {
    const current = this.attachment(ws);
    if (current.phase !== from) return false;
    this.store(ws, { ...current, ...change, phase: to });
    return true;
  }

  /** Mark a socket closed; returns the phase it was in, or `undefined` if it already was closed. */
  markClosed(ws: WebSocket): ConnectionPhase | undefined {
    const { phase } = this.attachment(ws);
    if (phase === "closed" || !this.advance(ws, phase, "closed")) return undefined;
    return phase;
  }

  /**
   * Accept an inspector socket: it only listens for `changed` pings (and, with the Stately
   * bridge, Stately's events) and is never one of the actor's connections.
   */
  acceptInspector(): Response {
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [INSPECTOR_TAG]);
    this.store(server, { inspector: true });
    this.inspectors = undefined;
    return new Response(null, { status: 101, webSocket: client });
  }

  /** An inspector socket closed: count again next time. */
  inspectorClosed(): void {
    this.inspectors = undefined;
  }

  /** Tell every inspector watching this object something (a ping, or a Stately event). */
  notifyInspectors(message: unknown): void {
    if (this.inspectors === 0) return;
    const sockets = this.ctx.getWebSockets(INSPECTOR_TAG);
    this.inspectors = sockets.length;
    if (!sockets.length) return;
    const text = JSON.stringify(message);
    for (const ws of sockets) {
      try {
        ws.send(text);
      } catch {
        // Closing.
      }
    }
  }

  /** Client connections only: the inspector's sockets and raw WebSockets are left out. */
  private clientSockets(): WebSocket[] {
    return this.ctx.getWebSockets().filter((ws) => {
      const attachment = this.attachment(ws) as Partial<Attachment> | null;
      return !attachment?.inspector && !attachment?.raw;
    });
  }

  /** The open connections of one generation, by id. */
  open(generation: number): Map<string, Connection> {
    const open = new Map<string, Connection>();
    for (const ws of this.clientSockets()) {
      const attachment = this.attachment(ws);
      if (attachment.phase === "open" && attachment.generation === generation) open.set(attachment.id, this.view(ws));
    }
    return open;
  }

  /** The user-facing view of a socket. */
  view(ws: WebSocket): Connection {
    let view = this.views.get(ws);
    if (!view) {
      const registry = this;
      view = {
        get id() {
          return registry.attachment(ws).id;
        },
        // A copy for each read, as deserializing gave before the cache: user code that
        // changes what it got changes nothing stored, here or for the next read.
        get params() {
          return structuredClone(registry.attachment(ws).params);
        },
        get state() {
          return registry.states.get(ws);
        },
        set state(value) {
          registry.states.set(ws, value);
        },
        get auth() {
          return structuredClone(registry.attachment(ws).auth);
        },
        send: (event, ...args) => registry.sendEvent(registry.attachment(ws).subscriptions.includes(event) ? [ws] : [], event, args),
        // Closed by the actor: the connection ends with its socket, and no reconnect resumes it.
        close: (reason = "closed by the actor") => {
          registry.update(ws, { resume: undefined });
          registry.close(ws, 1000, reason);
        },
      };
      this.views.set(ws, view);
    }
    return view;
  }

  send(ws: WebSocket, frame: ServerFrame): void {
    this.sendEncoded(ws, encodeMessage(this.attachment(ws).encoding, frame));
  }

  private sendEncoded(ws: WebSocket, message: string | Uint8Array): void {
    try {
      ws.send(message);
    } catch {
      // The socket is closing; its close handler cleans up.
    }
  }

  /** An action's result; one past the actor's `maxOutgoingMessageSize` goes as that error instead. */
  reply(ws: WebSocket, frame: Extract<ServerFrame, { t: "result" }>): void {
    const attachment = this.attachment(ws);
    const message = encodeMessage(attachment.encoding, frame);
    const limit = this.outgoingLimit(attachment);
    if (!exceeds(message, limit)) return this.sendEncoded(ws, message);
    this.send(ws, { t: "result", id: frame.id, ok: false, error: outgoingTooLarge("The reply", limit).toJSON() });
  }

  /**
   * Send an event to every open connection of `generation` that listens for it, but those
   * whose ids are in `except`.
   */
  broadcast(generation: number, event: string, args: unknown[], except?: ReadonlySet<string>): void {
    const listeners = this.clientSockets().filter((ws) => {
      const attachment = this.attachment(ws);
      return attachment.phase === "open" && attachment.generation === generation && attachment.subscriptions.includes(event) && !except?.has(attachment.id);
    });
    this.sendEvent(listeners, event, args);
  }

  /**
   * An event to `sockets`, each in its encoding. Every encoding is made and checked against
   * the limit before any socket is sent one: an event too large reaches nobody.
   */
  private sendEvent(sockets: WebSocket[], event: string, args: unknown[]): void {
    const frame: ServerFrame = { t: "event", name: event, args };
    const encoded = new Map<Encoding, string | Uint8Array>();
    for (const ws of sockets) {
      const attachment = this.attachment(ws);
      if (encoded.has(attachment.encoding)) continue;
      const message = encodeMessage(attachment.encoding, frame);
      const limit = this.outgoingLimit(attachment);
      if (exceeds(message, limit)) throw outgoingTooLarge(`The event ${JSON.stringify(event.slice(0, 100))}`, limit);
      encoded.set(attachment.encoding, message);
    }
    for (const ws of sockets) this.sendEncoded(ws, encoded.get(this.attachment(ws).encoding)!);
  }

  /**
   * The sockets a destroy of `generation` ends: those open on it, and handshakes pinned to
   * it by id. A handshake that came by key waits instead, and reaches the next generation.
   */
  socketsOf(generation: number): WebSocket[] {
    return this.clientSockets().filter((ws) => {
      const { phase, generation: own, target } = this.attachment(ws);
      if (phase === "closed" || phase === "hello") return false;
      return own === generation || ("generation" in target && target.generation === generation);
    });
  }

  close(ws: WebSocket, code: number, reason: string): void {
    try {
      // Close reasons are limited to 123 bytes.
      ws.close(code, reason.slice(0, 120));
    } catch {
      // Already closed.
    }
  }
}
