// actorstate/testing: helpers for your own tests under @cloudflare/vitest-plugin.
import { evictDurableObject, runInDurableObject, SELF } from "cloudflare:test";
import type { AnyStateMachine, EventFrom, EventObject, OutputFrom } from "xstate";
import type { ActorHandle, Client, Registry } from "./types/actor.ts";
import type { SocketLike } from "./client/connection.ts";
import type { WebSocketConstructor } from "./client/http.ts";
import { createClient } from "./client/index.ts";
import { waitFor, type WorkflowHandleLike } from "./client/wait-for.ts";
import type { ActorNamespace } from "./platform.ts";
import type { WorkflowDefinition, WorkflowView } from "./workflow/workflow.ts";
import type { WorkflowRuntime } from "./workflow/runtime.ts";
import { WORKFLOW_TESTING } from "./types/workflow.ts";
import { delayOf } from "../machines/workflow/state-tree.ts";
import { normalizeKey, objectNameFor, type ActorKeyInput } from "./identity.ts";
import { hasSchema } from "./storage/schema.ts";
import type { LoggedTransition } from "./storage/log-entries.ts";
import { readTransitions } from "./storage/transition-log.ts";
import { SCHEDULE_TESTING } from "./host/schedule-clock.ts";
import type { Scheduler, ScheduleRun } from "./host/scheduler.ts";
import type { Encoding } from "./protocol/encoding.ts";

export type { LoggedTransition } from "./storage/log-entries.ts";
export type { ScheduleRun } from "./host/scheduler.ts";

/**
 * The Durable Object stub that hosts the actor `name` + `key`: pass it to
 * `evictDurableObject`, `runDurableObjectAlarm` or `runInDurableObject`.
 *
 * @example
 * ```ts
 * import { evictDurableObject, env } from "cloudflare:test";
 * import { actorObject } from "actorstate/testing";
 *
 * await evictDurableObject(actorObject(env.ACTORS, "counter", "demo"));
 * ```
 */
export function actorObject(binding: ActorNamespace, name: string, key?: ActorKeyInput): DurableObjectStub {
  return binding.get(binding.idFromName(objectNameFor(name, normalizeKey(key)))) as DurableObjectStub;
}

/**
 * The actor's durable transition log, oldest first (up to the last 1,000 transitions).
 * Empty for an actor that was never created.
 *
 * @example
 * ```ts
 * const log = await transitionLog(actorObject(env.ACTORS, "counter", "demo"));
 * expect(log.at(-1)).toMatchObject({ from: "destroying.finalizing", to: "destroyed" });
 * ```
 */
export function transitionLog(object: DurableObjectStub): Promise<LoggedTransition[]> {
  return runInDurableObject(object, (_, state) => (hasSchema(state.storage) ? readTransitions(state.storage) : []));
}

/** Options for {@link outsideClient}. */
export interface OutsideClientOptions {
  /**
   * Headers on every request and on every WebSocket upgrade, as a browser sends its cookies
   * on both: `Cookie`, `Authorization`, an `Origin`.
   */
  headers?: Record<string, string>;
  /** How requests and frames are encoded. Default `json`. */
  encoding?: Encoding;
  /** The URL the requests are made to, as your Worker sees it in `request.url`. Default `https://example.com`. */
  endpoint?: string;
}

/**
 * A WebSocket constructor whose sockets open through the Worker's own fetch handler
 * (`SELF`), with `headers` on the upgrade request.
 */
