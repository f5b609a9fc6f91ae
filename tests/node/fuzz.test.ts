import { describe, expect, inject, it } from "vitest";
import { createClient } from "actorstate/client";
import { encodeMessage, type Encoding } from "../../runtime/protocol/encoding.ts";
import type { registry } from "../workers/fixtures/actors.ts";
import { seededRandom } from "../support/random.ts";
import { openRawConnection } from "./raw-connection.ts";

const endpoint = inject("endpoint");
const client = createClient<typeof registry>({ endpoint, encoding: "cbor" });


/**
 * Valid frames a fuzzer starts from; none of them changes the counter. No `hello`: a second
 * one ends the connection (close 4400), which the handshake tests check on their own.
 */
const templates = [
  { t: "action", id: 1, name: "get", args: [] },
  { t: "subscribe", event: "changed" },
  { t: "unsubscribe", event: "changed" },
  { t: "action", id: 2, name: "nope", args: [1, "two", null] },
];

/** Random bytes, random text, mutated valid frames and valid shapes with wrong types. */
function fuzzFrames(encoding: Encoding, count: number, seed: number): Array<string | Uint8Array> {
  const rng = seededRandom(seed);
  const frames: Array<string | Uint8Array> = [];
  for (let i = 0; i < count; i++) {
    const template = templates[rng.int(templates.length)] as Record<string, unknown>;
    const valid = encodeMessage(encoding, template);
    const bytes = typeof valid === "string" ? new TextEncoder().encode(valid) : valid;
    switch (rng.int(5)) {
      case 0: // random bytes
        frames.push(Uint8Array.from({ length: rng.int(200) }, () => rng.int(256)));
        break;
      case 1: // random text
        frames.push(Array.from({ length: rng.int(120) }, () => String.fromCharCode(32 + rng.int(95))).join(""));
        break;
      case 2: {
        // flip, drop or insert bytes of a valid frame
        const mutated = Array.from(bytes);
        for (let m = 1 + rng.int(4); m > 0; m--) {
          const at = rng.int(mutated.length + 1);
          const op = rng.int(3);
          if (op === 0 && mutated.length) mutated[at % mutated.length] = rng.int(256);
          else if (op === 1) mutated.splice(at, 1);
          else mutated.splice(at, 0, rng.int(256));
        }
        const frame = Uint8Array.from(mutated);
        frames.push(encoding === "json" && rng.next() < 0.5 ? new TextDecoder().decode(frame) : frame);
        break;
      }
      case 3: {
        // the right shape with the wrong types
        const wrong = { ...template, [Object.keys(template)[rng.int(Object.keys(template).length)] as string]: [{}, 7, "x", null, [[]]][rng.int(5)] };
        frames.push(encodeMessage(encoding, wrong));
        break;
      }
      default:
        frames.push(valid);
    }
  }
  return frames;
}

/** The error codes the contract names for what a fuzzer sends. */
const CONTRACT_CODES = /^(request\/(invalid|too_large)|action\/(not_found|invalid_args)|actor\/\w+|internal\/error)$/;

describe("fuzzing a live connection", () => {
  for (const [encoding, count, seed] of [["json", 3000, 7], ["cbor", 1500, 11]] as const) {
    it(`survives ${count} random and mutated ${encoding.toUpperCase()} frames, losing nothing`, async () => {
      const key = `fuzz-${encoding}-${crypto.randomUUID()}`;
      const counter = client.counter.getOrCreate(key);
      expect(await counter.increment(42)).toBe(42);
      const connection = await openRawConnection(endpoint, { name: "counter", key: [key], encoding });
      connection.send({ t: "hello" });
      for (const frame of fuzzFrames(encoding, count, seed)) connection.sendRaw(frame);
      // A valid call after the storm: when its result arrives, every frame before it was handled.
      connection.send({ t: "action", id: 999_999, name: "get", args: [] });
      await connection.until(() => connection.received.some((frame) => frame.id === 999_999), 20_000);
      const frames = connection.received;
      expect(frames.find((frame) => frame.id === 999_999)).toEqual({ t: "result", id: 999_999, ok: true, value: 42 });
      // Every answer the fuzzer got is a protocol frame, and errors name contract codes.
      expect(frames.filter((frame) => !["welcome", "result", "error", "event"].includes(frame.t as string))).toEqual([]);
      const codes = frames.flatMap((frame) => (frame.error ? [`${frame.error.group}/${frame.error.code}`] : []));
      expect(codes.filter((code) => !CONTRACT_CODES.test(code))).toEqual([]);
      expect(frames.filter((frame) => frame.t === "error").length).toBeGreaterThan(count / 4);
      // The object keeps serving others, and the state is intact.
      expect(await client.counter.get(key).get()).toBe(42);
      expect(await client.counter.get(key).increment(1)).toBe(43);
      await connection.close();
      expect(connection.closed?.code).toBe(1000);
    });
  }
});
