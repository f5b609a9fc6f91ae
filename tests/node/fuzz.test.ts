import { describe, expect, inject, it } from "vitest";
import { createClient } from "actorstate/client";
import { decodeMessage, encodeKeySegment, encodeMessage, type Encoding } from "../../runtime/protocol/encoding.ts";
import type { registry } from "../workers/fixtures/actors.ts";
import { seededRandom } from "../support/random.ts";

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

async function openRaw(key: string, encoding: Encoding): Promise<{ socket: WebSocket; received: unknown[]; closed: Promise<number> }> {
  const url = `${endpoint.replace("http", "ws")}/v1/actors/counter/key/${encodeKeySegment([key])}/connect?create=1`;
  const socket = new WebSocket(url, `actorstate.v1.${encoding}`);
  socket.binaryType = "arraybuffer";
  const received: unknown[] = [];
  const closed = new Promise<number>((resolve) => socket.addEventListener("close", (event) => resolve(event.code)));
  socket.addEventListener("message", (event) => received.push(event.data));
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve());
    socket.addEventListener("error", () => reject(new Error("could not open")));
  });
  socket.send(encodeMessage(encoding, { t: "hello" }) as string);
  return { socket, received, closed };
}

function decoded(encoding: Encoding, data: unknown): Record<string, unknown> {
  return decodeMessage(encoding, data as string | ArrayBuffer) as Record<string, unknown>;
}

describe("fuzzing a live connection", () => {
  for (const [encoding, count, seed] of [["json", 3000, 7], ["cbor", 1500, 11]] as const) {
    it(`survives ${count} random and mutated ${encoding.toUpperCase()} frames, losing nothing`, async () => {
      const key = `fuzz-${encoding}-${crypto.randomUUID()}`;
      const counter = client.counter.getOrCreate(key);
      expect(await counter.increment(42)).toBe(42);
      const { socket, received, closed } = await openRaw(key, encoding);
      for (const frame of fuzzFrames(encoding, count, seed)) socket.send(frame as string);
      // A valid call after the storm: when its result arrives, every frame before it was handled.
      socket.send(encodeMessage(encoding, { t: "action", id: 999_999, name: "get", args: [] }) as string);
      const deadline = Date.now() + 20_000;
      while (!received.some((data) => decoded(encoding, data).id === 999_999) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const frames = received.map((data) => decoded(encoding, data));
      expect(frames.find((frame) => frame.id === 999_999)).toEqual({ t: "result", id: 999_999, ok: true, value: 42 });
      // Every answer the fuzzer got is a protocol frame, and errors name contract codes.
      for (const frame of frames) {
        expect(["welcome", "result", "error", "event"]).toContain(frame.t);
        const error = frame.error as { group?: string; code?: string } | undefined;
        if (error) expect(`${error.group}/${error.code}`).toMatch(/^(request\/(invalid|too_large)|action\/(not_found|invalid_args)|actor\/\w+|internal\/error)$/);
      }
      expect(frames.filter((frame) => frame.t === "error").length).toBeGreaterThan(count / 4);
      // The object keeps serving others, and the state is intact.
      expect(await client.counter.get(key).get()).toBe(42);
      expect(await client.counter.get(key).increment(1)).toBe(43);
      socket.close(1000);
      expect(await closed).toBe(1000);
    });
  }
});
