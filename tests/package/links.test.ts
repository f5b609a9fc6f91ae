// The docs as the package ships them: every relative link and image a reader of the packed
// README or docs/ can follow lands on a file in the package, and the images stay small.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { brokenLinks } from "./links.ts";

const run = promisify(execFile);
/** The most a shipped image may weigh, in bytes: every install downloads it. */
const IMAGE_BUDGET = 60_000;

describe("the packed docs", () => {
  const files = inject("tarballFiles");
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "actorstate-links-"));
    await run("tar", ["-xzf", inject("tarball"), "-C", root]);
    root = join(root, "package");
  });
  afterAll(() => rm(dirname(root), { recursive: true, force: true }));

  it("link only to files in the package, and to headings those pages have", async () => {
    const markdown = files.filter((file) => file === "README.md" || /^docs\/[^/]+\.md$/.test(file));
    expect(markdown).toContain("docs/getting-started.md");
    const pages = Object.fromEntries(await Promise.all(markdown.map(async (file) => [file, await readFile(join(root, file), "utf8")] as const)));
    expect(brokenLinks(pages, files)).toEqual([]);
  });

  it(`ship each image at ${IMAGE_BUDGET / 1000} KB or less`, async () => {
    const images = files.filter((file) => /\.(png|jpe?g|gif|webp|avif|svg)$/i.test(file));
    expect(images).toContain("docs/visualizer-running.png");
    const sizes = await Promise.all(images.map(async (file) => ({ file, bytes: (await stat(join(root, file))).size })));
    expect(sizes.filter(({ bytes }) => bytes > IMAGE_BUDGET)).toEqual([]);
  });
});

describe("the link check", () => {
  const files = ["README.md", "docs/a.md", "docs/b.md", "docs/shot.png"];

  it("names links to files outside the package, missing files and missing headings", () => {
    const pages = {
      "README.md": "See [a](docs/a.md), ![shot](docs/shot.png) and [source](machines/x.ts).",
      "docs/a.md": "# A\n\n## The `c.env` part\n\n[up](../README.md) [out](../../x.md) [b](b.md#cenv) [c](b.md#the-c-env-part) [self](#the-cenv-part) [old](#gone)\n\n[ref]: missing.png\n",
      "docs/b.md": '# B\n\n## `c.env`\n\n<img src="gone.webp">',
    };
    expect(brokenLinks(pages, files)).toEqual([
      { page: "README.md", target: "machines/x.ts", reason: "machines/x.ts is not in the package" },
      { page: "docs/a.md", target: "../../x.md", reason: "leads outside the package" },
      { page: "docs/a.md", target: "b.md#the-c-env-part", reason: "docs/b.md has no heading #the-c-env-part" },
      { page: "docs/a.md", target: "#gone", reason: "docs/a.md has no heading #gone" },
      { page: "docs/a.md", target: "missing.png", reason: "docs/missing.png is not in the package" },
      { page: "docs/b.md", target: "gone.webp", reason: "docs/gone.webp is not in the package" },
    ]);
  });

  it("follows no links shown as code, and none with a scheme", () => {
    const pages = {
      "README.md": "`[x](nowhere.md)` and\n\n```md\n[y](nowhere.md)\n```\n\n[site](https://example.com/a.md) [mail](mailto:a@b.c)",
    };
    expect(brokenLinks(pages, files)).toEqual([]);
  });
});
