// A user's project in a temporary folder, with the packed actorstate installed in its
// node_modules: the tarball itself, unpacked, beside links to this repository's copies of
// the packages it needs (so the tests need no registry). Tools run from this repository.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);
const repo = new URL("../../", import.meta.url).pathname;
const bin = join(repo, "node_modules/.bin");

/** actorstate's dependencies: what `npm install actorstate` brings. */
export const DEPENDENCIES = ["xstate", "zod"];
/** What a Worker project adds (docs/getting-started.md). */
export const WORKER_TOOLS = ["typescript", "wrangler", "@cloudflare/workers-types", "vitest", "@cloudflare/vitest-plugin"];

export interface Project {
  dir: string;
  /** Run a command in the project; resolves with its output, rejects with it when it fails. */
  run(command: string, args: string[]): Promise<{ stdout: string; stderr: string }>;
  remove(): Promise<void>;
}

/**
 * A fresh project holding `files` (path → content), with the tarball installed and
 * `packages` (names in this repository's node_modules) linked beside it.
 */
export async function createProject(tarball: string, files: Record<string, string>, packages: string[]): Promise<Project> {
  const dir = await mkdtemp(join(tmpdir(), "actorstate-user-"));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  const modules = join(dir, "node_modules");
  await mkdir(modules);
  await execFileAsync("tar", ["-xzf", tarball, "-C", modules]);
  await rename(join(modules, "package"), join(modules, "actorstate"));
  for (const name of packages) {
    await mkdir(dirname(join(modules, name)), { recursive: true });
    await symlink(join(repo, "node_modules", name), join(modules, name), "dir");
  }
  return {
    dir,
    async run(command, args) {
      // A clean environment: no vitest variables from this run, no telemetry, offline.
      const env: NodeJS.ProcessEnv = {
        PATH: `${bin}:${process.env.PATH ?? ""}`,
        HOME: process.env.HOME ?? dir,
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_HIDE_BANNER: "true",
        CI: "true",
      };
      try {
        return await execFileAsync(command, args, { cwd: dir, env, maxBuffer: 64 << 20 });
      } catch (error) {
        const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
        throw new Error(`${command} ${args.join(" ")} failed in ${dir}:\n${stdout}\n${stderr}`);
      }
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * The fenced code blocks of a Markdown page (list items' too): the language, the words after
 * it in the info string (```` ```ts node ````), and the code.
 */
export function codeBlocks(markdown: string): Array<{ lang: string; flags: string[]; code: string }> {
  return [...markdown.matchAll(/^( *)```([^\n]*)\n([\s\S]*?)^\1```$/gm)].map((match) => {
    const indent = match[1] ?? "";
    const [lang = "", ...flags] = (match[2] ?? "").trim().split(/\s+/);
    const code = (match[3] ?? "").split("\n").map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line));
    return { lang, flags, code: code.join("\n") };
  });
}

/** The file a block is, named by its first line (`// src/actors.ts`), or undefined. */
export function fileNameOf(code: string): string | undefined {
  return /^\/\/ ([\w./-]+\.(?:ts|json))\n/.exec(code)?.[1];
}
