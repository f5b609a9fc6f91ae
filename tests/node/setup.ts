// Global setup for the end-to-end tests: the test Worker under wrangler dev (real workerd,
// offline), on a free port, stopped by PID when the run ends; and the same Worker once more
// as a developer runs it locally, with the opt-in ACTORSTATE_INSPECTOR=open.
import type { TestProject } from "vitest/node";
import { startWranglerDev } from "../../scripts/wrangler-dev.ts";

export default async function setup(project: TestProject) {
  // One after the other: two wrangler devs starting at once can pick the same internal port.
  const server = await startWranglerDev("tests/workers/wrangler.json", { quiet: true });
  const local = await startWranglerDev("tests/workers/wrangler.json", { quiet: true, vars: { ACTORSTATE_INSPECTOR: "open" } }).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  project.provide("endpoint", server.url);
  project.provide("localEndpoint", local.url);
  return () => Promise.all([server.stop(), local.stop()]).then(() => undefined);
}
