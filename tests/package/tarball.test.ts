// What `npm pack` ships, and what `npm install actorstate` would bring with it.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const run = promisify(execFile);
const repo = new URL("../../", import.meta.url).pathname;

interface Manifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  exports: Record<string, { types: string; default: string }>;
}

interface LockEntry extends Omit<Manifest, "exports"> {
  hasInstallScript?: boolean;
}

describe("the packed package", () => {
  const files = inject("tarballFiles");
  let root: string;
  let manifest: Manifest;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "actorstate-tarball-"));
    await run("tar", ["-xzf", inject("tarball"), "-C", root]);
    root = join(root, "package");
    manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as Manifest;
  });
  afterAll(() => rm(dirname(root), { recursive: true, force: true }));

  // The docs' images, their links and their sizes are links.test.ts's.
  it("ships an MIT LICENSE, the README, the built code and the docs", () => {
    expect(files).toContain("LICENSE");
    expect(files).toContain("README.md");
    expect(files).toContain("dist/runtime/index.js");
    expect(files).toContain("docs/getting-started.md");
    expect(files.filter((file) => file.endsWith(".test.js") || file.startsWith("tests/"))).toEqual([]);
  });

  it("has every entry point its exports map names, with types", () => {
    expect(Object.keys(manifest.exports).sort()).toEqual([".", "./client", "./diagram", "./inspector", "./machines", "./react", "./stately", "./testing"]);
    for (const entry of Object.values(manifest.exports)) {
      expect(files).toContain(entry.default.slice(2));
      expect(files).toContain(entry.types.slice(2));
    }
  });

  it("has source maps whose every source is in the map or in the package", async () => {
    const maps = files.filter((file) => file.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(50);
    const unresolved: string[] = [];
    for (const map of maps) {
      const { sources, sourcesContent = [] } = JSON.parse(await readFile(join(root, map), "utf8")) as { sources: string[]; sourcesContent?: Array<string | null> };
      sources.forEach((source, index) => {
        const inline = typeof sourcesContent[index] === "string";
        if (!inline && !existsSync(resolve(root, dirname(map), source))) unresolved.push(`${map}: ${source}`);
      });
    }
    expect(unresolved).toEqual([]);
  });

  it("runs the CBOR codec with no CBOR package installed (cbor-x is bundled in)", async () => {
    // Only the tarball in this folder: any import of cbor-x would fail to resolve.
    const script = `const { encodeValue, decodeValue } = await import(${JSON.stringify(join(root, "dist/runtime/codec.js"))});
console.log(JSON.stringify(decodeValue(encodeValue({ count: 5, tags: ["a"] }))));`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: root });
    expect(JSON.parse(stdout)).toEqual({ count: 5, tags: ["a"] });
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain("cbor-x");
  });

  it("installs nothing with an install script, and neither the layout engine, Stately's client nor React", async () => {
    // Everything npm would install with actorstate, read from this repository's lockfile:
    // dependencies, optional dependencies and required peers, transitively.
    const lock = (JSON.parse(await readFile(join(repo, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> }).packages;
    // Node's resolution inside the lockfile's tree: the nearest node_modules/<name> up from `from`.
    const resolveIn = (from: string, name: string): string => {
      for (let at = from; ; ) {
        const candidate = at ? `${at}/node_modules/${name}` : `node_modules/${name}`;
        if (lock[candidate]) return candidate;
        if (!at) throw new Error(`${name} (needed by ${from || "actorstate"}) is not in package-lock.json`);
        const parent = at.lastIndexOf("/node_modules/");
        at = parent >= 0 ? at.slice(0, parent) : "";
      }
    };
    const installed = new Map<string, LockEntry>();
    const visit = (from: string, entry: Omit<LockEntry, "hasInstallScript">) => {
      const requiredPeers = Object.keys(entry.peerDependencies ?? {}).filter((name) => !entry.peerDependenciesMeta?.[name]?.optional);
      for (const name of [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...requiredPeers]) {
        const path = resolveIn(from, name);
        if (installed.has(path)) continue;
        installed.set(path, lock[path]!);
        visit(path, lock[path]!);
      }
    };
    visit("", manifest);
    const names = [...installed.keys()].map((path) => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length));
    expect(names).toEqual(expect.arrayContaining(["xstate", "zod"]));
    expect(names).not.toContain("elkjs");
    expect(names).not.toContain("@statelyai/inspect");
    expect(names).not.toContain("react");
    expect([...installed].filter(([, entry]) => entry.hasInstallScript).map(([path]) => path)).toEqual([]);
    expect(manifest.peerDependenciesMeta).toEqual({ elkjs: { optional: true }, "@statelyai/inspect": { optional: true }, react: { optional: true } });
  });
});
