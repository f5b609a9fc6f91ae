import { ActorError, toActorError } from "../errors.ts";
import { decodeMessage, encodeMessage, type Encoding } from "../protocol/encoding.ts";
import { CLOSE, DISPOSED, type ClientFrame, type ServerFrame, type WireTarget } from "../protocol/wire.ts";
import { connStatusOf, reconnectStep, type ConnStatus, type ReconnectAction, type ReconnectEvent, type ReconnectState } from "../../machines/connection/reconnect.ts";

/** The parts of a WebSocket a connection uses: browsers', Node's and Workers' all fit. */
export interface SocketLike {
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: "error", listener: (event: unknown) => void): void;
}

/** Opens one socket to an actor, already open when the promise resolves. */
export type SocketOpener = (target: WireTarget) => Promise<{ socket: SocketLike; encoding: Encoding }>;

/** Reconnection delays: doubling from 100 ms, at most 5 s. */
const BACKOFF = { firstMs: 100, maxMs: 5_000 };

/** Close codes after which reconnecting cannot help. */
const FINAL_CLOSES = new Set<number>([CLOSE.destroyed, CLOSE.refused, CLOSE.unavailable, CLOSE.protocol]);

type Listener = (...args: any[]) => void;

interface PendingCall {
  frame: Extract<ClientFrame, { t: "action" }>;
  resolve(value: unknown): void;
  reject(error: ActorError): void;
  sent: boolean;
}

function decodeData(encoding: Encoding, data: unknown): unknown {
  if (typeof data === "string") return decodeMessage(encoding, data);
  if (data instanceof ArrayBuffer || data instanceof Uint8Array) return decodeMessage(encoding, data);
  throw new TypeError("Set binaryType to \"arraybuffer\" for actorstate connections.");
}

/**
 * A live connection to one actor: actions over the socket, events the actor broadcasts or
 * sends, and reconnection, as the reconnect machine (`machines/connection/reconnect.ts`)
 * decides. After a dropped socket it reconnects (with backoff), asking for its params again,
 * and listens again for the same events; when the actor is destroyed, refuses the
 * connection, or no longer exists, it stops and reports that through `onError` instead.
 */
export class ClientConnection {
  /** The id of the actor generation this connection reached, once welcomed. */
  actorId: string | undefined;
  private readonly open: SocketOpener;
  private readonly route: () => WireTarget;
  private readonly params: () => unknown;
  private state: ReconnectState = "idle";
  private socket: { socket: SocketLike; encoding: Encoding } | undefined;
  /** The events the last `hello` subscribed to. */
  private subscribedInHello = new Set<string>();
  /** The connection the actor welcomed, and the secret to resume it after a dropped socket. */
  private resume: { id: string; token: string } | undefined;
  private finalError: ActorError | undefined;
  /** Why the socket ended, for the machine's `finish`. */
  private cause: ActorError | undefined;
  private lastServerError: ActorError | undefined;
  private nextCallId = 1;
  private attempts = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private readonly calls = new Map<number, PendingCall>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly errorListeners = new Set<(error: ActorError) => void>();
  private readonly statusListeners = new Set<(status: ConnStatus) => void>();
  private readonly openListeners = new Set<() => void>();
  private readonly closeListeners = new Set<() => void>();
  private readonly ready: Promise<void>;
  private markReady!: () => void;
  private failReady!: (error: ActorError) => void;

  /**
   * `route` names the actor and `params` gives the params: both run on every (re)connect,
   * so a bad key surfaces as an error and a token that expires is asked for afresh.
   */
  constructor(open: SocketOpener, route: () => WireTarget, params: () => unknown) {
    this.open = open;
    this.route = route;
    this.params = params;
    this.ready = new Promise<void>((resolve, reject) => {
      this.markReady = resolve;
      this.failReady = reject;
    });
    // Errors surface through calls and onError; an unobserved rejection must not crash Node.
    this.ready.catch(() => undefined);
    this.send("CONNECT");
  }

  /** `idle`, `connecting`, `connected` or `disconnected` (waiting to retry, or ended). */
  get connStatus(): ConnStatus {
    return connStatusOf(this.state);
  }

