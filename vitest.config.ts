import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "machines",
          include: ["machines/**/*.test.ts"],
          environment: "node",
        },
      },
    ],
  },
});
