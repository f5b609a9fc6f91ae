import { DurableObject } from "cloudflare:workers";
import type { ActorNamespace } from "./platform.ts";
import type { Registry } from "./actor-types.ts";
import { ActorError, describeIssues, toActorError } from "./errors.ts";
import type { DirectoryEntry } from "./directory/entry.ts";
import type { DirectoryRequest } from "./directory/routing.ts";
import { DirectoryShard } from "./directory/shard.ts";
import { ActorHost } from "./host/actor-host.ts";
import type { ActorTarget } from "./requests.ts";
import type { WorkflowRuntime } from "./workflow/runtime.ts";
import { WORKFLOW_TESTING } from "./workflow/spec.ts";
import { authorizeInspector, INSPECTOR_PATH, inspectorAccess } from "./inspector/access.ts";
import type { Inspector, InspectorKvPage, InspectorSnapshot, StatelyBridgeFactory } from "./inspector/types.ts";
import { CONTENT_TYPES, decodeIdSegment, decodeKeySegment, decodeMessage, decodePathSegment, encodeMessage, type Encoding } from "./protocol/encoding.ts";
import { readLimitedBody } from "./protocol/body.ts";
import { httpStatus } from "./protocol/http-status.ts";
import { connectionTargetOf, dispatchWire, routeTarget } from "./protocol/route.ts";
import { wireRequest } from "./protocol/schemas.ts";
import { INSPECTOR_HEADER, LIMITS, PROTOCOL_VERSION, TARGET_HEADER } from "./protocol/wire.ts";
import type { ActorResult } from "./requests.ts";

/** Options for {@link createHandler}. */
export interface HandlerOptions {
  /** The name of the Durable Object binding for `ActorObject` in `wrangler.json`. Default `ACTORS`. */
  binding?: string;
  /**
   * The `Access-Control-Allow-Origin` for browser clients on other origins: an origin,
   * `"*"` (the default), or `false` to send no CORS headers.
   */
  cors?: string | false;
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
  /** One request from a client; errors come back as values. */
  dispatch(request: unknown): Promise<ActorResult>;
  /** One request to this object as a directory shard. */
  directory(request: DirectoryRequest): DirectoryEntry[] | null;
  /** What the inspector shows of this actor. */
  inspector(request: { before?: number; limit?: number }): InspectorSnapshot | null;
  /** A page of this actor's KV store, for the inspector. */
  inspectorKv(request: { after?: Uint8Array; limit?: number }): InspectorKvPage | null;
  /** WebSocket upgrades forwarded by the Worker. */
  fetch(request: Request): Promise<Response>;
  alarm(): Promise<void>;
}

/** The Worker's fetch handler `createHandler` returns. */
export interface ActorHandler {
  /** `env` is the Worker's env: it must hold the actor binding. */
  fetch(request: Request, env: object): Promise<Response>;
}

const CALL_PATH = `/v${PROTOCOL_VERSION}/call`;
const CONNECT_PATH = new RegExp(`^/v${PROTOCOL_VERSION}/actors/([^/]+)/(key|id)/([^/]+)/connect$`);

function encodingOf(contentType: string | null): Encoding | undefined {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  return type === CONTENT_TYPES.cbor ? "cbor" : type === CONTENT_TYPES.json || type === "" ? "json" : undefined;
}

