import type { ActorLogger } from "../types/actor.ts";
import type { ActorNamespace } from "../platform.ts";
import { shardOf, shardStub } from "../directory/routing.ts";
import { describeError } from "../errors.ts";
import { syncAlarm } from "../storage/alarm.ts";
import { acknowledgeDirectoryEntry, pendingDirectoryEntry, postponeDirectoryEntry } from "../directory/outbox.ts";

/**
 * Delivers the actor's pending directory update (staged in the outbox with the lifecycle
 * change it reports) to its shard of the directory every type shares; on failure it stays
 * in the outbox and the alarm tries again later. One delivery at a time; a newer update
 * staged meanwhile goes next.
 */
export class DirectoryDelivery {
  readonly #storage: DurableObjectStorage;
  readonly #namespace: ActorNamespace;
  readonly #doId: string;
  readonly #log: ActorLogger;
  #delivering: Promise<void> | undefined;

  constructor(options: { storage: DurableObjectStorage; namespace: ActorNamespace; doId: string; log: ActorLogger }) {
    this.#storage = options.storage;
    this.#namespace = options.namespace;
    this.#doId = options.doId;
    this.#log = options.log;
  }

  deliver(): Promise<void> {
    this.#delivering ??= this.#deliverPending().finally(() => (this.#delivering = undefined));
    return this.#delivering;
  }

  async #deliverPending(): Promise<void> {
    for (let entry = pendingDirectoryEntry(this.#storage); entry; entry = pendingDirectoryEntry(this.#storage)) {
      try {
        await shardStub(this.#namespace, shardOf(this.#doId)).directory({ op: "upsert", entry });
      } catch (error) {
        postponeDirectoryEntry(this.#storage);
        await syncAlarm(this.#storage);
        this.#log.warn("directory update not delivered; the alarm will retry", { version: entry.version, error: describeError(error) });
        return;
      }
      acknowledgeDirectoryEntry(this.#storage, entry.version);
      await syncAlarm(this.#storage);
    }
  }
}
