import { ActorError, quoteInput } from "./errors.ts";

/** An actor key as callers write it: one string, several, or none. */
export type ActorKeyInput = string | readonly string[] | undefined;

/** Limits on names and keys, in characters and UTF-8 bytes. */
export const MAX_NAME_LENGTH = 64;
export const MAX_KEY_PART_BYTES = 128;
/**
 * The whole key, measured as its JSON (`["room","42"]`: quotes, commas and escapes count),
 * since that is what the object's name and the directory hold: counting only the parts'
 * bytes would let 200,000 empty parts through.
 */
export const MAX_KEY_BYTES = 1024;

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
const DO_ID_PATTERN = /^[0-9a-f]{64}$/;
const utf8 = new TextEncoder();

/**
 * Check an actor name when the registry is set up: it travels in URLs and logs, so it is
 * limited to letters, digits, `_` and `-`, starting with a letter.
 */
export function assertValidName(name: string): void {
  if (name.length > MAX_NAME_LENGTH || !NAME_PATTERN.test(name)) {
    throw new Error(
      `Invalid actor name "${name}": use up to ${MAX_NAME_LENGTH} letters, digits, "_" or "-", starting with a letter.`,
    );
  }
}

/**
 * The canonical key: always an array. A string is the one-element array; no key,
 * `undefined` and `[]` are the same key. Matching is exact (no trimming, no Unicode
 * normalisation), so keys that merely look alike stay different actors. Keys from the wire
 * are unchecked, so any array is accepted here and a part that is not a string is
 * `actor/invalid_key`, like a part or key over its limit.
 */
export function normalizeKey(key: ActorKeyInput | readonly unknown[]): string[] {
  const parts = key === undefined ? [] : typeof key === "string" ? [key] : [...key];
  // Every part is at least `"",` in JSON: a key with too many parts fails before any is read.
  if (3 * parts.length + 1 > MAX_KEY_BYTES) throw keyTooLong();
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index];
    if (typeof part !== "string") {
      throw new ActorError("actor/invalid_key", `Key part ${index} is ${part === null ? "null" : `a ${typeof part}`}; every key part must be a string.`);
    }
    if (!fitsUtf8(part, MAX_KEY_PART_BYTES)) {
      throw new ActorError("actor/invalid_key", `Key part ${index} is ${utf8.encode(part).byteLength} bytes; the limit is ${MAX_KEY_PART_BYTES}.`);
    }
  }
  if (!fitsUtf8(JSON.stringify(parts), MAX_KEY_BYTES)) throw keyTooLong();
  return parts as string[];
}

const keyTooLong = () => new ActorError("actor/invalid_key", `The key is over ${MAX_KEY_BYTES} bytes as JSON; use fewer or shorter parts.`);

/**
 * Whether `text` is at most `limit` bytes in UTF-8. Checked on every call by key, so short
 * text is not encoded: one UTF-16 unit is at most 3 UTF-8 bytes.
 */
function fitsUtf8(text: string, limit: number): boolean {
  return text.length * 3 <= limit || utf8.encode(text).byteLength <= limit;
}

/**
 * The Durable Object name for an actor: JSON of `[name, ...key]` under a version prefix.
 * JSON quotes and escapes every part, so separators inside parts, empty parts and empty
 * keys can never make two different keys produce the same name.
 */
export function objectNameFor(name: string, key: readonly string[]): string {
  return `actorstate/v1:${JSON.stringify([name, ...key])}`;
}

/** A parsed actor id: the Durable Object and the generation it was minted for. */
export interface ActorId {
  doId: string;
  generation: number;
}

/** `${doId}:${generation}`. */
export function formatActorId(id: ActorId): string {
  return `${id.doId}:${id.generation}`;
}

/**
 * Parse `${doId}:${generation}` from the right, so the generation is always the last field.
 * Anything else — a missing or extra separator, a doId that is not 64 lowercase hex
 * characters, a generation that is not a non-negative safe integer — is `actor/invalid_id`.
 */
export function parseActorId(id: unknown): ActorId {
  const fail = () => new ActorError("actor/invalid_id", `${quoteInput(String(id))} is not an actor id ({doId}:{generation}).`);
  if (typeof id !== "string") throw fail();
  const colon = id.lastIndexOf(":");
  const doId = id.slice(0, colon);
  const generationText = id.slice(colon + 1);
  if (colon < 0 || !DO_ID_PATTERN.test(doId) || !/^(0|[1-9][0-9]*)$/.test(generationText)) throw fail();
  const generation = Number(generationText);
  if (!Number.isSafeInteger(generation)) throw fail();
  return { doId, generation };
}
