// The soak's baseline: a hand-written Durable Object behind a Worker route that speaks the
// same wire protocol as actorstate (`POST /v1/call` and connection frames, JSON or CBOR)
// for one counter, so the same client drives both. It does the same SQLite work per
// increment (the state encoded with the same codec, one UPDATE) and nothing else: no
// lifecycle, no validation beyond what it needs, no generations, no directory.
import { DurableObject } from "cloudflare:workers";
import { decodeValue, encodeValue } from "../../runtime/codec.ts";
import { CONTENT_TYPES, decodeKeySegment, decodeMessage, encodeMessage, type Encoding } from "../../runtime/protocol/encoding.ts";

/** Where the contender answers: the client's endpoint is the Worker's URL plus this prefix. */
export const RAW_PREFIX = "/raw";

type WireError = { group: string; code: string; message: string };
type Result = { ok: true; value: unknown } | { ok: false; error: WireError };

const invalidError = (message: string): WireError => ({ group: "request", code: "invalid", message });
const invalid = (message: string): Result => ({ ok: false, error: invalidError(message) });

/** One counter per key, kept in SQLite like an actor's state. */
export class RawWireCounter extends DurableObject<Record<string, unknown>> {
  private count: number;

  constructor(ctx: DurableObjectState, env: Record<string, unknown>) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS state (id INTEGER PRIMARY KEY, value BLOB NOT NULL)");
    const row = ctx.storage.sql.exec<{ value: ArrayBuffer }>("SELECT value FROM state WHERE id = 0").toArray()[0];
    // Loaded, not assumed: the object may have hibernated between two soak phases.
    this.count = row ? (decodeValue(row.value) as { count: number }).count : 0;
    if (!row) ctx.storage.sql.exec("INSERT INTO state (id, value) VALUES (0, ?)", encodeValue({ count: 0 }).buffer);
  }

  /** One action, as `POST /v1/call` or a connection frame names it. */
  call(action: string, args: unknown[]): Result {
    if (action === "get") return { ok: true, value: this.count };
    if (action !== "increment") return { ok: false, error: { group: "action", code: "not_found", message: `No action "${action}".` } };
    const by = args[0];
    if (typeof by !== "number") return { ok: false, error: { group: "action", code: "invalid_args", message: "increment takes a number." } };
    this.count += by;
    this.ctx.storage.sql.exec("UPDATE state SET value = ? WHERE id = 0", encodeValue({ count: this.count }).buffer);
    return { ok: true, value: this.count };
  }

  /** A connection, accepted with the hibernation API like an actor's. */
  override async fetch(request: Request): Promise<Response> {
    const offered = (request.headers.get("Sec-WebSocket-Protocol") ?? "").split(",").map((p) => p.trim());
    const protocol = offered.find((p) => p === "actorstate.v1.json" || p === "actorstate.v1.cbor");
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket" || !protocol) {
      return Response.json(invalid("Connect with a WebSocket and an actorstate.v1 subprotocol."), { status: 400 });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ encoding: protocol.endsWith("cbor") ? "cbor" : "json", id: crypto.randomUUID() });
    return new Response(null, { status: 101, webSocket: client, headers: { "Sec-WebSocket-Protocol": protocol } });
  }

  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const { encoding, id } = ws.deserializeAttachment() as { encoding: Encoding; id: string };
    const send = (frame: unknown) => ws.send(encodeMessage(encoding, frame) as string);
    let frame: { t?: unknown; id?: unknown; name?: unknown; args?: unknown };
    try {
      frame = decodeMessage(encoding, data) as typeof frame;
    } catch {
      return send({ t: "error", error: invalidError("Not a frame.") });
    }
    if (frame?.t === "hello") return send({ t: "welcome", actorId: `${this.ctx.id.toString()}:0`, connectionId: id });
    if (frame?.t === "action" && typeof frame.id === "number" && typeof frame.name === "string" && Array.isArray(frame.args)) {
      const result = this.call(frame.name, frame.args);
      return send(result.ok ? { t: "result", id: frame.id, ok: true, value: result.value } : { t: "result", id: frame.id, ok: false, error: result.error });
    }
    if (frame?.t === "subscribe" || frame?.t === "unsubscribe") return;
    send({ t: "error", error: invalidError("Unknown frame.") });
  }

  override async webSocketClose(ws: WebSocket): Promise<void> {
    try {
      ws.close(1000, "closed");
    } catch {
      // Already closed: a dropped socket needs no answer.
    }
  }
}

interface RawEnv {
  RAW: DurableObjectNamespace<RawWireCounter>;
}

const CONNECT = new RegExp(`^${RAW_PREFIX}/v1/actors/[^/]+/key/([^/]+)/connect$`);

function reply(encoding: Encoding, result: Result, status: number): Response {
  return new Response(encodeMessage(encoding, result) as BodyInit, { status, headers: { "Content-Type": CONTENT_TYPES[encoding] } });
}

/** The contender's routes, or `undefined` for a request that is not for it. */
export async function rawContender(request: Request, env: RawEnv): Promise<Response | undefined> {
  const url = new URL(request.url);
  if (!url.pathname.startsWith(`${RAW_PREFIX}/`)) return undefined;
  const counterFor = (key: string[]) => env.RAW.get(env.RAW.idFromName(JSON.stringify(key)));
  if (url.pathname === `${RAW_PREFIX}/v1/call` && request.method === "POST") {
    const encoding: Encoding = request.headers.get("Content-Type")?.startsWith(CONTENT_TYPES.cbor) ? "cbor" : "json";
    let body: { op?: unknown; actor?: { key?: unknown }; action?: unknown; args?: unknown };
    try {
      body = decodeMessage(encoding, await request.arrayBuffer()) as typeof body;
    } catch {
      return reply(encoding, invalid("The body does not decode."), 400);
    }
    const key = body?.actor?.key;
    if (body?.op !== "action" || !Array.isArray(key) || typeof body.action !== "string" || !Array.isArray(body.args)) {
      return reply(encoding, invalid("The contender only runs actions."), 400);
    }
    const result = await counterFor(key as string[]).call(body.action, body.args);
    return reply(encoding, result, result.ok ? 200 : 400);
  }
  const connect = CONNECT.exec(url.pathname);
  if (connect && request.method === "GET") return counterFor(decodeKeySegment(connect[1] ?? "")).fetch(request);
  return Response.json(invalid("No such contender route."), { status: 404 });
}
