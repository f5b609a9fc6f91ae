// Fuzz of the connection handshake: frames before the hello, hellos with odd params and
// create input, hellos that must be refused, second hellos (pipelined and late), frames
// after the welcome. Every connection is checked against what the protocol promises:
// answers only with protocol frames and contract codes (never internal/error), one
// welcome at most, a 4400 close for a second hello, and a well-formed call
// that works afterwards.
import { Tag } from "cbor-x";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { ActorError, createClient } from "actorstate/client";
import type { Encoding } from "../../runtime/protocol/encoding.ts";
import type { registry } from "../workers/fixtures/actors.ts";
import { seededRandom } from "../support/random.ts";
import { MALFORMED_INPUT_CODES } from "./fuzz-expectations.ts";
import { openRawConnection, type ServerFrame } from "./raw-connection.ts";

const endpoint = inject("endpoint");
const client = createClient<typeof registry>({ endpoint, encoding: "cbor" });
const run = crypto.randomUUID().slice(0, 8);
/** Existing counters most sessions connect to; each starts (and stays) at this count. */
const SHARED_START = 7;
const sharedKeys = Array.from({ length: 4 }, (_, i) => `handshake-${run}-${i}`);
const FINAL_ID = 999_999;

/** A frame as a message of the connection's encoding, or raw text or bytes. */
type Outgoing = { frame: unknown } | { raw: string | Uint8Array };

type Random = ReturnType<typeof seededRandom>;

/** Frames that do not match the protocol: each one gets an `error` frame, and the connection goes on. */
function junk(random: Random, encoding: Encoding): Outgoing {
  const frames: Array<() => Outgoing> = [
    () => ({ frame: { t: 1 } }),
    () => ({ frame: { t: "HELLO" } }),
    () => ({ frame: { t: "hello", create: random.pick([5, "x", [1], null, true]) } }),
    () => ({ frame: { t: ["hello"] } }),
    () => ({ frame: random.pick([{}, [], "hello", 42, null, false]) }),
    () => ({ frame: { t: "action", id: random.pick(["1", 1.5, null, -0.5]), name: "get", args: [] } }),
    () => ({ frame: { t: "action", id: 1, name: random.pick([5, null, ["get"]]), args: [] } }),
    () => ({ frame: { t: "action", id: 1, name: "get", args: random.pick([undefined, "x", { 0: 1 }]) } }),
    () => ({ frame: { t: "subscribe", event: random.pick([undefined, 7, null, "e".repeat(200)]) } }),
    () => ({ raw: Uint8Array.from({ length: 1 + random.int(40) }, () => random.int(256)) }),
    () => (encoding === "cbor" ? { raw: `{"t":"hello"}` } : { raw: `{"t":"hello"${random.pick(["", ",", "]", ' "params":'])}` }),
  ];
  return random.pick(frames)();
}

/** Frames that need no answer. */
function quiet(random: Random): Outgoing {
  return { frame: { t: random.pick(["subscribe", "unsubscribe"]), event: random.pick(["changed", "never", "ü"]) } };
}

/** Params a hello may carry: anything plain within 4 KiB. */
function oddParams(random: Random): unknown {
  return random.pick<() => unknown>([
    () => null,
    () => random.pick([0, -1.5, 2 ** 53 - 1, -0, 1e300]),
    () => random.pick([true, false]),
    () => random.pick(["", "ü€𝄞", "\u0000\u001f", "x".repeat(3000)]),
    () => JSON.parse("[".repeat(60) + "]".repeat(60)),
    () => Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])),
    () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": "x", "toString": 1}'),
    () => ({ bytes: Uint8Array.from([0, 1, 255]), when: new Date(1_800_000_000_000) }),
    () => [1, "two", null, { three: [3] }],
  ])();
}

/** A hello the protocol accepts; `start` is what a fresh counter starts at after it. */
function validHello(random: Random): { frame: Record<string, unknown>; start: number } {
  const frame: Record<string, unknown> = { t: "hello" };
  if (random.next() < 0.6) frame.params = oddParams(random);
  const start = random.int(100);
  const create = random.pick([undefined, {}, { input: { start } }]);
  if (create) frame.create = create;
  return { frame, start: (create as { input?: { start: number } } | undefined)?.input?.start ?? 0 };
}