  /** Resolves once the actor has welcomed the connection; rejects if it never will. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  call(name: string, args: unknown[]): Promise<unknown> {
    if (this.state === "ended") return Promise.reject(this.finalError ?? new ActorError("request/invalid", "This connection was disposed."));
    return new Promise((resolve, reject) => {
      const frame = { t: "action", id: this.nextCallId++, name, args } as const;
      const pending: PendingCall = { frame, resolve, reject, sent: false };
      this.calls.set(frame.id, pending);
      if (this.state === "connected") this.sendCall(pending);
    });
  }

  on(event: string, listener: Listener): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      this.listeners.set(event, (set = new Set()));
      if (this.state === "connected") this.sendFrame({ t: "subscribe", event });
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(event);
      if (!current?.delete(listener) || current.size) return;
      this.listeners.delete(event);
      if (this.state === "connected") this.sendFrame({ t: "unsubscribe", event });
    };
  }

  once(event: string, listener: Listener): () => void {
    const off = this.on(event, (...args) => {
      off();
      listener(...args);
    });
    return off;
  }

  onError(listener: (error: ActorError) => void): () => void {
    this.errorListeners.add(listener);
    if (this.finalError) queueMicrotask(() => listener(this.finalError as ActorError));
    return () => this.errorListeners.delete(listener);
  }

  /** Hear every change of `connStatus`. */
  onStatusChange(listener: (status: ConnStatus) => void): () => void {
    return subscribe(this.statusListeners, listener);
  }

  /** Hear each time the connection opens (the actor welcomed it), the first and after a reconnect. */
  onOpen(listener: () => void): () => void {
    return subscribe(this.openListeners, listener);
  }

  /** Hear each time an open connection closes: dropped (a reconnect follows), ended or disposed. */
  onClose(listener: () => void): () => void {
    return subscribe(this.closeListeners, listener);
  }

  async dispose(): Promise<void> {
    this.send("DISPOSE");
  }

  /** Step the reconnect machine and do what it asks; tell listeners what changed. */
  private send(event: ReconnectEvent): void {
    const before = this.state;
    const step = reconnectStep(before, event, { reachedBefore: () => this.actorId !== undefined });
    if (!step) return;
    this.state = step.state;
    for (const action of step.actions) this.run(action);
    if (connStatusOf(before) !== connStatusOf(step.state)) for (const listener of [...this.statusListeners]) listener(this.connStatus);
    if (step.state === "connected") for (const listener of [...this.openListeners]) listener();
    if (before === "connected") for (const listener of [...this.closeListeners]) listener();
  }

  private run(action: ReconnectAction): void {
    switch (action) {
      case "openSocket":
        return void this.openSocket();
      case "markOpen":
        this.attempts = 0;
        for (const event of this.listeners.keys()) if (!this.subscribedInHello.has(event)) this.sendFrame({ t: "subscribe", event });
        for (const event of this.subscribedInHello) if (!this.listeners.has(event)) this.sendFrame({ t: "unsubscribe", event });
        for (const pending of this.calls.values()) if (!pending.sent) this.sendCall(pending);
        return this.markReady();
      case "failSentCalls":
        return this.failCalls(new ActorError("internal/error", "The connection dropped before the result arrived; the action may or may not have run."), false);
      case "scheduleRetry": {
        const delay = Math.min(BACKOFF.maxMs, BACKOFF.firstMs * 2 ** this.attempts++);
        this.retry = setTimeout(() => this.send("RETRY"), delay);
        return;
      }
      case "cancelRetry":
        return clearTimeout(this.retry as ReturnType<typeof setTimeout>);
      case "finish": {
        const error = this.cause ?? new ActorError("internal/error", "Could not connect to the actor.");
        this.finalError = error;
        this.failReady(error);
        this.failCalls(error, true);
        return this.emitError(error);
      }
      case "closeSocket": {
        this.failCalls(new ActorError("request/invalid", "The connection was disposed."), true);
        const socket = this.socket?.socket;
        this.socket = undefined;
        return socket?.close(1000, DISPOSED);
      }
    }
  }

