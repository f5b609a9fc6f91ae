// Generators of `POST /v1/call` bodies for the HTTP fuzz: truncated and mutated requests,
// requests of the right shape with wrong types, and plain values (including hand-made CBOR
// encodings) that must survive a round trip through an actor's KV. Each case says what
// the server owes it.
import { decodeMessage, encodeMessage, type Encoding } from "../../runtime/protocol/encoding.ts";
import type { seededRandom } from "../support/random.ts";

type Random = ReturnType<typeof seededRandom>;

/** What the server must answer a case with, beyond never answering 5xx or internal/error. */
export type Expectation =
  | { kind: "invalid" } // 400 request/invalid
  | { kind: "any" } // any protocol answer
  | { kind: "stored"; kvKey: string; value: unknown }; // 200, and a later get returns `value`

export interface RequestCase {
  label: string;
  encoding: Encoding;
  body: Uint8Array;
  expect: Expectation;
  /** Send the body as a stream in chunks of these sizes (Transfer-Encoding: chunked). */
  chunks?: number[];
}

/** The actors every case talks to (from the e2e Worker's fixtures). */
export interface Targets {
  /** Keys of a live counter, a live store and a live strict actor (validated arguments). */
  counter: string;
  store: string;
  strict: string;
  /** The counter's actor id. */
  counterId: string;
}

const utf8 = new TextEncoder();

export function encodeBody(encoding: Encoding, message: unknown): Uint8Array {
  const encoded = encodeMessage(encoding, message);
  return typeof encoded === "string" ? utf8.encode(encoded) : encoded;
}

/** A value for labels: JSON, with bigints shown, cut short. */
export function describeValue(value: unknown, length = 120): string {
  return String(JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v))).slice(0, length);
}

/**
 * Valid requests that change nothing but the actors the fuzz owns. Their actions either
 * ignore their arguments or validate them: an action that takes whatever it is given and
 * throws on a wrong type is the actor's bug (answered internal/error, as it should be),
 * not the protocol's.
 */
function templates(t: Targets): Array<Record<string, unknown>> {
  return [
    { op: "action", actor: { name: "counter", key: [t.counter], create: {} }, action: "get", args: [] },
    { op: "action", actor: { name: "strict", key: [t.strict], create: { input: { owner: "fuzz" } } }, action: "items", args: [] },
    { op: "action", actor: { name: "strict", key: [t.strict] }, action: "add", args: ["thing", 2] },
    { op: "action", actor: { name: "counter", key: [t.counter] }, action: "nope", args: [1, "two", null, { three: [true] }] },
    { op: "resolve", actor: { name: "counter", key: [t.counter] } },
    { op: "inspect", actor: { name: "counter", id: t.counterId } },
    { op: "create", actor: { name: "counter", key: [t.counter] }, mode: "getOrCreate", input: { start: 1 } },
    { op: "list", actor: { name: "counter" }, limit: 2, lifecycle: "running" },
  ];
}

/** A valid request cut short anywhere: never valid JSON or CBOR. */
export function truncated(random: Random, encoding: Encoding, targets: Targets): RequestCase {
  const body = encodeBody(encoding, random.pick(templates(targets)));
  const cut = 1 + random.int(body.length - 1);
  return { label: `truncated at ${cut} of ${body.length}`, encoding, body: body.slice(0, cut), expect: { kind: "invalid" } };
}

/**
 * A valid request with a few bytes flipped, dropped or inserted. Whether it still decodes
 * (with the server's own decoder) decides what is owed: undecodable means request/invalid,
 * anything else a protocol answer.
 */
export function mutated(random: Random, encoding: Encoding, targets: Targets): RequestCase {
  const bytes = Array.from(encodeBody(encoding, random.pick(templates(targets))));
  for (let edits = 1 + random.int(4); edits > 0; edits--) {
    const at = random.int(bytes.length + 1);
    const op = random.int(3);
    if (op === 0 && bytes.length) bytes[at % bytes.length] = encoding === "json" && random.next() < 0.7 ? 32 + random.int(95) : random.int(256);
    else if (op === 1) bytes.splice(at, 1);
    else bytes.splice(at, 0, random.int(256));
  }
  const body = Uint8Array.from(bytes);
  let decoded: unknown;
  try {
    decoded = decodeMessage(encoding, body);
  } catch {
    return { label: "mutated, undecodable", encoding, body, expect: { kind: "invalid" } };
  }
  return { label: `mutated: ${describeValue(decoded)}`, encoding, body, expect: { kind: "any" } };
}

/** Wrong-typed stand-ins for a field. */
function wrongValue(random: Random): unknown {
  return random.pick<() => unknown>([
    () => random.pick([0, -1, 1.5, 2 ** 60, Number.MAX_VALUE]),
    () => random.pick(["", "x", "counter", "💥".repeat(50), "a".repeat(2000)]),
    () => null,
    () => random.pick([true, false]),
    () => random.pick([[], [1], ["a", 1], [[]]]),
    () => random.pick([{}, { name: 1 }, { key: "x" }, { id: null }]),
    () => JSON.parse("[".repeat(40) + "]".repeat(40)),
  ])();
}

