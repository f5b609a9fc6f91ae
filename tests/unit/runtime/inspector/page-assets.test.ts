import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { pageAssetsFile, pageAssetsModule } from "../../../../scripts/inspector-page.ts";

describe("the inspector page's script and styles", () => {
  it("are the current bundle of its browser modules and style sheet (run `npm run inspector-page` after changing them)", async () => {
    expect(await readFile(pageAssetsFile, "utf8")).toBe(await pageAssetsModule());
  });
});
