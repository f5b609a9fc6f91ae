import { Encoder, type Options } from "cbor-x/encode";

// Records off: stored bytes must decode on their own, never through an encoder's shared
// structures. cbor-x's ES modules (its no-eval build is one UMD file, a fifth of a Worker's
// bundle, that nothing can tree-shake): they generate code only to decode records, which
// workerd forbids at request time (cbor-x compiles a structure after it has read it thrice), so such a
// message fails to decode and is refused as invalid — records are not part of the protocol.
// int64AsNumber: an integer that another client's encoder wrote in 8 bytes is still a
// number (cbor-x itself writes large numbers as floats), as it would be in JSON; only the
// bignum tags decode to bigints, which are not plain data. The option is in cbor-x's README
// but missing from its types.
const cbor = new Encoder({ useRecords: false, int64AsNumber: true } as Options);

/** Why a value cannot be stored or sent: where in it, and what was found there. */
export class NotSerialisableError extends Error {
  override readonly name = "NotSerialisableError";
  readonly path: string;
  readonly found: string;

  constructor(path: string, found: string) {
    super(`${path} is ${found}, which cannot be stored or sent; use plain data.`);
    this.path = path;
    this.found = found;
  }
}

function describe(value: unknown): string {
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  if (typeof value === "bigint") return "a bigint";
  const name = (value as object).constructor?.name;
  return name ? `a ${name}` : "an object with a custom prototype";
}

/** How deeply plain data may nest. */
export const MAX_DEPTH = 256;

/**
 * Check that `value` is plain data, the only thing every transport and the state store
 * carry the same way: `null`, `undefined`, booleans, numbers, strings, `Uint8Array`,
 * valid `Date`s, arrays and plain objects, without cycles. Throws {@link NotSerialisableError}.
 */
export function assertPlainData(value: unknown, path = "value", ancestors: object[] = []): void {
  switch (typeof value) {
    case "undefined":
    case "boolean":
    case "number":
    case "string":
      return;
    case "object":
      break;
    default:
      throw new NotSerialisableError(path, describe(value));
  }
  if (value === null || value instanceof Uint8Array) return;
  if (value instanceof Date) {
    // An invalid Date stores fine but cannot be written as JSON: every reply holding it would fail.
    if (Number.isNaN(value.getTime())) throw new NotSerialisableError(path, "an invalid Date");
    return;
  }
  if (ancestors.includes(value)) throw new NotSerialisableError(path, "a circular reference");
  // Deeper than any data needs, and deep enough to overflow the stack of whoever walks it.
  if (ancestors.length >= MAX_DEPTH) throw new NotSerialisableError(path, `nested deeper than ${MAX_DEPTH} levels`);
  ancestors.push(value);
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertPlainData(item, `${path}[${index}]`, ancestors));
  } else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) throw new NotSerialisableError(path, describe(value));
    for (const [key, item] of Object.entries(value)) assertPlainData(item, `${path}.${key}`, ancestors);
  }
  ancestors.pop();
}

/**
 * Encode plain data as CBOR, checking it first. The result is a fresh, exactly sized
 * Uint8Array: cbor-x hands out a Node Buffer where one exists, whose `slice()` is a view
 * into the encoder's shared buffer, not a copy.
 */
export function encodeValue(value: unknown, path = "value"): Uint8Array {
  assertPlainData(value, path);
  // Where Node's Buffer exists (nodejs_compat) cbor-x returns a Buffer view, and making one
  // is a polyfill's work in workerd; read the bytes from its own buffer instead, which it
  // then reuses from the start.
  const target = (cbor.encode as (value: unknown, options: number) => unknown)(value, REUSE_BUFFER | RESET_BUFFER) as Uint8Array & { start: number; end: number };
  return new Uint8Array(target.buffer, target.byteOffset + target.start, target.end - target.start).slice();
}

// cbor-x's encode options (its encode.js): return the whole buffer with the value between
// `start` and `end`, and write the next value from the same place. Not in its types.
const REUSE_BUFFER = 512;
const RESET_BUFFER = 1024;

/** Decode CBOR written by {@link encodeValue}. */
export function decodeValue(bytes: ArrayBuffer | Uint8Array): unknown {
  return cbor.decode(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
}

/** SQLite bindings take an ArrayBuffer: the bytes of a view, copied only when the view is partial. */
export function toBlob(bytes: Uint8Array): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) return buffer;
  return new Uint8Array(bytes).buffer;
}

/** Whether two encodings are byte-for-byte equal: how a save knows nothing changed. */
export function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
