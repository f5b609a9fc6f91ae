// Type tests for actor definitions, checked by `npm run typecheck`: each @ts-expect-error
// must stay an error, or the typecheck (and CI) fails. Nothing here runs.
import { actor, event, setup, type ActorContext, type Connection } from "actorstate";
import { createClient } from "actorstate/client";
import * as z from "zod/mini";

declare const endpoint: string;

/** Exact type equality: `expectType<Equal<A, B>>(true)` fails to compile when they differ. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(value: T): T {
  return value;
}

/** A helper written against any actor's context accepts every actor's `c`. */
function logIn(c: ActorContext<unknown>, conn: Connection | undefined): void {
  c.log.info("seen", { conn: conn?.id });
}

export const typed = actor({
  state: { count: 0, items: [] as string[] },
  events: {
    changed: event<number>(),
    renamed: z.object({ from: z.string(), to: z.string() }),
    reset: event<void>(),
  },
  onBeforeConnect: (c, params: { token: string; room?: string }) => {
    expectType<Equal<typeof params, { token: string; room?: string }>>(true);
    // No connection yet: c.conn is not typed from params.
    void c.conn?.params;
  },
  createConnState: (c, params) => {
    expectType<Equal<typeof params, { token: string; room?: string }>>(true);
    return { room: params.room ?? "lobby", typing: false };
  },
  actions: {
    add: {
      args: z.tuple([z.string(), z.int()]),
      // The handler's arguments come from the schema.
      handler: (c, name, quantity) => {
        expectType<Equal<typeof name, string>>(true);
        expectType<Equal<typeof quantity, number>>(true);
        c.state.items.push(name);
        return (c.state.count += quantity);
      },
    },
    increment: (c, by: number) => {
      c.state.count += by;
      c.broadcast("changed", c.state.count);
      // @ts-expect-error the payload of "changed" is a number
      c.broadcast("changed", "one");
      // @ts-expect-error one payload, no more
      c.broadcast("changed", 1, 2);
      // @ts-expect-error not a declared event
      c.broadcast("chnged", 1);
      c.broadcast("reset");
      // @ts-expect-error "reset" has no payload
      c.broadcast("reset", 1);
      c.broadcast("renamed", { from: "a", to: "b" });
      // @ts-expect-error the schema wants both names
      c.broadcast("renamed", { from: "a" });
      c.broadcastExcept(c.conn, "changed", c.state.count);
      c.broadcastExcept([...c.conns.values()], "reset");
      // @ts-expect-error broadcastExcept types its event like broadcast
      c.broadcastExcept(c.conn, "changed", "one");
      c.conn?.send("changed", 1);
      // @ts-expect-error conn.send is typed like broadcast
      c.conn?.send("changed");
      logIn(c, c.conn);
      return c.state.count;
    },
    connection: (c) => {
      const conn = c.conn;
      if (!conn) return null;
      expectType<Equal<typeof conn.params, { token: string; room?: string }>>(true);
      expectType<Equal<typeof conn.state, { room: string; typing: boolean }>>(true);
      conn.state.typing = true;
      // @ts-expect-error conn.state is typed from createConnState
      conn.state.typing = "yes";
      // c.conns is a ReadonlyMap of the same typed connections.
      const rooms: string[] = [...c.conns.values()].map((other) => other.state.room);
      // @ts-expect-error read-only: connections come and go with their sockets
      c.conns.set("x", conn);
      // @ts-expect-error
      c.conns.delete(conn.id);
      return rooms;
    },
    schedules: (c) => {
      c.schedule.after(1_000, "increment", 1);
      c.schedule.at(Date.now(), "add", "apple", 2);
      c.schedule.cron("*/5 * * * *", "add", "pear", 1);
      // @ts-expect-error no action "incremnt"
      c.schedule.after(1_000, "incremnt", 1);
      // @ts-expect-error no action "ad"
      c.schedule.cron("@daily", "ad");
      // @ts-expect-error a validated action's arguments come from its schema
      c.schedule.at(Date.now(), "add", "apple", "2");
      // @ts-expect-error
      c.schedule.after(1_000, "add", "apple");
    },
    kv: (c) => {
      const user = c.kv.get<{ name: string }>("user:1");
      expectType<Equal<typeof user, { name: string } | undefined>>(true);
      const plain = c.kv.get("user:1");
      expectType<Equal<typeof plain, unknown>>(true);
      const many = c.kv.getBatch<number>(["a", "b"]);
      expectType<Equal<typeof many, Array<number | undefined>>>(true);
      const listed = c.kv.list<number>({ prefix: "n:" });
      expectType<Equal<typeof listed, Array<[string | Uint8Array, number]>>>(true);
      return user?.name ?? null;
    },
  },
  onConnect: (c, conn) => {
    expectType<Equal<typeof conn.state, { room: string; typing: boolean }>>(true);
    c.broadcastExcept(conn, "changed", c.state.count);
    logIn(c, conn);
  },
  onWake: (c) => {
    c.schedule.cron("@hourly", "increment", 1);
    // @ts-expect-error
    c.schedule.cron("@hourly", "nope");
  },
});

