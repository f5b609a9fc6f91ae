import { assertPlainData, decodeValue, encodeValue, NotSerialisableError } from "../codec.ts";
import { ActorError } from "../errors.ts";
import { decodeJsonSegment, encodeJsonSegment, fromBase64, toBase64 } from "../base64.ts";

/** The two wire encodings; the client chooses. */
export type Encoding = "json" | "cbor";

export const CONTENT_TYPES: Record<Encoding, string> = { json: "application/json", cbor: "application/cbor" };

// JSON has no bytes or dates: they travel as {"$bytes": base64} and {"$date": ISO string}.
function jsonReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  if (original instanceof Uint8Array) return { $bytes: toBase64(original) };
  if (original instanceof Date) return { $date: original.toISOString() };
  return value;
}

/** A message that cannot be decoded; its message is safe to show the sender. */
export class MalformedMessageError extends Error {
  override readonly name = "MalformedMessageError";
}

function jsonReviver(_key: string, value: unknown): unknown {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && typeof (value as { $bytes?: unknown }).$bytes === "string") {
      try {
        return fromBase64((value as { $bytes: string }).$bytes);
      } catch {
        throw new MalformedMessageError('A {"$bytes": …} value is not base64.');
      }
    }
    if (keys.length === 1 && typeof (value as { $date?: unknown }).$date === "string") {
      const date = new Date((value as { $date: string }).$date);
      // Refused here: stored, an invalid Date would make every later reply holding it fail.
      if (Number.isNaN(date.getTime())) throw new MalformedMessageError('A {"$date": …} value is not an ISO 8601 date.');
      return date;
    }
  }
  return value;
}

/** Encode a message for the wire. JSON gives a string, CBOR bytes. */
export function encodeMessage(encoding: Encoding, message: unknown): string | Uint8Array {
  return encoding === "json" ? JSON.stringify(message, jsonReplacer) : encodeValue(message, "message");
}

/**
 * Decode a message from the wire into plain data (see `assertPlainData`). Throws
 * {@link MalformedMessageError} on anything else: malformed bytes, an invalid `$date`, or
 * CBOR that decodes to what JSON could never carry (a `Set`, a bigint, a tag-27 object…).
 */
export function decodeMessage(encoding: Encoding, data: string | ArrayBuffer | Uint8Array): unknown {
  let message: unknown;
  try {
    if (encoding === "json") {
      const text = typeof data === "string" ? data : new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(data);
      message = JSON.parse(text, jsonReviver);
    } else {
      if (typeof data === "string") throw new MalformedMessageError("A CBOR connection takes binary frames.");
      message = decodeValue(data);
    }
  } catch (error) {
    throw error instanceof MalformedMessageError ? error : new MalformedMessageError(`The message is not valid ${encoding.toUpperCase()}.`, { cause: error });
  }
  // cbor-x turns tags into Sets, Maps, bigints, Errors and typed arrays, which the rest of the
  // runtime (and the JSON side) cannot carry; and either encoding can nest deeper than the
  // runtime will walk.
  try {
    assertPlainData(message, "message");
  } catch (error) {
    if (error instanceof NotSerialisableError) throw new MalformedMessageError(`The message holds ${error.found} at ${error.path}; send plain data.`);
    throw error;
  }
  return message;
}

/** The byte size of a frame as it arrived. */
export function byteLength(data: string | ArrayBuffer | Uint8Array): number {
  return typeof data === "string" ? new TextEncoder().encode(data).byteLength : data.byteLength;
}

/** Whether a message is past `limit` bytes; a short string is not encoded to know (UTF-8 takes at most 3 bytes per UTF-16 unit). */
export function exceeds(data: string | ArrayBuffer | Uint8Array, limit: number): boolean {
  if (typeof data === "string" && data.length * 3 <= limit) return false;
  return byteLength(data) > limit;
}

/** The error for a message the actor would send past its `maxOutgoingMessageSize`. */
export function outgoingTooLarge(what: string, limit: number): ActorError {
  return new ActorError("action/message_too_large", `${what} is past this actor's maxOutgoingMessageSize (${limit} bytes); it was not sent.`, { metadata: { limit } });
}

/** A key in a URL path. */
export function encodeKeySegment(key: readonly string[]): string {
  return encodeJsonSegment(key);
}

/** The inverse of {@link encodeKeySegment}; throws on anything that is not an array of strings. */
export function decodeKeySegment(segment: string): string[] {
  const key = decodeJsonSegment(segment);
  if (!Array.isArray(key) || !key.every((part) => typeof part === "string")) throw new TypeError("not a key");
  return key;
}

/** A percent-encoded path segment; a malformed escape (`%E0%A4%A`) is `request/invalid`, not a URIError. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ActorError("request/invalid", "The path has a malformed % escape.");
  }
}

/** Actor ids carry `:`, which paths and subprotocols cannot: `{doId}:{g}` travels as `{doId}.{g}`. */
export function encodeIdSegment(id: string): string {
  return id.replace(/:(\d+)$/, ".$1");
}

export function decodeIdSegment(segment: string): string {
  return segment.replace(/\.(\d+)$/, ":$1");
}
