import type { Lifecycle } from "../../machines/lifecycle/lifecycle.ts";
import { assertPlainData } from "../codec.ts";
import type { ActorContext, AnyActorDefinition, Caller, Connection } from "../types/actor.ts";
import type { PublicCall } from "../protocol/wire.ts";
import { actionHandler, validate } from "../actor.ts";
import { ActorError, describeError, quoteInput, summarizeIssues } from "../errors.ts";
import type { ActorTarget } from "../protocol/requests.ts";
import type { ActorInstance } from "./actor-instance.ts";
import { approve } from "./approval.ts";
import { withDeadline } from "./deadline.ts";
import type { CallVia } from "../inspector/types.ts";
import { RecentCalls, type CallStart } from "./recent-calls.ts";

/** How an action or hook ended. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Options for one action run. */
export interface ActionOptions {
  /** The connection it was called over. */
  conn?: Connection;
  /** Who called, already approved: a connection's caller. */
  caller?: Caller;
  /** A call from outside: `onBeforeConnect` approves it first, in the same in-flight work. */
  publicCall?: PublicCall;
  /** Written in the same transaction as the state the action leaves (a schedule's removal). */
  afterSave?: () => void;
  /**
   * Checked synchronously right before the handler runs, once the action is admitted:
   * `false` skips it (a schedule cancelled meanwhile). Resolves to `undefined` then.
   */
  claim?: () => boolean;
  /**
   * Hears the outcome once the state is saved and before the action ends. A connection
   * replies here, so a destroy this action asked for cannot close the socket before the
   * reply is out.
   */
  reply?: (outcome: Outcome) => void;
  /** How it was called, as the inspector shows it; by default a request, or a connection when `conn` is set. */
  via?: CallVia;
}

/** How work reaches the actor's live generation, as running actions and hooks ask for it. */
export interface AdmissionPort {
  /** The actor type `name` names (`actor/unknown_name` otherwise). */
  actorType(name: string): AnyActorDefinition;
  /** Admit `event` for `target`, creating first for a getOrCreate target; `undefined` when admitted at once. */
  enter(target: ActorTarget, event: { type: "ACTION_START" }): Promise<void> | undefined;
  /** Admit work of one generation (a connection hook); `undefined` when admitted at once. */
  admitGeneration(generation: number): Promise<void> | undefined;
  /** The live generation's instance, once admitted. */
  instance(): ActorInstance;
  /** A step could not be stored: memory starts over from storage. */
  forget(): void;
}

/** The connections of the actor, as running actions need them. */
export interface ActionConnections {
  /** Tell whoever watches this object in the inspector something (a change, a Stately event). */
  notifyInspectors(message: unknown): void;
  /** Save the `conn.state` that the work changed; throws, after saving the rest, for one that cannot be stored. */
  saveStates(): void;
}

/** What running actions needs from the host: the lifecycle and storage, and two ports. */
export interface ActionHost {
  lifecycle: Lifecycle;
  storage: DurableObjectStorage;
  admission: AdmissionPort;
  connections: ActionConnections;
  log(message: string, fields: Record<string, unknown>): void;
  /** The local opt-in: a bug in `onBeforeConnect` shows its message to the caller. */
  revealInternalErrors: boolean;
}

/** Admitted work: an approval by `onBeforeConnect` first, for a call from outside, then the work itself. */
interface Work {
  approve?: () => Promise<Caller>;
  run: (caller: Caller | undefined) => unknown;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/**
 * Run `call`; a promise it returns is bounded by the actor's action timeout, after which
 * `lease` expires (the code may go on, but no longer reaches the actor). Most calls return
 * at once and need no timer.
 */
function underDeadline(instance: ActorInstance, what: string, lease: { expired: boolean }, call: () => unknown, check: (value: unknown) => unknown): unknown {
  const result = call();
  if (!isThenable(result)) return check(result);
  const { actionTimeoutMs } = instance.definition.options;
  return withDeadline(Promise.resolve(result), actionTimeoutMs, () => {
    lease.expired = true;
    return new ActorError("action/timed_out", `${what} did not finish within ${actionTimeoutMs} ms.`);
  }).then(check);
}

/** An action's result, once checked to be plain data (what every transport carries). */
function plain(value: unknown): unknown {
  assertPlainData(value, "return value");
  return value;
}

/** What `onRequest` returned, once checked to be a response. */
function response(value: unknown): Response {
  if (value instanceof Response) return value;
  throw new TypeError(`onRequest must return a Response; it returned ${value === null ? "null" : typeof value}.`);
}

/**
 * Runs actions and connection hooks as in-flight work of the lifecycle: admitted with
 * `ACTION_START`, ended with `ACTION_END` once the state they leave is saved, so a destroy
 * waits for them and memory never runs ahead of storage.
 */
export class Actions {
  /** The last action calls, for the inspector. */
  readonly recentCalls = new RecentCalls();
  readonly #host: ActionHost;

