import type { LifecycleWork } from "../../machines/lifecycle/lifecycle.ts";
import type { CreateWorkInput, LoadWorkInput, TeardownWorkInput } from "../../machines/lifecycle/types.ts";
import { describeError } from "../errors.ts";
import { readStateParts, writeInitialState } from "../storage/actor-state.ts";
import type { ActorInstance } from "./actor-instance.ts";
import { withDeadline } from "./deadline.ts";

/** What the live generation's work needs from the host. */
export interface WorkHost {
  storage: DurableObjectStorage;
  /** A new in-memory instance of `generation` of the actor this object hosts. */
  instantiate(generation: number): ActorInstance;
  /** End the connections of `generation`: the actor is going (`onDisconnect` runs with `instance`). */
  endConnections(generation: number, instance: ActorInstance | undefined): Promise<void>;
  /** The actor woke with sockets still open: their hooks attach what lives in memory again. */
  resumeSockets(generation: number, instance: ActorInstance): Promise<void>;
}

/**
 * Carries out the work the lifecycle machine invokes — wake, create, resurrect, teardown —
 * running the user's hooks, and keeps the instance of the live generation in memory.
 *
 * A creation starts from nothing — the step that enters `creating` or `resurrecting` erases
 * what an interrupted attempt left behind — so a creation resumed after a crash runs
 * `createState`, `onCreate` and `onWake` again from the start (`onCreate` runs at least once
 * per generation). The machine stores `creating`
 * before this work starts and `running` only once it is done, so no caller ever sees an
 * actor whose creation did not finish.
 */
export class LiveGeneration {
  #instance: ActorInstance | undefined;
  readonly #host: WorkHost;

  /** The generation in memory once woken or created; `undefined` before, and after its teardown. */
  get instance(): ActorInstance | undefined {
    return this.#instance;
  }

  /** An instance replaced or dropped stops what it runs in memory (a workflow's machine and its promise work). */
  set instance(instance: ActorInstance | undefined) {
    if (this.#instance !== instance) this.#instance?.dispose();
    this.#instance = instance;
  }

  constructor(host: WorkHost) {
    this.#host = host;
  }

  perform(work: LifecycleWork): Promise<unknown> {
    switch (work.src) {
      case "load":
        return this.#wake(work.input);
      case "create":
      case "resurrect":
        return this.#bringToLife(work.input);
      case "teardown":
        return this.#teardown(work.input);
    }
  }

  async #wake({ generation }: LoadWorkInput): Promise<void> {
    const instance = this.#fromStorage(generation);
    if (!instance) throw new Error(`Generation ${generation} is live but has no stored state.`);
    this.instance = instance;
    try {
      await instance.makeVars();
      const { onWake } = instance.definition;
      // One transaction for what a synchronous onWake writes (its c.sql migrations): all or nothing.
      if (onWake) await this.#host.storage.transactionSync(() => onWake(instance.context()));
      await this.#host.resumeSockets(generation, instance);
      instance.saveAndNotify();
    } catch (error) {
      // A half-woken instance is nobody's: the next wake starts from storage.
      this.instance = undefined;
      throw error;
    }
  }

  /** The stored state of `generation` in a new instance; `undefined` if none is stored. */
  #fromStorage(generation: number): ActorInstance | undefined {
    const parts = readStateParts(this.#host.storage, generation);
    if (!parts) return undefined;
    const instance = this.#host.instantiate(generation);
    instance.adopt(parts);
    return instance;
  }

  async #bringToLife({ generation, request }: CreateWorkInput): Promise<void> {
    const storage = this.#host.storage;
    const instance = this.#host.instantiate(generation);
    const { definition } = instance;
    // The instance is the current one from the start: createState may already use its KV.
    this.instance = instance;
    try {
      instance.state = definition.createState
        ? await definition.createState(instance.createContext(), request.input)
        : structuredClone(definition.state);
      const parts = instance.encodeState();
      writeInitialState(storage, generation, parts);
      instance.adopt(parts);
      await instance.makeVars();
      await definition.onCreate?.(instance.context(), request.input);
      instance.saveAndNotify();
      await definition.onWake?.(instance.context());
      instance.saveAndNotify();
    } catch (error) {
      this.instance = undefined;
      throw error;
    }
  }

  async #teardown({ generation }: TeardownWorkInput): Promise<void> {
    // A destroy resumed after a crash finds nothing in memory: onDestroy sees the stored state.
    const inMemory = this.instance?.identity.generation === generation;
    const instance = inMemory ? this.instance : this.#fromStorage(generation);
    this.instance = instance;
    const onDestroy = instance?.definition.onDestroy;
    if (instance && onDestroy) {
      const { onDestroyTimeoutMs } = instance.definition.options;
      try {
        await withDeadline(
          // One read from storage has no vars yet; making them is part of the hook's time.
          Promise.resolve().then(async () => {
            if (!inMemory) await instance.makeVars();
            return onDestroy(instance.context());
          }),
          onDestroyTimeoutMs,
          () => new Error(`onDestroy did not finish within ${onDestroyTimeoutMs} ms`),
        );
      } catch (error) {
        instance.log.error("onDestroy failed; the destroy goes on", { error: describeError(error) });
      }
    }
    await this.#host.endConnections(generation, instance);
    this.instance = undefined;
  }
}
