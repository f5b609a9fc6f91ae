import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const cli = new URL("./cli.ts", import.meta.url).pathname;

describe("actorstate diagram", () => {
  it("writes the lifecycle machine as an SVG, with a state highlighted", async () => {
    const dir = await mkdtemp(join(tmpdir(), "actorstate-cli-"));
    const out = join(dir, "lifecycle.svg");
    const { stdout } = await run(process.execPath, [cli, "diagram", "--out", out, "--highlight", "destroyed"]);
    expect(stdout).toContain("destroyed highlighted");
    const svg = await readFile(out, "utf8");
    expect(svg).toContain('<g class="state atomic current" data-state="destroyed">');
  });

  it("writes any machine a module exports", async () => {
    const dir = await mkdtemp(join(tmpdir(), "actorstate-cli-"));
    const module = join(dir, "light.mjs");
    const xstate = import.meta.resolve("xstate");
    await writeFile(module, `import { createMachine } from ${JSON.stringify(xstate)};
export const light = createMachine({ id: "light", initial: "green", states: { green: { on: { NEXT: "red" } }, red: { on: { NEXT: "green" } } } });`);
    const out = join(dir, "light.svg");
    await run(process.execPath, [cli, "diagram", "--machine", `${module}#light`, "--out", out]);
    const svg = await readFile(out, "utf8");
    expect(svg).toContain('data-state="green"');
    expect(svg).toContain('data-from="red" data-to="green"');
  });
});