  constructor(host: ActionHost) {
    this.#host = host;
  }

  /**
   * Run one action: validate its arguments, admit it (creating first for a getOrCreate
   * target), run it under the action timeout, save the state, and end it.
   */
  async invoke(target: ActorTarget, name: string, rawArgs: unknown[], options: ActionOptions = {}): Promise<unknown> {
    const definition = this.#host.admission.actorType(target.name);
    const call: CallStart = { at: Date.now(), action: name, generation: null, via: options.via ?? (options.conn ? "connection" : "request") };
    const entry = Object.hasOwn(definition.actions, name) ? definition.actions[name] : undefined;
    if (!entry) this.#refuse(call, new ActorError("action/not_found", `Actor "${target.name}" has no action ${quoteInput(name)}.`));
    let args = rawArgs;
    if (typeof entry !== "function") {
      const checked = await validate(entry.args, rawArgs);
      if (!checked.ok) {
        this.#refuse(call, new ActorError("action/invalid_args", `The arguments to "${name}" are invalid: ${summarizeIssues(checked.issues, "args")}.`, {
          metadata: { issues: checked.issues },
        }));
      }
      args = checked.value as unknown[];
    }
    // Refusals from here on are the lifecycle's, and its log already holds them.
    const admitted = this.#host.admission.enter(target, { type: "ACTION_START" });
    if (admitted) await admitted;
    let destroyRequested = false;
    let ran = false;
    const outcome = await this.#inFlight(options, (instance) => {
      if (options.claim && !options.claim()) return { skipped: true };
      ran = true;
      call.generation = instance.identity.generation;
      // Once the action times out, what it changed so far is saved and its context expires.
      const lease = { expired: false };
      const run = (caller: Caller | undefined) => {
        const c = instance.context({ ...(options.conn ? { conn: options.conn } : {}), ...(caller ? { caller } : {}), onDestroy: () => (destroyRequested = true), lease });
        return underDeadline(instance, `Action "${name}"`, lease, () => actionHandler(entry)(c, ...args), plain);
      };
      const { publicCall } = options;
      return publicCall ? { skipped: false, approve: () => this.#approved(instance, lease, publicCall), run } : { skipped: false, run: () => run(options.caller) };
    });
    if (ran) this.recentCalls.record(call, outcome.ok ? undefined : { error: outcome.error });
    // An action that destroyed its own actor answers once the destroy is done, so the
    // caller's next call already sees the result.
    if (destroyRequested) await this.#host.lifecycle.settled();
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** Refuse a call before it runs: remembered for the inspector, then thrown. */
  #refuse(call: CallStart, error: ActorError): never {
    this.recentCalls.record(call, { error });
    throw error;
  }

  /**
   * Approve a call from outside that runs no action of its own (`resolve`, `inspect`,
   * `destroy`, `create`): `onBeforeConnect` runs as in-flight work of the generation
   * `target` reaches (creating it first for a getOrCreate target), and a throw refuses.
   * Resolves with the generation that approved it.
   */
  async approve(target: ActorTarget, call: PublicCall): Promise<number> {
    const admitted = this.#host.admission.enter(target, { type: "ACTION_START" });
    if (admitted) await admitted;
    const outcome = await this.#inFlight({}, (instance) => {
      const lease = { expired: false };
      return { skipped: false, run: () => this.#approved(instance, lease, call).then(() => instance.identity.generation) };
    });
    if (!outcome.ok) throw outcome.error;
    return outcome.value as number;
  }

  /**
   * Serve an HTTP request with the actor's `onRequest`, like an action: admitted, approved
   * by `onBeforeConnect` when it comes from outside, bounded by the action timeout, the
   * state saved once the response is returned (its body may stream on after).
   */
  async serve(target: ActorTarget, request: Request, call: PublicCall | undefined): Promise<Response> {
    const { onRequest } = this.#host.admission.actorType(target.name);
    if (!onRequest) throw new ActorError("action/not_found", `Actor "${target.name}" does not serve HTTP: it has no onRequest.`);
    const admitted = this.#host.admission.enter(target, { type: "ACTION_START" });
    if (admitted) await admitted;
    const outcome = await this.#inFlight({}, (instance) => {
      const lease = { expired: false };
      const run = (caller: Caller | undefined) =>
        underDeadline(instance, "onRequest", lease, () => onRequest(instance.context({ ...(caller ? { caller } : {}), lease }), request), response);
      return call ? { skipped: false, approve: () => this.#approved(instance, lease, call), run } : { skipped: false, run: () => run(undefined) };
    });
    if (!outcome.ok) throw outcome.error;
    return outcome.value as Response;
  }

  /** `onBeforeConnect` for a call from outside, under the action timeout: the caller it approved. */
  #approved(instance: ActorInstance, lease: { expired: boolean }, call: PublicCall): Promise<Caller> {
    const c = instance.context({ lease });
    const approval = () => approve(instance, c, call, this.#host.revealInternalErrors);
    return Promise.resolve(underDeadline(instance, "onBeforeConnect", lease, approval, (caller) => caller)) as Promise<Caller>;
  }

  /**
   * Run a connection hook (`onBeforeConnect`, `onConnect`, `onDisconnect`) as in-flight
   * work of `generation`, under the action timeout, so a destroy waits for it — never for
   * ever; the state is saved after it.
   */
  async runHook(generation: number, hook: (c: ActorContext<unknown>, instance: ActorInstance) => unknown, conn?: Connection): Promise<void> {
    const admitted = this.#host.admission.admitGeneration(generation);
    if (admitted) await admitted;
    const outcome = await this.#inFlight({}, (instance) => {
      const lease = { expired: false };
      const c = instance.context({ ...(conn ? { conn } : {}), lease });
      return { skipped: false, run: () => underDeadline(instance, "A connection hook", lease, () => hook(c, instance), (value) => value) };
    });
    if (!outcome.ok) throw outcome.error;
  }

  /**
   * Everything after an admitted `ACTION_START`, ended by exactly one `ACTION_END` whatever
   * throws on the way: a count left behind would hold every later destroy in `draining`.
   */
  async #inFlight(options: ActionOptions, prepare: (instance: ActorInstance) => { skipped: true } | ({ skipped: false } & Work)): Promise<Outcome> {
    let ended = false;
    try {
      const instance = this.#host.admission.instance();
      const prepared = prepare(instance);
      if (prepared.skipped) return { ok: true, value: undefined };
      const outcome = await this.#runAndSave(instance, options, prepared);
      options.reply?.(outcome);
      ended = true;
      this.#end();
      return outcome;
    } finally {
      if (!ended) this.#end();
      this.#host.connections.notifyInspectors({ t: "changed" });
    }
  }

  /**
   * Run admitted work, then save the state and connection states whatever happened (one
   * that cannot be stored fails the work, and was already put back to what was stored).
   * A call from outside is approved first. Work that returns at once runs in one
   * transaction with the state it leaves, so what it wrote with `c.sql` is rolled back with
   * a state that cannot be stored; work that awaits has its state saved in a transaction of
   * its own when it ends.
   */
  async #runAndSave(instance: ActorInstance, options: ActionOptions, work: Work): Promise<Outcome> {
    let outcome: Outcome | undefined;
    let caller: Caller | undefined;
    if (work.approve) {
      try {
        caller = await work.approve();
      } catch (error) {
        outcome = { ok: false, error };
      }
    }
    let pending: PromiseLike<unknown> | undefined;
    let changed = false;
    let saveError: unknown;
    try {
      changed = this.#host.storage.transactionSync(() => {
        if (!outcome) {
          try {
            const result = work.run(caller);
            if (isThenable(result)) pending = result;
            else outcome = { ok: true, value: result };
          } catch (error) {
            outcome = { ok: false, error };
          }
        }
        return outcome ? this.#save(instance, options) : false;
      });
    } catch (error) {
      saveError = error;
    }
    if (pending) {
      try {
        outcome = { ok: true, value: await pending };
      } catch (error) {
        outcome = { ok: false, error };
      }
      try {
        changed = this.#host.storage.transactionSync(() => this.#save(instance, options));
      } catch (error) {
        saveError ??= error;
      }
    }
    let settled: Outcome = outcome ?? { ok: true, value: undefined };
    if (saveError !== undefined) settled = this.#failedSave(settled, saveError);
    // Once committed: onStateChange never hears of a change that was rolled back.
    if (changed) instance.stateChanged();
    try {
      this.#host.connections.saveStates();
    } catch (error) {
      settled = this.#failedSave(settled, error);
    }
    return settled;
  }

  /** Store the state the work left, and what goes with it (a scheduled action's removal of its schedule); whether the state changed. */
  #save(instance: ActorInstance, options: ActionOptions): boolean {
    const changed = instance.save();
    options.afterSave?.();
    return changed;
  }

  /** A save failed: that fails work that had succeeded; after a failure it is only logged. */
  #failedSave(outcome: Outcome, error: unknown): Outcome {
    if (outcome.ok) return { ok: false, error };
    this.#host.log("state could not be saved after a failed action", { error: describeError(error) });
    return outcome;
  }

  #end(): void {
    let verdict;
    try {
      verdict = this.#host.lifecycle.send({ type: "ACTION_END" });
    } catch (error) {
      // The step could not be stored (the destroy this ended, say): start over from storage.
      this.#host.admission.forget();
      throw error;
    }
    if (!verdict.accepted) this.#host.log("the lifecycle refused ACTION_END", { reason: verdict.reason });
  }
}
