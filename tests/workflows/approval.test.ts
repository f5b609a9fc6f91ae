// A workflow actor is a full actor: onBeforeConnect on every public call, provide(c) with
// c.env and c.caller, and the params a caller signs in with never stored.
import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { outsideClient } from "actorstate/testing";
import { client, eventually, expectActorError, objectOf, uniqueKey } from "./helpers.ts";
import type { registry } from "./fixtures/worker.ts";

const GRACE = { token: "token-grace-7f3a" };
const ADA = { token: "token-ada-91c2" };
const outside = outsideClient<typeof registry>();

/** A fresh approval with grace as its reviewer, created from inside the Worker (trusted). */
async function freshApproval(label: string): Promise<string> {
  const key = uniqueKey(label);
  await client.approval.create(key, { input: { owner: "ada", reviewer: "grace" } });
  return key;
}

/** Every byte the actor's object stores, as text: where a token must never appear. */
function storedText(key: string): Promise<string> {
  return runInDurableObject(objectOf("approval", key), (_, state) => {
    const tables = state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'actorstate_%'").toArray();
    const decoder = new TextDecoder();
    return tables
      .flatMap(({ name }) => state.storage.sql.exec(`SELECT * FROM ${name}`).toArray())
      .flatMap((row) => Object.values(row).map((value) => (value instanceof ArrayBuffer ? decoder.decode(value) : String(value))))
      .join("\n");
  });
}

describe("workflow actors: onBeforeConnect guards every public call", () => {
  it("refuses send and snapshot over HTTP without a known token, and changes nothing", async () => {
    const key = await freshApproval("refused-http");
    await expectActorError(outside.approval.get(key).send({ type: "SUBMIT" }), "auth/forbidden");
    await expectActorError(outside.approval.get(key, { params: { token: "guess" } }).send({ type: "SUBMIT" }), "auth/forbidden");
    await expectActorError(outside.approval.get(key, { params: { token: "guess" } }).snapshot(), "auth/forbidden");
    expect((await client.approval.get(key).snapshot()).value).toBe("draft");
  });

  it("refuses a connection with a wrong token with auth/forbidden", async () => {
    const key = await freshApproval("refused-conn");
    const conn = outside.approval.get(key).connect({ token: "guess" });
    const error = await expectActorError(conn.ready(), "auth/forbidden");
    expect(error.message).toBe("Sign in with a known token.");
    expect((await client.approval.get(key).snapshot()).value).toBe("draft");
  });

  it("refuses destroy and inspect from outside without a token", async () => {
    const key = await freshApproval("refused-destroy");
    await expectActorError(outside.approval.get(key).destroy(), "auth/forbidden");
    await expectActorError(outside.approval.get(key).inspect(), "auth/forbidden");
    expect((await client.approval.get(key).inspect()).lifecycle).toBe("running");
  });

  it("lets a signed-in caller send over HTTP and over a connection", async () => {
    const key = await freshApproval("signed-in");
    expect((await outside.approval.get(key, { params: ADA }).send({ type: "SUBMIT" })).value).toBe("review");
    const conn = outside.approval.get(key).connect(GRACE);
    const views: string[] = [];
    conn.on("snapshot", (view) => views.push(JSON.stringify(view.value)));
    expect((await conn.send({ type: "APPROVE" })).context.approvedBy).toBe("grace");
    await eventually(async () => expect(views).toContain('"approved"'));
    await conn.dispose();
  });
});

describe("workflow actors: connection hooks", () => {
  it("runs onConnect with the machine's snapshot in c", async () => {
    const key = await freshApproval("on-connect");
    const conn = outside.approval.get(key).connect(ADA);
    const first = new Promise<string>((resolve) => conn.once("snapshot", (view) => resolve(JSON.stringify(view.value))));
    expect(await first).toBe('"draft"');
    await conn.dispose();
  });
});

