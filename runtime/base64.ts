// Base64, for bytes inside JSON frames, and base64url JSON, for structured values in URLs
// and headers (keys, list cursors, a connection's params). Below the wire and the directory,
// which both use it.

/** The bytes of standard base64 text. */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Standard base64 of `bytes`, in chunks so a large array never overflows the call stack. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Unpadded base64url of UTF-8 JSON: how structured values (keys, list cursors) travel in
 * URL paths and query strings without escaping.
 */
export function encodeJsonSegment(value: unknown): string {
  return toBase64(new TextEncoder().encode(JSON.stringify(value))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The inverse of {@link encodeJsonSegment}; throws on anything that is not such a segment. */
export function decodeJsonSegment(segment: string): unknown {
  const base64 = segment.replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(fromBase64(base64 + "=".repeat((4 - (base64.length % 4)) % 4))));
}
