// The documentation, checked against the packed package as a user would meet it.
import { readdir, readFile } from "node:fs/promises";
import { basename } from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import { codeBlocks, createProject, DEPENDENCIES, fileNameOf, WORKER_TOOLS, type Project } from "./project.ts";

const repo = new URL("../../", import.meta.url);
const projects: Project[] = [];

afterEach(async () => {
  await Promise.all(projects.splice(0).map((project) => project.remove()));
});

async function pages(): Promise<Array<{ name: string; markdown: string }>> {
  const docs = (await readdir(new URL("docs/", repo))).filter((file) => file.endsWith(".md")).map((file) => `docs/${file}`);
  return Promise.all(["README.md", ...docs].map(async (path) => ({ name: basename(path, ".md"), markdown: await readFile(new URL(path, repo), "utf8") })));
}

/**
 * Import lines gathered from several examples, each name imported once: a name imported as a
 * value and elsewhere as a type only (`import type { registry }`) is kept as the value.
 */
function mergeImports(lines: string[]): string[] {
  const named = /^import (type )?\{ ([^}]*) \} from ("[^"]+");$/;
  const values = new Set(lines.flatMap((line) => {
    const match = named.exec(line);
    return match && !match[1] ? match[2]!.split(", ").map((name) => name.replace(/^type /, "")) : [];
  }));
  const seen = new Set<string>();
  const merged: string[] = [];
  for (const line of lines) {
    const match = named.exec(line);
    if (!match) {
      if (!merged.includes(line)) merged.push(line);
      continue;
    }
    const typeOnly = Boolean(match[1]);
    const names = match[2]!.split(", ").filter((name) => {
      const bare = name.replace(/^type /, "");
      const keep = !seen.has(bare) && !(typeOnly && values.has(bare));
      seen.add(bare);
      return keep;
    });
    if (names.length) merged.push(`import ${typeOnly ? "type " : ""}{ ${names.join(", ")} } from ${match[3]};`);
  }
  return merged;
}

type Runtime = "worker" | "node";

interface PageExamples {
  files: Record<Runtime, Record<string, string>>;
  /** Blocks that show part of a file of this repository's examples: its path, and the block. */
  excerpts: Array<{ path: string; code: string }>;
}

/**
 * A page's TypeScript examples, by where they run. A block whose first line names a file
 * (`// src/actors.ts`) is that file, or, when it names a file of this repository's
 * examples (`// examples/expense/machine.ts`), an excerpt of it; the other blocks read as
 * one program, top to bottom, so they become one module, with their imports gathered at the
 * top. Examples run in a Worker or its tests, unless marked ```` ```ts node ````: those are
 * Node code, checked with Node's types and no Workers types. A fragment that cannot stand
 * alone is marked ```` ```ts partial ```` and left out; keep those rare.
 */
function examplesOf(markdown: string): PageExamples {
  const examples: PageExamples = { files: { worker: {}, node: {} }, excerpts: [] };
  const program = { worker: { imports: [] as string[], body: [] as string[] }, node: { imports: [] as string[], body: [] as string[] } };
  for (const { lang, flags, code } of codeBlocks(markdown)) {
    if (lang !== "ts" || flags.includes("partial")) continue;
    const runtime: Runtime = flags.includes("node") ? "node" : "worker";
    const name = fileNameOf(code);
    if (name?.startsWith("examples/")) examples.excerpts.push({ path: name, code });
    else if (name) examples.files[runtime][name] = code;
    else {
      for (const line of code.split("\n")) {
        if (line.startsWith("import ")) program[runtime].imports.push(line);
        else program[runtime].body.push(line);
      }
    }
  }
  for (const runtime of ["worker", "node"] as const) {
    const { imports, body } = program[runtime];
    if (body.some((line) => line.trim())) examples.files[runtime][`examples.${runtime}.ts`] = `${mergeImports(imports).join("\n")}\nexport {};\n${body.join("\n")}`;
  }
  return examples;
}

/**
 * The lines of an excerpt that its file does not have. Lines with an elision (`…`, or a
 * block comment standing for code) are skipped; trailing `// comments`, whitespace and
 * trailing commas are ignored, so an excerpt may join the file's lines.
 */
function linesNotIn(file: string, excerpt: string): string[] {
  const squeeze = (text: string) => text.replace(/\s+/g, "").replace(/,(?=[}\]])/g, "");
  const source = squeeze(file);
  return excerpt
    .split("\n")
    .slice(1)
    .map((line) => line.replace(/\s\/\/ .*$/, ""))
    .filter((line) => line.trim() && !line.includes("…") && !line.includes("/*") && !source.includes(squeeze(line).replace(/,$/, "")));
}

/** This repository's examples, path → content. */
async function repositoryExamples(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(new URL("examples/", repo), { recursive: true })) {
    if (entry.endsWith(".ts")) files[`examples/${entry}`] = await readFile(new URL(`examples/${entry}`, repo), "utf8");
  }
  return files;
}

