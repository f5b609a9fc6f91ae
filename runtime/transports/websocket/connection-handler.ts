import * as z from "zod/mini";
import type { ActorContext, Connection } from "../../types/actor.ts";
import { checkParams, requestOf, upgradeHeadOf } from "../../auth/public-call.ts";
import { ActorError, describeError, toActorError } from "../../errors.ts";
import { decodeMessage, exceeds } from "../../protocol/encoding.ts";
import { httpStatus } from "../../protocol/http-status.ts";
import { clientFrame } from "../../protocol/schemas.ts";
import { CLOSE, DISPOSED, INSPECTOR_HEADER, TARGET_HEADER, TRUSTED_HEADER, type ClientFrame, type ConnectionTarget } from "../../protocol/wire.ts";
import type { ActorInstance } from "../../host/actor-instance.ts";
import { encodeConnState, keptAuth } from "./connection-state.ts";
import { approve } from "../../host/approval.ts";
import { withDeadline } from "../../host/deadline.ts";
import { createLogger } from "../../host/logger.ts";
import type { ActorPort, ConnectionsPort } from "../../host/ports.ts";
import { RawSockets } from "./raw-sockets.ts";
import { ConnectionResume, resumeToken } from "./resume.ts";
import { ConnectionSockets, negotiate, type Attachment } from "./sockets.ts";

const connectionTarget = z.union([
  z.object({ name: z.string(), key: z.array(z.string()), create: z.boolean() }),
  z.object({ name: z.string(), generation: z.int().check(z.nonnegative()) }),
]);

/** How many events one connection may listen for; keeps attachments far below 16 KiB. */
const MAX_SUBSCRIPTIONS = 64;
/** The longest event name a connection may subscribe to. */
const MAX_EVENT_NAME = 128;

function withinSubscriptionLimits(events: readonly string[]): boolean {
  return events.length <= MAX_SUBSCRIPTIONS && events.every((event) => event.length <= MAX_EVENT_NAME);
}

function tooManySubscriptions(): ActorError {
  return new ActorError("request/too_large", `A connection listens for at most ${MAX_SUBSCRIPTIONS} events, each named in at most ${MAX_EVENT_NAME} characters.`);
}
function forbiddenSubscription(event: string): ActorError {
  return new ActorError("auth/forbidden", `This connection may not listen for ${JSON.stringify(event.slice(0, 100))}.`, { metadata: { event } });
}

/** The events of `wanted` the actor's `canSubscribe` refuses for this connection; none without the hook. */
async function refusedSubscriptions(instance: ActorInstance, c: ActorContext<unknown>, conn: Connection, wanted: readonly string[]): Promise<string[]> {
  const rule = instance.definition.canSubscribe;
  if (!rule) return [];
  const refused: string[] = [];
  for (const event of wanted) if (!(await rule(c, conn, event))) refused.push(event);
  return refused;
}

/**
 * The WebSocket entry points of an actor object. A socket is accepted at once (with the
 * hibernation API) but nothing runs until the client's `hello` — first, and once: a second
 * is a protocol error. Then the actor is reached, the lifecycle admits `CONNECT`, and
 * `onBeforeConnect` (for connections from outside the Worker) and `onConnect` run as
 * in-flight work of that generation, so a destroy waits for them. A connection opens with
 * the params `onBeforeConnect` approved and the auth data it returned, and `onDisconnect`
 * runs once for every connection that opened, whoever ends it. It is the host's
 * `ConnectionsPort`: what the actor asks of its connections goes through it.
 */
export class ConnectionHandler implements ConnectionsPort {
  readonly #port: ActorPort;
  readonly #sockets: ConnectionSockets;
  readonly #log = createLogger({ component: "actorstate.connections" });
  /** `onConnect` runs still under way, by connection id: `onDisconnect` waits for its own. */
  readonly #connecting = new Map<string, Promise<unknown>>();
  /** Connections whose client left while their actor was being destroyed: its teardown runs their `onDisconnect`. */
  readonly #owed = new Map<WebSocket, Attachment>();

