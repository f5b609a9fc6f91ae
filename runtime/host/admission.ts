import type { Lifecycle, LifecycleWork, Verdict } from "../../machines/lifecycle/lifecycle.ts";
import type { CreateRequest, LifecycleEvent, RefusalReason, StoredLifecycle } from "../../machines/lifecycle/types.ts";
import { ADMIT_ROUNDS, CREATE_ROUNDS } from "../../machines/lifecycle/policy.ts";
import { ActorError, errorForRefusal } from "../errors.ts";

/**
 * Request ids: unique per isolate by the counter, across isolates by the random prefix —
 * drawn on first use, as Workers forbid random values at a module's top level.
 */
const requestIds = { prefix: "", next: 0 };
const newRequestId = () => `${(requestIds.prefix ||= crypto.randomUUID().slice(0, 8))}-${++requestIds.next}`;

/** A caller waiting for the outcome of the work its request started. */
interface OwnWork {
  failure?: { error: unknown };
}

/**
 * Gets each caller's event admitted by the lifecycle machine, and gives each caller the
 * answer to its own request. A refusal is the contract's error, except `not_loaded` (load,
 * then ask again) and `not_ready` (wait for the work under way, then ask again).
 *
 * Work the machine starts for a request (a creation, a load) carries that request's id: if
 * the work fails, only that caller hears of the failure. Everyone else who was waiting asks
 * again and gets the contract's answer for where the machine now is.
 */
export class Admission {
  readonly #lifecycle: Lifecycle;
  readonly #readStored: () => StoredLifecycle | null;
  readonly #own = new Map<string, OwnWork>();

  constructor(lifecycle: Lifecycle, readStored: () => StoredLifecycle | null) {
    this.#lifecycle = lifecycle;
    this.#readStored = readStored;
  }

  /** `work` failed: the caller whose request started it, if still waiting, gets `error`. */
  workFailed(work: LifecycleWork, error: unknown): void {
    // Only the caller whose request the work is for hears of its failure; a teardown has none.
    const requestId = work.src === "load" ? work.input.requestId : work.src === "teardown" ? undefined : work.input.request.id;
    const own = requestId === undefined ? undefined : this.#own.get(requestId);
    if (own) own.failure = { error };
  }


  /**
   * Send `event` until the machine accepts it; throws the contract's error for a refusal.
   * `label` names the target in messages. An event accepted at once — the usual case — is
   * answered synchronously: nothing to await.
   */
  admit(event: LifecycleEvent, label: () => string): Promise<void> | undefined {
    const verdict = this.#lifecycle.send(event);
    return verdict.accepted ? undefined : this.#admitAfter(event, verdict.reason, label);
  }

  async #admitAfter(event: LifecycleEvent, refused: RefusalReason, label: () => string): Promise<void> {
    let reason = refused;
    for (let round = 1; ; round++) {
      const error = errorForRefusal(reason, label());
      if (error) throw error;
      // Every round waits for the machine to move on; if it keeps coming back (storage that
      // keeps failing, say), the caller hears so instead of waiting for ever.
      if (round > ADMIT_ROUNDS) throw new Error(`${event.type} was not admitted after ${ADMIT_ROUNDS} rounds; the last answer was ${reason}.`);
      if (reason === "not_loaded") {
        // Ask again at once: what the loading state takes (a destroy) need not wait for the wake.
        const verdict = await this.#load(() => this.#lifecycle.send(event));
        if (verdict.accepted) return;
        reason = verdict.reason;
        continue;
      }
      await this.#lifecycle.settled();
      const verdict = this.#lifecycle.send(event);
      if (verdict.accepted) return;
      reason = verdict.reason;
    }
  }

  /** Create (or join a creation, or find the actor live) and wait; throws this request's own failure. */
  async create(request: Omit<CreateRequest, "id">, label: () => string): Promise<void> {
    const id = newRequestId();
    await this.#withOwnWork(id, async () => {
      await this.admit({ type: "CREATE", request: { ...request, id } }, label);
      await this.#lifecycle.settled();
    });
  }

  /**
   * Admit `event` for a caller that may create the actor first (`create` given: a
   * getOrCreate handle). The event is tried first — the actor is usually there — and only
   * when the machine answers that there is no actor to take it (none, or one being
   * destroyed) is a creation asked for, and the event sent again. A few rounds at most: the
   * actor may vanish again in between (a failed creation this caller only joined, a destroy).
   */
  enter(event: LifecycleEvent, label: () => string, create?: () => Promise<{ input: unknown }>): Promise<void> | undefined {
    const admitted = this.admit(event, label);
    return admitted && create ? this.#createAndEnter(admitted, event, label, create) : admitted;
  }

  async #createAndEnter(first: Promise<void>, event: LifecycleEvent, label: () => string, create: () => Promise<{ input: unknown }>): Promise<void> {
    for (let round = 1, admitted: Promise<void> | undefined = first; ; round++) {
      try {
        return await admitted;
      } catch (error) {
        const absent = error instanceof ActorError && (error.is("actor/not_found") || error.is("actor/destroying"));
        if (!absent || round > CREATE_ROUNDS) throw error;
      }
      const { input } = await create();
      await this.create({ mode: "getOrCreate", input }, label);
      admitted = this.admit(event, label);
    }
  }

  /**
   * Load (send `LOAD` with what storage holds), then `next()` at once: what the machine takes
   * while it wakes (a destroy) need not wait for the wake. Anything else waits until the
   * machine rests — and hears of the load's failure if this load was the one that started —
   * and is asked again.
   */
  async #load(next: () => Verdict): Promise<Verdict> {
    const requestId = newRequestId();
    let verdict: Verdict | undefined;
    await this.#withOwnWork(requestId, async () => {
      this.#lifecycle.send({ type: "LOAD", stored: this.#readStored(), requestId });
      const first = next();
      if (first.accepted) verdict = first;
      else await this.#lifecycle.settled();
    });
    return verdict ?? next();
  }

  async #withOwnWork(id: string, run: () => Promise<void>): Promise<void> {
    const own: OwnWork = {};
    this.#own.set(id, own);
    try {
      await run();
    } finally {
      this.#own.delete(id);
    }
    if (own.failure) throw own.failure.error;
  }
}
