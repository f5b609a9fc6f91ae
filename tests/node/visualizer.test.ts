import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { createClient } from "actorstate/client";
import type { registry } from "../workers/fixtures/actors.ts";

// Debian's chromium (installed by .ci/run); browsers are never downloaded.
const CHROMIUM = "/usr/bin/chromium";
const endpoint = inject("endpoint");
const shots = "test-artifacts/visualizer";

describe.skipIf(!existsSync(CHROMIUM))("the visualizer in a real browser", () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await mkdir(shots, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    page = await browser.newPage({ viewport: { width: 1500, height: 1050 } });
  });
  afterAll(() => browser?.close());

  it("follows an actor through its life and travels back in its log", async () => {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${endpoint}/__actorstate/`);

    // Created from the client, the actor appears in the list (it refreshes every 2 s).
    const key = `visual-${crypto.randomUUID().slice(0, 8)}`;
    const client = createClient<typeof registry>(endpoint);
    await client.counter.getOrCreate(key, { input: { start: 5 } }).increment(1);
    const row = page.locator("tbody tr", { hasText: key });
    await row.waitFor();
    expect(await row.locator("td.lc").textContent()).toBe("running");

    await row.click();
    await page.locator('#diagram .current[data-state="running"]').waitFor();
    await page.locator("#diagram g.last[data-from=creating][data-to=running]").waitFor();
    await page.locator("#state", { hasText: "count: 6" }).waitFor();
    await page.screenshot({ path: `${shots}/1-running.png` });

    // An action from the page's controls: the state follows, live.
    await page.selectOption("#action", "increment");
    await page.fill("#args", "[10]");
    await page.click("#call");
    await page.locator("#state", { hasText: "count: 16" }).waitFor();
    await page.locator("#result", { hasText: '"value": 16' }).waitFor();

    // Destroyed from the page: the diagram moves to destroyed, the list follows.
    await page.click("#destroy");
    await page.locator('#diagram .current[data-state="destroyed"]').waitFor();
    await page.locator("#diagram g.last[data-from=destroying\\.finalizing][data-to=destroyed]").waitFor();
    await row.locator("td.lc", { hasText: "destroyed" }).waitFor();
    await page.locator("#state", { hasText: "no state (destroyed)" }).waitFor();
    await page.screenshot({ path: `${shots}/2-destroyed.png` });

    // Time travel: the entry where the actor started running puts the diagram back there.
    const started = page.locator("#log li", { hasText: "creating → running" });
    await started.click();
    await page.locator('#diagram .current[data-state="running"]').waitFor();
    await page.locator("#moment.past", { hasText: "creating → running" }).waitFor();
    await page.screenshot({ path: `${shots}/3-time-travel.png` });
    await page.click("#now");
    await page.locator('#diagram .current[data-state="destroyed"]').waitFor();

    // And it comes back: "create again" resurrects generation 1.
    await page.click("#recreate");
    await page.locator('#diagram .current[data-state="running"]').waitFor();
    await page.locator("#ids", { hasText: "generation 1" }).waitFor();
    expect(errors).toEqual([]);
  });

  it("stays usable with 1,000 actors in the list and 1,000 entries in a log", async () => {
    const client = createClient<typeof registry>({ endpoint, encoding: "cbor" });
    const run = crypto.randomUUID().slice(0, 8);
    const keys = Array.from({ length: 1000 }, (_, i) => `scale-${run}-${String(i).padStart(4, "0")}`);
    for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((key) => client.recorder.getOrCreate(key).events()));
    // 1,000 log entries: every call through a stale id is refused, and refusals are logged.
    const busy = client.ledger.getOrCreate(`scale-${run}-log`);
    const staleId = (await busy.resolve()).replace(/:0$/, ":7");
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(Array.from({ length: 50 }, () => client.ledger.getForId(staleId).read().catch(() => undefined)));
    }

    await page.goto(`${endpoint}/__actorstate/`);
    let started = performance.now();
    await page.selectOption("#filter-name", "recorder");
    await page.fill("#filter-key", `scale-${run}`);
    await page.locator("tbody tr").nth(999).waitFor();
    const listMs = performance.now() - started;
    expect(await page.locator("tbody tr").count()).toBe(1000);

    await page.fill("#filter-key", `scale-${run}-log`);
    await page.selectOption("#filter-name", "ledger");
    await page.locator("tbody tr", { hasText: `scale-${run}-log` }).click();
    started = performance.now();
    await page.locator("#log li").nth(999).waitFor();
    const logMs = performance.now() - started;
    expect(await page.locator("#log li").count()).toBe(1000);
    await page.locator("#log li").nth(500).click();
    await page.locator("#moment.past").waitFor();
    console.log(`visualizer at scale: 1,000 actors listed in ${Math.round(listMs)} ms, a 1,000-entry log shown in ${Math.round(logMs)} ms`);
    // Creating 1,000 objects takes 25-30 s on a busy 2-core machine, right at the default bound.
  }, 120_000);
});
