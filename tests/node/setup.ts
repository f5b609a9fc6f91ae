// Global setup for the end-to-end tests: the test Worker under wrangler dev (real workerd,
// offline), on a free port, stopped by PID when the run ends.
import type { TestProject } from "vitest/node";
import { startWranglerDev } from "../../scripts/wrangler-dev.ts";

export default async function setup(project: TestProject) {
  const server = await startWranglerDev("tests/workers/wrangler.json", { quiet: true });
  project.provide("endpoint", server.url);
  return () => server.stop();
}