/** A hello that must end the connection: 4400 with this code. */
function refusedHello(random: Random): { frame: Record<string, unknown>; code: string } {
  if (random.next() < 0.4) return { frame: { t: "hello", params: { bio: "x".repeat(4200 + random.int(2000)) } }, code: "request/too_large" };
  const input = random.pick<unknown>([{ start: "x" }, { start: 1.5 }, "text", [1], null, { start: 2 ** 60 }]);
  return { frame: { t: "hello", create: { input } }, code: "request/invalid" };
}

interface Session {
  index: number;
  key: string;
  fresh: boolean;
  before: Outgoing[];
  /** How many `error` frames `before` earns; early actions earn refused results instead. */
  beforeErrors: number;
  earlyActions: number[];
  hello: Outgoing;
  refusal: string | undefined;
  /** Further hellos sent right behind the first, before its welcome. */
  pipelined: Outgoing[];
  after: Outgoing[];
  afterErrors: number;
  /** Hellos after the first one (pipelined or late): the first of them ends the connection with 4400. */
  lateHellos: number;
  actions: number[];
  /** What `get` answers on this session's counter. */
  count: number;
  frames: number;
}

/** How a session is drawn: how many frames before and after the hello, and whether it may be refused. */
interface Shape {
  before: (random: Random) => number;
  after: (random: Random) => number;
  refusals: boolean;
}

/** Many short connections: every kind of first frame and hello. */
const SHORT: Shape = { before: (random) => random.int(4), after: (random) => 1 + random.int(5), refusals: true };
/** One long connection: hundreds of frames before the hello, then a storm of late hellos and calls. */
const STORM: Shape = { before: () => 300, after: () => 2000, refusals: false };

function session(random: Random, encoding: Encoding, index: number, shape: Shape): Session {
  const fresh = shape.refusals && random.next() < 0.15;
  const key = fresh ? `handshake-fresh-${run}-${encoding}-${index}` : random.pick(sharedKeys);
  const s: Session = { index, key, fresh, before: [], beforeErrors: 0, earlyActions: [], hello: { frame: null }, refusal: undefined, pipelined: [], after: [], afterErrors: 0, lateHellos: 0, actions: [], count: SHARED_START, frames: 0 };
  let nextId = 1;
  for (let i = shape.before(random); i > 0; i--) {
    const kind = random.int(3);
    if (kind === 0) {
      s.before.push(junk(random, encoding));
      s.beforeErrors++;
    } else if (kind === 1) {
      s.earlyActions.push(nextId);
      s.before.push({ frame: { t: "action", id: nextId++, name: "get", args: [] } });
    } else s.before.push(quiet(random));
  }
  const anyHello = (): Outgoing => ({ frame: random.pick([() => validHello(random).frame, () => refusedHello(random).frame, () => ({ t: "hello" })])() });
  if (shape.refusals && random.next() < 0.2) {
    const refused = refusedHello(random);
    s.hello = { frame: refused.frame };
    s.refusal = refused.code;
  } else {
    const hello = validHello(random);
    s.hello = { frame: hello.frame };
    if (fresh) s.count = hello.start;
    if (random.next() < 0.3) {
      s.pipelined.push(anyHello());
      s.lateHellos++;
    }
    for (let i = shape.after(random); i > 0; i--) {
      const kind = random.int(4);
      if (kind === 0) {
        s.after.push(anyHello());
        s.afterErrors++;
        s.lateHellos++;
      } else if (kind === 1) {
        s.after.push(junk(random, encoding));
        s.afterErrors++;
      } else if (kind === 2) {
        s.actions.push(nextId);
        s.after.push({ frame: { t: "action", id: nextId++, name: "get", args: [] } });
      } else s.after.push(quiet(random));
    }
  }
  s.frames = s.before.length + 1 + s.pipelined.length + s.after.length + (s.refusal ? 0 : 1);
  return s;
}

const errorCode = (frame: ServerFrame) => `${frame.error?.group}/${frame.error?.code}`;