/** Written in the contract's order, hooks after the actions: clients still get the params type. */
export const hooksLast = actor({
  state: { n: 0 },
  actions: {
    ping: (c) => {
      logIn(c, c.conn);
      return c.state.n;
    },
  },
  onBeforeConnect: (c, params: { token: string }) => {
    if (!params.token) throw new Error("no token");
  },
});

/**
 * Connection hooks after the actions: it compiles, and clients are typed, but in the
 * actions written before them TypeScript had already settled `c.conn`'s types as unknown.
 */
export const connHooksLast = actor({
  state: {},
  actions: {
    who: (c) => {
      // @ts-expect-error unknown here: createConnState comes later
      return c.conn?.state.name;
    },
  },
  onBeforeConnect: (c, params: { name: string }) => {
    if (!params.name) throw new Error("no name");
  },
  // Its params must be annotated here, as the hook's type is no longer inferred.
  createConnState: (c, params: { name: string }) => ({ name: params.name }),
});

/** An async createConnState: conn.state is what its promise resolves to. */
export const asyncConnState = actor({
  state: {},
  createConnState: async (c, params: { user: string }) => ({ user: params.user, since: Date.now() }),
  actions: {
    since: (c) => {
      const state = c.conn?.state;
      expectType<Equal<typeof state, { user: string; since: number } | undefined>>(true);
      return state?.since ?? 0;
    },
  },
});

/** Without `events`, any name and arguments, as before. */
export const undeclared = actor({
  state: {},
  actions: {
    shout: (c, text: string) => {
      c.broadcast("anything", text, 1, { at: 2 });
      c.conn?.send("whatever");
      // Function actions' arguments are not known inside the definition TypeScript is still
      // inferring, so schedules of them take any arguments; their names are still checked.
      c.schedule.after(1, "shout", 42);
    },
  },
});

const registry = setup({ actors: { typed, hooksLast, connHooksLast, asyncConnState, undeclared } });

export async function clientTypes(): Promise<void> {
  const client = createClient<typeof registry>(endpoint);

  // Params are typed from onBeforeConnect, on connect() and on every handle.
  const conn = client.typed.getOrCreate("k").connect({ token: "t", room: "a" });
  // @ts-expect-error params are { token: string; room?: string }
  client.typed.getOrCreate("k").connect({ tokn: "t" });
  client.typed.getOrCreate("k", { params: { token: "t" } });
  client.typed.get("k", { params: { token: "t" } });
  client.typed.getForId("id", { params: { token: "t" } });
  // @ts-expect-error the token is a string
  client.typed.get("k", { params: { token: 1 } });
  // @ts-expect-error
  client.typed.getForId("id", { params: { room: "a" } });
  client.hooksLast.get("k").connect({ token: "t" });
  client.connHooksLast.get("k").connect({ name: "ada" });
  // @ts-expect-error
  client.connHooksLast.get("k").connect({ nme: "ada" });
  // Params annotated on createConnState alone type clients too.
  client.asyncConnState.get("k").connect({ user: "ada" });
  // @ts-expect-error
  client.asyncConnState.get("k").connect({ name: "ada" });
  // @ts-expect-error typed even though onBeforeConnect comes after the actions
  client.hooksLast.get("k").connect({ token: 1 });

  // Events are typed from the declaration.
  conn.on("changed", (count) => expectType<Equal<typeof count, number>>(true));
  conn.once("renamed", (change) => expectType<Equal<typeof change, { from: string; to: string }>>(true));
  conn.on("reset", (...args) => expectType<Equal<typeof args, []>>(true));
  // @ts-expect-error not a declared event
  conn.on("chnged", () => undefined);
  // @ts-expect-error the payload is a number
  conn.on("changed", (count: string) => count);

  // Validated actions take their schema's arguments from clients too.
  const total: number = await conn.add("apple", 2);
  // @ts-expect-error
  await conn.add("apple");

  // Without declared events, any name and any arguments.
  const loose = client.undeclared.get("k").connect();
  loose.on("anything", (text, n) => [text, n]);
  void total;
}

// c.vars: typed from what createVars returns (or from vars), in actions and hooks alike.
export const withVars = actor({
  state: { count: 0 },
  createVars: (c) => ({ greet: (name: string) => `hello ${name} from ${c.name}`, hits: 0 }),
  onWake: (c) => {
    c.vars.hits = 0;
  },
  actions: {
    greet: (c, name: string) => {
      expectType<Equal<typeof c.vars, { greet: (name: string) => string; hits: number }>>(true);
      // @ts-expect-error: createVars made no such value
      void c.vars.nope;
      return c.vars.greet(name);
    },
  },
});

export const staticVars = actor({
  state: {},
  vars: { hits: 0 },
  actions: {
    hit: (c) => {
      // @ts-expect-error: hits is a number
      c.vars.hits = "many";
      return (c.vars.hits += 1);
    },
  },
});