  private async openSocket(): Promise<void> {
    let opened: { socket: SocketLike; encoding: Encoding };
    let target: WireTarget;
    let params: unknown;
    try {
      params = await this.params();
    } catch (error) {
      // The handle's getParams failed: the caller's to fix, not something a retry mends.
      this.cause = toActorError(error, { during: "getParams" }, { reveal: true });
      return this.send("FAILED");
    }
    // Disposed while the params were asked for.
    if (this.state !== "connecting") return;
    try {
      target = this.route();
      opened = await this.open(target);
    } catch (error) {
      this.cause = error instanceof ActorError ? error : undefined;
      return this.send("DROPPED");
    }
    // Disposed while the socket opened.
    if (this.state !== "connecting") return opened.socket.close(1000, DISPOSED);
    this.socket = opened;
    const { socket, encoding } = opened;
    socket.addEventListener("message", (event) => {
      if (this.socket?.socket === socket) this.receive(decodeData(encoding, event.data) as ServerFrame);
    });
    socket.addEventListener("close", (event) => {
      if (this.socket?.socket === socket) this.closed(event.code);
    });
    socket.addEventListener("error", () => undefined);
    const create = "key" in target && target.create ? { create: target.create } : {};
    // The events listened for so far ride with hello, so onConnect's messages reach them.
    this.subscribedInHello = new Set(this.listeners.keys());
    const subscribe = this.subscribedInHello.size ? { subscribe: [...this.subscribedInHello] } : {};
    const resume = this.resume ? { resume: this.resume } : {};
    this.sendFrame({ t: "hello", ...(params === undefined ? {} : { params }), ...create, ...subscribe, ...resume });
  }

  private receive(frame: ServerFrame): void {
    switch (frame.t) {
      case "welcome":
        this.actorId = frame.actorId;
        this.resume = frame.resume ? { id: frame.connectionId, token: frame.resume } : undefined;
        return this.send("WELCOMED");
      case "result": {
        const pending = this.calls.get(frame.id);
        if (!pending) return;
        this.calls.delete(frame.id);
        if (frame.ok) pending.resolve(frame.value);
        else pending.reject(ActorError.fromShape(frame.error));
        return;
      }
      case "event":
        for (const listener of [...(this.listeners.get(frame.name) ?? [])]) listener(...frame.args);
        return;
      case "error":
        this.lastServerError = ActorError.fromShape(frame.error);
        if (this.state === "connected") this.emitError(this.lastServerError);
        return;
    }
  }

  private closed(code: number): void {
    this.socket = undefined;
    if (!FINAL_CLOSES.has(code)) {
      this.cause = undefined;
      return this.send("DROPPED");
    }
    this.cause =
      code === CLOSE.destroyed
        ? new ActorError("actor/not_found", "The actor was destroyed; this connection has ended.")
        : (this.lastServerError ?? new ActorError("internal/error", `The actor closed the connection (${code}).`));
    this.send("FAILED");
  }

  /** Reject calls already sent (their result is lost); with `all`, queued ones too. */
  private failCalls(error: ActorError, all: boolean): void {
    for (const [id, pending] of this.calls) {
      if (!all && !pending.sent) continue;
      this.calls.delete(id);
      pending.reject(error);
    }
  }

  private emitError(error: ActorError): void {
    for (const listener of [...this.errorListeners]) listener(error);
  }

  private sendCall(pending: PendingCall): void {
    pending.sent = true;
    this.sendFrame(pending.frame);
  }

  private sendFrame(frame: ClientFrame): void {
    const socket = this.socket;
    if (!socket) return;
    try {
      socket.socket.send(encodeMessage(socket.encoding, frame));
    } catch {
      // The close event follows; pending calls are settled there.
    }
  }
}

function subscribe<T>(listeners: Set<T>, listener: T): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A connection as callers use it: the actor's actions as methods, plus events and dispose. */
export function connectionProxy(connection: ClientConnection): unknown {
  const own: Record<string, unknown> = {
    on: connection.on.bind(connection),
    once: connection.once.bind(connection),
    onError: connection.onError.bind(connection),
    dispose: connection.dispose.bind(connection),
    ready: connection.whenReady.bind(connection),
    onStatusChange: connection.onStatusChange.bind(connection),
    onOpen: connection.onOpen.bind(connection),
    onClose: connection.onClose.bind(connection),
  };
  return new Proxy(own, {
    get(target, property) {
      if (typeof property !== "string" || property === "then") return undefined;
      if (property === "actorId") return connection.actorId;
      if (property === "connStatus") return connection.connStatus;
      if (Object.hasOwn(target, property)) return target[property];
      return (...args: unknown[]) => connection.call(property, args);
    },
  });
}
