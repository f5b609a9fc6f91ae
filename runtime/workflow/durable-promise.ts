import { fromPromise, type ActorSystem, type EventObject, type PromiseActorLogic } from "xstate";
import { idempotencyKeyOf } from "../../machines/engine/pending-ledger.ts";

/** What a workflow's promise actor receives: XState's arguments, plus its idempotency key. */
export interface DurablePromiseArgs<TInput> {
  input: TInput;
  /** Aborted when the machine stops wanting the outcome (it left the invoking state). */
  signal: AbortSignal;
  /**
   * The same for every run of this invocation — a run cut short by a restart and run again
   * gets the key it had — and different for the next invocation. Pass it to payment and
   * other APIs that deduplicate by key, so work done twice is charged once.
   */
  idempotencyKey: string;
  system: ActorSystem<any>;
  emit: (emitted: EventObject) => void;
}

/**
 * XState's `fromPromise`, typed with the `idempotencyKey` a workflow actor gives each
 * invocation. In a workflow actor, a promise in flight when the object stops runs again
 * on wake (unless the workflow's `interrupted` says `"error"`), so the work it does should
 * be idempotent under that key. Run by a plain XState actor (outside a workflow actor), its
 * key is only unique to that run (`local/<session id>`).
 *
 * @example
 * ```ts
 * const charge = durablePromise(async ({ input, idempotencyKey }: DurablePromiseArgs<{ cents: number }>) =>
 *   payments.charge({ amount: input.cents, idempotencyKey }),
 * );
 * const machine = setup({ actors: { charge } }).createMachine({ ... });
 * ```
 */
export function durablePromise<TOutput, TInput = undefined>(run: (args: DurablePromiseArgs<TInput>) => PromiseLike<TOutput>): PromiseActorLogic<TOutput, TInput> {
  return fromPromise<TOutput, TInput>((args) => run({ ...args, idempotencyKey: idempotencyKeyOf(args.self) ?? `local/${args.self.sessionId}` }));
}
