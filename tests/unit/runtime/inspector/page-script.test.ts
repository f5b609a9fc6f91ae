import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { pageScriptFile, pageScriptModule } from "../../../../scripts/inspector-page.ts";

describe("the inspector page's script", () => {
  it("is the current bundle of its browser modules (run `npm run inspector-page` after changing them)", async () => {
    expect(await readFile(pageScriptFile, "utf8")).toBe(await pageScriptModule());
  });
});
