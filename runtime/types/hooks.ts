// Small types of hooks and options: logging, the caller of a public call, limits.
/** Structured logging for actors; each line carries the actor's name, key and id. */
export interface ActorLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Who made a public call (`c.caller`), as `onBeforeConnect` approved it: over HTTP, over a
 * connection, or through `onRequest`.
 */
export interface Caller {
  /** What `onBeforeConnect` returned for this caller: its auth data. */
  readonly auth: unknown;
  /** The params the caller sent: a handle's `{ params }`, or `connect(params)`. */
  readonly params: unknown;
}

/** The third argument of `onBeforeConnect`. */
export interface BeforeConnectDetails {
  /**
   * The caller's request — its URL, method, headers and cookies, never its body: the
   * `POST /v1/call`, the WebSocket upgrade, or the request `onRequest` is about to serve.
   */
  request: Request;
}

/** What `createConnState` gets besides the params. */
export interface ConnStateDetails {
  /** The WebSocket upgrade's request (never its body); `undefined` for a connection from inside the Worker. */
  request: Request | undefined;
}

/** Limits an actor runs under. */
export interface ActorOptions {
  /** How long one action may run before its caller gets `action/timed_out`. Default 60 s. */
  actionTimeoutMs?: number;
  /** How long `onDestroy` may run before the destroy goes on without it. Default 5 s. */
  onDestroyTimeoutMs?: number;
  /**
   * The largest message a caller may send this actor over the network, in bytes: an HTTP
   * call's body, a connection's frame, a raw WebSocket's message. Past it,
   * `request/too_large`. Default 1 MiB (Cloudflare takes WebSocket messages of up to 32 MiB).
   */
  maxIncomingMessageSize?: number;
  /**
   * The largest message this actor sends over the network, in bytes, encoded: an HTTP
   * call's reply, a connection's reply or event. A reply past it is replaced by the error
   * `action/message_too_large` (the action's work stands); an event past it is sent to no
   * one, and `c.broadcast` or `conn.send` throws that error when someone listens for it.
   * Default 1 MiB. Calls from inside the Worker, `onRequest`'s responses and what raw
   * WebSockets send are not counted.
   */
  maxOutgoingMessageSize?: number;
  /**
   * How long a connection whose socket dropped waits for its client to reconnect and resume
   * it — same `conn.id`, same `conn.state`, no `createConnState` or `onConnect` again —
   * before it ends with `onDisconnect`. A client's `dispose()` ends it at once. Default
   * 15 s; 0 ends every connection when its socket does.
   */
  reconnectGraceMs?: number;
}