/** A valid request with one field (at any depth) replaced by a wrong type, or removed. */
export function wrongShape(random: Random, encoding: Encoding, targets: Targets): RequestCase {
  const request = structuredClone(random.pick(templates(targets)));
  const paths: Array<[Record<string, unknown>, string]> = [];
  const collect = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      paths.push([node as Record<string, unknown>, key]);
      collect(value);
    }
  };
  collect(request);
  const [parent, key] = random.pick(paths);
  if (random.next() < 0.2) delete parent[key];
  else parent[key] = wrongValue(random);
  return { label: `wrong shape: ${describeValue(request, 160)}`, encoding, body: encodeBody(encoding, request), expect: { kind: "any" } };
}

/** Plain values, JSON-safe ones for JSON. */
function plainValue(random: Random, encoding: Encoding, depth = 0): unknown {
  const leaves: Array<() => unknown> = [
    () => null,
    () => random.pick([true, false]),
    () => random.pick([0, 1, -1, 2 ** 31, 2 ** 53 - 1, -(2 ** 53 - 1), 0.1, -1e-300, 1.7976931348623157e308]),
    () => random.pick(["", "ü€𝄞", "\u0000", "line\nbreak", "\"quoted\"", "x".repeat(10_000)]),
    () => Uint8Array.from({ length: random.int(64) }, () => random.int(256)),
    () => new Date(random.int(4_000_000_000_000) - 1_000_000_000_000),
  ];
  if (encoding === "cbor") leaves.push(() => random.pick([-0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]));
  if (depth < 6 && random.next() < 0.4) {
    return random.next() < 0.5
      ? Array.from({ length: random.int(5) }, () => plainValue(random, encoding, depth + 1))
      : Object.fromEntries(Array.from({ length: random.int(5) }, (_, i) => [random.pick([`k${i}`, "", "ü", "$bytes2", "__proto__x"]) + i, plainValue(random, encoding, depth + 1)]));
  }
  return random.pick(leaves)();
}

/** CBOR encodings of plain values that no encoder of ours writes, but a peer may. */
function handMadeCbor(random: Random): Uint8Array {
  const made: Array<() => number[]> = [
    () => [0x9f, 0x01, 0x02, 0x63, 0x61, 0x62, 0x63, 0xff], // indefinite array [1, 2, "abc"]
    () => [0xbf, 0x61, 0x61, 0x01, 0x61, 0x62, 0x9f, 0xff, 0xff], // indefinite map { a: 1, b: [] }
    () => [0xf9, 0x3c, 0x00], // half-float 1.0
    () => [0xf9, 0x7e, 0x00], // half-float NaN
    () => [0xfa, 0x47, 0xc3, 0x50, 0x00], // single float 100000.0
    () => [0xc1, 0x1a, 0x6b, 0x49, 0xd2, 0x00], // tag 1, integer epoch seconds
    () => [0xc1, 0xfb, 0x41, 0xda, 0x52, 0x83, 0x80, 0x00, 0x00, 0x00], // tag 1, float epoch seconds
    () => [0xc0, 0x74, ...utf8.encode("2030-01-02T03:04:05Z")], // tag 0, ISO text
    () => [0xd8, 0x40, 0x43, 0x01, 0x02, 0x03], // tag 64: a Uint8Array
    () => [0xf7], // undefined
    () => [0xa1, 0x61, 0x61, 0xa1, 0x61, 0x61, 0xa0], // { a: { a: {} } }
  ];
  return Uint8Array.from(random.pick(made)());
}

/** A `put` to the store of `kvKey`, with `raw` (a value's encoding, as it is) spliced in as the value. */
export function putWithRawValue(encoding: Encoding, targets: Targets, kvKey: string, raw: Uint8Array): Uint8Array {
  const marker = "@@value-goes-here@@";
  const request = encodeBody(encoding, { op: "action", actor: { name: "store", key: [targets.store] }, action: "put", args: [kvKey, marker] });
  const needle = encoding === "json" ? utf8.encode(JSON.stringify(marker)) : encodeBody("cbor", marker);
  const at = indexOf(request, needle);
  return Uint8Array.from([...request.subarray(0, at), ...raw, ...request.subarray(at + needle.length)]);
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error("marker not found");
}

/** A `put` of a plain value (sometimes hand-encoded) that a later `get` must return as it was. */
export function roundTrip(random: Random, encoding: Encoding, targets: Targets, index: number): RequestCase {
  const kvKey = `rt-${encoding}-${index}`;
  let raw: Uint8Array;
  if (encoding === "cbor" && random.next() < 0.3) raw = handMadeCbor(random);
  else if (encoding === "json" && random.next() < 0.2) raw = utf8.encode(random.pick([' [ 1 ,\t2 ]', "1e2", "-0.0", '"\\u00fc\\ud834\\udd1e"', '{"a":1,"a":2}', '{"$bytes":"AAH/"}', '{"$date":"2030-01-02T03:04:05.000Z"}']));
  else raw = encodeBody(encoding, plainValue(random, encoding));
  const value = decodeMessage(encoding, raw);
  return { label: `round trip of ${describeValue(value, 100)}`, encoding, body: putWithRawValue(encoding, targets, kvKey, raw), expect: { kind: "stored", kvKey, value } };
}

/** Chunk sizes that add up to `length`. */
export function chunking(random: Random, length: number): number[] {
  const chunks: number[] = [];
  for (let left = length; left > 0; ) {
    const size = Math.min(left, 1 + random.int(Math.max(1, Math.ceil(length / 3))));
    chunks.push(size);
    left -= size;
  }
  return chunks;
}
