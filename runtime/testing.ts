// actorstate/testing: helpers for your own tests under @cloudflare/vitest-plugin.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import type { AnyStateMachine, EventFrom, EventObject, OutputFrom } from "xstate";
import type { ActorHandle, Registry } from "./actor-types.ts";
import { createClient } from "./client/index.ts";
import { waitFor, type WorkflowHandleLike } from "./client/wait-for.ts";
import type { ActorNamespace } from "./platform.ts";
import type { WorkflowDefinition, WorkflowView } from "./workflow/definition.ts";
import type { WorkflowRuntime } from "./workflow/runtime.ts";
import { WORKFLOW_TESTING } from "./workflow/spec.ts";
import { delayOf } from "../machines/workflow/graph.ts";
import { normalizeKey, objectNameFor, type ActorKeyInput } from "./identity.ts";
import { hasSchema } from "./storage/schema.ts";
import type { LoggedTransition } from "./storage/log-entries.ts";
import { readTransitions } from "./storage/transition-log.ts";

export type { LoggedTransition } from "./storage/log-entries.ts";

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
