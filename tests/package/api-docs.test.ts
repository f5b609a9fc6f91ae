// docs/api.md and api-report.md against the exports of the packed package: every value an
// entry point exports is in the page's tables, every name the page lists exists, and the
// surface is the one the report pins.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiDocProblems } from "../../scripts/api-docs.ts";
import { apiReport, entryPoints, exportsOf } from "../../scripts/api-exports.ts";

const run = promisify(execFile);

describe("docs/api.md in the packed package", () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "actorstate-api-"));
    await run("tar", ["-xzf", inject("tarball"), "-C", root]);
    root = join(root, "package");
  });
  afterAll(() => rm(dirname(root), { recursive: true, force: true }));

  it("lists every value each entry point exports, and no name it does not", async () => {
    // The declarations users' editors read, one per entry point of the exports map.
    const exports = exportsOf(await entryPoints(root));
    expect(Object.keys(exports)).toContain("actorstate/testing");
    expect(exports["actorstate"]?.values).toContain("createHandler");
    expect(apiDocProblems(await readFile(join(root, "docs/api.md"), "utf8"), exports)).toEqual([]);
  });

  it("exports exactly the surface of the API report (npm run api-report after a reviewed change)", async () => {
    const committed = await readFile(new URL("../../api-report.md", import.meta.url), "utf8");
    expect(apiReport(exportsOf(await entryPoints(root)))).toBe(committed);
  });
});

describe("the API docs check", () => {
  it("says what to add and what to remove, by entry point and name", () => {
    const page = `# API

## \`actorstate/testing\`

| export | |
| --- | --- |
| \`actorObject(binding, name)\` | a stub |
| \`selfWebSocket()\`, \`transitionLog(object)\` | gone, and here |

Types: \`WorkflowRun\`, \`Missing\`

## \`actorstate/old\`

| export | |
| --- | --- |
| \`old()\` | |
`;
    const exports = {
      "actorstate/testing": { values: ["actorClock", "actorObject", "transitionLog"], types: ["WorkflowRun"] },
      "actorstate/react": { values: ["useActor"], types: [] },
    };
    expect(apiDocProblems(page, exports)).toEqual([
      'actorstate/testing: exports actorClock, which docs/api.md does not list; add a row for it to an "| export | |" table under "## `actorstate/testing`"',
      "actorstate/testing: docs/api.md lists selfWebSocket, which actorstate/testing does not export; remove it or correct the name",
      "actorstate/testing: docs/api.md lists Missing, which actorstate/testing does not export; remove it or correct the name",
      'actorstate/react: docs/api.md has no "## `actorstate/react`" section; add one with an "| export | |" table of useActor',
      'docs/api.md has a "## `actorstate/old`" section, but the package has no such entry point; remove it',
    ]);
  });
});