function selfWebSocket(headers: Record<string, string>): WebSocketConstructor {
  type Listener = (event: never) => void;
  return class SelfWebSocket implements SocketLike {
    binaryType = "arraybuffer";
    #socket: WebSocket | undefined;
    readonly #listeners = new Map<string, Listener[]>();

    constructor(url: string, protocols?: string | string[]) {
      const protocol = Array.isArray(protocols) ? protocols.join(", ") : protocols;
      const upgrade = { ...headers, Upgrade: "websocket", ...(protocol ? { "Sec-WebSocket-Protocol": protocol } : {}) };
      const refused = (reason: string) => {
        this.#emit("error", {});
        this.#emit("close", { code: 1006, reason });
      };
      SELF.fetch(url.replace(/^ws/, "http"), { headers: upgrade }).then((response) => {
        const socket = response.webSocket;
        if (!socket) return refused(`HTTP ${response.status}`);
        socket.accept();
        this.#socket = socket;
        for (const type of ["message", "close", "error"] as const) socket.addEventListener(type, (event) => this.#emit(type, event));
        this.#emit("open", {});
      }, (error: unknown) => refused(String(error)));
    }

    send(data: string | Uint8Array): void {
      this.#socket?.send(data);
    }

    close(code?: number, reason?: string): void {
      this.#socket?.close(code, reason);
    }

    addEventListener(type: string, listener: Listener): void {
      this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
    }

    #emit(type: string, event: unknown): void {
      for (const listener of this.#listeners.get(type) ?? []) listener(event as never);
    }
  };
}

/**
 * A client that reaches your Worker from outside, through its own fetch handler (`SELF`
 * from `cloudflare:test`), as a browser or a Node process would: its calls and its
 * connections (`handle.connect()`) pass your `cors`, `authorize` and `onBeforeConnect`,
 * which the in-Worker `{ binding }` client skips. `headers` go on every request and on
 * every WebSocket upgrade, so a session cookie signs in both.
 *
 * @example
 * ```ts
 * import { outsideClient } from "actorstate/testing";
 * import type { registry } from "../src/actors";
 *
 * const signedIn = outsideClient<typeof registry>({ headers: { Cookie: "session=ada" } });
 * const conn = signedIn.room.getOrCreate("lobby").connect();
 * await conn.post("hello");
 * ```
 */
export function outsideClient<R extends Registry<any>>(options: OutsideClientOptions = {}): Client<R> {
  const headers = options.headers ?? {};
  return createClient<R>({
    endpoint: options.endpoint ?? "https://example.com",
    fetch: (input, init) => SELF.fetch(input instanceof Request ? input : String(input), init),
    WebSocket: selfWebSocket(headers),
    headers,
    ...(options.encoding ? { encoding: options.encoding } : {}),
  });
}

/** A workflow actor under test: see {@link startWorkflow}. */
export interface WorkflowRun<TMachine extends AnyStateMachine = AnyStateMachine> {
  /** The actor's key (a fresh random one unless given). */
  readonly key: string[];
  /** The actor's handle, over Durable Object RPC. */
  readonly handle: ActorHandle<WorkflowDefinition<TMachine, unknown>>;
  /** The Durable Object stub that hosts it. */
  readonly object: DurableObjectStub;
  /** `handle.send(event)`: resolves with the new snapshot view. */
  send(event: EventFrom<TMachine>): Promise<WorkflowView<TMachine>>;
  /** The current snapshot view. */
  getSnapshot(): Promise<WorkflowView<TMachine>>;
  /**
   * Move this actor's clock `ms` forward and run every timer due by then — each at its own
   * time, in order — before resolving with the snapshot view. No real time passes.
   */
  advanceTime(ms: number): Promise<WorkflowView<TMachine>>;
  /** Evict the object, as the platform does: the next call restores the workflow from storage. */
  evict(): Promise<void>;
  /** Resolves with the output once the machine reaches a final state; rejects with its error if it fails. */
  readonly result: Promise<OutputFrom<TMachine>>;
}

/**
 * Start (or reach) a workflow actor in a test under `@cloudflare/vitest-plugin`, with a
 * clock you move by hand and eviction on demand.
 *
 * @example
 * ```ts
 * import { env } from "cloudflare:test";
 * import { startWorkflow } from "actorstate/testing";
 *
 * const run = await startWorkflow<typeof expenseMachine>(env.ACTORS, "expense", { input: { owner: "ada" } });
 * await run.send({ type: "SUBMIT", amount: 120 });
 * await run.evict();
 * expect((await run.advanceTime(24 * 3_600_000)).value).toBe("escalated");
 * ```
 */
export async function startWorkflow<TMachine extends AnyStateMachine = AnyStateMachine>(
  binding: ActorNamespace,
  name: string,
  options: { key?: ActorKeyInput; input?: unknown } = {},
): Promise<WorkflowRun<TMachine>> {
  const key = normalizeKey(options.key ?? crypto.randomUUID());
  type Definition = WorkflowDefinition<TMachine, unknown>;
  const client = createClient<Registry<Record<string, Definition>>>({ binding });
  const handle = client[name]!.getOrCreate(key, options.input === undefined ? {} : { input: options.input }) as ActorHandle<Definition>;
  const object = actorObject(binding, name, key);
  type Inside = (target: unknown, work: (runtime: WorkflowRuntime) => unknown, options?: { manualClock: boolean }) => Promise<WorkflowView<TMachine>>;
  const inside = (work: (runtime: WorkflowRuntime) => unknown, options?: { manualClock: boolean }) =>
    runInDurableObject(object, (instance: unknown) => (instance as Record<symbol, Inside>)[WORKFLOW_TESTING]!({ name, key }, work, options));
  // Created inside the object, so the machine starts on the test's clock, which real time never moves.
  await runInDurableObject(object, (instance: unknown) =>
    (instance as Record<symbol, Inside>)[WORKFLOW_TESTING]!(
      { name, key, create: options.input === undefined ? {} : { input: options.input } },
      (runtime) => runtime.view(),
      { manualClock: true },
    ),
  );
  // Generic over the machine, the handle's mapped action types stay unresolved here.
  const calls = handle as unknown as { send(event: unknown): Promise<WorkflowView<TMachine>>; snapshot(): Promise<WorkflowView<TMachine>> };
  let result: Promise<OutputFrom<TMachine>> | undefined;
  return {
    key,
    handle,
    object,
    send: (event) => calls.send(event),
    getSnapshot: () => calls.snapshot(),
    advanceTime: (ms) => inside((runtime) => runtime.advanceTime(ms)),
    evict: () => evictDurableObject(object),
    get result() {
      // Made on first use: a test that never asks opens no connection.
      return (result ??= waitFor(handle as unknown as WorkflowHandleLike<WorkflowView<TMachine>>, (view) => view.status !== "active").then((view) => {
        if (view.status === "done") return view.output as OutputFrom<TMachine>;
        throw Object.assign(new Error(view.error?.message ?? `The machine ended with status "${view.status}".`), { name: view.error?.name ?? "Error" });
      }));
    },
  };
}

/** One path as `xstate/graph` gives it (`getShortestPaths`, `getSimplePaths`, `getPathsFromEvents`). */
export interface MachinePath {
  steps: ReadonlyArray<{ event: EventObject; state: { value: unknown; context: unknown } }>;
}

/** How long an `xstate.after.<delay>.<state>` event waits: a number, or a named delay of the machine. */
function afterDelay(machine: AnyStateMachine, type: string, before: { context: unknown } | undefined): number {
  const name = type.slice("xstate.after.".length).split(".")[0] ?? "";
  const delays = machine.implementations.delays as Record<string, unknown>;
  const constant = delayOf(/^\d+$/.test(name) ? Number(name) : name, delays);
  if (constant !== undefined) return constant;
  const computed = Object.hasOwn(delays, name) ? delays[name] : undefined;
  if (typeof computed === "function" && before) return (computed as (args: { context: unknown; event: EventObject }) => number)({ context: before.context, event: { type } });
  throw new Error(`The path waits for the delay "${name}", which the machine does not define.`);
}

/**
 * Replay one path of a machine's graph against a fresh workflow actor — each event sent,
 * each `after` delay waited on the actor's test clock, the object evicted after every step
 * — and check after each step that the durable actor is where the path says: the same
 * state value and context. Model-based testing of your machine as it really runs: stored,
 * restored and timed by the alarm's rules. Resolves with the last snapshot view; throws on
 * the first step that differs.
 *
 * @example
 * ```ts
 * import { getShortestPaths } from "xstate/graph";
 *
 * for (const path of getShortestPaths(expenseMachine, { events, input: { owner: "ada" } })) {
 *   it(`reaches ${JSON.stringify(path.state.value)}`, () =>
 *     replayPath(env.ACTORS, "expense", expenseMachine, path, { input: { owner: "ada" } }));
 * }
 * ```
 */
export async function replayPath<TMachine extends AnyStateMachine>(
  binding: ActorNamespace,
  name: string,
  machine: TMachine,
  path: MachinePath,
  options: { input?: unknown } = {},
): Promise<WorkflowView<TMachine>> {
  const run = await startWorkflow<TMachine>(binding, name, options.input === undefined ? {} : { input: options.input });
  let view = await run.getSnapshot();
  for (const [index, step] of path.steps.entries()) {
    const { type } = step.event;
    if (type.startsWith("xstate.after.")) {
      view = await run.advanceTime(afterDelay(machine, type, path.steps[index - 1]?.state));
    } else if (type.startsWith("xstate.")) {
      if (type !== "xstate.init") throw new Error(`Step ${index} is XState's own "${type}", which only the machine's actors can cause; leave it out of the path's events.`);
    } else {
      view = await run.send(step.event as EventFrom<TMachine>);
    }
    await run.evict();
    view = await run.getSnapshot();
    const expected = { value: step.state.value, context: step.state.context };
    const actual = { value: view.value, context: view.context };
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      throw new Error(`After step ${index} (${type}) the durable actor is at ${JSON.stringify(actual)}, but the path expects ${JSON.stringify(expected)}.`);
    }
  }
  return view;
}

