#!/usr/bin/env node
// actorstate's command line. Today it has one command:
//
//   actorstate diagram [--out lifecycle.svg] [--highlight running] [--machine ./module.js#exportName]
//
// Writes a standalone SVG of the lifecycle machine, or of any XState machine a module
// exports, for docs and pull requests. Runs offline. Needs elkjs, an optional peer
// dependency of actorstate, which it asks for when it is missing.
import { writeFile } from "node:fs/promises";
// The default import: on a Node too old for `register`, a named import would fail before
// the version check below could say why.
import nodeModule from "node:module";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { AnyStateMachine } from "xstate";
import { lifecycleMachine } from "./lifecycle/machine.ts";
import { nodeVersionProblem } from "./node-version.ts";

/** Stops with a message for the person at the terminal, without a stack trace. */
function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const tooOld = nodeVersionProblem(process.versions.node);
if (tooOld) fail(tooOld);

const usage = "usage: actorstate diagram [--out file.svg] [--highlight state] [--machine ./module.js#exportName]";

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

/** What to do when a machine's module imports a name the `cloudflare:*` stand-ins lack. */
function standInProblem(error: unknown, path: string): string | undefined {
  const missing = error instanceof SyntaxError && /module '(cloudflare:[^']+)' does not provide an export named '([^']+)'/.exec(error.message);
  if (!missing) return undefined;
  return (
    `${path} imports ${missing[2]} from ${missing[1]}, which only exists inside workerd. actorstate diagram loads your module in Node, ` +
    `where cloudflare:* modules are empty stand-ins (cloudflare:workers has its classes and an empty env). ` +
    `Export the machine from a module that does not import ${missing[2]} (type-only imports are fine), and point --machine at it.`
  );
}

async function machineFrom(spec: string | undefined): Promise<AnyStateMachine> {
  if (!spec) return lifecycleMachine;
  const [path = "", exported = "default"] = spec.split("#");
  // A workflow's module, or actorstate itself, may import cloudflare:workers, which Node
  // cannot resolve. The hooks run in Node's loader thread, so they are a module of their
  // own: the sibling of this file, .ts in the sources and .js once built.
  nodeModule.register(`./workers-stubs${extname(import.meta.url)}`, import.meta.url);
  const module = (await import(pathToFileURL(resolve(path)).href).catch((error: unknown) => {
    const problem = standInProblem(error, path);
    if (problem) fail(problem);
    throw error;
  })) as Record<string, unknown>;
  const machine = module[exported] as AnyStateMachine | undefined;
  if (!machine?.root || !machine.config) fail(`${spec} is not an XState machine (export "${exported}").`);
  return machine;
}

/** `toSvg` from actorstate/diagram, or a way to install what it needs. */
async function diagramModule(): Promise<typeof import("./diagram/index.ts")> {
  try {
    return await import("./diagram/index.ts");
  } catch (error) {
    const missing = (error as { code?: string }).code === "ERR_MODULE_NOT_FOUND" && String(error).includes("elkjs");
    if (!missing) throw error;
    fail("actorstate diagram lays machines out with elkjs, an optional peer dependency: npm install --save-dev elkjs");
  }
}

const [command, ...args] = process.argv.slice(2);
if (command !== "diagram") {
  console.error(usage);
  process.exit(command ? 1 : 0);
}
const machine = await machineFrom(option(args, "machine"));
const highlight = option(args, "highlight");
const { toSvg } = await diagramModule();
const svg = await toSvg(machine, highlight ? { highlight } : {});
const out = option(args, "out") ?? `${machine.id}.svg`;
await writeFile(out, svg);
console.log(`wrote ${out} (${machine.id}${highlight ? `, ${highlight} highlighted` : ""})`);
