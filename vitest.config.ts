import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Inside this repository `actorstate` means the sources (as in tsconfig's paths).
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const alias = [
  { find: /^actorstate$/, replacement: source("./runtime/index.ts") },
  { find: /^actorstate\/client$/, replacement: source("./runtime/client/index.ts") },
  { find: /^actorstate\/machines$/, replacement: source("./machines/index.ts") },
  { find: /^actorstate\/diagram$/, replacement: source("./machines/diagram/index.ts") },
  { find: /^actorstate\/testing$/, replacement: source("./runtime/testing.ts") },
  { find: /^actorstate\/inspector$/, replacement: source("./runtime/inspector/index.ts") },
  { find: /^actorstate\/stately$/, replacement: source("./runtime/stately.ts") },
  { find: /^actorstate\/react$/, replacement: source("./runtime/react/index.ts") },
];

export default defineConfig({
  resolve: { alias },
  test: {
    // The JSON report is what .ci/run counts for its closing "N passed, N failed" line.
    reporters: ["default", ["json", { outputFile: "test-artifacts/vitest.json" }]],
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          // Pure code in Node: the machines, and runtime modules that need no Worker to run.
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["tests/node/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/node/setup.ts"],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "package",
          // The packed tarball in fresh projects: no aliases, actorstate is what npm pack ships.
          include: ["tests/package/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/package/setup.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        resolve: { alias },
        plugins: [cloudflareTest({ wrangler: { configPath: "./tests/workers/wrangler.json" } })],
        test: {
          name: "workers",
          include: ["tests/workers/**/*.test.ts"],
          // npm test runs a share of the randomized test; npm run soak all 10,000 operations.
          provide: { randomizedOperations: Number(process.env.ACTORSTATE_RANDOMIZED_OPERATIONS ?? 2400) },
        },
      },
      {
        resolve: { alias },
        plugins: [cloudflareTest({ wrangler: { configPath: "./tests/workflows/wrangler.json" } })],
        test: {
          name: "workflows",
          // Workflow actors and the expense example, in a Worker of their own.
          include: ["tests/workflows/**/*.test.ts"],
        },
      },
      {
        resolve: { alias },
        plugins: [cloudflareTest({ wrangler: { configPath: "./tests/fidelity/wrangler.json" } })],
        test: {
          name: "fidelity",
          // XState's own machines, in memory and as durable workflow actors, step by step.
          include: ["tests/fidelity/**/*.test.ts"],
        },
      },
    ],
  },
});
