import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("the example counter Worker", () => {
  it("keeps a separate count per key across requests", async () => {
    const post = (key: string) => exports.default.fetch(`http://example/counter/${key}/increment`, { method: "POST" });
    await post("a");
    await post("a");
    await post("b");
    const a = await (await exports.default.fetch("http://example/counter/a")).json();
    const b = await (await exports.default.fetch("http://example/counter/b")).json();
    expect([a, b]).toEqual([{ count: 2 }, { count: 1 }]);
  });
});
