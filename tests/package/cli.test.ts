// The `actorstate` command as a user's project runs it: the built CLI from the packed package.
import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, inject, it } from "vitest";
import { createProject, DEPENDENCIES, type Project } from "./project.ts";

const projects: Project[] = [];
const cli = "node_modules/actorstate/dist/machines/cli.js";

afterEach(async () => {
  await Promise.all(projects.splice(0).map((project) => project.remove()));
});

describe("actorstate diagram in a user's project", () => {
  it("draws a workflow's machine from a module that imports actorstate and cloudflare:workers", async () => {
    // The expense example's machine as a user's file: it imports durablePromise from
    // actorstate (whose Worker side imports cloudflare:workers), and env besides.
    const machine = await readFile(new URL("../../examples/expense/machine.ts", import.meta.url), "utf8");
    const project = await createProject(
      inject("tarball"),
      {
        "package.json": JSON.stringify({ type: "module" }),
        "src/expense.ts": `import { env } from "cloudflare:workers";\n${machine}\nexport const paymentsUrl = (env as { PAYMENTS_URL?: string }).PAYMENTS_URL;\n`,
      },
      [...DEPENDENCIES, "elkjs"],
    );
    projects.push(project);
    const { stdout } = await project.run("node", [cli, "diagram", "--machine", "./src/expense.ts#expenseMachine", "--out", "expense.svg", "--highlight", "review"]);
    expect(stdout).toContain("wrote expense.svg (expense, review highlighted)");
    const svg = await readFile(`${project.dir}/expense.svg`, "utf8");
    expect(svg).toContain('data-state="review"');
    expect(svg).toContain('data-state="paid"');
  });
});
