// The packed package from the other side: projects that are not Workers, and the optional
// layout engine.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { afterEach, describe, expect, inject, it } from "vitest";
import { codeBlocks, createProject, DEPENDENCIES, type Project } from "./project.ts";

const fixture = new URL("./fixtures/client/", import.meta.url);
const projects: Project[] = [];

async function clientProject(packages: string[]): Promise<Project> {
  const files: Record<string, string> = {};
  for (const name of await readdir(fixture)) files[name] = await readFile(new URL(name, fixture), "utf8");
  const project = await createProject(inject("tarball"), files, [...DEPENDENCIES, ...packages]);
  projects.push(project);
  return project;
}

afterEach(async () => {
  await Promise.all(projects.splice(0).map((project) => project.remove()));
});

describe("a client project that imports the registry's type", () => {
  // The registry's type reaches actorstate's public .d.ts files; with skipLibCheck off,
  // every one of them is checked, so none may need Workers types.
  it("type-checks in Node without Workers types and without skipLibCheck", async () => {
    const project = await clientProject(["typescript", "@types/node"]);
    await project.run("tsc", ["-p", "tsconfig.node.json"]);
  });

  it("type-checks in a browser project (DOM types only) without skipLibCheck", async () => {
    const project = await clientProject(["typescript"]);
    await project.run("tsc", ["-p", "tsconfig.browser.json"]);
  });
});

describe("actorstate/react, with React an optional peer dependency", () => {
  // The page of docs/client.md, against the packed declarations of actorstate/react and
  // React's own types, skipLibCheck off.
  it("type-checks the React example of docs/client.md in a browser project", async () => {
    const page = await readFile(new URL("../../docs/client.md", import.meta.url), "utf8");
    const example = codeBlocks(page).find(({ lang }) => lang === "tsx");
    expect(example?.code).toContain("// src/App.tsx");
    const project = await clientProject(["typescript", "react", "react-dom", "@types/react", "@types/react-dom"]);
    // The fixture's actors.ts is the page's "./actors", one folder up.
    await mkdir(`${project.dir}/src`);
    await writeFile(`${project.dir}/src/App.tsx`, example!.code.replace('from "./actors"', 'from "../actors.js"'));
    await project.run("tsc", ["-p", "tsconfig.react.json"]);
  });

  it("is not needed by actorstate/client", async () => {
    const project = await clientProject([]);
    const { stdout } = await project.run("node", ["--input-type=module", "-e", 'const m = await import("actorstate/client"); console.log(typeof m.createClient)']);
    expect(stdout.trim()).toBe("function");
  });
});

describe("the layout engine, an optional peer dependency", () => {
  it("is not needed by actorstate/machines", async () => {
    const project = await clientProject([]);
    const { stdout } = await project.run("node", ["--input-type=module", "-e", 'const m = await import("actorstate/machines"); console.log(m.lifecycleMachine.id, typeof m.renderSvg)']);
    expect(stdout.trim()).toBe("lifecycle function");
  });

  it("is asked for by the diagram command when it is missing", async () => {
    const project = await clientProject([]);
    await expect(project.run("node", ["node_modules/actorstate/dist/machines/cli.js", "diagram"])).rejects.toThrow(
      "lays machines out with elkjs, an optional peer dependency: npm install --save-dev elkjs",
    );
  });

  it("draws machines through actorstate/diagram and the command once installed", async () => {
    const project = await clientProject(["elkjs"]);
    await project.run("node", ["node_modules/actorstate/dist/machines/cli.js", "diagram", "--out", "lifecycle.svg", "--highlight", "running"]);
    expect(await readFile(`${project.dir}/lifecycle.svg`, "utf8")).toContain('data-state="running"');
    const { stdout } = await project.run("node", [
      "--input-type=module",
      "-e",
      'const { toSvg } = await import("actorstate/diagram"); const { lifecycleMachine } = await import("actorstate/machines"); console.log((await toSvg(lifecycleMachine)).slice(0, 4))',
    ]);
    expect(stdout.trim()).toBe("<svg");
  });
});
