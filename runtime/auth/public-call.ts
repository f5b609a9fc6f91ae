// What the Worker hands an actor about a call from outside: the params the caller sent and
// its request, as plain data that survives Durable Object RPC and a socket's attachment.
import { assertPlainData, encodeValue } from "../codec.ts";
import { ActorError } from "../errors.ts";
import { decodeJsonSegment } from "../base64.ts";
import { LIMITS, type RequestHead } from "../protocol/wire.ts";

/** Headers actorstate uses between the Worker and the object; never shown to user code. */
const INTERNAL_HEADER_PREFIX = "x-actorstate-";

/** The head of `request`, without actorstate's own headers. */
export function headOf(request: Request): RequestHead {
  const headers: Array<[string, string]> = [];
  withoutInternalHeaders(request.headers).forEach((value, name) => headers.push([name, value]));
  return { url: request.url, method: request.method, headers };
}

/**
 * The head of a WebSocket upgrade, which waits for the connection's `hello` in the socket's
 * 16 KiB attachment: `request/too_large` past `LIMITS.requestHeadBytes`.
 */
export function upgradeHeadOf(request: Request): RequestHead {
  const head = headOf(request);
  if (new TextEncoder().encode(JSON.stringify(head)).byteLength > LIMITS.requestHeadBytes) {
    throw new ActorError("request/too_large", `A connection's URL and headers are limited to ${LIMITS.requestHeadBytes} bytes.`);
  }
  return head;
}

/** `headers` without actorstate's own, for user code. */
export function withoutInternalHeaders(headers: Headers): Headers {
  const shown = new Headers();
  headers.forEach((value, name) => {
    if (!name.startsWith(INTERNAL_HEADER_PREFIX)) shown.append(name, value);
  });
  return shown;
}

/** A body-less `Request` for user code, rebuilt from its head. */
export function requestOf(head: RequestHead): Request {
  return new Request(head.url, { method: head.method, headers: head.headers });
}

/** Params from outside (already decoded, so plain data) are at most `LIMITS.paramsBytes` encoded. */
export function checkParams(params: unknown, what = "Params"): void {
  if (params !== undefined && encodeValue(params, "params").byteLength > LIMITS.paramsBytes) {
    throw new ActorError("request/too_large", `${what} are limited to ${LIMITS.paramsBytes} bytes encoded.`);
  }
}

/** Base64url JSON from a header or a subprotocol, as plain data; `request/invalid` naming `where` otherwise. */
function jsonSegment(segment: string, where: string): unknown {
  try {
    const value = decodeJsonSegment(segment);
    assertPlainData(value, where);
    return value;
  } catch {
    throw new ActorError("request/invalid", `The ${where} is not base64url of JSON.`);
  }
}

/** The params a request's `x-actorstate-params` header (or a raw WebSocket's subprotocol) carries. */
export function paramsFromHeader(header: string | null, where = "x-actorstate-params header"): unknown {
  if (header === null) return undefined;
  const params = jsonSegment(header, where);
  checkParams(params);
  return params;
}

/**
 * What a request's `x-actorstate-create` header (or a raw WebSocket's subprotocol) asks:
 * create the actor with this input if it is not there; `undefined` without it,
 * `request/invalid` if it is not base64url JSON of `{ input }`.
 */
export function createFromHeader(header: string | null, where = "x-actorstate-create header"): { input?: unknown } | undefined {
  if (header === null) return undefined;
  const create = jsonSegment(header, where);
  if (!create || typeof create !== "object" || Array.isArray(create)) throw new ActorError("request/invalid", `The ${where} is not base64url of the JSON of { input }.`);
  const { input } = create as { input?: unknown };
  return input === undefined ? {} : { input };
}
