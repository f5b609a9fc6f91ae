import { ActorError, toActorError } from "../errors.ts";
import { normalizeKey, parseActorId, type ActorKeyInput } from "../identity.ts";
import type { ActorRequest, ActorResult, ActorTarget } from "../requests.ts";
import type { ActorAccessor, Client, CreateOptions } from "./types.ts";
import type { AnyActorDefinition, Registry } from "../definition.ts";

/** Where a request goes: the object for a name and key, or the object with a given id. */
export type ObjectAddress = { name: string; key: string[] } | { doId: string };

/** How a client carries one request to an actor's object and brings back its result. */
export interface ClientTransport {
  send(address: ObjectAddress, request: ActorRequest): Promise<ActorResult>;
}

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

type Route = () => { address: ObjectAddress; target: ActorTarget };

/** A handle: `resolve`, `destroy`, `inspect`, and any other property is an action. */
function handleFor(transport: ClientTransport, route: Route): unknown {
  // Resolving the route lazily turns a bad key or id into a rejected call, like every other error.
  const send = async (build: (target: ActorTarget) => ActorRequest) => {
    const { address, target } = route();
    return unwrap(transport.send(address, build(target)));
  };
  const methods: Record<string, (...args: unknown[]) => Promise<unknown>> = {
    resolve: () => send((target) => ({ op: "resolve", target })),
    destroy: async () => {
      await send((target) => ({ op: "destroy", target }));
    },
    inspect: () => send((target) => ({ op: "inspect", target })),
  };
  return new Proxy(methods, {
    get(own, property) {
      if (typeof property !== "string" || property === "then") return undefined;
      if (Object.hasOwn(own, property)) return own[property];
      return (...args: unknown[]) => send((target) => ({ op: "action", target, action: property, args }));
    },
  });
}

function accessorFor(transport: ClientTransport, name: string): ActorAccessor<AnyActorDefinition> {
  const byKey = (key: ActorKeyInput, create?: CreateOptions<AnyActorDefinition>) =>
    handleFor(transport, () => {
      const parts = normalizeKey(key);
      return {
        address: { name, key: parts },
        target: { name, key: parts, ...(create ? { create: { input: create.input } } : {}) },
      };
    }) as never;
  const byId = (id: string) =>
    handleFor(transport, () => {
      const { doId, generation } = parseActorId(id);
      return { address: { doId }, target: { name, generation } };
    }) as never;
  return {
    getOrCreate: (key, options = {}) => byKey(key, options),
    get: (key) => byKey(key),
    getForId: byId,
    create: async (key, options = {}) => {
      const parts = normalizeKey(key);
      const id = (await unwrap(
        transport.send({ name, key: parts }, { op: "create", name, key: parts, mode: "create", input: options.input }),
      )) as string;
      return byId(id);
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
