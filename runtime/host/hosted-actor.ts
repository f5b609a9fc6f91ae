import type { StoredLifecycle } from "../../machines/lifecycle/types.ts";
import type { AnyActorDefinition, Registry } from "../types/actor.ts";
import type { DirectoryWorkflowStatus } from "../types/directory.ts";
import { ActorError, quoteInput } from "../errors.ts";
import { normalizeKey, objectNameFor } from "../identity.ts";
import type { ActorNamespace } from "../platform.ts";
import type { ActorRequest, ActorTarget } from "../protocol/requests.ts";
import { readRecord } from "../storage/actor-record.ts";
import { readStateKey } from "../storage/actor-state.ts";
import type { Identity } from "./journal.ts";

/** The actor type a request is for. */
export function targetName(request: ActorRequest): string {
  return "name" in request ? request.name : request.target.name;
}

/** A target as messages name it: `counter ["a"]`, or `counter (generation 2)`. */
export function describeTarget(target: ActorTarget | Identity): string {
  return "key" in target ? `${target.name} ${JSON.stringify(target.key)}` : `${target.name} (generation ${target.generation})`;
}

/** The generation an id target is pinned to, as a lifecycle event carries it. */
export function generationOf(target: ActorTarget): { generation?: number } {
  return "generation" in target ? { generation: target.generation } : {};
}

/** The target without its getOrCreate part: for work that must never create. */
export function withoutCreate(target: ActorTarget): ActorTarget {
  return "key" in target ? { name: target.name, key: target.key } : target;
}

function sameKey(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

/**
 * Which actor an object hosts, and proof of it: from its stored record, or from a request
 * whose name and key were shown to hash to this object — never from an unproven request.
 */
export class HostedActor {
  /** Who the actor is, once proven; `undefined` before. */
  identity: Identity | undefined;
  readonly #registry: Registry;
  readonly #namespace: ActorNamespace;
  readonly #objectId: DurableObjectId;
  readonly #storage: DurableObjectStorage;

  constructor(options: { registry: Registry; namespace: ActorNamespace; objectId: DurableObjectId; storage: DurableObjectStorage }) {
    this.#registry = options.registry;
    this.#namespace = options.namespace;
    this.#objectId = options.objectId;
    this.#storage = options.storage;
  }

  /** The actor type a name refers to (`actor/unknown_name` otherwise). */
  type(name: string): AnyActorDefinition {
    const definition = Object.hasOwn(this.#registry.actors, name) ? this.#registry.actors[name] : undefined;
    if (!definition) throw new ActorError("actor/unknown_name", `No actor type named ${quoteInput(name)} is registered.`);
    return definition;
  }

  /** The proven actor's type; throws when no request has named it or the registry dropped it. */
  definition(): AnyActorDefinition {
    const identity = this.identity;
    if (!identity) throw new Error("An actor came into memory before any request named it.");
    const definition = Object.hasOwn(this.#registry.actors, identity.name) ? this.#registry.actors[identity.name] : undefined;
    if (!definition) throw new Error(`This object hosts a "${identity.name}" actor, which the registry no longer defines.`);
    return definition;
  }

  /**
   * Check that `target` is this object's actor and return its type. A key target must hash
   * to this object (then it proves the identity); an id target must name this object's
   * actor type, or it is simply not found.
   */
  claim(target: ActorTarget | Identity): AnyActorDefinition {
    const definition = this.type(target.name);
    if ("key" in target) {
      const key = normalizeKey(target.key);
      // The identity is already proven: a request naming it needs no hash.
      const proven = this.identity?.name === target.name && sameKey(this.identity.key, key);
      if (!proven && !this.#namespace.idFromName(objectNameFor(target.name, key)).equals(this.#objectId)) {
        throw new ActorError("request/invalid", `This Durable Object does not host ${describeTarget(target)}.`);
      }
      this.identity ??= { name: target.name, key };
    } else {
      if (!this.identity) this.readStored();
      if (this.identity && this.identity.name !== target.name) throw new ActorError("actor/not_found", `No live actor ${describeTarget(target)}.`);
    }
    return definition;
  }

  /** What storage holds of the lifecycle (and, with it, who the actor is). */
  readStored(): StoredLifecycle | null {
    const record = readRecord(this.#storage);
    if (record) this.identity ??= { name: record.name, key: record.key };
    return record?.lifecycle ?? null;
  }

  /**
   * The stored status of the machine of a workflow actor's `generation`, as the directory
   * lists it; `undefined` for other actor types and before the machine started.
   */
  workflowStatus(generation: number): DirectoryWorkflowStatus | undefined {
    const name = this.identity?.name;
    if (name === undefined || !Object.hasOwn(this.#registry.actors, name) || !this.#registry.actors[name]?.workflow) return undefined;
    // The system alone, not the whole state: the directory asks on every status change.
    const system = readStateKey(this.#storage, generation, "system") as { root?: { status?: unknown } } | null | undefined;
    const status = system?.root?.status;
    return status === "active" || status === "done" || status === "error" ? status : undefined;
  }
}