describe("workflow actors: provide(c) gives the machine the actor's c", () => {
  it("lets a guard decide by c.caller.auth: only the reviewer approves", async () => {
    const key = await freshApproval("guard-caller");
    await outside.approval.get(key, { params: ADA }).send({ type: "SUBMIT" });
    const refused = await expectActorError(outside.approval.get(key, { params: ADA }).send({ type: "APPROVE" }), "machine/event_not_accepted");
    expect(refused.metadata).toEqual({ state: "review", reason: "guards_refused", guards: ["isReviewer"] });
    expect(refused.message).toContain("isReviewer");
    // In-Worker calls have no caller: the guard refuses them too.
    await expectActorError(client.approval.get(key).send({ type: "APPROVE" }), "machine/event_not_accepted");
    const approved = await outside.approval.get(key, { params: GRACE }).send({ type: "APPROVE" });
    expect(approved.context.approvedBy).toBe("grace");
  });

  it("runs a promise actor that reads c.env and c.key", async () => {
    const key = await freshApproval("env-receipt");
    await outside.approval.get(key, { params: ADA }).send({ type: "SUBMIT" });
    await outside.approval.get(key, { params: GRACE }).send({ type: "APPROVE" });
    await eventually(async () => {
      const view = await client.approval.get(key).snapshot();
      expect(view).toMatchObject({ status: "done", output: { by: "grace", receipt: `${(env as unknown as { RECEIPT_PREFIX: string }).RECEIPT_PREFIX}/${key}/grace` } });
    });
  });

  it("says when the state has no transition for an event, apart from a guard's refusal", async () => {
    const key = await freshApproval("not-handled");
    const error = await expectActorError(client.approval.get(key).send({ type: "APPROVE" }), "machine/event_not_accepted");
    expect(error.metadata).toEqual({ state: "draft", reason: "not_handled" });
    expect(error.message).toBe('The machine has no transition for "APPROVE" in state "draft".');
  });

  it("names an inline guard by its code", async () => {
    const key = await freshApproval("inline-guard");
    await client.approval.get(key).send({ type: "SUBMIT" });
    const error = await expectActorError(client.approval.get(key).send({ type: "COMMENT", text: "" }), "machine/event_not_accepted");
    expect(error.metadata).toMatchObject({ reason: "guards_refused", guards: ["event.text.length > 0"] });
  });
});

describe("workflow actors: the params a caller signs in with are never stored", () => {
  it("keeps no token in state, history, transition log or any table", async () => {
    const key = await freshApproval("no-secrets");
    await outside.approval.get(key, { params: ADA }).send({ type: "SUBMIT" });
    const conn = outside.approval.get(key).connect(GRACE);
    await conn.send({ type: "APPROVE" });
    await eventually(async () => expect((await client.approval.get(key).snapshot()).status).toBe("done"));
    const stored = await storedText(key);
    expect(stored).toContain("SUBMIT");
    expect(stored).not.toContain(GRACE.token);
    expect(stored).not.toContain(ADA.token);
    await conn.dispose();
  });
});

describe("workflow actors in the directory", () => {
  it("lists a finished workflow as done beside its running lifecycle", async () => {
    const key = await freshApproval("listed-done");
    const listed = async () => {
      const page = await client.approval.list({ limit: 1000 });
      return page.actors.find((entry) => entry.key[0] === key);
    };
    await eventually(async () => expect(await listed()).toMatchObject({ lifecycle: "running", workflow: { status: "active" } }));
    await outside.approval.get(key, { params: ADA }).send({ type: "SUBMIT" });
    await outside.approval.get(key, { params: GRACE }).send({ type: "APPROVE" });
    await eventually(async () => expect(await listed()).toMatchObject({ lifecycle: "running", workflow: { status: "done" } }));
  });
});

describe("workflow actors: bad input is refused by name", () => {
  it("refuses extra arguments to send and snapshot with action/invalid_args", async () => {
    const key = await freshApproval("extra-args");
    const call = (action: string, args: unknown[]) =>
      SELF.fetch("https://example.com/v1/call", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ op: "action", actor: { name: "approval", key: [key] }, action, args, params: ADA }),
      }).then((response) => response.json() as Promise<{ error?: { group: string; code: string; message: string } }>);
    const send = await call("send", [{ type: "SUBMIT" }, { type: "SUBMIT" }]);
    expect(send.error).toMatchObject({ group: "action", code: "invalid_args" });
    expect(send.error?.message).toContain("send takes one event; it was given 2 arguments");
    expect((await call("snapshot", ["extra"])).error).toMatchObject({ group: "action", code: "invalid_args" });
    expect((await client.approval.get(key).snapshot()).value).toBe("draft");
  });

  it("repeats at most 100 characters of a huge event type in the error", async () => {
    const key = await freshApproval("huge-type");
    const type = "X".repeat(900_000);
    const error = await expectActorError(client.approval.get(key).send({ type } as never), "machine/event_not_accepted");
    expect(error.message.length).toBeLessThan(300);
    expect(error.message).toContain(`"${"X".repeat(100)}…" (900000 characters)`);
  });
});
