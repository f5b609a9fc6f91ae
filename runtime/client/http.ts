import { ActorError } from "../errors.ts";
import { CONTENT_TYPES, decodeMessage, encodeIdSegment, encodeKeySegment, encodeMessage, type Encoding } from "../protocol/encoding.ts";
import { encodeJsonSegment } from "../base64.ts";
import { CREATE_HEADER, CREATE_PROTOCOL_PREFIX, PARAMS_HEADER, PARAMS_PROTOCOL_PREFIX, PROTOCOL_VERSION, RAW_PROTOCOL, requestPath, subprotocol, type WireTarget } from "../protocol/wire.ts";
import type { ActorResult } from "../protocol/requests.ts";
import type { SocketLike } from "./connection.ts";
import type { ClientTransport } from "./transport.ts";

/** A WebSocket constructor: the global one in browsers, Node ≥ 22 and Workers. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => SocketLike & { binaryType: string };

/** Options for a client that reaches actors over the network. */
export interface EndpointClientOptions {
  /** The Worker's URL, e.g. `http://127.0.0.1:8787`. */
  endpoint: string;
  /** How requests and frames are encoded. Default `json`; `cbor` is smaller and keeps bytes and dates. */
  encoding?: Encoding;
  /** Replaces the global `fetch` (for tests, or a Worker's service binding). */
  fetch?: typeof fetch;
  /** Replaces the global `WebSocket`. */
  WebSocket?: WebSocketConstructor;
  /**
   * Extra headers for every HTTP request (not for connections: browsers cannot set headers
   * on WebSockets). Listing actors over HTTP needs the inspector's token:
   * `{ Authorization: "Bearer <token>" }`.
   */
  headers?: Record<string, string>;
}

/** The path of one actor, by key or by id: ids travel with `.` for `:`. */
function actorUrl(base: string, target: WireTarget): string {
  const name = encodeURIComponent(target.name);
  if ("id" in target) return `${base}/v${PROTOCOL_VERSION}/actors/${name}/id/${encodeURIComponent(encodeIdSegment(target.id))}`;
  // The handle built the key with normalizeKey: every part is a string.
  return `${base}/v${PROTOCOL_VERSION}/actors/${name}/key/${encodeKeySegment(target.key as string[])}`;
}

/** The URL a connection to `target` opens. */
export function connectUrl(endpoint: string, target: WireTarget): string {
  const creates = "key" in target && target.create;
  return `${actorUrl(endpoint.replace(/\/+$/, "").replace(/^http/, "ws"), target)}/connect${creates ? "?create=1" : ""}`;
}

/** `socket`, once open; a socket that errs or closes first was refused or could not reach the actor. */
function whenOpen<T extends SocketLike>(socket: T): Promise<T> {
  return new Promise((resolve, reject) => {
    const fail = () =>
      reject(new ActorError("internal/error", "The WebSocket did not open: the upgrade was refused (auth/forbidden, actor/not_found, …) or the Worker could not be reached; WebSockets do not show which."));
    (socket as unknown as { addEventListener(type: "open", listener: () => void): void }).addEventListener("open", () => resolve(socket));
    socket.addEventListener("error", fail);
    socket.addEventListener("close", fail);
  });
}

function openSocket(Socket: WebSocketConstructor, url: string, encoding: Encoding): Promise<SocketLike> {
  const socket = new Socket(url, subprotocol(encoding));
  socket.binaryType = "arraybuffer";
  return whenOpen(socket);
}

/** Requests as `POST /v1/call`, connections as WebSockets. */
export function httpTransport(options: EndpointClientOptions): ClientTransport {
  const endpoint = options.endpoint.replace(/\/+$/, "");
  const encoding = options.encoding ?? "json";
  const doFetch = options.fetch ?? fetch;
  const Socket = options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor | undefined);
  return {
    async call(request) {
      const response = await doFetch(`${endpoint}/v${PROTOCOL_VERSION}/call`, {
        method: "POST",
        headers: { ...options.headers, "Content-Type": CONTENT_TYPES[encoding], Accept: CONTENT_TYPES[encoding] },
        body: encodeMessage(encoding, request) as BodyInit,
      });
      const type = response.headers.get("Content-Type") ?? "";
      const bodyEncoding: Encoding = type.startsWith(CONTENT_TYPES.cbor) ? "cbor" : "json";
      try {
        const result = decodeMessage(bodyEncoding, bodyEncoding === "cbor" ? await response.arrayBuffer() : await response.text()) as ActorResult;
        if (typeof result?.ok === "boolean") return result;
      } catch {
        // Not our protocol: reported below.
      }
      throw new ActorError("internal/error", `${endpoint} answered ${response.status} without an actorstate result; is it an actorstate Worker?`);
    },
    fetch(target, path, init, params) {
      const headers = new Headers(options.headers);
      new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
      if (params !== undefined) headers.set(PARAMS_HEADER, encodeJsonSegment(params));
      if ("key" in target && target.create) headers.set(CREATE_HEADER, encodeJsonSegment(target.create));
      return doFetch(`${actorUrl(endpoint, target)}/request${requestPath(path)}`, { ...init, headers });
    },
    async webSocket(target, path, protocols, params) {
      if (!Socket) throw new ActorError("internal/error", "No WebSocket implementation: pass one as createClient({ WebSocket }).");
      const offered = [...protocols, RAW_PROTOCOL];
      if (params !== undefined) offered.push(PARAMS_PROTOCOL_PREFIX + encodeJsonSegment(params));
      if ("key" in target && target.create) offered.push(CREATE_PROTOCOL_PREFIX + encodeJsonSegment(target.create));
      const socket = new Socket(`${actorUrl(endpoint.replace(/^http/, "ws"), target)}/websocket${requestPath(path)}`, offered);
      socket.binaryType = "arraybuffer";
      return (await whenOpen(socket)) as unknown as WebSocket;
    },
    async open(target) {
      if (!Socket) throw new ActorError("internal/error", "No WebSocket implementation: pass one as createClient({ WebSocket }).");
      return { socket: await openSocket(Socket, connectUrl(endpoint, target), encoding), encoding };
    },
  };
}