  /** Raw WebSockets (`onWebSocket`), beside the connections. */
  readonly raw: RawSockets;
  /** Connections whose socket dropped, waiting for their client. */
  readonly #resume: ConnectionResume;

  constructor(ctx: DurableObjectState, port: ActorPort) {
    this.#port = port;
    this.raw = new RawSockets(ctx, port);
    this.#resume = new ConnectionResume(ctx.storage);
    this.#sockets = new ConnectionSockets(ctx, (attachment) => port.actorType(attachment.target.name).options.maxOutgoingMessageSize);
  }

  open(generation: number): Map<string, Connection> {
    return this.#sockets.open(generation);
  }

  broadcast(generation: number, event: string, args: unknown[], except?: ReadonlySet<string>): void {
    this.#sockets.broadcast(generation, event, args, except);
  }

  notifyInspectors(message: unknown): void {
    this.#sockets.notifyInspectors(message);
  }

  saveStates(): void {
    this.#sockets.saveStates();
  }

  /** The upgrade request the Worker forwarded. */
  accept(request: Request): Response {
    if (request.headers.get(INSPECTOR_HEADER) === "1") return this.#sockets.acceptInspector();
    try {
      if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
        throw new ActorError("request/invalid", "Connect with a WebSocket upgrade.");
      }
      const parsed = connectionTarget.safeParse(JSON.parse(request.headers.get(TARGET_HEADER) ?? "null"));
      if (!parsed.success) throw new ActorError("request/invalid", "The connection does not name an actor.");
      const target: ConnectionTarget = parsed.data;
      this.#port.claim(target);
      const { encoding, protocol } = negotiate(request.headers.get("Sec-WebSocket-Protocol"));
      return this.#sockets.accept(target, encoding, protocol, request.headers.get(TRUSTED_HEADER) === "1" ? "trusted" : upgradeHeadOf(request));
    } catch (error) {
      const shown = toActorError(error, { during: "connect" }, { reveal: this.#port.revealInternalErrors });
      return Response.json({ ok: false, error: shown.toJSON() }, { status: httpStatus(shown) });
    }
  }

  /** Per socket, the last subscription waiting on `canSubscribe` (it never rejects). */
  readonly #subscribing = new WeakMap<WebSocket, Promise<void>>();

  async message(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const attachment = this.#sockets.attachment(ws);
    if (attachment.raw) return this.raw.message(ws, data);
    if (attachment.inspector || attachment.phase === "closed") return;
    const { maxIncomingMessageSize } = this.#port.actorType(attachment.target.name).options;
    if (exceeds(data, maxIncomingMessageSize)) {
      return this.#refuse(ws, new ActorError("request/too_large", `Frames to this actor are limited to ${maxIncomingMessageSize} bytes.`), CLOSE.protocol);
    }
    // A frame after a subscription waits for canSubscribe's answer: a call made after
    // `conn.on(event)` then hears that event.
    const subscribing = this.#subscribing.get(ws);
    if (subscribing) await subscribing;
    let frame: ClientFrame;
    try {
      frame = clientFrame.parse(decodeMessage(attachment.encoding, data));
    } catch {
      // The connection goes on: one bad frame does not end it.
      const error = new ActorError("request/invalid", "The frame does not match the connection protocol.");
      return this.#sockets.send(ws, { t: "error", error: error.toJSON() });
    }
    switch (frame.t) {
      case "hello":
        if (!this.#sockets.advance(ws, "hello", "handshake")) {
          return this.#refuse(ws, new ActorError("request/invalid", "`hello` comes first, and once."), CLOSE.protocol);
        }
        return this.#handshake(ws, attachment, frame);
      case "action":
        return this.#action(ws, frame);
      case "subscribe":
      case "unsubscribe": {
        const wanted = [...this.#sockets.attachment(ws).subscriptions.filter((event) => event !== frame.event), ...(frame.t === "subscribe" ? [frame.event] : [])];
        if (!withinSubscriptionLimits(wanted)) return this.#sockets.send(ws, { t: "error", error: tooManySubscriptions().toJSON() });
        if (frame.t === "subscribe" && this.#port.claim(attachment.target).canSubscribe) {
          const asked: Promise<void> = this.#subscribeIfAllowed(ws, frame.event).finally(() => {
            if (this.#subscribing.get(ws) === asked) this.#subscribing.delete(ws);
          });
          this.#subscribing.set(ws, asked);
          return asked;
        }
        this.#sockets.update(ws, { subscriptions: wanted });
        return;
      }
    }
  }

  /** A subscription the actor's `canSubscribe` must allow first; refused with `auth/forbidden`. */
  async #subscribeIfAllowed(ws: WebSocket, event: string): Promise<void> {
    const { generation } = this.#sockets.attachment(ws);
    if (generation === undefined) return;
    try {
      const view = this.#sockets.view(ws);
      let refused: string[] = [];
      await this.#port.runHook(generation, async (c, instance) => (refused = await refusedSubscriptions(instance, c, view, [event])), view);
      if (refused.length) return this.#sockets.send(ws, { t: "error", error: forbiddenSubscription(event).toJSON() });
      // Read again: the socket may have changed while the rule ran.
      const current = this.#sockets.attachment(ws).subscriptions.filter((name) => name !== event);
      if (withinSubscriptionLimits([...current, event])) this.#sockets.update(ws, { subscriptions: [...current, event] });
    } catch (error) {
      this.#sockets.send(ws, { t: "error", error: toActorError(error, { during: "canSubscribe" }, { reveal: this.#port.revealInternalErrors }).toJSON() });
    }
  }

