import { DurableObject } from "cloudflare:workers";
import type { ActorNamespace } from "./platform.ts";
import type { Registry } from "./types/actor.ts";
import type { Authorize } from "./auth/authorize.ts";
import { corsPolicy, type CorsOptions } from "./auth/cors.ts";
import type { PublicCall } from "./protocol/wire.ts";
import type { DirectoryEntry } from "./types/directory.ts";
import type { DirectoryRequest } from "./directory/routing.ts";
import { DirectoryShard } from "./directory/shard.ts";
import { createClient } from "./client/index.ts";
import { ActorHost } from "./host/actor-host.ts";
import { ConnectionHandler } from "./transports/websocket/connection-handler.ts";
import type { ActorTarget } from "./protocol/requests.ts";
import type { WorkflowRuntime } from "./workflow/runtime.ts";
import { WORKFLOW_TESTING } from "./types/workflow.ts";
import type { Scheduler } from "./host/scheduler.ts";
import { SCHEDULE_TESTING } from "./host/schedule-clock.ts";
import { inspectorAccess } from "./auth/inspector-access.ts";
import { authorizeStep, compose, corsStep, inspectorStep, routeStep } from "./transports/http/chain.ts";
import { callRoute } from "./transports/http/call.ts";
import { serveRequest } from "./transports/http/on-request.ts";
import { requestRoute } from "./transports/http/request.ts";
import { answerCall } from "./transports/rpc/call.ts";
import { connectRoute } from "./transports/websocket/connect.ts";
import { rawWebSocketRoute } from "./transports/websocket/raw-route.ts";
import type { Inspector, InspectorKvPage, InspectorSnapshot, StatelyBridgeFactory } from "./inspector/types.ts";
import { ROUTE_HEADER } from "./protocol/wire.ts";
import type { ActorResult } from "./protocol/requests.ts";

/** Options for {@link createHandler}. */
export interface HandlerOptions {
  /** The name of the Durable Object binding for `ActorObject` in `wrangler.json`. Default `ACTORS`. */
  binding?: string;
  /**
   * Browser pages on other origins allowed to call: none by default. Pages served from the
   * Worker's own origin, and clients that are not browsers (Node, other Workers), need no
   * entry. Requests from any other origin — `POST /v1/call`, WebSocket upgrades (which CORS
   * itself does not cover) and `onRequest` — are refused with `auth/forbidden`.
   */
  cors?: CorsOptions;
  /**
   * A Worker-level check on every call from outside, across actor types, before it reaches
   * an actor: return `false` or throw to refuse (`auth/forbidden`). In-Worker clients skip it.
   */
  authorize?: Authorize;
  /**
   * The env variable (a secret) holding the inspector's token. When it is set, the
   * inspector's data at `/__actorstate/` and listing actors over HTTP need it; when it is
   * not, both are off unless `ACTORSTATE_INSPECTOR=open` (for local development only, from
   * `.dev.vars` or `wrangler dev --var`). Default `ACTORSTATE_INSPECTOR_TOKEN`.
   */
  inspectorTokenVar?: string;
  /**
   * The inspector from `actorstate/inspector`, served at `/__actorstate/`. Opt-in, so a
   * Worker without it does not carry its page and diagram; who may read its data is still
   * decided by the token or the local opt-in (`inspectorTokenVar`).
   *
   * @example
   * ```ts
   * import { inspector } from "actorstate/inspector";
   * const { handler, ActorObject } = createHandler(registry, { inspector });
   * ```
   */
  inspector?: Inspector;
  /** The Stately Inspector bridge from `actorstate/stately`, to open actors in Stately's inspector. */
  stately?: StatelyBridgeFactory;
}

/**
 * The Durable Object class `createHandler` returns: export it and bind it in wrangler.json.
 * Typed without Workers types (workerd constructs it, not you), so a Node or browser project
 * that imports your registry's type needs none.
 */
export interface ActorObjectClass {
  // workerd passes the object's DurableObjectState and the Worker's env. Naming their types
  // would need Workers types, and `unknown` would not accept the real class.
  new (ctx: any, env: any): ActorObjectInstance;
}

/** An `ActorObject`: what `DurableObjectNamespace<ActorObject>` in your `Env` holds. */
export interface ActorObjectInstance {
  /**
   * The brand that marks a Durable Object class in Workers types (`Rpc.DurableObjectBranded`,
   * whose key is this string), so that `wrangler types` can type the binding with this class.
   */
  __DURABLE_OBJECT_BRAND: never;
  /**
   * One request from a client; errors come back as values. `call` is set by the Worker's
   * handler for calls from outside, which `onBeforeConnect` must approve.
   */
  dispatch(request: unknown, call?: PublicCall): Promise<ActorResult>;
  /** One request to this object as a directory shard. */
  directory(request: DirectoryRequest): DirectoryEntry[] | null;
  /** What the inspector shows of this actor. */
  inspector(request: { before?: number; limit?: number }): InspectorSnapshot | null;
  /** A page of this actor's KV store, for the inspector. */
  inspectorKv(request: { after?: Uint8Array; limit?: number }): InspectorKvPage | null;
  /** What the Worker forwards: WebSocket upgrades, and requests for `onRequest`. */
  fetch(request: Request): Promise<Response>;
  alarm(): Promise<void>;
}

/** The Worker's fetch handler `createHandler` returns. */
export interface ActorHandler {
  /** `env` is the Worker's env: it must hold the actor binding. */
  fetch(request: Request, env: object): Promise<Response>;
}

