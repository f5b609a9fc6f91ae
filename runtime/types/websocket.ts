// Raw WebSockets (`onWebSocket`, `handle.webSocket`): a socket of the actor's own protocol,
// beside actorstate's connections.

/** What a listener of an {@link ActorWebSocket} hears. */
export interface ActorWebSocketEvents {
  /** A message from the client: `data` is a string or an `ArrayBuffer`. */
  message: { readonly type: "message"; readonly data: string | ArrayBuffer };
  /** The client closed the socket, or a destroy did (code 4001). */
  close: { readonly type: "close"; readonly code: number; readonly reason: string };
}

/**
 * The server side of a raw WebSocket, as `onWebSocket` gets it. Its listeners run as the
 * actor's in-flight work, one message at a time: what they change in `c.state` is saved
 * after each message (after the promise a listener returns, if it returns one), and a
 * destroy waits for them.
 */
export interface ActorWebSocket {
  /** The subprotocol chosen: the first the client offered that is not actorstate's, if any. */
  readonly protocol: string;
  /** `WebSocket.OPEN` (1) while open. */
  readonly readyState: number;
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
  addEventListener<K extends keyof ActorWebSocketEvents>(type: K, listener: (event: ActorWebSocketEvents[K]) => unknown): void;
  removeEventListener<K extends keyof ActorWebSocketEvents>(type: K, listener: (event: ActorWebSocketEvents[K]) => unknown): void;
}

/** The third argument of `onWebSocket`. */
export interface WebSocketDetails {
  /**
   * The upgrade's request, without its body: its URL's path and query are what followed
   * `/websocket` (as `handle.webSocket(path)` gave them), its headers the caller's.
   */
  request: Request;
  /**
   * `true` when the actor woke (from hibernation, or after an eviction) with this socket
   * still open: the hook runs again, right after `onWake`, so that its listeners and what it
   * keeps in memory are back (greet the client only when it is `false`).
   */
  resumed: boolean;
}
