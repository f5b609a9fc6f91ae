import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { client, eventually, expectActorError, objectOf, uniqueKey } from "./helpers.ts";

const guest = (name: string, extra: { pad?: number } = {}) => ({ name, token: "letmein", ...extra });

type Listener = { on(event: string, listener: (...args: any[]) => void): () => void };

/** Everything a connection hears of `event`, in order. */
function heard(conn: Listener, event: string): unknown[][] {
  const seen: unknown[][] = [];
  conn.on(event, (...args) => seen.push(args));
  return seen;
}

async function connect(key: string, name: string) {
  const conn = client.chat.getOrCreate(key).connect(guest(name));
  await conn.ready();
  return conn;
}

describe("connection state", () => {
  it("is made by createConnState before onConnect, and kept across actions", async () => {
    const key = uniqueKey("state");
    const ada = await connect(key, "ada");
    expect(await ada.me()).toMatchObject({ params: guest("ada"), state: { name: "ada", sent: 0 } });
    await ada.post("one");
    await ada.post("two");
    expect((await ada.me())?.state).toEqual({ name: "ada", sent: 2 });
    expect(await client.chat.get(key).roster()).toEqual(["ada:2"]);
    // onConnect saw the state createConnState made.
    expect(await client.chat.get(key).log()).toEqual(["connect:ada"]);
    await ada.dispose();
  });

  it("takes a new value assigned to conn.state", async () => {
    const ada = await connect(uniqueKey("assign"), "ada");
    await ada.post("hi");
    await ada.rename("ada lovelace");
    expect((await ada.me())?.state).toEqual({ name: "ada lovelace", sent: 1 });
    await ada.dispose();
  });

  it("survives the object hibernating, and reaches onDisconnect", async () => {
    const key = uniqueKey("hibernate");
    const ada = await connect(key, "ada");
    await ada.post("before");
    await evictDurableObject(objectOf("chat", key), { webSockets: "hibernate" });
    expect((await ada.me())?.state).toEqual({ name: "ada", sent: 1 });
    await ada.post("after");
    await evictDurableObject(objectOf("chat", key), { webSockets: "hibernate" });
    expect(await client.chat.get(key).roster()).toEqual(["ada:2"]);
    await ada.dispose();
    await eventually(async () => expect(await client.chat.get(key).log()).toEqual(["connect:ada", "disconnect:ada:2"]));
  });

  it("fails an action that grows it past the limit, and keeps what was stored", async () => {
    const key = uniqueKey("hoard");
    const ada = await connect(key, "ada");
    await ada.post("hi");
    await expectActorError(ada.hoard(4_000), "internal/error");
    expect((await ada.me())?.state).toEqual({ name: "ada", sent: 1 });
    await evictDurableObject(objectOf("chat", key), { webSockets: "hibernate" });
    expect((await ada.me())?.state).toEqual({ name: "ada", sent: 1 });
    // A state within the limit is fine.
    await ada.hoard(1_000);
    expect((await ada.me())?.state.name).toHaveLength(1_000);
    await ada.dispose();
  });

  it("refuses a connection whose createConnState makes a state past the limit", async () => {
    const key = uniqueKey("too-big");
    const conn = client.chat.getOrCreate(key).connect(guest("eve", { pad: 3_000 }));
    await expectActorError(conn.ready(), "internal/error");
    // It never opened: no onConnect, and nothing left behind.
    expect(await client.chat.get(key).log()).toEqual([]);
    expect(await client.chat.get(key).roster()).toEqual([]);
  });

  it("uses the handle's params when connect() is given none", async () => {
    const conn = client.chat.getOrCreate(uniqueKey("handle-params"), { params: guest("dan") }).connect();
    await conn.ready();
    expect((await conn.me())?.state).toEqual({ name: "dan", sent: 0 });
    await conn.dispose();
  });
});

describe("broadcasts that leave connections out", () => {
  it("sends to everyone but the caller, the joiner, or the named connections", async () => {
    const key = uniqueKey("except");
    const ada = await connect(key, "ada");
    const adaJoins = heard(ada, "joined");
    const adaTyping = heard(ada, "typing");
    const adaMessages = heard(ada, "message");
    // Each joiner is announced to the others, not to itself.
    const bob = await connect(key, "bob");
    const bobJoins = heard(bob, "joined");
    const bobTyping = heard(bob, "typing");
    const bobMessages = heard(bob, "message");
    const carol = await connect(key, "carol");
    const carolTyping = heard(carol, "typing");
    const carolMessages = heard(carol, "message");
    // A round trip on each: every event sent before it has arrived.
    await Promise.all([ada.me(), bob.me(), carol.me()]);
    expect(adaJoins).toEqual([["bob"], ["carol"]]);
    expect(bobJoins).toEqual([["carol"]]);

    await ada.typing();
    const bobId = (await bob.me())?.id as string;
    await client.chat.get(key).announceExcept([bobId], "not for bob");
    // Over HTTP there is no caller to leave out: everyone hears it.
    await client.chat.get(key).typing();
    await Promise.all([ada.me(), bob.me(), carol.me()]);
    expect(adaTyping).toEqual([[{ from: "server" }]]);
    expect(bobTyping).toEqual([[{ from: "ada" }], [{ from: "server" }]]);
    expect(carolTyping).toEqual([[{ from: "ada" }], [{ from: "server" }]]);
    expect(adaMessages).toEqual([[{ from: "server", text: "not for bob" }]]);
    expect(bobMessages).toEqual([]);
    expect(carolMessages).toEqual([[{ from: "server", text: "not for bob" }]]);
    await Promise.all([ada.dispose(), bob.dispose(), carol.dispose()]);
  });

  it("delivers a declared event without a payload as no arguments", async () => {
    const key = uniqueKey("cleared");
    const ada = await connect(key, "ada");
    const cleared = heard(ada, "cleared");
    await ada.clear();
    await ada.me();
    expect(cleared).toEqual([[]]);
    await ada.dispose();
  });
});
