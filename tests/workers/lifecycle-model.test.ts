// The lifecycle model, replayed where production runs: every simple path of the actor's
// lifecycle as callers see it (create, getOrCreate, with or without a failing onCreate,
// destroy, get) is played against the real host in workerd with the object reset between
// steps, and against the lifecycle machine in memory. Their answers and what storage holds
// must agree at every step.
import { abortAllDurableObjects, env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ActorError } from "actorstate";
import { createClient } from "actorstate/client";
import { MemoryHost } from "../../machines/lifecycle/memory-host.ts";
import type { LifecycleEvent, StoredLifecycle } from "../../machines/lifecycle/types.ts";
import { errorForRefusal } from "../../runtime/errors.ts";
import { readRecord } from "../../runtime/storage/actor-record.ts";
import type { registry } from "./fixtures/actors.ts";
import { objectOf, uniqueKey } from "./helpers.ts";

const operations = ["getOrCreate", "getOrCreate failing", "create", "create failing", "destroy", "get"] as const;
type Operation = (typeof operations)[number];

/** What a caller hears: `ok`, or the error's `group/code`. */
type Answer = string;

/** States whose work the machine is waiting for. */
const working = new Set(["loading", "creating", "resurrecting", "destroying.finalizing"]);

/** Finish the work under way as the fixture's hooks would: a creation fails when its input says so. */
async function runWork(host: MemoryHost): Promise<void> {
  while (working.has(host.lifecycle.state)) {
    const work = await host.startedWork();
    if (!work) return;
    const failing = (work.src === "create" || work.src === "resurrect") && (work.input.request.input as { fail?: boolean } | undefined)?.fail;
    if (failing) await host.fail(work.src, new Error("create_failed"));
    else await host.finish(work.src);
  }
}

/** Send one event to the machine, loading first as the host does; the refusal's code, if any. */
async function send(host: MemoryHost, event: LifecycleEvent): Promise<Answer | undefined> {
  for (;;) {
    const verdict = host.lifecycle.send(event);
    if (verdict.accepted) return undefined;
    if (verdict.reason === "not_loaded") {
      host.load();
      await runWork(host);
      continue;
    }
    return errorForRefusal(verdict.reason, "model")?.fullCode ?? "internal/error";
  }
}

/** The machine's answer to one operation, in memory. */
async function modelAnswer(host: MemoryHost, operation: Operation): Promise<Answer> {
  if (operation === "get") return (await send(host, { type: "RESOLVE" })) ?? "ok";
  if (operation === "destroy") {
    const refused = await send(host, { type: "DESTROY" });
    await runWork(host);
    return refused ?? "ok";
  }
  const [mode, failing] = operation.split(" ") as ["getOrCreate" | "create", string | undefined];
  const changes = host.changes.length;
  const refused = await send(host, { type: "CREATE", request: { id: crypto.randomUUID(), mode, input: { fail: failing !== undefined } } });
  if (refused) return refused;
  await runWork(host);
  // The creation this operation started failed: its caller hears the hook's error.
  if (host.changes.slice(changes).some((change) => change.event.type.startsWith("xstate.error.actor."))) return "user/create_failed";
  return (await send(host, { type: "RESOLVE" })) ?? "ok";
}

/** The real host's answer to one operation. */
async function hostAnswer(key: string, operation: Operation): Promise<Answer> {
  // A client of its own: stubs kept from before a reset fail once (as after a deploy).
  const client = createClient<typeof registry>({ binding: env.ACTORS });
  const handle = operation.startsWith("getOrCreate")
    ? client.failingCreate.getOrCreate(key, { input: { fail: operation.endsWith("failing") } })
    : client.failingCreate.get(key);
  const call =
    operation === "destroy"
      ? handle.destroy()
      : operation.startsWith("create")
        ? client.failingCreate.create(key, { input: { fail: operation.endsWith("failing") } })
        : handle.resolve();
  return call.then(
    () => "ok",
    (error: unknown) => (error instanceof ActorError ? error.fullCode : String(error)),
  );
}

function storedView(stored: StoredLifecycle | null | undefined): string {
  return stored ? `${stored.state}@${stored.generation}` : "nothing";
}

/** The stored state after playing `path` on the machine, crashing after every step. */
async function vertexAfter(path: readonly Operation[]): Promise<string> {
  const host = new MemoryHost();
  for (const step of path) {
    await modelAnswer(host, step);
    host.crash();
  }
  return host.stored?.state ?? "nothing";
}

/**
 * The paths to replay, generated from the machine: the shortest path to every stored state
 * the operations reach, followed by each operation (so every answer from every state is
 * tried, refusals included), and every simple path (no stored state visited twice).
 */
async function generatedPaths(): Promise<Operation[][]> {
  const shortest = new Map<string, Operation[]>([["nothing", []]]);
  for (let frontier: Operation[][] = [[]]; frontier.length; ) {
    const next: Operation[][] = [];
    for (const path of frontier) {
      for (const operation of operations) {
        const longer = [...path, operation];
        const vertex = await vertexAfter(longer);
        if (!shortest.has(vertex)) {
          shortest.set(vertex, longer);
          next.push(longer);
        }
      }
    }
    frontier = next;
  }
  const paths = [...shortest.values()].flatMap((path) => operations.map((operation) => [...path, operation]));
  async function extend(path: Operation[], seen: Set<string>): Promise<void> {
    let extended = false;
    for (const operation of operations) {
      const vertex = await vertexAfter([...path, operation]);
      if (seen.has(vertex)) continue;
      extended = true;
      await extend([...path, operation], new Set([...seen, vertex]));
    }
    if (!extended && path.length) paths.push(path);
  }
  await extend([], new Set(["nothing"]));
  return paths;
}

describe("the lifecycle model on the real host, with a reset between steps", () => {
  it("answers and stores what the machine answers and stores, along every simple path", async () => {
    const paths = await generatedPaths();
    expect(paths.length).toBeGreaterThan(20);
    const mismatches: string[] = [];
    for (const path of paths) {
      const key = uniqueKey("model");
      const model = new MemoryHost();
      for (const [index, operation] of path.entries()) {
        const expected = await modelAnswer(model, operation);
        model.crash();
        const actual = await hostAnswer(key, operation);
        await abortAllDurableObjects();
        const stored = await runInDurableObject(objectOf("failingCreate", key), (_, state) => readRecord(state.storage)?.lifecycle);
        const where = `${path.slice(0, index + 1).join(" → ")}`;
        if (actual !== expected) mismatches.push(`${where}: the host answered ${actual}, the machine ${expected}`);
        if (storedView(stored) !== storedView(model.stored)) {
          mismatches.push(`${where}: the host stored ${storedView(stored)}, the machine ${storedView(model.stored)}`);
        }
      }
    }
    console.log(`lifecycle model: ${paths.length} generated paths (${paths.reduce((n, p) => n + p.length, 0)} steps) replayed on the real host with a reset after every step`);
    expect(mismatches).toEqual([]);
  }, 120_000);
});
