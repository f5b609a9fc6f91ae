import { env } from "cloudflare:test";
import { expect, vi } from "vitest";
import { createClient } from "actorstate/client";
import { ActorError, type ErrorCode } from "actorstate";
import { actorObject, outsideClient } from "actorstate/testing";
import type { ActorKeyInput } from "actorstate";
import type { registry } from "./fixtures/actors.ts";

/** The in-Worker client: trusted, so its calls and connections skip `onBeforeConnect`. */
export const client = createClient<typeof registry>({ binding: env.ACTORS });

/** The origin the test Worker is reached at from outside. */
export const ORIGIN = "https://actors.example.com";

/**
 * A client that reaches the test Worker from outside, through its handler (`SELF`): its
 * calls and connections pass `onBeforeConnect`, like those of a browser or a Node process.
 * `headers` go on every request and upgrade (cookies, an `Origin`).
 */
export function publicClient(options: { headers?: Record<string, string>; encoding?: "json" | "cbor" } = {}) {
  return outsideClient<typeof registry>({ endpoint: ORIGIN, ...options });
}

/** A key no other test uses, so tests never share actors. */
export function uniqueKey(label: string): string {
  return `${label}-${crypto.randomUUID()}`;
}

/** The Durable Object stub hosting an actor, for eviction and storage checks. */
export function objectOf(name: string, key: ActorKeyInput): DurableObjectStub {
  return actorObject(env.ACTORS, name, key);
}

/** Expect `work` to reject with an ActorError of `code`; returns the error for further checks. */
export async function expectActorError(work: Promise<unknown>, code: ErrorCode): Promise<ActorError> {
  const error = await work.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(ActorError);
  expect((error as ActorError).fullCode).toBe(code);
  return error as ActorError;
}

/** Retry `check` until it passes, for a few seconds at most (then its last failure is the test's). */
export function eventually(check: () => Promise<void>): Promise<void> {
  return vi.waitFor(check, { timeout: 5_000, interval: 10 });
}

/** A WebSocket to an actor's object speaking the JSON protocol by hand: what it received, and how it closed. */
export async function rawSocket(
  name: string,
  key: string,
): Promise<{ send(frame: string): void; frames: Array<Record<string, any>>; closed: Promise<number> }> {
  const response = await objectOf(name, key).fetch("https://actorstate.internal/connect", {
    headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": "actorstate.v1.json", "x-actorstate-target": JSON.stringify({ name, key: [key], create: false }) },
  });
  const socket = response.webSocket;
  if (!socket) throw new Error(`The object did not accept the socket (${response.status}).`);
  socket.accept();
  const frames: Array<Record<string, any>> = [];
  socket.addEventListener("message", (event) => frames.push(JSON.parse(event.data as string) as Record<string, any>));
  const closed = new Promise<number>((resolve) => socket.addEventListener("close", (event) => resolve(event.code)));
  return { send: (frame) => socket.send(frame), frames, closed };
}
