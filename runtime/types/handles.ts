// What every handle and connection has besides the actor's own actions.
import type { ConnStatus } from "../../machines/connection/reconnect.ts";
import type { LifecycleState } from "../../machines/lifecycle/types.ts";

export type { ConnStatus } from "../../machines/connection/reconnect.ts";

/** What `handle.inspect()` returns. */
export interface ActorInspection {
  /** The lifecycle state, top level (`running`, `destroying`, ...). */
  lifecycle: LifecycleState;
  generation: number;
  actorId: string;
  name: string;
  key: string[];
  /** Actions running right now. */
  actionsInFlight: number;
}

/** Operations every handle has besides the actor's own actions. */
export interface HandleMethods {
  /** The actor id (`{doId}:{generation}`) of the generation this handle reaches now. */
  resolve(): Promise<string>;
  /** Destroy the actor; resolves once it is destroyed. */
  destroy(): Promise<void>;
  /** The actor's lifecycle state, generation and identity. */
  inspect(): Promise<ActorInspection>;
  /**
   * A request to the actor's `onRequest` (RivetKit's `handle.fetch`): `path` (with its
   * query) is the path `onRequest` sees, `init` as for `fetch`. A `getOrCreate` handle
   * creates the actor first if it is not there. The response is `onRequest`'s; a refusal is
   * actorstate's JSON error (`{ ok: false, error }`) with the error's HTTP status.
   *
   * @example
   * ```ts
   * const response = await client.counter.getOrCreate("a").fetch("/count?format=text");
   * ```
   */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /**
   * Open a raw WebSocket to the actor's `onWebSocket` (RivetKit's `handle.webSocket`):
   * `path` (with its query) is what the hook's request shows, `protocols` are offered
   * beside actorstate's own; binary messages arrive as `ArrayBuffer`s. Resolves once the
   * socket is open; a `getOrCreate` handle creates the actor first. From outside the Worker
   * a refusal only shows as a socket that did not open (`internal/error`): the upgrade's
   * error status is all there is, and WebSockets do not show it.
   *
   * @example
   * ```ts
   * const socket = await client.chat.getOrCreate("lobby").webSocket("/live?since=0");
   * socket.addEventListener("message", (event) => console.log(event.data));
   * ```
   */
  webSocket(path?: string, protocols?: string | string[]): Promise<WebSocket>;
}

/**
 * Where a connection is, and when it changes (RivetKit's names). After a dropped socket it
 * reconnects by itself, with back-off, as its machine says (docs/client.md draws it).
 */
export interface ConnectionStatus {
  /** `idle`, `connecting`, `connected`, or `disconnected` (waiting to reconnect, or ended). */
  readonly connStatus: ConnStatus;
  /** Hear every change of `connStatus`; returns the unsubscribe function. */
  onStatusChange(listener: (status: ConnStatus) => void): () => void;
  /** Hear each time the connection opens: the first time and after each reconnect. */
  onOpen(listener: () => void): () => void;
  /** Hear each time an open connection closes: dropped (a reconnect follows), ended or disposed. */
  onClose(listener: () => void): () => void;
}
