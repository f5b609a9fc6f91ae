// A browser client of a Worker whose actors use c.env, set up as docs/client.md's "TypeScript
// setup" says: the registry's type imported into a program with the DOM library only, no
// Workers types, skipLibCheck off. The Worker's Env comes from `wrangler types`, run here as
// a user runs it, and the Worker's own program keeps it exact.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, inject, it } from "vitest";
import { codeBlocks, createProject, DEPENDENCIES, type Project } from "./project.ts";

const fixture = new URL("./fixtures/client-env/", import.meta.url);
const projects: Project[] = [];

/** docs/client.md's client tsconfig, as the page shows it. */
async function documentedClientConfig(): Promise<{ page: string; config: string }> {
  const page = await readFile(new URL("../../docs/client.md", import.meta.url), "utf8");
  const block = codeBlocks(page).find(({ lang, code }) => lang === "jsonc" && code.startsWith("// client/tsconfig.json\n"));
  expect(block, "docs/client.md shows client/tsconfig.json").toBeDefined();
  const config = block!.code;
  expect(config).toContain('"skipLibCheck": false');
  expect(config).toContain('"types": []');
  expect(config).not.toContain("workers-types");
  return { page, config };
}

async function project(extra: Record<string, string>): Promise<Project> {
  const files: Record<string, string> = { ...extra };
  for (const entry of await readdir(fixture, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = relative(fileURLToPath(fixture), join(entry.parentPath, entry.name));
    files[path] = await readFile(new URL(path, fixture), "utf8");
  }
  const created = await createProject(inject("tarball"), files, [...DEPENDENCIES, "typescript", "wrangler", "@cloudflare/workers-types"]);
  projects.push(created);
  return created;
}

/** The Worker's tsconfig.json (plain JSON in the fixture), changed by `change`. */
async function editWorkerConfig(dir: string, change: (options: Record<string, unknown>) => void): Promise<void> {
  const path = `${dir}/tsconfig.json`;
  const config = JSON.parse(await readFile(path, "utf8")) as { compilerOptions: Record<string, unknown> };
  change(config.compilerOptions);
  await writeFile(path, JSON.stringify(config, null, 2));
}

afterEach(async () => {
  await Promise.all(projects.splice(0).map((created) => created.remove()));
});

describe("a browser client of actors that use c.env (DOM library only, skipLibCheck off)", () => {
  it("type-checks with the Env of `wrangler types --include-runtime=false` and @cloudflare/workers-types in the Worker", async () => {
    const { config } = await documentedClientConfig();
    const user = await project({ "client/tsconfig.json": config });
    await user.run("wrangler", ["types", "--include-runtime=false"]);
    const env = await readFile(`${user.dir}/worker-configuration.d.ts`, "utf8");
    expect(env).toContain("NOTES: KVNamespace;");
    expect(env).toContain('GREETING: "hello";');
    // The Worker: c.env exact (src/env-check.ts's expected errors), every .d.ts checked.
    await user.run("tsc", ["-p", "."]);
    // The client: the same actors.ts, read through `import type`, without any Workers type.
    await user.run("tsc", ["-p", "client"]);
  });

  it("type-checks with `wrangler types` writing the runtime types into worker-configuration.d.ts", async () => {
    const { config } = await documentedClientConfig();
    const user = await project({ "client/tsconfig.json": config });
    await user.run("wrangler", ["types"]);
    await editWorkerConfig(user.dir, (options) => {
      options.types = [];
    });
    await user.run("tsc", ["-p", "."]);
    await user.run("tsc", ["-p", "client"]);
  });

  it("reads a registry whose module names Workers types through a project reference", async () => {
    const { page, config } = await documentedClientConfig();
    // What the page tells the user to change, done here to the fixture's files.
    for (const line of ['"composite": true', '"emitDeclarationOnly": true', '"outDir": "types"', '"references": [{ "path": ".." }]', "tsc -b client"]) {
      expect(page).toContain(line);
    }
    const user = await project({
      "app/tsconfig.source.json": config,
      "app/tsconfig.json": JSON.stringify({ extends: "./tsconfig.source.json", references: [{ path: ".." }] }),
    });
    await user.run("wrangler", ["types", "--include-runtime=false"]);
    // Read as source, the module's Workers type is unknown to the client, as the page says.
    await expect(user.run("tsc", ["-p", "app/tsconfig.source.json"])).rejects.toThrow("Cannot find name 'KVNamespace'");
    await editWorkerConfig(user.dir, (options) => {
      delete options.noEmit;
      Object.assign(options, { composite: true, emitDeclarationOnly: true, outDir: "types" });
    });
    await user.run("tsc", ["-b", "app"]);
    const declarations = await readFile(`${user.dir}/types/src/kv-actors.d.ts`, "utf8");
    expect(declarations).not.toContain("KVNamespace");
  });
});
