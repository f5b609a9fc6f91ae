// Global setup for the package tests: `npm pack`, exactly as a release would (its prepack
// builds dist/), into a temporary folder that is removed when the run ends.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";

const run = promisify(execFile);

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), "actorstate-pack-"));
  const repo = new URL("../../", import.meta.url).pathname;
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", dir], { cwd: repo, maxBuffer: 64 << 20 }).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  // npm prints the prepack build's output before the JSON report.
  const report = JSON.parse(stdout.slice(stdout.indexOf("\n[") + 1)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const packed = report[0];
  if (!packed) throw new Error(`npm pack reported nothing:\n${stdout}`);
  project.provide("tarball", join(dir, packed.filename));
  project.provide("tarballFiles", packed.files.map((file) => file.path));
  return () => rm(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The packed actorstate tarball. */
    tarball: string;
    /** Every path in it, relative to the package root. */
    tarballFiles: string[];
  }
}