/** Play one session on a live connection; returns what went against the protocol. */
async function play(s: Session, encoding: Encoding): Promise<string[]> {
  const problems: string[] = [];
  const conn = await openRawConnection(endpoint, { name: "counter", key: [s.key], encoding });
  const send = (out: Outgoing) => ("raw" in out ? conn.sendRaw(out.raw) : conn.send(out.frame));
  for (const out of [...s.before, s.hello, ...s.pipelined]) send(out);
  const errors = () => conn.received.filter((f) => f.t === "error");
  const welcomes = () => conn.received.filter((f) => f.t === "welcome");
  const result = (id: number) => conn.received.find((f) => f.t === "result" && f.id === id);

  if (s.refusal) {
    await conn.until(() => conn.closed !== undefined);
    if (conn.closed?.code !== 4400 || conn.closed.reason !== s.refusal) problems.push(`closed ${JSON.stringify(conn.closed)}, expected 4400 ${s.refusal}`);
    if (errors().at(-1) && errorCode(errors().at(-1) as ServerFrame) !== s.refusal) problems.push(`last error ${errorCode(errors().at(-1) as ServerFrame)}, expected ${s.refusal}`);
    if (errors().length !== s.beforeErrors + 1) problems.push(`${errors().length} error frames, expected ${s.beforeErrors + 1}`);
  } else {
    await conn.until(() => welcomes().length > 0 || conn.closed !== undefined);
    for (const out of s.after) send(out);
    conn.send({ t: "action", id: FINAL_ID, name: "get", args: [] });
    await conn.until(() => result(FINAL_ID) !== undefined || conn.closed !== undefined);
    // A second hello breaks the protocol: the connection ends with 4400, always.
    if (s.lateHellos > 0) {
      if (conn.closed?.code !== 4400 || conn.closed.reason !== "request/invalid") problems.push(`a second hello ended in ${JSON.stringify(conn.closed)}, not a 4400 close`);
    } else {
      const final = result(FINAL_ID);
      if (!final || final.ok !== true || final.value !== s.count) problems.push(`final get answered ${JSON.stringify(final)}, expected ${s.count}`);
      const expectedErrors = s.beforeErrors + s.pipelined.length + s.afterErrors;
      if (errors().length !== expectedErrors) problems.push(`${errors().length} error frames, expected ${expectedErrors}`);
      for (const id of s.actions) if (result(id)?.value !== s.count) problems.push(`action ${id} answered ${JSON.stringify(result(id))}`);
      await conn.close();
      if (conn.closed?.code !== 1000) problems.push(`closed ${JSON.stringify(conn.closed)} instead of 1000 after our close`);
    }
  }
  if (welcomes().length !== (s.refusal ? 0 : 1)) problems.push(`${welcomes().length} welcome frames`);
  for (const id of s.earlyActions) {
    const early = result(id);
    if (early?.ok !== false || errorCode(early) !== "request/invalid") problems.push(`action ${id} before the hello answered ${JSON.stringify(early)}`);
  }
  for (const frame of conn.received) {
    if (!["welcome", "result", "error"].includes(frame.t as string)) problems.push(`unexpected frame ${JSON.stringify(frame)}`);
    if (frame.error && !MALFORMED_INPUT_CODES.test(errorCode(frame))) problems.push(`answered ${errorCode(frame)}: ${JSON.stringify(frame.error)}`);
  }

  // A well-formed request right after still works, and a refused hello created nothing.
  if (s.refusal && s.fresh) {
    const outcome = await client.counter.get(s.key).inspect().then((i) => `answered ${i.lifecycle}`, (e: unknown) => (e instanceof ActorError ? e.fullCode : String(e)));
    if (outcome !== "actor/not_found") problems.push(`a refused hello on a fresh key left an actor: inspect ${outcome}`);
  } else {
    const count = await client.counter.get(s.key).get();
    if (count !== s.count) problems.push(`get over HTTP afterwards answered ${count}, expected ${s.count}`);
  }
  return problems.map((p) => `session ${s.index} (${s.key.replace(run, "…")}, hello ${JSON.stringify("frame" in s.hello ? s.hello.frame : "").slice(0, 80)}): ${p}`);
}