/**
 * The Worker pieces for a registry: `ActorObject`, the one SQLite-backed Durable Object class
 * that hosts every actor type, and `handler`, the Worker's fetch handler serving the HTTP
 * and WebSocket protocol (`docs/protocol.md`).
 *
 * @example
 * ```ts
 * const { handler, ActorObject } = createHandler(registry, {
 *   cors: { origins: ["https://app.example"] },
 *   authorize: (request, { op }) => op !== "destroy" || request.headers.get("Authorization") === "Bearer …",
 * });
 * type ActorObject = InstanceType<typeof ActorObject>; // the class as a type too, for `wrangler types`
 * export default handler;
 * export { ActorObject };
 * ```
 */
export function createHandler<R extends Registry<any>>(
  registry: R,
  options: HandlerOptions = {},
): { handler: ActorHandler; ActorObject: ActorObjectClass } {
  const bindingName = options.binding ?? "ACTORS";
  const namespaceIn = (env: Record<string, unknown>) => {
    const namespace = env[bindingName] as Partial<ActorNamespace> | undefined;
    if (!namespace) {
      throw new Error(`actorstate: no Durable Object binding "${bindingName}" in env; bind ActorObject under that name in wrangler.json.`);
    }
    if (typeof namespace.idFromName !== "function") {
      throw new Error(`actorstate: env.${bindingName} is not a Durable Object namespace; bind ActorObject under that name in wrangler.json.`);
    }
    return namespace as ActorNamespace;
  };

  /**
   * Hosts one actor (its lifecycle machine, storage, actions and connections), or one shard
   * of an actor type's directory: which one is decided by the first call, and the two never
   * share an object, since their names cannot collide.
   */
  class ActorObject extends DurableObject<Record<string, unknown>> {
    #hosting: { host: ActorHost; websockets: ConnectionHandler } | undefined;
    #shard: DirectoryShard | undefined;

    get #actor(): ActorHost {
      return (this.#hosting ??= this.#host()).host;
    }

    /** The WebSocket transport: its entry points are the handshake, frames and closes. */
    get #websockets(): ConnectionHandler {
      return (this.#hosting ??= this.#host()).websockets;
    }

    #host(): { host: ActorHost; websockets: ConnectionHandler } {
      let websockets: ConnectionHandler | undefined;
      const host = new ActorHost(this.ctx, namespaceIn(this.env), registry, {
        env: this.env,
        connections: (port) => (websockets = new ConnectionHandler(this.ctx, port)),
        client: () => createClient({ binding: namespaceIn(this.env) }),
        ...(options.stately ? { stately: options.stately } : {}),
      });
      if (!websockets) throw new Error("The actor's host made no connections transport.");
      return { host, websockets };
    }

    /** What the inspector shows of this actor, read from storage. */
    inspector(request: { before?: number; limit?: number }): InspectorSnapshot | null {
      return this.#actor.inspectorSnapshot(request);
    }

    /** A page of this actor's KV store, for the inspector, read from storage. */
    inspectorKv(request: { after?: Uint8Array; limit?: number }): InspectorKvPage | null {
      return this.#actor.inspectorKv(request);
    }

    /** One request from a client; errors come back as values. */
    dispatch(request: unknown, call?: PublicCall): Promise<ActorResult> {
      return answerCall(this.#actor, request, call);
    }

    /** One request to this object as a directory shard. */
    directory(request: DirectoryRequest): DirectoryEntry[] | null {
      this.#shard ??= new DirectoryShard(this.ctx.storage);
      if (request.op === "upsert") {
        this.#shard.upsert(request.entry);
        return null;
      }
      return this.#shard.list(request);
    }

    /** What the Worker forwards: requests for `onRequest`, connections' upgrades and raw WebSockets. */
    override async fetch(request: Request): Promise<Response> {
      const route = request.headers.get(ROUTE_HEADER);
      if (route === "request") return serveRequest(this.#actor, request);
      if (route === "websocket") return this.#websockets.raw.accept(request);
      return this.#websockets.accept(request);
    }
    override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
      await this.#websockets.message(ws, message);
    }

    override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
      await this.#websockets.close(ws, code, reason);
    }

    override async webSocketError(ws: WebSocket): Promise<void> {
      await this.#websockets.close(ws, 1006, "error");
    }

    override alarm(): Promise<void> {
      return this.#actor.alarm();
    }

    /** For `actorstate/testing` only (inside the object; RPC cannot call a symbol). */
    [WORKFLOW_TESTING]<T>(target: ActorTarget, work: (runtime: WorkflowRuntime) => T, options?: { manualClock?: boolean }): Promise<T> {
      return this.#actor.withWorkflow(target, work, options);
    }

    /** For `actorstate/testing` only (inside the object; RPC cannot call a symbol). */
    [SCHEDULE_TESTING]<T>(target: ActorTarget, work: (scheduler: Scheduler) => T): T {
      return this.#actor.withScheduleClock(target, work);
    }
  }

  const accessOf = (env: Record<string, unknown>) => inspectorAccess(env, options.inspectorTokenVar ?? "ACTORSTATE_INSPECTOR_TOKEN");
  const inspector = options.inspector?.({ registry, namespaceIn, accessOf, stately: options.stately !== undefined });
  const fetch = compose([
    inspectorStep(inspector),
    corsStep(corsPolicy(options.cors)),
    routeStep([callRoute({ registry, namespaceIn, inspectorAccess: accessOf }), connectRoute(namespaceIn), requestRoute(namespaceIn), rawWebSocketRoute(namespaceIn)]),
    authorizeStep(options.authorize),
  ]);
  const handler: ActorHandler = { fetch: (request, env) => fetch(request, env as Record<string, unknown>) };

  return { handler, ActorObject };
}
