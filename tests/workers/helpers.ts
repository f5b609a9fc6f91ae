import { env } from "cloudflare:test";
import { expect } from "vitest";
import { createClient } from "actorstate/client";
import { ActorError, type ErrorCode } from "actorstate";
import { actorObject } from "actorstate/testing";
import type { ActorKeyInput } from "actorstate";
import type { registry } from "./fixtures/actors.ts";

export const client = createClient<typeof registry>({ binding: env.ACTORS });

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