/** Play sessions a few at a time. */
async function playAll(sessions: Session[], encoding: Encoding): Promise<string[]> {
  const problems: string[] = [];
  const queue = [...sessions];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let s = queue.shift(); s; s = queue.shift()) problems.push(...(await play(s, encoding)));
    }),
  );
  return problems;
}

beforeAll(async () => {
  await Promise.all(sharedKeys.map((key) => client.counter.getOrCreate(key, { input: { start: SHARED_START } }).get()));
});

describe("fuzzing the connection handshake", () => {
  for (const [encoding, count, seed] of [["json", 80, 31], ["cbor", 70, 37]] as const) {
    const random = seededRandom(seed);
    const sessions = Array.from({ length: count }, (_, i) => session(random, encoding, i, SHORT));
    const frames = sessions.reduce((sum, s) => sum + s.frames, 0);
    it(`answers ${count} ${encoding.toUpperCase()} connections (${frames} frames: early, odd, refused, repeated and late hellos) by the protocol`, async () => {
      expect(await playAll(sessions, encoding)).toEqual([]);
    }, 60_000);
  }
  for (const [encoding, seed] of [["json", 41], ["cbor", 43]] as const) {
    const storm = session(seededRandom(seed), encoding, 0, STORM);
    it(`answers a ${encoding.toUpperCase()} connection that sends ${storm.before.length} frames before its hello and ${storm.after.length} after, hellos among them, by the protocol`, async () => {
      expect(await play(storm, encoding)).toEqual([]);
    }, 60_000);
  }
});

/**
 * Hellos and frames holding values that are not plain data: the frame is refused at the
 * door with request/invalid (no welcome, nothing run), never code that fails on them.
 */
describe("hellos and frames holding values that are not plain data", () => {
  const refusedAtTheDoor = async (params: unknown) => {
    const conn = await openRawConnection(endpoint, { name: "counter", key: [sharedKeys[0] as string], encoding: "cbor" });
    conn.send({ t: "hello", params });
    await conn.until(() => conn.received.length > 0);
    expect(conn.received.map(errorCode)).toEqual(["request/invalid"]);
    await conn.close();
  };
  it("a hello whose params hold a CBOR Set (tag 258) is refused with request/invalid", () =>
    refusedAtTheDoor(new Tag([1, 2], 258)),
  );
  it("a hello whose params hold a CBOR bigint (tag 2) is refused with request/invalid", () =>
    refusedAtTheDoor(new Tag(Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0]), 2)),
  );
  it("a hello whose params hold CBOR tag 27 (RegExp) is refused with request/invalid", () =>
    refusedAtTheDoor(new Tag(["RegExp", "a+"], 27)),
  );
  it("a hello whose params hold an unknown CBOR tag (999) is refused with request/invalid", () =>
    refusedAtTheDoor(new Tag("x", 999)),
  );
  it("a hello whose params hold an invalid date (CBOR tag 0 \"nope\") is refused with request/invalid", () =>
    refusedAtTheDoor(new Tag("nope", 0)),
  );
  it('a hello whose params hold an invalid {"$date": "nope"} (JSON) is refused with request/invalid', async () => {
    const conn = await openRawConnection(endpoint, { name: "counter", key: [sharedKeys[0] as string], encoding: "json" });
    conn.sendRaw(JSON.stringify({ t: "hello", params: { when: { $date: "nope" } } }));
    await conn.until(() => conn.received.length > 0);
    expect(conn.received.map(errorCode)).toEqual(["request/invalid"]);
    await conn.close();
  });
  it("an action whose args hold a CBOR Set, sent over a connection, is refused with request/invalid", async () => {
    const key = `handshake-set-${run}`;
    const conn = await openRawConnection(endpoint, { name: "counter", key: [key], encoding: "cbor" });
    conn.send({ t: "hello" });
    await conn.until(() => conn.received.some((f) => f.t === "welcome"));
    conn.send({ t: "action", id: 1, name: "increment", args: [new Tag([1], 258)] });
    await conn.until(() => conn.received.some((f) => f.t === "error"));
    expect(conn.received.filter((f) => f.t === "error").map(errorCode)).toEqual(["request/invalid"]);
    expect(await client.counter.get(key).get()).toBe(0);
    await conn.close();
  });
});
