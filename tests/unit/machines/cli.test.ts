import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const cli = new URL("../../../machines/cli.ts", import.meta.url).pathname;
const xstate = import.meta.resolve("xstate");

/** The command's exit code and what it printed, whether it succeeded or not. */
async function outcome(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, args).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

// Each test starts Node, loads XState and lays a machine out: seconds on a busy machine.
describe("actorstate diagram", { timeout: 30_000 }, () => {
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
    await writeFile(module, `import { createMachine } from ${JSON.stringify(xstate)};
export const light = createMachine({ id: "light", initial: "green", states: { green: { on: { NEXT: "red" } }, red: { on: { NEXT: "green" } } } });`);
    const out = join(dir, "light.svg");
    await run(process.execPath, [cli, "diagram", "--machine", `${module}#light`, "--out", out]);
    const svg = await readFile(out, "utf8");
    expect(svg).toContain('data-state="green"');
    expect(svg).toContain('data-from="red" data-to="green"');
  });

  it("draws a workflow's machine whose module imports from cloudflare:workers", async () => {
    const dir = await mkdtemp(join(tmpdir(), "actorstate-cli-"));
    const module = join(dir, "approval.ts");
    await writeFile(module, `import { DurableObject, env } from "cloudflare:workers";
import { createMachine } from ${JSON.stringify(xstate)};
export class Approvals extends DurableObject {}
export const approval = createMachine({
  id: "approval",
  initial: "review",
  context: { api: (env as { API_URL?: string }).API_URL ?? "" },
  states: { review: { on: { APPROVE: "approved" } }, approved: { type: "final" } },
});`);
    const out = join(dir, "approval.svg");
    await run(process.execPath, [cli, "diagram", "--machine", `${module}#approval`, "--out", out]);
    expect(await readFile(out, "utf8")).toContain('data-from="review" data-to="approved"');
  });

  it("says what to do when the module imports a name only workerd has", async () => {
    const dir = await mkdtemp(join(tmpdir(), "actorstate-cli-"));
    const module = join(dir, "socket.mjs");
    await writeFile(module, `import { connect } from "cloudflare:sockets";\nexport const socket = connect;\n`);
    const { code, stderr } = await outcome([cli, "diagram", "--machine", `${module}#socket`, "--out", join(dir, "socket.svg")]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${module} imports connect from cloudflare:sockets, which only exists inside workerd.`);
    expect(stderr).toContain("Export the machine from a module that does not import connect");
  });

  it("stops at once on a Node older than 22, naming the version it found and how to get 22", async () => {
    const dir = await mkdtemp(join(tmpdir(), "actorstate-cli-"));
    const out = join(dir, "lifecycle.svg");
    // Node 20 as far as the command can tell: process.versions.node is all it reads.
    const node20 = `data:text/javascript,Object.defineProperty(process.versions, "node", { value: "20.11.1" })`;
    const { code, stdout, stderr } = await outcome(["--import", node20, cli, "diagram", "--out", out]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("actorstate needs Node.js 22 or later, and this is Node.js 20.11.1.");
    expect(stderr).toContain("nvm install 22");
    await expect(readFile(out)).rejects.toThrow("ENOENT");
  });
});
