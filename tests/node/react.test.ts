import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { launchChromium, skipBrowserSuites } from "./browser.ts";
import { createClient } from "actorstate/client";
import type { registry } from "../workers/fixtures/actors.ts";

const endpoint = inject("endpoint");
// The page is served at the test Worker's own origin (playwright answers these requests
// itself), so its client's HTTP calls and WebSockets are same-origin: no CORS involved.
const pageUrl = `${endpoint}/__react-test/`;

/** tests/react/app.tsx and everything it imports (React, actorstate/react, actorstate/client), as one script. */
async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: ["tests/react/app.tsx"],
    // Its paths map actorstate/* to the sources, as everywhere in this repository.
    tsconfig: "tsconfig.react.json",
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2023",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"development"' },
    logLevel: "warning",
  });
  return result.outputFiles[0]!.text;
}

describe.skipIf(skipBrowserSuites)("actorstate/react in a real browser", () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    const script = await bundlePage();
    // The page's origin is the Worker's, but its document comes from playwright, not from
    // 127.0.0.1: Chromium's local network access checks would block its WebSockets there.
    browser = await launchChromium(["--disable-features=LocalNetworkAccessChecks"]);
    page = await browser.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.route(`${pageUrl}app.js`, (route) => route.fulfill({ contentType: "text/javascript", body: script }));
    await page.route(`${pageUrl}?*`, (route) =>
      route.fulfill({ contentType: "text/html", body: `<!doctype html><div id="root"></div><script type="module" src="${pageUrl}app.js"></script>` }),
    );
  }, 60_000);
  afterAll(() => browser?.close());

  it("calls an action from a click and renders the event it broadcasts", async () => {
    const key = `react-${crypto.randomUUID().slice(0, 8)}`;
    await page.goto(`${pageUrl}?counter=${key}`);
    await page.locator("#status", { hasText: "open" }).waitFor();
    await page.locator("#conn-status", { hasText: "connected" }).waitFor();
    expect(await page.locator("#count").textContent()).toBe("no event yet");

    // The click calls increment(2) over the component's connection: the actor's broadcast
    // reaches useEvent, and the action's result reaches the page too.
    await page.click("#increment");
    await page.locator("#count", { hasText: "count 2" }).waitFor();
    await page.locator("#result", { hasText: "returned 2" }).waitFor();

    // Another client's call is heard by the same listener.
    const counter = createClient<typeof registry>(endpoint).counter.getOrCreate(key);
    await counter.increment(5);
    await page.locator("#count", { hasText: "count 7" }).waitFor();

    // Destroyed from elsewhere, the connection ends: the hook reports it.
    await counter.destroy();
    await page.locator("#status", { hasText: "error" }).waitFor();
    expect(await page.locator("#error").textContent()).toBe("actor/not_found");
    expect(await page.locator("#conn-status").textContent()).toBe("disconnected");
    expect(errors).toEqual([]);
  }, 30_000);

  it("shows a workflow's current view, then each step", async () => {
    const key = `react-${crypto.randomUUID().slice(0, 8)}`;
    await page.goto(`${pageUrl}?workflow=${key}`);
    // The first view is the answer to snapshot(), asked once the page listens.
    await page.locator("#view", { hasText: "open active" }).waitFor();

    await createClient<typeof registry>(endpoint).finishing.getOrCreate(key).send({ type: "FINISH", result: "shipped" });
    await page.locator("#view", { hasText: "closed done shipped" }).waitFor();
    expect(errors).toEqual([]);
  }, 30_000);
});
