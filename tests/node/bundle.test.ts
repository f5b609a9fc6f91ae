import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

/** The Worker as `wrangler deploy` would upload it (a dry run: nothing leaves the machine). */
async function bundle(entry: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "actorstate-bundle-"));
  try {
    const config = {
      name: "actorstate-bundle",
      main: fileURLToPath(new URL(entry, import.meta.url)),
      compatibility_date: "2026-11-01",
      durable_objects: { bindings: [{ name: "ACTORS", class_name: "ActorObject" }] },
      migrations: [{ tag: "v1", new_sqlite_classes: ["ActorObject"] }],
    };
    await writeFile(join(dir, "wrangler.json"), JSON.stringify(config));
    await run("wrangler", ["deploy", "--dry-run", "-c", join(dir, "wrangler.json"), "--outdir", join(dir, "out")], {
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" },
    });
    return await readFile(join(dir, "out", `${basename(entry, ".ts")}.js`), "utf8");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// What only the inspector brings: its page, its statechart's layout, its diagram viewer.
// The viewer's script is minified, so it is known by a class name it builds.
const INSPECTOR_MARKERS = ["<title>actorstate inspector</title>", '"(initial)lifecycle"', "diagram-toolbar"];

describe("the inspector is opt-in", () => {
  it("is left out of a Worker that does not pass it to createHandler", async () => {
    const [without, withIt] = await Promise.all([bundle("./bundle/without-inspector.ts"), bundle("./bundle/with-inspector.ts")]);
    for (const marker of INSPECTOR_MARKERS) {
      expect(withIt, marker).toContain(marker);
      expect(without, marker).not.toContain(marker);
    }
    const saved = Buffer.byteLength(withIt) - Buffer.byteLength(without);
    console.log(`bundle without the inspector: ${Buffer.byteLength(without)} bytes, ${saved} fewer than with it`);
    expect(saved).toBeGreaterThan(30_000);
  }, 120_000);
});