  /** A client closed (or lost) its connection: `onDisconnect`, if it had opened. */
  async close(ws: WebSocket, code: number, reason: string): Promise<void> {
    const attachment = this.#sockets.attachment(ws);
    if (attachment.raw) return this.raw.close(ws, code, reason);
    if (attachment.inspector) {
      this.#sockets.inspectorClosed();
      return this.#sockets.close(ws, 1000, "closed");
    }
    const was = this.#sockets.markClosed(ws);
    this.#sockets.close(ws, 1000, "closed");
    if (was !== "open") return;
    // A socket its client disposed ends the connection; one that dropped waits for the client.
    const disposed = code === 1000 && reason === DISPOSED;
    const closed = this.#sockets.attachment(ws);
    if (disposed || !this.#resume.park(closed, this.#port.actorType(closed.target.name).options.reconnectGraceMs)) await this.#disconnected(ws, closed);
  }

  /** The actor woke: raw WebSockets still open get their listeners again, before any message. */
  resume(generation: number, instance: ActorInstance): Promise<void> {
    return this.raw.resumeAll(generation, instance);
  }

  /**
   * The alarm: connections whose client did not come back in time end with onDisconnect.
   * Each is taken out of storage inside the admitted work, so a destroy under way either
   * waits for it or finds it still parked and ends it in its teardown.
   */
  async endDropped(): Promise<void> {
    for (let due = this.#resume.firstEnded(Date.now()); due; due = this.#resume.firstEnded(Date.now())) {
      const { id, generation } = due;
      try {
        await this.#port.runHook(generation, async (c, instance) => {
          const conn = this.#resume.take(id);
          if (conn) await instance.definition.onDisconnect?.(c, conn);
        });
      } catch (error) {
        const refused = error instanceof ActorError && error.group === "actor";
        // Being destroyed: its teardown ends the rest. Otherwise it is not tried again — it
        // already ran and failed, or its generation is gone and there is no one to tell.
        if (refused && error.is("actor/destroying")) return;
        this.#resume.take(id);
        if (!refused) this.#log.error("onDisconnect failed", { error: describeError(error) });
      }
    }
  }

  /**
   * A destroy of `generation` ends its connections: `onDisconnect` for each that opened —
   * and for those whose client left while the destroy was under way — each bounded by the
   * actor's `onDestroyTimeoutMs`, then a close the client does not retry.
   */
  async endAll(generation: number, instance: ActorInstance | undefined): Promise<void> {
    const owed = [...this.#owed].filter(([, attachment]) => attachment.generation === generation);
    for (const [ws] of owed) this.#owed.delete(ws);
    const ending = this.#sockets.socketsOf(generation).map((ws) => ({ ws, was: this.#sockets.markClosed(ws) }));
    const opened = ending.filter(({ was }) => was === "open").map(({ ws }) => [ws, this.#sockets.attachment(ws)] as const);
    for (const [ws, attachment] of [...owed, ...opened]) {
      const onDisconnect = instance?.definition.onDisconnect;
      if (instance && onDisconnect) {
        await this.#connecting.get(attachment.id);
        await this.#bounded(instance, () => onDisconnect(instance.context(), this.#connectionView(ws, attachment)));
      }
    }
    await this.#resume.endAll(generation, async (conn) => {
      const onDisconnect = instance?.definition.onDisconnect;
      if (instance && onDisconnect) await this.#bounded(instance, () => onDisconnect(instance.context(), conn));
    });
    for (const { ws } of ending) this.#sockets.close(ws, CLOSE.destroyed, "actor/destroyed");
    await this.raw.endAll(generation);
  }

  /** A teardown's `onDisconnect`, bounded by `onDestroyTimeoutMs`; its failure is logged. */
  #bounded(instance: ActorInstance, onDisconnect: () => unknown): Promise<void> {
    const { onDestroyTimeoutMs } = instance.definition.options;
    return withDeadline(Promise.resolve().then(onDisconnect), onDestroyTimeoutMs, () => new Error(`onDisconnect did not finish within ${onDestroyTimeoutMs} ms`)).then(
      () => undefined,
      (error: unknown) => this.#log.error("onDisconnect failed", { error: describeError(error) }),
    );
  }

  async #handshake(ws: WebSocket, attachment: Attachment, hello: Extract<ClientFrame, { t: "hello" }>): Promise<void> {
    let opened = false;
    let refusedInHello: string[] = [];
    try {
      checkParams(hello.params, "Connection params");
      const subscriptions = [...new Set(hello.subscribe ?? [])];
      if (!withinSubscriptionLimits(subscriptions)) throw tooManySubscriptions();
      const generation = await this.#port.connect(attachment.target, hello.create?.input);
      await this.#port.runHook(generation, async (c, instance) => {
        const { request } = attachment;
        const caller = request ? await approve(instance, c, { params: hello.params, request }, this.#port.revealInternalErrors) : undefined;
        const auth = caller?.auth === undefined ? {} : { auth: keptAuth(caller.auth) };
        // A close during the check wins: then onConnect never runs, and needs no onDisconnect
        // (and a dropped connection this hello asked for stays parked for its grace).
        if (this.#sockets.attachment(ws).phase !== "handshake") return;
        // A connection its client had before a dropped socket comes back as it was.
        const resumed = this.#resume.claim(hello.resume, generation);
        const { createConnState } = instance.definition;
        // Made before the connection opens, so onConnect and every action already see it.
        const state = resumed
          ? resumed.state
          : createConnState
            ? encodeConnState(await createConnState(c, hello.params, { request: request ? requestOf(request) : undefined }))
            : undefined;
        const opening = { generation, params: hello.params, ...auth, ...(state ? { state } : {}), subscriptions, request: undefined, resume: resumeToken() };
        if (!this.#sockets.advance(ws, "handshake", "open", resumed ? { ...opening, id: resumed.id } : opening)) return;
        opened = true;
        // The hello's subscriptions pass canSubscribe before onConnect can broadcast to them.
        refusedInHello = await refusedSubscriptions(instance, c, this.#sockets.view(ws), subscriptions);
        if (refusedInHello.length) this.#sockets.update(ws, { subscriptions: subscriptions.filter((event) => !refusedInHello.includes(event)) });
        const { onConnect } = instance.definition;
        const connecting = Promise.resolve().then(() => (resumed ? undefined : onConnect?.(c, this.#sockets.view(ws))));
        const { id } = this.#sockets.attachment(ws);
        this.#connecting.set(id, connecting.catch(() => undefined));
        try {
          await connecting;
        } finally {
          this.#connecting.delete(id);
        }
      });
      if (opened) {
        const { id, resume } = this.#sockets.attachment(ws);
        this.#sockets.send(ws, { t: "welcome", actorId: this.#port.actorId(), connectionId: id, ...(resume ? { resume } : {}) });
        for (const event of refusedInHello) this.#sockets.send(ws, { t: "error", error: forbiddenSubscription(event).toJSON() });
      }
    } catch (error) {
      const shown = toActorError(error, { during: "connect" }, { reveal: this.#port.revealInternalErrors });
      const code = shown.is("auth/forbidden") ? CLOSE.refused : shown.group === "request" ? CLOSE.protocol : CLOSE.unavailable;
      const was = this.#sockets.markClosed(ws);
      if (was === undefined) return;
      this.#sockets.send(ws, { t: "error", error: shown.toJSON() });
      this.#sockets.close(ws, code, shown.fullCode);
      // onConnect ran (and failed): its connection still ends with onDisconnect.
      if (was === "open") await this.#disconnected(ws, this.#sockets.attachment(ws));
    }
  }

  async #action(ws: WebSocket, frame: Extract<ClientFrame, { t: "action" }>): Promise<void> {
    const attachment = this.#sockets.attachment(ws);
    let replied = false;
    const reply = (outcome: { ok: true; value: unknown } | { ok: false; error: unknown }) => {
      replied = true;
      this.#sockets.reply(
        ws,
        outcome.ok
          ? { t: "result", id: frame.id, ok: true, value: outcome.value }
          : {
              t: "result",
              id: frame.id,
              ok: false,
              error: toActorError(outcome.error, { during: "connection action" }, { reveal: this.#port.revealInternalErrors }).toJSON(),
            },
      );
    };
    try {
      if (attachment.phase !== "open" || attachment.generation === undefined) {
        throw new ActorError("request/invalid", "Wait for the connection's welcome before calling actions.");
      }
      const target = { name: attachment.target.name, generation: attachment.generation };
      // Copies, as each action's own: the socket's record stays as onBeforeConnect left it.
      const caller = attachment.trusted ? {} : { caller: { auth: structuredClone(attachment.auth), params: structuredClone(attachment.params) } };
      // The reply goes out once the state is saved and before the action ends: an action
      // that destroys its own actor still answers before the destroy closes this socket.
      await this.#port.invoke(target, frame.name, frame.args, { conn: this.#sockets.view(ws), ...caller, reply });
    } catch (error) {
      if (!replied) reply({ ok: false, error });
    }
  }

  /**
   * `onDisconnect` of a connection that had opened, after its own `onConnect`. If its actor
   * is being destroyed, the destroy's teardown owes it instead (see `endAll`).
   */
  async #disconnected(ws: WebSocket, attachment: Attachment): Promise<void> {
    if (attachment.generation === undefined) return;
    const generation = attachment.generation;
    await this.#connecting.get(attachment.id);
    const view = this.#connectionView(ws, attachment);
    await this.#port
      .runHook(generation, (c, instance) => instance.definition.onDisconnect?.(c, view))
      .catch((error: unknown) => {
        const shown = toActorError(error, { during: "onDisconnect" });
        if (shown.is("actor/destroying")) this.#owed.set(ws, attachment);
        // A destroyed actor has no one to tell; anything else is worth a log line.
        else if (shown.group !== "actor") this.#log.error("onDisconnect failed", { error: shown.toJSON() });
      });
  }

  /** The connection as its last hooks see it: closed, but with its id, params and auth. */
  #connectionView(ws: WebSocket, attachment: Attachment): Connection {
    return { ...this.#sockets.view(ws), id: attachment.id, params: attachment.params, auth: attachment.auth };
  }

  /** A protocol error that ends the connection. */
  #refuse(ws: WebSocket, error: ActorError, code: number): void {
    this.#sockets.send(ws, { t: "error", error: error.toJSON() });
    const was = this.#sockets.markClosed(ws);
    this.#sockets.close(ws, code, error.fullCode);
    if (was === "open") void this.#disconnected(ws, this.#sockets.attachment(ws));
  }
}