/**
 * The Worker pieces for a registry: `ActorObject`, the one SQLite-backed Durable Object class
 * that hosts every actor type, and `handler`, the Worker's fetch handler serving the HTTP
 * and WebSocket protocol (`docs/protocol.md`).
 *
 * @example
 * ```ts
 * const { handler, ActorObject } = createHandler(registry);
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
  const cors = options.cors ?? "*";
  const namespaceIn = (env: Record<string, unknown>) => {
    const namespace = env[bindingName] as ActorNamespace | undefined;
    if (!namespace) {
      throw new Error(`actorstate: no Durable Object binding "${bindingName}" in env; bind ActorObject under that name in wrangler.json.`);
    }
    return namespace;
  };

  /**
   * Hosts one actor (its lifecycle machine, storage, actions and connections), or one shard
   * of an actor type's directory: which one is decided by the first call, and the two never
   * share an object, since their names cannot collide.
   */
  class ActorObject extends DurableObject<Record<string, unknown>> {
    #host: ActorHost | undefined;
    #shard: DirectoryShard | undefined;

    get #actor(): ActorHost {
      this.#host ??= new ActorHost(this.ctx, namespaceIn(this.env), registry, options.stately ? { stately: options.stately } : {});
      return this.#host;
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
    dispatch(request: unknown): Promise<ActorResult> {
      return this.#actor.call(request);
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

    /** WebSocket upgrades forwarded by the Worker. */
    override async fetch(request: Request): Promise<Response> {
      return this.#actor.connectionHandler.accept(request);
    }

    override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
      await this.#actor.connectionHandler.message(ws, message);
    }

    override async webSocketClose(ws: WebSocket): Promise<void> {
      await this.#actor.connectionHandler.close(ws);
    }

    override async webSocketError(ws: WebSocket): Promise<void> {
      await this.#actor.connectionHandler.close(ws);
    }

    override alarm(): Promise<void> {
      return this.#actor.alarm();
    }

    /** For `actorstate/testing` only (inside the object; RPC cannot call a symbol). */
    [WORKFLOW_TESTING]<T>(target: ActorTarget, work: (runtime: WorkflowRuntime) => T, options?: { manualClock?: boolean }): Promise<T> {
      return this.#actor.withWorkflow(target, work, options);
    }
  }

  const accessOf = (env: Record<string, unknown>) => inspectorAccess(env, options.inspectorTokenVar ?? "ACTORSTATE_INSPECTOR_TOKEN");
  const inspector = options.inspector?.({ registry, namespaceIn, accessOf, stately: options.stately !== undefined });

  const corsHeaders: Record<string, string> = cors
    ? {
        "Access-Control-Allow-Origin": cors,
        "Access-Control-Allow-Methods": "POST, OPTIONS",
        // Authorization: a browser client passes the inspector's token to list actors.
        "Access-Control-Allow-Headers": "Content-Type, Accept, Authorization",
        "Access-Control-Max-Age": "86400",
      }
    : {};

  const reply = (encoding: Encoding, result: ActorResult, status: number) =>
    new Response(encodeMessage(encoding, result), {
      status,
      headers: { "Content-Type": CONTENT_TYPES[encoding], ...corsHeaders },
    });

  /** `POST /v1/call`: one handle operation, in the request's encoding. */
  async function call(request: Request, env: Record<string, unknown>): Promise<Response> {
    const encoding = encodingOf(request.headers.get("Content-Type"));
    if (!encoding) {
      const error = new ActorError("request/invalid", `Send ${CONTENT_TYPES.json} or ${CONTENT_TYPES.cbor}.`);
      return reply("json", { ok: false, error: error.toJSON() }, 415);
    }
    try {
      const body = await readLimitedBody(request, LIMITS.requestBytes);
      let decoded: unknown;
      try {
        decoded = decodeMessage(encoding, body);
      } catch (error) {
        throw new ActorError("request/invalid", (error as Error).message);
      }
      const parsed = wireRequest.safeParse(decoded);
      if (!parsed.success) {
        throw new ActorError("request/invalid", "The request does not match the protocol.", {
          metadata: { issues: describeIssues(parsed.error.issues) },
        });
      }
      // Every other operation is checked by the actor's object; a list goes to the directory,
      // which shows every key and id, so over HTTP it is guarded like the inspector.
      if (parsed.data.op === "list") {
        const refused = authorizeInspector(request, accessOf(env), "to list actors over HTTP");
        if (refused) throw refused;
        if (!Object.hasOwn(registry.actors, parsed.data.actor.name)) {
          throw new ActorError("actor/unknown_name", `No actor type named "${parsed.data.actor.name}" is registered.`);
        }
      }
      const result = await dispatchWire(namespaceIn(env), parsed.data);
      return reply(encoding, result, result.ok ? 200 : httpStatus(ActorError.fromShape(result.error)));
    } catch (error) {
      const shown = toActorError(error, { during: "HTTP call" });
      return reply(encoding, { ok: false, error: shown.toJSON() }, httpStatus(shown));
    }
  }

  /** `GET /v1/actors/{name}/key|id/{segment}/connect`: forward the upgrade to the actor's object. */
  async function connect(request: Request, env: Record<string, unknown>, match: RegExpExecArray): Promise<Response> {
    try {
      const [, rawName = "", kind, segment = ""] = match;
      const name = decodePathSegment(rawName);
      const url = new URL(request.url);
      let route: ReturnType<typeof routeTarget>;
      if (kind === "key") {
        let key: string[];
        try {
          key = decodeKeySegment(segment);
        } catch {
          throw new ActorError("actor/invalid_key", "The key in the path is not base64url JSON of a string array.");
        }
        route = routeTarget(namespaceIn(env), { name, key, ...(url.searchParams.get("create") === "1" ? { create: {} } : {}) });
      } else {
        route = routeTarget(namespaceIn(env), { name, id: decodeIdSegment(decodePathSegment(segment)) });
      }
      const target = connectionTargetOf(route.target);
      const forwarded = new Request(request);
      forwarded.headers.set(TARGET_HEADER, JSON.stringify(target));
      // Only the inspector's own route may open an inspector socket, after its access check.
      forwarded.headers.delete(INSPECTOR_HEADER);
      return await route.stub.fetch(forwarded);
    } catch (error) {
      const shown = toActorError(error, { during: "connect" });
      return Response.json({ ok: false, error: shown.toJSON() }, { status: httpStatus(shown), headers: corsHeaders });
    }
  }

  const handler: ActorHandler = {
    async fetch(request, workerEnv) {
      const env = workerEnv as Record<string, unknown>;
      const inspected = await inspector?.(request, env);
      if (inspected) return inspected;
      const url = new URL(request.url);
      if (!inspector && (url.pathname === INSPECTOR_PATH || url.pathname.startsWith(`${INSPECTOR_PATH}/`))) {
        const error = new ActorError("request/invalid", "The inspector is off in this Worker: pass `inspector` from actorstate/inspector to createHandler.");
        return Response.json({ ok: false, error: error.toJSON() }, { status: 404, headers: corsHeaders });
      }
      if (url.pathname === CALL_PATH) {
        if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: corsHeaders });
        if (request.method === "POST") return call(request, env);
      }
      const match = CONNECT_PATH.exec(url.pathname);
      if (match && request.method === "GET") return connect(request, env, match);
      const error = new ActorError("request/invalid", `No actorstate route for ${request.method} ${url.pathname}.`);
      return Response.json({ ok: false, error: error.toJSON() }, { status: 404, headers: corsHeaders });
    },
  };

  return { handler, ActorObject };
}

