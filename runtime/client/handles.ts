import { ActorError, toActorError } from "../errors.ts";
import { normalizeKey, parseActorId, type ActorKeyInput } from "../identity.ts";
import type { WireRequest, WireTarget } from "../protocol/wire.ts";
import { ClientConnection, connectionProxy } from "./connection.ts";
import type { ClientTransport } from "./transport.ts";
import type { ActorResult } from "../protocol/requests.ts";
import type { ActorAccessor, AnyActorDefinition, Client, CreateOptions, HandleOptions, Registry } from "../types/actor.ts";
import type { ListPage } from "../types/directory.ts";


async function unwrap(result: Promise<ActorResult>): Promise<unknown> {
  let settled: ActorResult;
  try {
    settled = await result;
  } catch (error) {
    throw toActorError(error, { during: "client transport" });
  }
  if (settled.ok) return settled.value;
  throw ActorError.fromShape(settled.error);
}

/**
 * A handle: `resolve`, `destroy`, `inspect`, `connect`, and any other property is an
 * action. `options.params` travel with every call (for `onBeforeConnect`), and are what its
 * connections present when `connect()` is given none.
 */
function handleFor(transport: ClientTransport, route: () => WireTarget, options: HandleOptions<AnyActorDefinition> = {}): unknown {
  // The handle's params, asked for afresh on every call and (re)connect when they come from getParams.
  const params = (): unknown => (options.getParams ? options.getParams() : options.params);
  const send = async (build: (target: WireTarget) => WireRequest) => {
    // Resolving the target lazily turns a bad key or id into a rejected call, like every other error.
    const target = route();
    const current = await params();
    return unwrap(transport.call({ ...build(target), ...(current === undefined ? {} : { params: current }) }));
  };
  const methods: Record<string, (...args: never[]) => unknown> = {
    resolve: () => send((actor) => ({ op: "resolve", actor })),
    destroy: async () => {
      await send((actor) => ({ op: "destroy", actor }));
    },
    inspect: () => send((actor) => ({ op: "inspect", actor })),
    connect: (given?: unknown) => connectionProxy(new ClientConnection(transport.open, route, given === undefined ? params : () => given)),
    fetch: async (path: string, init?: RequestInit) => transport.fetch(route(), path, init, await params()),
    webSocket: async (path = "/", protocols: string | string[] = []) =>
      transport.webSocket(route(), path, typeof protocols === "string" ? [protocols] : protocols, await params()),
  };
  return new Proxy(methods, {
    get(own, property) {
      if (typeof property !== "string" || property === "then") return undefined;
      if (Object.hasOwn(own, property)) return own[property];
      return (...args: unknown[]) => send((actor) => ({ op: "action", actor, action: property, args }));
    },
  });
}

function accessorFor(transport: ClientTransport, name: string): ActorAccessor<AnyActorDefinition> {
  const byKey = (key: ActorKeyInput, options: HandleOptions<AnyActorDefinition>, create?: CreateOptions<AnyActorDefinition>) =>
    handleFor(transport, () => ({ name, key: normalizeKey(key), ...(create ? { create: { input: create.input } } : {}) }), options) as never;
  const byId = (id: string, options: HandleOptions<AnyActorDefinition> = {}) =>
    handleFor(
      transport,
      () => {
        parseActorId(id);
        return { name, id };
      },
      options,
    ) as never;
  return {
    getOrCreate: (key, options = {}) => byKey(key, options, options),
    get: (key, options = {}) => byKey(key, options),
    getForId: byId,
    list: async (options = {}) => (await unwrap(transport.call({ op: "list", actor: { name }, ...options }))) as ListPage,
    create: async (key, options = {}) => {
      const params = options.params === undefined ? {} : { params: options.params };
      const id = (await unwrap(
        transport.call({ op: "create", actor: { name, key: normalizeKey(key) }, mode: "create", input: options.input, ...params }),
      )) as string;
      return byId(id, options);
    },
  };
}

/** A typed client over any transport: `client.<name>` is the accessor for that actor type. */
export function clientOver<R extends Registry<any>>(transport: ClientTransport): Client<R> {
  const accessors = new Map<string, ActorAccessor<AnyActorDefinition>>();
  return new Proxy({} as Client<R>, {
    get(_, name) {
      if (typeof name !== "string" || name === "then") return undefined;
      let accessor = accessors.get(name);
      if (!accessor) accessors.set(name, (accessor = accessorFor(transport, name)));
      return accessor;
    },
  });
}
