import { DurableObject } from "cloudflare:workers";
import type { ActorNamespace } from "./client/index.ts";
import type { Registry } from "./definition.ts";
import { ActorError } from "./errors.ts";
import { ActorHost } from "./host/actor-host.ts";
import type { ActorResult } from "./requests.ts";

/** Options for {@link createHandler}. */
export interface HandlerOptions {
  /** The name of the Durable Object binding for `ActorObject` in `wrangler.json`. Default `ACTORS`. */
  binding?: string;
}

/** The Durable Object class `createHandler` returns: export it and bind it in wrangler.json. */
export interface ActorObjectClass {
  new (ctx: DurableObjectState, env: Record<string, unknown>): DurableObject<Record<string, unknown>> & {
    /** One request from a client; errors come back as values. */
    dispatch(request: unknown): Promise<ActorResult>;
    alarm(): Promise<void>;
  };
}

/** The Worker's fetch handler `createHandler` returns. */
export interface ActorHandler {
  fetch(request: Request): Promise<Response>;
}

/**
 * The Worker pieces for a registry: `ActorObject`, the one SQLite-backed Durable Object class
 * that hosts every actor type, and `handler`, the Worker's fetch handler.
 *
 * @example
 * ```ts
 * const { handler, ActorObject } = createHandler(registry);
 * export default handler;
 * export { ActorObject };
 * ```
 */
export function createHandler<R extends Registry<any>>(
  registry: R,
  options: HandlerOptions = {},
): { handler: ActorHandler; ActorObject: ActorObjectClass } {
  const bindingName = options.binding ?? "ACTORS";

  /** Hosts one actor: its lifecycle machine, storage and actions. */
  class ActorObject extends DurableObject<Record<string, unknown>> {
    readonly #host: ActorHost;

    constructor(ctx: DurableObjectState, env: Record<string, unknown>) {
      super(ctx, env);
      const namespace = env[bindingName] as ActorNamespace | undefined;
      if (!namespace) {
        throw new Error(`actorstate: no Durable Object binding "${bindingName}" in env; bind ActorObject under that name in wrangler.json.`);
      }
      this.#host = new ActorHost(ctx, namespace, registry);
    }

    /** One request from a client; errors come back as values. */
    dispatch(request: unknown): Promise<ActorResult> {
      return this.#host.call(request);
    }

    override alarm(): Promise<void> {
      return this.#host.alarm();
    }
  }

  const handler = {
    // The HTTP and WebSocket protocol is not served yet; inside a Worker, use
    // createClient({ binding: env.ACTORS }).
    async fetch(request: Request): Promise<Response> {
      const error = new ActorError("request/invalid", `No actorstate route for ${new URL(request.url).pathname}.`);
      return Response.json({ error: error.toJSON() }, { status: 404 });
    },
  };

  return { handler, ActorObject };
}