/** An actor's schedules on a clock that only your test moves: see {@link actorClock}. */
export interface ActorClock {
  /** Now on the actor's clock (epoch ms): what `c.schedule.after` and `cron` count from. */
  now(): Promise<number>;
  /**
   * Move the clock `ms` forward and run every schedule due by then — `after`, `at` and
   * cron runs, and schedules those runs make — in order, each with the clock at its own
   * time. Resolves with the runs that started, in order. No real time passes.
   */
  advanceTime(ms: number): Promise<ScheduleRun[]>;
}

/**
 * Put an actor's schedules (`c.schedule.after`, `at`, `cron`) on a clock that only your test
 * moves, from the real time now: from then on the object's alarm runs none of them, and
 * `advanceTime` runs them deterministically, each as a scheduled action like any other
 * (admitted by the lifecycle, its state saved with the removal of its schedule). The object
 * keeps the clock for good, evictions included. Take it before the actor schedules anything
 * (the actor need not exist yet): until then, real time runs its schedules.
 *
 * @example
 * ```ts
 * import { env } from "cloudflare:test";
 * import { actorClock } from "actorstate/testing";
 *
 * const clock = await actorClock(env.ACTORS, "reminder", "ada");
 * await client.reminder.getOrCreate("ada").remindIn(60_000, "stand up");
 * expect(await clock.advanceTime(60_000)).toMatchObject([{ action: "send", args: ["stand up"] }]);
 * ```
 */
export async function actorClock(binding: ActorNamespace, name: string, key?: ActorKeyInput): Promise<ActorClock> {
  const target = { name, key: normalizeKey(key) };
  const object = actorObject(binding, name, key);
  type Inside = <T>(target: unknown, work: (scheduler: Scheduler) => T) => T;
  const inside = <T>(work: (scheduler: Scheduler) => T) =>
    runInDurableObject(object, async (instance: unknown): Promise<Awaited<T>> => await (instance as Record<symbol, Inside>)[SCHEDULE_TESTING]!(target, work));
  await inside(() => undefined);
  return {
    now: () => inside((scheduler) => scheduler.now()),
    advanceTime: (ms) => inside((scheduler) => scheduler.advanceTime(ms)),
  };
}
