// internal/error shows its real message only under the local opt-in (ACTORSTATE_INSPECTOR=open),
// which this test Worker does not set: here, on every transport, it shows none. The
// end-to-end test tests/node/dev-errors.test.ts runs a Worker with the opt-in.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createHandler } from "actorstate";
import { registry } from "./fixtures/actors.ts";
import { expectActorError, ORIGIN, publicClient, uniqueKey } from "./helpers.ts";

const call = () =>
  new Request(`${ORIGIN}/v1/call`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ op: "action", actor: { name: "counter", key: ["k"] }, action: "get", args: [] }),
  });

async function errorOf(response: Response): Promise<{ group: string; code: string; message: string }> {
  return ((await response.json()) as { error: { group: string; code: string; message: string } }).error;
}

describe("internal errors without the local opt-in", () => {
  it("show no message over HTTP or a connection from outside", async () => {
    const outside = publicClient();
    const actor = outside.strict.getOrCreate(uniqueKey("crash"), { input: { owner: "ada" } });
    const overHttp = await expectActorError(actor.crash(), "internal/error");
    expect(overHttp.message).toMatch(/^Internal error \(id [0-9a-f-]{36}\); the actor's log has the details\.$/);
    const conn = actor.connect();
    const overSocket = await expectActorError(conn.crash(), "internal/error");
    expect(overSocket.message).toMatch(/^Internal error \(id [0-9a-f-]{36}\)/);
    expect(JSON.stringify([overHttp, overSocket].map((error) => error.toJSON()))).not.toMatch(/secret internal detail|at .*\.ts/);
    await conn.dispose();
  });
});

describe("mistakes in the Worker's setup", () => {
  it("name the missing binding to a developer who opted in, and to nobody else", async () => {
    const { handler } = createHandler(registry, { binding: "MISSING" });
    const hidden = await errorOf(await handler.fetch(call(), env));
    expect(hidden).toMatchObject({ group: "internal", code: "error" });
    expect(hidden.message).not.toContain("MISSING");
    const shown = await errorOf(await handler.fetch(call(), { ...env, ACTORSTATE_INSPECTOR: "open" }));
    expect(shown.message).toMatch(/^Error: actorstate: no Durable Object binding "MISSING" in env; bind ActorObject under that name in wrangler\.json\. \(internal error /);
  });

  it("say when the binding is not a Durable Object namespace", async () => {
    const { handler } = createHandler(registry);
    const shown = await errorOf(await handler.fetch(call(), { ...env, ACTORS: "a string", ACTORSTATE_INSPECTOR: "open" }));
    expect(shown.message).toContain("env.ACTORS is not a Durable Object namespace");
  });
});
