// Errors a developer can act on: under the local opt-in (ACTORSTATE_INSPECTOR=open, as
// `npm start` runs the example) internal/error carries the real message, on every transport;
// the same Worker without it (the production setting) shows only an error id.
import { describe, expect, inject, it } from "vitest";
import { ActorError, createClient } from "actorstate/client";
import type { registry } from "../workers/fixtures/actors.ts";

const unique = (label: string) => `${label}-${crypto.randomUUID()}`;

async function failure(work: Promise<unknown>): Promise<ActorError> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ActorError);
  return error as ActorError;
}

describe("internal/error", () => {
  const local = createClient<typeof registry>(inject("localEndpoint"));
  const deployed = createClient<typeof registry>(inject("endpoint"));

  it("carries the real message, never the stack, when the developer opted in", async () => {
    const strict = local.strict.getOrCreate(unique("crash"), { input: { owner: "ada" } });
    const overHttp = await failure(strict.crash());
    expect(overHttp.fullCode).toBe("internal/error");
    expect(overHttp.message).toMatch(/^Error: secret internal detail \(internal error [0-9a-f-]{36}; shown because ACTORSTATE_INSPECTOR=open\)$/);
    const stored = await failure(strict.storeFunction());
    expect(stored.message).toContain("state.items[0] is a function, which cannot be stored or sent; use plain data.");
    const conn = strict.connect();
    const overSocket = await failure(conn.crash());
    expect(overSocket.message).toContain("Error: secret internal detail");
    expect(JSON.stringify([overHttp, stored, overSocket].map((error) => error.toJSON()))).not.toMatch(/\n\s+at /);
    await conn.dispose();
  });

  it("tells a developer whose Durable Object class is not SQLite-backed how to fix the migration", async () => {
    // /__fixtures/legacy serves a class migrated with new_classes (tests/workers/wrangler.json).
    const wrongMigration = createClient<typeof registry>(`${inject("localEndpoint")}/__fixtures/legacy`);
    const error = await failure(wrongMigration.counter.getOrCreate(unique("legacy")).get());
    expect(error.fullCode).toBe("internal/error");
    expect(error.message).toContain("change `new_classes` to `new_sqlite_classes`");
    const deployedLegacy = createClient<typeof registry>(`${inject("endpoint")}/__fixtures/legacy`);
    expect((await failure(deployedLegacy.counter.getOrCreate(unique("legacy")).get())).message).not.toContain("new_sqlite_classes");
  });

  it("shows only an error id without the opt-in", async () => {
    const strict = deployed.strict.getOrCreate(unique("crash"), { input: { owner: "ada" } });
    const error = await failure(strict.crash());
    expect(error.message).toMatch(/^Internal error \(id [0-9a-f-]{36}\); the actor's log has the details\.$/);
  });
});