describe("docs/getting-started.md", () => {
  it("is a Worker project whose types check (wrangler types, skipLibCheck off) and whose first test passes", async () => {
    const page = await readFile(new URL("docs/getting-started.md", repo), "utf8");
    const blocks = codeBlocks(page);
    const files = Object.fromEntries(
      blocks.flatMap(({ code }) => {
        const name = fileNameOf(code);
        return name ? [[name, code]] : [];
      }),
    );
    expect(Object.keys(files).sort()).toEqual(["src/actors.ts", "src/index.ts", "test/counter.test.ts", "tsconfig.json", "vitest.config.ts", "wrangler.json"]);
    // skipLibCheck stays off: every .d.ts, actorstate's and the generated Env, is checked.
    expect(files["tsconfig.json"]).not.toContain("skipLibCheck");
    // The page's commands, run as written; `npm install` is what the project starts with
    // (the tarball and this repository's packages), and wrangler dev serves forever.
    const commands = blocks
      .filter((block) => block.lang === "sh")
      .flatMap((block) => block.code.split("\n"))
      .map((line) => line.replace(/\s+#.*$/, "").trim())
      .filter((line) => /^(npm|npx) /.test(line) && !line.startsWith("npm install") && line !== "npx wrangler dev");
    expect(commands).toEqual(["npm init -y", "npm pkg set type=module", "npx wrangler types --include-runtime=false", "npx tsc", "npx vitest run"]);
    const project = await createProject(inject("tarball"), files, [...DEPENDENCIES, ...WORKER_TOOLS]);
    projects.push(project);

    let output = "";
    for (const command of commands) {
      // npx would look for the tools in the registry: they are on the PATH already.
      const [tool = "", ...args] = command.replace(/^npx /, "").split(" ");
      output = (await project.run(tool, args)).stdout;
    }
    expect(output.replace(/\x1b\[[\d;]*m/g, "")).toMatch(/Tests\s+1 passed \(1\)/);
    const env = await readFile(`${project.dir}/worker-configuration.d.ts`, "utf8");
    expect(env).toContain('ACTORS: DurableObjectNamespace<import("./src/index").ActorObject>');
  });
});

describe("the documentation's TypeScript examples", () => {
  it("type-check against the packed package, Worker code with Workers types and Node code without", async () => {
    const compilerOptions = { target: "es2024", module: "es2022", moduleResolution: "bundler", strict: true, noEmit: true, allowImportingTsExtensions: true };
    const include: Record<Runtime, string[]> = { worker: ["env.d.ts"], node: [] };
    // The README's paths are this repository's (its example is examples/counter), so its
    // examples sit at the root beside a copy of the examples; each page of docs/ in a folder.
    const files: Record<string, string> = {
      ...(await repositoryExamples()),
      // What Worker examples take from the Worker around them: the Env that `wrangler types`
      // writes, and `env` where a page shows code from inside a fetch handler.
      "env.d.ts": `declare namespace Cloudflare { interface Env { ACTORS: DurableObjectNamespace } }
interface Env extends Cloudflare.Env {}
declare const env: Env;
`,
    };
    const stale: string[] = [];
    let examples = 0;
    for (const page of await pages()) {
      const { files: pageFiles, excerpts } = examplesOf(page.markdown);
      const dir = page.name === "README" ? "" : `${page.name}/`;
      for (const runtime of ["worker", "node"] as const) {
        for (const [path, code] of Object.entries(pageFiles[runtime])) {
          files[`${dir}${path}`] = code;
          include[runtime].push(`${dir}${path}`);
          examples += 1;
        }
      }
      for (const { path, code } of excerpts) {
        const file = files[path];
        if (file === undefined) stale.push(`${page.name}: ${path} does not exist`);
        else stale.push(...linesNotIn(file, code).map((line) => `${page.name}: ${path} has no line ${line.trim()}`));
        examples += 1;
      }
      // `./actors` and `./machine` (or `../src/…` from a test) are the example's registry and
      // expense machine unless the page shows its own.
      const up = dir ? "../" : "";
      for (const [name, example] of [["actors", "counter/actors"], ["machine", "expense/machine"]]) {
        files[`${dir}${name}.ts`] ??= `export * from "${up}examples/${example}.ts";\n`;
        files[`${dir}src/${name}.ts`] ??= `export * from "../${up}examples/${example}.ts";\n`;
      }
    }
    expect(stale).toEqual([]);
    expect(examples).toBeGreaterThan(10);
    expect(include.node.length).toBeGreaterThan(0);
    files["tsconfig.worker.json"] = JSON.stringify({
      compilerOptions: { ...compilerOptions, lib: ["esnext"], types: ["@cloudflare/workers-types", "@cloudflare/vitest-plugin/types"] },
      files: include.worker,
    });
    // skipLibCheck for Node code only: vitest.config.ts examples reach the vitest plugin's own
    // declarations, which need packages a project does not install. actorstate's declarations
    // are checked without it in Node and browser projects by consumers.test.ts.
    files["tsconfig.node.json"] = JSON.stringify({
      compilerOptions: { ...compilerOptions, lib: ["es2023"], types: ["node"], skipLibCheck: true },
      files: include.node,
    });
    const project = await createProject(inject("tarball"), files, [...DEPENDENCIES, ...WORKER_TOOLS, "@types/node", "@statelyai/inspect", "elkjs"]);
    projects.push(project);
    const checks = await Promise.allSettled([project.run("tsc", ["-p", "tsconfig.worker.json"]), project.run("tsc", ["-p", "tsconfig.node.json"])]);
    expect(checks.flatMap((check) => (check.status === "rejected" ? [String(check.reason)] : []))).toEqual([]);
  });
});
