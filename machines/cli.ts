#!/usr/bin/env node
// actorstate's command line. Today it has one command:
//
//   actorstate diagram [--out lifecycle.svg] [--highlight running] [--machine ./module.js#exportName]
//
// Writes a standalone SVG of the lifecycle machine, or of any XState machine a module
// exports, for docs and pull requests. Runs offline. Needs elkjs, an optional peer
// dependency of actorstate, which it asks for when it is missing.
import { writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import type { AnyStateMachine } from "xstate";
import { lifecycleMachine } from "./lifecycle/machine.ts";

const usage = "usage: actorstate diagram [--out file.svg] [--highlight state] [--machine ./module.js#exportName]";

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

async function machineFrom(spec: string | undefined): Promise<AnyStateMachine> {
  if (!spec) return lifecycleMachine;
  const [path = "", exported = "default"] = spec.split("#");
  const module = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  const machine = module[exported] as AnyStateMachine | undefined;
  if (!machine?.root || !machine.config) throw new Error(`${spec} is not an XState machine (export "${exported}").`);
  return machine;
}

/** `toSvg` from actorstate/diagram, or a way to install what it needs. */
async function diagramModule(): Promise<typeof import("./diagram/index.ts")> {
  try {
    return await import("./diagram/index.ts");
  } catch (error) {
    const missing = (error as { code?: string }).code === "ERR_MODULE_NOT_FOUND" && String(error).includes("elkjs");
    if (!missing) throw error;
    console.error("actorstate diagram lays machines out with elkjs, an optional peer dependency: npm install --save-dev elkjs");
    process.exit(1);
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
